"""What shares a line with the article's text, and the page's words to its reader (round 9 of issue 13).

Korean news pages glue their furniture to the paragraphs: a photo's credit in brackets after the last sentence
('…강연하고 있다. (제공: 광주시)'), a dateline at the END of a photo text ('…하고 있다.(원주=로컬세계) |'), a
blogger's or an outlet's elision mark after a cut paragraph ('…남당항......    (중략)'). Each is taken off only
after a sentence has ended, so a paragraph that merely mentions a 제공 or a place in brackets keeps it.

The page also talks to its reader in full polite sentences that read like text: the tip line ('천지일보는 24시간
여러분의 제보를 기다립니다.'), a paywall's appeal ('장성군민신문 기사는 정기독자만 볼 수 있습니다.'), the share box's
instruction ('아래의 URL을 길게 누르면 복사하실수 있습니다.'), and skip links ('본문으로 이동') that are no headline.
Every pattern here is linear: no nested quantifiers, every repetition bounded.
"""
from __future__ import annotations

import re

# after a sentence ('다.', '요.', a closing quote or bracket): the end of running text
_AFTER_SENTENCE = r"(?<=[.!?다”\"’'])"
# '(제공: 광주시)', '<사진 제공=○○군>', '[제공=경기도]': who gave the photo, named after a colon or '='
_GIVEN_CREDIT = re.compile(_AFTER_SENTENCE + r"\s*[(<\[〈]\s*(?:사진\s*)?제공\s*[:=：]\s*(?P<who>[^()<>\[\]〈〉]{1,30})[)>\]〉]\s*$")
# '(원주=로컬(LOCAL)세계) |': a place=outlet dateline closing a photo text (one bracket pair inside at most)
_END_DATELINE = re.compile(_AFTER_SENTENCE + r"\s*\(\s*(?!사진|자료|제공|출처|그래픽|영상|글|취재|편집|촬영)(?P<where>[가-힣]{1,10})\s*=\s*(?P<outlet>[^()=]{1,20}"
                           r"(?:\([^()=]{1,12}\)[^()=]{0,10})?)\)\s*\|?\s*$")
# '…고 말했다. <편집부>', '…밝혔다. (사회부)': the desk that signs the piece, in brackets after its last sentence
_DESK = re.compile(_AFTER_SENTENCE + r"\s*[<(\[〈]\s*(?P<desk>[가-힣]{0,6}(?:편집|취재|보도|사회|정치|경제|문화|체육|지역|기획|디지털|온라인)"
                   r"\s?(?:부|국|팀|뉴스부|뉴스팀|취재팀))\s*[>)\]〉]\s*$")
# '…남당항......    (중략)', '… [하략]': an elision mark after a paragraph cut by the one who copied it
_ELISION = re.compile(r"(?:\.{2,12}|…{1,3})?\s{0,12}[(\[]\s{0,3}(?:중략|하략|후략|이하\s?생략)\s{0,3}[)\]]\s*$")


# more furniture glued after the last sentence (round 18): a wire's end mark ('…말했다.(끝)'), a note ('…말했다. ※ 이 기사는
# …'), the tags ('… #가나시 #청년'), a related or most-read box's heading and its first headline ('…말했다.▶ 관련기사 …'),
# an outlet's file photo ('… /가나일보 DB')
_GLUED = [(re.compile(_AFTER_SENTENCE + r"\s*[(\[<]\s*끝\s*[)\]>]\s*$"), "end mark"),
          (re.compile(_AFTER_SENTENCE + r"\s*※[^※]{4,160}$"), "note glued to the text"),
          (re.compile(_AFTER_SENTENCE + r"\s*(?:#[가-힣][가-힣A-Za-z0-9_]{0,19}\s*){1,15}$"), "tag line"),     # Korean tags
          (re.compile(_AFTER_SENTENCE + r"\s*[▶☞]?\s*(?:관련\s*기사|관련\s*뉴스|많이\s*본\s*(?:뉴스|기사)|인기\s*기사)(?:\s*[:▶]?\s[^.!?]{0,80})?$"),
           "related/popular box"),
          (re.compile(_AFTER_SENTENCE + r"\s*/\s*[가-힣A-Za-z0-9]{1,12}\s?(?:DB|자료\s?사진)\s*$"), "photo credit"),
          # an editorial's signature: '…해야 한다. <가나일보 논설위원실>', '… [가나일보 사설]', '… / 논설위원실'
          (re.compile(_AFTER_SENTENCE + r"\s*(?:/\s*)?[<(\[〈]?\s*(?:[가-힣A-Za-z0-9]{1,10}\s?)?(?:논설위원실|논설실|사설)\s*[>)\]〉]?\s*$"),
           "desk signature")]
