"""Furniture that reads like text, and text that reads like furniture (a leaf module: it imports nothing of the
cleaner but common.py, so classify.py and body.py can both use it).

Furniture written in full sentences, which a scorer that counts sentence endings would take for text:

- The note under the text on how the article was paid for ('이 기사는 …재단의 지원을 받아 작성됐습니다.'), with or
  without the '※' that marks it elsewhere: a notice.
- A line that addresses the reader about the page itself, not the news: '이 콘텐츠를 공유하세요.', an
  aggregator's '… 3줄로 요약한 결과입니다. … 본문 전체 읽기를 권장합니다.' — it ends in a request or a
  recommendation (…하세요, …바랍니다, …권장합니다) and speaks of the page's own parts (본문, 기사, 콘텐츠, 댓글,
  구독, 공유, 요약, 로그인 …), two of them at least: a government notice quoted in an article ('자세한 내용은
  홈페이지를 참고하시기 바랍니다.') names none.
- A reporter's introduction of themself under the text ('전북취재본부 배종윤 기자입니다.'): a byline.

Tails glued to a paragraph's end that are not its text: a 'more' button ('… 있다. 기사더보기'), an editor's
note's signature ('… 들여다 본다. <편집자 주>'), a slash byline whose name is spaced out ('… 주장했다. /이 종 민
기자'). Each is taken off only after the paragraph's last sentence (or its photo credit's bracket), never from
inside it.

Text that reads like furniture: a photo page prints the item's text over the photo as its caption, then the
headline, then the same text again ('caption / [포토] headline / text'): the first copy is the caption, the
second the article, and the headline is between them (body.py marks the first copy).

Every pattern here is anchored at a line's end or start and has no nested quantifier: linear on any line.
"""
from __future__ import annotations

import re

from .common import EMAIL, NAME, NAMES, REPORTER_TITLES

# --- a line addressed to the reader about the page -------------------------------------------------------
# its last sentence asks or recommends: '…공유하세요.', '…권장합니다.', '…바랍니다.', '…해 주십시오.'
_ASKS = re.compile(r"(?:세요|십시오|바랍니다|권장합니다|부탁드립니다|부탁합니다)\s*[.!]*\s*$")
# the page's own parts: what a line about the page names (a news sentence names the world, not these)
_PAGE_WORDS = re.compile(r"본문|콘텐츠|컨텐츠|기사|댓글|구독|공유|요약|로그인|회원\s*가입|뉴스레터|알림\s*설정|클릭|앱\s*설치|채널\s*추가")
READER_MAX = 300          # longer than this, a line is text that happens to end so


_SENTENCE_GAP = re.compile(r"(?<=[다요죠][.!?])\s+")


def addresses_reader(line: str) -> bool:
    """'이 콘텐츠를 공유하세요.', '… 기사 내용을 3줄로 요약한 결과입니다. … 본문 전체 읽기를 권장합니다.': every
    sentence of the line speaks of the page (a paragraph of news that a request follows on the same line is text)."""
    t = line.strip()
    if len(t) > READER_MAX or not _ASKS.search(t[-16:]):
        return False
    if len({m.group().replace(" ", "") for m in _PAGE_WORDS.finditer(t)}) < 2:
        return False
    return all(_PAGE_WORDS.search(s) or _ASKS.search(s[-16:]) for s in _SENTENCE_GAP.split(t))


# --- the note on how the article was paid for ----------------------------------------------------------------
# '이 기사는 한국언론진흥재단의 지원을 받아 작성됐습니다.', '본 기사는 지역신문발전기금을 지원받았습니다.': the outlet's
# standing disclosure under the text, not the article's text (judgement: like the '※' notes, which say the same)
_FUNDED = re.compile(r"^\s*(?:※\s*)?(?:이|본)\s*(?:기사|보도|콘텐츠|취재)[는은]\s.{0,60}?(?:지원|후원|기금)(?:[을를]\s*받아|받아|\s*받았|으로)")
FUNDED_MAX = 160


def funding_note(line: str) -> bool:
    return len(line) <= FUNDED_MAX and bool(_FUNDED.match(line))


