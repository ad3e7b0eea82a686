"""Article genres whose lines the news families would misread, as families of their own (page text).

- Interviews in Q&A form: a question line ('Q. …', 'Q1. …', '▲지역상담소는 언제 생겼는지요?', '― …입니까?') is text
  between the answers, not a headline and not a photo caption (a '▲' line that asks is a question).
- Lists: appointments ('◇경영지원실' / '▲상무이사 홍길동 任 …'), schedules ('◦정기총회=오전 10시 …'), weather by
  city ('△강릉 13~22도'), numbered items: a run of three or more items of one list is text, not captions or a menu,
  and so is the line that introduces it ('다음은 이날 인사 명단.'). A page whose only text is a list has that list
  for its article.
- Contributions and columns: the writer's affiliation line ('영광소방서 홍농119안전센터 소방장 박금고', '홍길동
  ○○대 교수') is a byline, not text and not a headline.
- The end of the stored text cutting a sentence off ('… 무지개교실 프로젝트를 통해 / 우리 사', '김 사장은 "책임있는 …'):
  the cut lines after the article are its last words, not furniture.

Every pattern here is anchored and has no nested quantifier; the word tests split on white space in Python.
"""
from __future__ import annotations

import re

from .dates import EVENT_KINDS, TIME_LABELS
from .stamps import wire_photo_captions

# --- interviews --------------------------------------------------------------------------------------
_Q_MARK = re.compile(r"^\s*(?:Q\s*\d{0,2}\s*[.:)．]|Q\s+(?=[가-힣])|질문\s*[:)]|문\s*\)\s*)")
_ASKING_MARK = re.compile(r"^\s*[▲△◆◇■□▶▷●○◦•·ㆍ\-―—–]")
# a question's ending: '…생겼는지요?', '…곳인가요.', '…무엇입니까', '…계획은?'
_ASKS = re.compile(r"(?:\?|(?:까요?|나요|가요|지요|니까|는가|인가)[.?]?)[\"”’']?\s*$")
# an interviewer's question as a topic and its particle, after a dash or a marker ('-취임 1년 소감은.', '▶향후 계획은'):
# a short line; an item of a list is a name or a noun phrase, not a topic waiting for its answer (round 18)
_TOPIC_ASKS, TOPIC_MAX, TOPIC_WORDS = re.compile(r"[가-힣](?:은|는)\s*\.?\s*$"), 30, 6
QUESTION = "interview question"


def is_question(text: str) -> bool:
    """A question line of an interview: a Q marker, or a list marker and a question's ending."""
    if len(text) > 300:
        return False
    if _Q_MARK.match(text):
        return bool(re.search(r"[가-힣]", text))
    return bool(_ASKING_MARK.match(text)) and (bool(_ASKS.search(text[-12:]))
                                               or (len(text) <= TOPIC_MAX and len(text.split()) <= TOPIC_WORDS
                                                   and bool(_TOPIC_ASKS.search(text[-6:]))))


# an interview's introduction ends by announcing it ('…밝혔다. 다음은 홍 군수와의 일문일답.', '다음은 일문일답이다.'): a sentence
# of the text, though its last words are a noun phrase (round 18)
_ANNOUNCES = re.compile(r"다음은\s[^.!?]{0,40}?(?:일문일답|문답|인터뷰\s*내용|대담\s*내용)(?:이다)?\s*\.\s*$")


def interview_lines(blocks) -> None:
    """Question lines followed by an answer (running text) join the text: not a caption, not a headline; the line
    that announces the questions ends a sentence."""
    for b in blocks:
        if b.kind == "body" and not b.end and len(b.text) <= 1000 and _ANNOUNCES.search(b.text[-60:]):
            b.end = 1.0
    for i, b in enumerate(blocks[:-1]):
        after = blocks[i + 1]
        if b.kind in ("body", "caption") and is_question(b.text) and after.kind == "body" \
                and (after.end or len(after.text) >= 20 or bool(_Q_MARK.match(b.text))):    # 'Q.' asks, whatever follows
            b.kind, b.reason = "body", QUESTION