_GLUED_HINT = ("끝", "※", "#", "관련", "많이", "인기", "DB", "사진", "논설", "사설")


def strip_glued_end(line: str) -> tuple[str, str, str]:
    """(text, removed, reason) — a photo's credit, a dateline or an elision mark glued to a paragraph's end."""
    if line.endswith(("략)", "략]", "생략)", "생략]")) and (m := _ELISION.search(line)) and m.start() >= 10:
        return line[:m.start()].rstrip(), m.group().strip(), "elision mark"
    tail = line[-200:]
    for rx, why in _GLUED if any(h in tail for h in _GLUED_HINT) else ():
        if (m := rx.search(line, max(0, len(line) - 200))) and m.start() >= 10:
            return line[:m.start()].rstrip(), m.group().strip(), why
    if "제공" in line[-40:] and (m := _GIVEN_CREDIT.search(line)) and m.start() >= 10:
        return line[:m.start()].rstrip(), m.group().strip(), "photo credit"
    if "=" in line[-40:] and (m := _END_DATELINE.search(line)) and m.start() >= 10:
        return line[:m.start()].rstrip(), m.group().strip(), "dateline at the end"
    if line.endswith((">", ")", "]", "〉")) and (m := _DESK.search(line)) and m.start() >= 10:
        return line[:m.start()].rstrip(), m.group().strip(), "desk signature"
    return line, "", ""


def end_dateline_place(removed: str) -> str:
    """The place of a dateline taken off a paragraph's end ('(원주=로컬(LOCAL)세계) |' → '원주'), else ''."""
    m = _END_DATELINE.search("다." + removed)
    return m.group("where") if m else ""


# --- the page's words to its reader ------------------------------------------------------------------
_POLITE_END = re.compile(r"(?:니다|세요|십시오|주십시오)\s*[.!]?\s*$")
_TIP = re.compile(r"제보(?:를|와\s*[가-힣]{2,4}(?:를|을))?\s*(?:기다립니다|기다리고\s*있습니다|받습니다)")
_COPY_HOW = re.compile(r"(?:URL|주소|링크)\s*(?:을|를)?\s*(?:길게\s*)?(?:누르|클릭|선택|터치)[^.]{0,25}복사", re.I)
_PAYWALL = re.compile(r"정기\s*독자|유료\s*(?:회원|독자|구독)|구독료|구독(?:해|을\s*신청|\s*부탁|\s*신청)|후원(?:해|\s*부탁)")
_TO_READER = re.compile(r"여러분|독자|회원님|해\s*주시|하시[고면기]|만\s*볼\s*수")
# a portal's notes on its tools (round 18): the summary bot ('자동 추출 기술로 요약된 내용입니다.'), the text-to-speech
# player ('…음성을 재생하면 별도의 데이터 통화료가 부과될 수 있습니다.', '본문듣기를 종료하였습니다.'), the section note, the
# font-size preview ('(예시) 가장 빠른 뉴스가 있고 … 전달하고 있습니다.')
_SERVICE = re.compile(r"자동\s*추출\s*기술로\s*요약|요약\s*기술의\s*특성상|별도의\s*데이터\s*통화료가\s*부과|본문\s*듣기를\s*종료"
                      r"|언론사에서\s*[가-힣·/]{1,12}\s*섹션으로\s*분류|자동\s*요약\s*기술로\s*생성|^\s*\(예시\)")


def is_reader_notice(t: str) -> bool:
    """A sentence the page addresses to its reader: a tip line, the share box's instruction, a paywall's or a
    subscription drive's appeal. Polite ('…니다.') and short; a news sentence ('…제보를 받는다고 밝혔다.') is neither."""
    if len(t) > 160 or not _POLITE_END.search(t):
        return False
    return bool(_TIP.search(t) or _COPY_HOW.search(t) or (_PAYWALL.search(t) and _TO_READER.search(t)) or _SERVICE.search(t))