# --- a reporter introducing themself ----------------------------------------------------------------------
# '전북취재본부 배종윤 기자입니다.', '사회부 홍길동 기자입니다': up to two words of desk before the name
_SELF_INTRO = re.compile(r"^\s*(?:[가-힣A-Za-z0-9·]{1,12}\s+){0,2}(?P<name>" + NAME + r")\s*(?:기자|특파원)입니다\.?\s*$")
SELF_INTRO_MAX = 40
_PARTICLE_ENDS = tuple("은는이가을를에서도로의와과")     # '이번 설명회에는 홍길동 기자입니다.': a sentence, not a desk


def self_introduction(line: str) -> str:
    """The reporter's name of '… 홍길동 기자입니다.', '' for any other line."""
    if len(line) > SELF_INTRO_MAX or "입니다" not in line:
        return ""
    m = _SELF_INTRO.match(line)
    if not m or any(w.endswith(_PARTICLE_ENDS) for w in line[:m.start("name")].split()):
        return ""
    return m.group("name")


# --- a photo's caption written as a sentence ------------------------------------------------------------
# '김현미 의원(좌)과 최민호 시장(우)이 … 설전을 하고 있다.': who stands where in the photo, in the present tense
_WHERE_IN_PHOTO = re.compile(r"\((?:좌|우|왼쪽|오른쪽|가운데|앞줄|뒷줄|뒷줄 ?가운데|앞줄 ?가운데)(?:부터|에서)?(?: ?(?:두|세|네|다섯) ?번째)?\)")
_PRESENT_STILL = re.compile(r"(?:고|어|아|여) ?있다\.\s*$|(?:고|어|아|여) ?있는 ?모습\.?\s*$")
_SENTENCE_INSIDE = re.compile(r"(?:다|요|죠)[.!?][\"'”’]?\s+\S")
CAPTION_SENTENCE_MAX = 200


# '2AM, 슈퍼주니어-M 조미, AOA, YG 컴백예고(왼쪽위부터 시계방향)': a list of who or what is in the photo, in its order
_PHOTO_ORDER = re.compile(r"\((?:사진\s*)?(?:왼쪽|오른쪽|좌측|우측|좌|우)(?:\s*(?:위|아래|상단|하단))?\s*(?:에서\s*)?부터"
                          r"(?:\s*시계\s*(?:반대\s*)?방향(?:으로)?)?\)\s*$")
PHOTO_ORDER_MAX = 120         # such a caption is a short line


def places_people_in_photo(line: str) -> bool:
    """One sentence that says who stands where in the photo and what they are doing ('… 시장(우)이 … 하고 있다.'),
    or a short line that lists them in the photo's order ('…컴백예고(왼쪽위부터 시계방향)')."""
    t = line.strip()
    if len(t) <= PHOTO_ORDER_MAX and t.endswith(")") and _PHOTO_ORDER.search(t[-30:]):
        return True
    if len(t) > CAPTION_SENTENCE_MAX or "(" not in t or not _PRESENT_STILL.search(t[-12:]):
        return False
    return bool(_WHERE_IN_PHOTO.search(t)) and not _SENTENCE_INSIDE.search(t)


# --- a byline row of fields apart by slashes ------------------------------------------------------------------
# '- 남자프로배구 / 홍길동 기자 / 2025-03-26 10:47:38': the section, the reporter, the date; the name is the field
# before 기자 (the section's name is no second reporter, as 'NAME / NAME 기자' would read it)
FIELD_ROW_BYLINE = re.compile(r"^\s*[-–•·]?\s*[^/\s][^/]{0,20}\s/\s*(?P<name>" + NAME + r")\s*" + REPORTER_TITLES
                              + r"\s*/\s*\d{4}[-./]")


# a media noun in an outlet's name (가나일보, 가나TV): LINE_BYLINE's and OUTLET_BYLINE's
_MEDIA = r"(?:뉴스|일보|신문|방송|타임즈|타임스|투데이|저널|미디어|데일리|통신|TV)"