# --- lists -------------------------------------------------------------------------------------------
_ITEM = re.compile(r"^\s*(?:[◦○●◇◆□■△▲·ㆍ]|\d{1,2}\s*[.)]\s|[①-⑳])\s*(?=\S)")
_LEAD_BRACKET = re.compile(r"^\s*[\[(【][^\])】]{1,30}[\])】]\s*")      # '[동양일보 김진식 기자]◦…' starts the list
_INTRO = re.compile(r"(?:다음과\s*같다|다음과\s*같습니다|명단|명단이다|일정|같다)\s*[.:：]\s*$|[:：]\s*$")
LIST_INNER = "list item (between paragraphs)"
LIST_ITEM, LIST_MIN, ITEM_MIN_CHARS, ITEM_CONTENT_CHARS, ITEM_MEAN_CHARS = "list item", 3, 3, 8, 12   # a group header may be 3 (◇전보)


# a photo's credit in the line ('▲ … 후보. ©가나뉴스', '▲ … / 사진=가나시'): a caption of a gallery, not a list's item
# ('사진:' opening an item is a listing's category: '▲ 사진: 홍길동 사진전 …'; review) -- a credit is '사진=…' or
# '사진:' in brackets or after a slash
_PHOTO_CREDIT = re.compile(r"[©ⓒ]|사진\s*(?:제공)?\s*=|[(\[<〈/]\s*사진\s*(?:제공)?\s*[:：]")


def _is_item(text: str) -> bool:
    t = _LEAD_BRACKET.sub("", text, count=1) if text[:1] in "[(【" else text
    return bool(_ITEM.match(t) or _FIELD_ROW.match(t)) and len(t) >= ITEM_MIN_CHARS and bool(re.search(r"[가-힣]{2}", t)) \
        and not _PHOTO_CREDIT.search(t)


def list_items(blocks) -> None:
    """Runs of list items (three or more, group headers among them) are text. A run that a line introduces ('다음은
    이날 인사 명단.', '…은 다음과 같다.', '…:') or a page has for its only text counts as text on its own; any other
    run joins the text only between paragraphs (other articles' headlines as '▲' items after the text stay out).
    The items must read as items, not page furniture or captions: body or caption lines, mostly no sentences."""
    i = 0
    text_chars = sum(map(_text_chars, blocks))    # once: a sum over the other blocks for each run was quadratic
    while i < len(blocks):
        j = i
        while j < len(blocks) and blocks[j].kind in ("body", "caption") and not blocks[j].from_caption \
                and _is_item(blocks[j].text):
            j += 1
        run = blocks[i:j]
        items = [b for b in run if len(b.text) >= ITEM_CONTENT_CHARS]      # not the group headers
        if len(items) >= LIST_MIN and sum(len(b.text) for b in items) / len(items) >= ITEM_MEAN_CHARS \
                and (2 * sum(1 for b in items if b.end) <= len(items) or _between_paragraphs(blocks, i, j)):
            _mark_list(blocks, i, j, text_chars)
        i = max(j, i + 1)


def _between_paragraphs(blocks, i: int, j: int) -> bool:
    """A run of items that are sentences ('△청년 월세 지원은 다음 달부터 신청을 받는다.') is a list of the text's points,
    not a gallery's captions, when paragraphs stand right before and after it (round 18)."""
    return 0 < i and j < len(blocks) and all(b.kind == "body" and b.end == 1.0 and len(b.text) >= 20
                                             for b in (blocks[i - 1], blocks[j]))


def _text_chars(b) -> int:
    """The characters of a block that reads as text (a sentence, or a long line), else 0. Marking a run as a
    list changes no block's count (its blocks are body or caption lines before and after)."""
    return len(b.text) if b.kind in ("body", "caption") and len(b.text) >= 20 and (b.end or len(b.text) >= 60) \
        else 0


def _mark_list(blocks, i: int, j: int, text_chars: int) -> None:
    intro = blocks[i - 1] if i else None
    introduced = intro is not None and intro.kind == "body" and bool(_INTRO.search(intro.text[-30:]))
    # the page's text is the list when what else reads as text is short beside it (a caption, a one-line note)
    other = text_chars - sum(map(_text_chars, blocks[i:j]))
    alone = other * 2 < sum(len(b.text) for b in blocks[i:j])
    reason = LIST_ITEM if introduced or alone or _fields(blocks[i:j]) else LIST_INNER
    for b in blocks[i:j]:
        b.kind, b.reason = "body", reason
    if introduced and not intro.end:
        intro.reason = LIST_ITEM