# '본문으로 이동', '주 메뉴 바로가기', '왼쪽 메뉴로 이동', '본문 건너뛰기': a skip link, never a headline
_SKIP_LINK = re.compile(r"^\s*(?:본문|(?:주|전체|상단|하단|왼쪽|오른쪽|사이드)?\s?메뉴|검색|로그인|푸터|하단)\s?(?:으로|로)?\s?"
                        r"(?:이동|바로\s?가기|건너뛰기)\s*$")


def is_skip_link(t: str) -> bool:
    return len(t) <= 20 and bool(_SKIP_LINK.match(t))


# --- passes over the page's blocks (body.py's Block: kind, reason, end, text) -------------------------
NAME_OVER_EMAIL = "reporter's name over the e-mail line"
_BARE_NAME = re.compile(r"^\s*[가-힣]{2,4}\s*$")
_POLITE_SENTENCE = re.compile(r"(?:니다|세요)\s*[.!]\s*$")
_APPEALS = ("the page's words to its reader", "subscription appeal")
APPEAL_LEAD_MAX = 3        # polite sentences about the paper before its appeal: at most this many
PARAGRAPH_CHARS = 100      # a line this long without a sentence ending is a paragraph (cut off), not a headline


def name_over_email(out) -> None:
    """A byline on two lines: the reporter's name alone, the e-mail (and date) on the next ('김재덕' /
    'dawon0518@gmail.com | 2018-02-24 18:48:15'): the name is a byline, not a word of the text."""
    for b, after in zip(out, out[1:]):
        if b.kind == "body" and not b.end and after.kind == "byline" and after.reason == "email" \
                and _BARE_NAME.match(b.text):
            b.kind, b.reason = "byline", NAME_OVER_EMAIL


def appeals_before_notice(out) -> None:
    """The paper's appeal often opens with a few polite sentences about itself ('…풀뿌리 언론 장성군민신문은 …
    탄생했습니다.') before its reader notices ('…정기독자만 볼 수 있습니다.'): after a text in the plain register
    ('…했다.'), up to three polite sentences right before such a notice belong to it."""
    for i, b in enumerate(out):
        if b.kind != "notice" or b.reason not in _APPEALS:
            continue
        j = i - 1
        while j >= 0 and i - j <= APPEAL_LEAD_MAX and out[j].kind == "body" and _POLITE_SENTENCE.search(out[j].text):
            j -= 1
        plain = j >= 0 and out[j].kind == "body" and (out[j].end or len(out[j].text) >= PARAGRAPH_CHARS) \
            and not _POLITE_SENTENCE.search(out[j].text)        # running text (a sentence, or a long line cut off)
        for k in range(j + 1, i) if plain and j < i - 1 else ():
            out[k].kind, out[k].reason = "notice", "the paper's appeal (polite sentences before its notice)"


def appeal_in_polite_text(out) -> None:
    """A page whose article is itself the paper's appeal (a notice to its readers, in the polite register from its
    first paragraph): a reader notice with a polite paragraph right before it and right after it is a sentence of
    that text, not the page's furniture. An appeal after a plain text ('…했다.') has no polite paragraph before it
    that is not its own lead (appeals_before_notice), nor one after it."""
    for i, b in enumerate(out[1:-1], 1):
        if b.kind == "notice" and b.reason in _APPEALS and _polite_paragraph(out[i - 1]) and _polite_paragraph(out[i + 1]):
            b.kind, b.reason = "body", ""


def _polite_paragraph(b) -> bool:
    return b.kind == "body" and b.end == 1.0 and bool(_POLITE_SENTENCE.search(b.text))


# '경기권(6) : 광주시 남한산성문화제, 수원화성문화제, …' (six names): a category of the text with its count and as many
# items is a line of the text, not a menu, wherever it stands (a list after the last paragraph included)
_COUNTED = re.compile(r"^\s*[가-힣A-Za-z0-9·]{1,12}\s?\(\s?(?P<n>\d{1,2})\s?(?:개|곳|명|건)?\s?\)\s?[:：]\s?(?P<items>\S.{0,600})$")


def counted_lists(out, reason: str) -> None:
    """Lines that list exactly as many items as the count their label gives become list items (``reason``)."""
    for b in out:
        if b.kind == "body" and not b.end and len(b.text) <= 640 and (m := _COUNTED.match(b.text)) \
                and int(m.group("n")) >= 2 and len([x for x in m.group("items").split(",") if x.strip()]) == int(m.group("n")):
            b.reason = reason