# a byline on a line of its own: the place or outlet in brackets with the name ('<강릉=홍길동 기자>', '[ 가나방송 =
# 홍길동 기자 ]', '(서울=홍길동 기자)'), or before a spaced slash ('세종 / 홍길동 기자 다른기사보기'): no photo credit,
# no speaker label (but '홍길동 / 가나일보 기자' is a speaker's label: the field after the slash is an outlet)
LINE_BYLINE = re.compile(r"^\s*(?:[<\[(〈]\s*[^<>\[\]()〈〉=/]{1,20}?\s*=\s*(?P<name>" + NAMES + r")\s*" + REPORTER_TITLES
                         + r"\s*[>\])〉]|[가-힣]{2,8}\s+/\s+(?![가-힣]{0,2}(?:뉴스|일보|신문|방송|투데이|저널))(?P<name2>" + NAMES + r")\s*" + REPORTER_TITLES
                         + r"(?:\s*다른\s*기사\s*보기)?"
                         # '[경인종합일보 홍길동 기자]': the outlet (a media noun in it) and the name, no '=' (round 17); a
                         # broadcaster's call letters ('[MBN 홍길동 기자]') and a desk or a newscast between ('[가나TV 뉴스센터 홍길동
                         # 인턴기자]', '[가나일보 사회부 홍길동 기자]', '(가나방송 8뉴스 홍길동 기자)'): a sign-off byline (round 18)
                         r"|[\[(〈]\s*(?:[가-힣A-Za-z0-9]{0,10}" + _MEDIA
                         + r"[가-힣A-Za-z0-9]{0,6}|[A-Z]{2,5}(?:[가-힣]{1,3}|TV)?)(?:\s[가-힣A-Za-z0-9]{1,8}(?:부|팀|센터|본부|국|데스크|뉴스))?"
                         r"\s(?P<name3>" + NAMES + r")\s*" + REPORTER_TITLES + r"\s*[\])〉]"
                         # ndsoft's labelled writer without a title ('• 기자명 홍길동'); an outlet there is no writer ('기자명 가나뉴스')
                         r"|[•·]?\s*기자명\s*(?:[:：]\s*)?(?P<name4>(?![가-힣]{0,4}(?:뉴스|일보|신문|방송|저널|매일|투데이|미디어|데일리)\s*$)"
                         + NAME + r")"
                         # the outlet's tag in brackets, then the name: '[가나대신문] 홍길동 기자' on a line of its own (round 18)
                         r"|[\[(〈]\s*[가-힣A-Za-z0-9]{0,10}" + _MEDIA
                         + r"[가-힣A-Za-z0-9]{0,6}\s*[\])〉]\s*(?P<name5>" + NAMES + r")\s*" + REPORTER_TITLES + r")\s*$")


# an image's file name printed as a line under its photo ('김선교 양평군수 m.jpg', 'IMG_1234.JPG'): the photo's caption
IMAGE_NAME = re.compile(r"^[^\n]{0,60}\.(?:jpe?g|png|gif|webp|bmp)\s*$", re.I)


# --- tails glued to a paragraph's end ---------------------------------------------------------------------
# '홍길동 가나뉴스 기자 hong@…': the name, the outlet (a word with a media noun in it), 기자 and the e-mail
_LABELS = r"(?!(?:취재|사진|문의|제보|정리|편집|출처|기사|영상|촬영|그래픽)\s)"      # '취재 가나일보 기자 …': no name
OUTLET_BYLINE = re.compile(r"^\s*(?P<name>" + _LABELS + NAME + r")\s+[가-힣A-Za-z0-9]{0,12}" + _MEDIA + r"[가-힣A-Za-z0-9]{0,6}\s*기자\s*(?:"
                           + EMAIL.pattern + r")\s*$")
# ndsoft's AMP page heads the text with the date and the writer's bare name after a wide gap ('2003-11-08     홍길동'):
# not a weekday, a label or a section; a date and one word a space apart ('2025-05-27 전주', '… 12:30 속보') is no byline
DATE_WRITER = re.compile(r"^\s*\d{4}-\d{2}-\d{2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s{2,}|\t)"
                         r"(?P<name>(?![가-힣]?요일|입력|수정|승인|등록|발행|오전|오후|기사|속보|종합|단독|오늘|사회|정치"
                         r"|경제|문화|국제|지역|사진|포토|영상|스포츠|연예)" + NAME + r")\s*$")