# a fact box of a notice or a press release, one field an item ('□ 일시: 5월 1일 오후 2시', '○ 장소 : 가나아트홀', '▲ 신청
#방법: 방문 접수'): the article's own text wherever it stands, after its last paragraph too; a list of other articles'
# headlines has no field labels (round 18)
_FIELD = re.compile(r"^\s*[◦○●◇◆□■△▲·ㆍ]\s*[가-힣]{1,6}(?:\s[가-힣]{1,4})?\s*[:：]\s*\S")
# a fact box without marks, or with dashes ('일시 : 5월 1일 오후 2시', '- 장소: 가나아트홀'): its labels say so
_FIELD_ROW = re.compile(r"^\s*[-–·]?\s*(?:" + EVENT_KINDS + r"\s?)?(?:" + TIME_LABELS + r"|장소|대상|내용|주최"
                        r"|주관|후원|문의|참가비|관람료|입장료|인원|방법|장르|출연|강사|주제|비용|자격|혜택|선정|발표)\s*[:：]\s*\S")


def _fields(run) -> bool:
    items = [b for b in run if len(b.text) >= ITEM_CONTENT_CHARS]
    return all(_FIELD.match(b.text) or _FIELD_ROW.match(b.text) for b in items)


# --- writers' affiliation lines ----------------------------------------------------------------------
_POSTS = ("소방장", "소방위", "소방경", "소방령", "소방교", "소방사", "팀장", "과장", "국장", "부장", "실장", "센터장", "소장", "서장",
          "원장", "관장", "교수", "부교수", "조교수", "명예교수", "초빙교수", "강사", "연구원", "연구위원", "위원장", "의원", "회장",
          "대표", "이사장", "사무국장", "사무처장", "총장", "학장", "변호사", "세무사", "노무사", "회계사", "시인", "소설가", "수필가",
          "작가", "평론가", "칼럼니스트", "목사", "신부", "교사", "교장", "교감", "주무관", "사무관", "박사", "경위", "경감", "경정",
          "대장", "계장", "대원", "경사", "경장", "순경", "본부장", "지점장", "장학사", "장학관", "간호사", "약사")
_NAME_WORD = re.compile(r"[가-힣]{3}")
_NOT_NAME_ENDS = ("식", "회", "제", "전", "장", "청", "관", "실", "과", "팀", "국", "단", "처")
_ORGS = ("대", "대학", "대학교", "대학원", "병원", "연구원", "연구소", "협회", "학회", "센터", "재단", "공사", "공단", "청", "서", "원",
         "회", "소", "사", "교")
WRITER = "writer's affiliation line"


def _post(word: str) -> bool:
    return word.endswith(_POSTS) or word.lstrip("前전").endswith(_POSTS)


def is_writer_line(text: str) -> bool:
    """'영광소방서 홍농119안전센터 소방장 박금고', '인천중부소방서 소방홍보팀장 이원호.', '홍길동 ○○대학교 교수',
    '/홍길동 한국대 명예교수': who wrote a contribution or column, on a line of its own (no sentence in it)."""
    t = text.strip().lstrip("/-–—·").strip().rstrip(".")
    if not 5 <= len(t) <= 60 or re.search(r"[.!?]\s|다$|요$|[\"“”]", t):
        return False
    words = t.split()
    if not 2 <= len(words) <= 7 or not all(re.fullmatch(r"[가-힣A-Za-z0-9·()]+", w) for w in words):
        return False
    # a name of three syllables (most are), not a headline's last word ('… 위원장 선출', '… 기념식')
    last_is_name = _name(words[-1]) and _post(words[-2])
    first_is_name = _name(words[0]) and _post(words[-1]) and any(w.endswith(_ORGS) for w in words[1:-1])
    return last_is_name or first_is_name


def _name(word: str) -> bool:
    return bool(_NAME_WORD.fullmatch(word)) and len(word) == 3 and not word.endswith(_NOT_NAME_ENDS) and not _post(word)


def writer_lines(blocks) -> None:
    for b in blocks:
        if b.kind == "body" and not b.end and b.reason != QUESTION and is_writer_line(b.text):
            b.kind, b.reason = "byline", WRITER


# --- a board's post info and a broadcast anchor's lead: who wrote it ----------------------------------
# gnuboard's post info row: '작성자 홍길동 작성일2019.04.08 댓글0건본문' (the date glued to its label)
BOARD_INFO = re.compile(r"^\s*작성자\s*(?P<name>(?!관리자|운영자|편집자)[가-힣]{2,4})\s*작성일\s*\d{2,4}[.\-/]\d{1,2}[.\-/]\d{1,2}")
# the anchor's lead names the reporter: '홍길동 기자가 보도합니다.', '보도에 홍길동 기잡니다.', '홍길동 기자가 다녀왔습니다.',
# '홍길동 기자가 현장을 다녀왔습니다.', '홍길동 기자의 보도입니다.' (round 18)
# … not a name the sentence describes ('…유독 강한 전혜원 기자입니다.': an adnominal word before it, not a lead)
_ANCHOR_LEAD = re.compile(r"(?<![가-힣])(?<![가-힣][한는던된운인]\s)(?P<name>(?!담당|취재|현장|저희|우리|해당|전담|수습|객원|사진|영상)[가-힣]{2,4})\s*"
                          r"(?:기자가\s*(?:[가-힣]{1,6}\s)?[가-힣]{1,8}(?:습니다|합니다)|기잡니다|기자입니다|기자의\s*보(?:도입니다|돕니다))\.?\s*$")


def anchor_lead_name(line: str) -> str:
    """The reporter an anchor's lead or a report's last line names ('… 기자가 보도합니다.'), else ''."""
    if not line.endswith(("다.", "다")):
        return ""
    m = _ANCHOR_LEAD.search(line[-40:])
    return m.group("name") if m else ""


# --- the end of the stored text ----------------------------------------------------------------------
_GOES_ON = re.compile(r"(?:[을를이가은는의에로와과도만고며서해며면데게야]|,)\s*$")
_OPENERS = {"“": "”", "‘": "’", "(": ")", "{": "}", "[": "]", "「": "」", "『": "』"}
CUT_OFF = "text cut off by the end of the page"
CUT_MAX_LINES = 6


def _opens_unclosed(text: str) -> bool:
    if text.count('"') % 2:
        return True
    return any(text.count(o) > text.count(c) for o, c in _OPENERS.items())


# the first words of a sentence the stored text cuts off after a finished one ('이번 행정사무감사는', 'Q7. 군민들에게'): a
# word of three syllables or more with its particle ends the line; a footer's label does not ('광고 문의', '제휴 문의')
_CUT_WORD = re.compile(r"[가-힣]{2,}(?:은|는|이|가|을|를|에|에서|에게|의|와|과|으로|도|만)$")   # not 로: a road (다라로)


def _cut_after_sentence(last, tail) -> bool:
    words = tail[0].text.split() if len(tail) == 1 else []
    return (bool(last.end) or last.reason == QUESTION) and 2 <= len(words) <= 8 and len(words[-1]) >= 3 \
        and bool(_CUT_WORD.search(words[-1]))


def cut_off_tail(blocks, last: int) -> int:
    """The last lines of the text after the article, when the stored text ends inside its last sentence: up to
    six body lines, nothing else after them, that go on from line to line and end unfinished (an opened quote
    or brace, a wrapped line's particle, or a long run of words). Returns the article's new last index."""
    tail = blocks[last + 1:]
    if not tail or len(tail) > CUT_MAX_LINES or any(b.kind != "body" or b.end for b in tail):
        return last
    end = tail[-1].text
    unclosed = any(_opens_unclosed(b.text) for b in tail)
    wrapped = all(_GOES_ON.search(b.text) for b in tail[:-1]) and (len(tail) > 1 or bool(_GOES_ON.search(blocks[last].text)))
    long_cut = len(end) >= 30 and sum(1 for w in end.split() if _GOES_ON.search(w)) >= 2     # words, not a footer's menu
    if not (unclosed or (wrapped and " " in end) or long_cut or _cut_after_sentence(blocks[last], tail)):
        return last
    for b in tail:
        b.reason = CUT_OFF
    return len(blocks) - 1


def genre_lines(blocks) -> None:
    """The genre families over a page's lines (page text), before the article's region is scored."""
    interview_lines(blocks)
    list_items(blocks)
    writer_lines(blocks)
    wire_photo_captions(blocks)