# a page's buttons and sections where a bare name may stand ('입력 … 10:21 댓글', '• 사회' over '• 승인 …'; review)
_NO_NAME = (r"(?!(?:댓글|공유|공유하기|프린트|인쇄|스크랩|구독|추천|좋아요|목록|저장|사회|정치|경제|문화|국제|지역|사진|포토|영상"
            r"|스포츠|연예|전체|뉴스|오피니언|칼럼|사설|기고)\s*$)")
# a posting line ends with the writer's name ('입력 2018년12월14일 10시03분 홍길동'): the label says it is the posting
POSTED_WRITER = re.compile(r"^\s*입력\s*(?:[:：]\s*)?(?:\d{4}-\d{2}-\d{2}|\d{4}년\s?\d{1,2}월\s?\d{1,2}일)"
                           r"(?:\s*(?:\d{1,2}:\d{2}(?::\d{2})?|\d{1,2}시\s?\d{1,2}분))?\s+"
                           r"(?P<name>(?![가-힣]?요일|입력|수정|승인|등록|발행|오전|오후|기사|속보|종합|단독|오늘)" + _NO_NAME + NAME
                           + r")\s*$")
# ndsoft's head lists the writer's bare name as a bullet over the posting date ('• 홍길동' / '• 승인 2022.10.05 17:43');
# the outlet's name in that place ('• 가나뉴스') is no writer
_BULLET_NAME = re.compile(r"^\s*[•·]\s*(?P<name>" + _NO_NAME + r"(?!승인|입력|수정|등록|발행|댓글|호수|기자|사진|오전|오후|[가-힣]{0,2}(?:신문|뉴스|일보|방송|저널|매일|투데이)\s*$)" + NAME + r")\s*$")
_BULLET_DATE = re.compile(r"^\s*[•·]\s*(?:기사)?(?:승인|입력|등록)\s*(?:[:：]\s*)?\d{4}\s*[./\-년]")


# or as a bare name of three syllables, a surname first, right over the date line ('홍길동' / '발행날짜: 2013-04-29 …')
_BARE_NAME = re.compile(r"^\s*(?P<name>(?!조회수|이전글|다음글|전체글|한겨레|[가-힣]{2}[팀부국과실처청회]\s*$|운영자|관리자|지역면)[김이박최정강조윤장임한오서신권황안송류유홍전고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도석선설마길연위표][가-힣]{2})\s*$")
_HEAD_DATE = re.compile(r"^\s*[•·]?\s*(?:기사)?(?:발행날짜|발행일|승인|입력|등록|작성일|게재일|송고)\s*(?:[:：]\s*)?\d{4}\s*[./\-년]")


def bullet_writer(lines: list[str]) -> list[str]:
    """The writer a page's head names as a bare bullet right over the bullet of its date (or as a bare name right
    over the date line), [] when none does."""
    for line, after in zip(lines, lines[1:]):
        if (m := _BULLET_NAME.match(line)) and _BULLET_DATE.match(after):
            return [m.group("name")]
        if (m := _BARE_NAME.match(line)) and _HEAD_DATE.match(after):
            return [m.group("name")]
    return []


_AFTER_TEXT = r"(?<=[.!?다)\]”’\"'>〉])"
_MORE = re.compile(_AFTER_TEXT + r"\s*(?:[\[<(]\s*)?(?:기사\s*더\s*보기|본문\s*더\s*보기|기사\s*전체\s*보기|기사\s*원문\s*보기|전문\s*보기"
                   r"|더\s*보기|자세히\s*보기)\s*(?:[\]>)]\s*)?[>▶»→+]*\s*$")
_EDITOR = re.compile(_AFTER_TEXT + r"\s*(?:[<(\[〈]\s*편집자\s*(?:주|註)?\s*[>)\]〉]|/\s*편집자\s*(?:주|註)?)\s*$")
_SPACED_BYLINE = re.compile(_AFTER_TEXT + r"\s*/\s*(?P<name>[가-힣](?: [가-힣]){1,3})\s*(?:기자|記者|특파원)\s*$")   # and the hanja 記者 (round 17)
TAIL_MIN = 20             # the text before a tail is at least this long: a line that is all button stays a button


def strip_more_button(line: str) -> tuple[str, str]:
    """('… 요구하고 있다. (사진/의회 영상 캡쳐)', '기사더보기') of '… 요구하고 있다. (사진/의회 영상 캡쳐) 기사더보기'."""
    return _strip_tail(line, "보기", 12, _MORE, 24)


def strip_editor_signature(line: str) -> tuple[str, str]:
    """('… 들여다 본다.', '<편집자 주>') of an editor's note signed at its end."""
    return _strip_tail(line, "편집자", 10, _EDITOR, 16)


def _strip_tail(line: str, word: str, near: int, pattern: re.Pattern, window: int) -> tuple[str, str]:
    """(the line without the tail ``pattern`` matches in its last ``window`` characters, the tail), when
    ``word`` is in its last ``near`` and the text before the tail is at least TAIL_MIN long; else (line, '')."""
    if word not in line[-near:]:
        return line, ""
    m = pattern.search(line, max(0, len(line) - window))
    if not m or m.start() < TAIL_MIN:
        return line, ""
    return line[:m.start()].rstrip(), m.group().strip()


def spaced_slash_byline(line: str) -> tuple[str, str, str] | None:
    """('… 주장했다.', '이종민', '/이 종 민 기자') of '… 주장했다. /이 종 민 기자', None for any other line."""
    if "/" not in line[-16:]:
        return None
    m = _SPACED_BYLINE.search(line, max(0, len(line) - 16))
    if not m or m.start() < TAIL_MIN:
        return None
    return line[:m.start()].rstrip(), m.group("name").replace(" ", ""), m.group().strip()


def strip_page_tails(line: str) -> tuple[str, list[str]]:
    """A paragraph without the 'more' button and the editor's signature glued to its end, and what came off."""
    out = []
    for strip in (strip_more_button, strip_editor_signature):
        line, tail = strip(line)
        if tail:
            out.append(tail)
    return line, out


# a joint byline: two to four reporters, each with a title of their own ('홍길동 기자, 김철수 기자', '홍길동 기자·김철수 기자',
# '가나=홍길동 기자 / 다라=김철수 기자', '글 홍길동 기자, 사진 김철수 기자', each with an e-mail or not; round 18). Bounded
# repeats, single optional spaces: linear.
_UNIT = (r"(?:[가-힣]{1,8}\s?=\s?|(?:글|사진|취재|영상|그래픽)\s?[=:]?\s?)?" + NAME + r"\s?" + REPORTER_TITLES
         + r"(?:\s?[(<\[]?(?:" + EMAIL.pattern + r")[)>\]]?)?")
JOINT_BYLINE = re.compile(r"^\s*" + _UNIT + r"(?:\s?[,·/]\s?" + _UNIT + r"|\s" + _UNIT + r"){1,3}\s*$")
_JOINT_NAME = re.compile(r"(?:(?P<role>글|사진|취재|영상|그래픽)\s?[=:]?\s?)?(?<![가-힣])(?P<name>" + NAME + r")\s?(?P<title>"
                         + REPORTER_TITLES + r")")
_CAMERA = ("사진", "영상", "그래픽")


def joint_names(t: str) -> list[str]:
    """The reporters of a joint byline (see above), [] for any other line; the one who took the photos or the video
    ('사진 김철수 기자', '김철수 사진기자') is credited, not an author (the labels' convention: YTN's 촬영기자)."""
    if len(t) > 200 or not JOINT_BYLINE.match(t):
        return []
    return [m.group("name") for m in _JOINT_NAME.finditer(t)
            if m.group("role") not in _CAMERA and not m.group("title").startswith(_CAMERA)]

