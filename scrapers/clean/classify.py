"""The Korean block classifier: what one line (a block of a page) is, as families of Korean news conventions.

``classify(line)`` names a line's kind — body, caption, byline, date, copyright, box (related / most-read /
comment-section headings), notice (news-tip boxes, subscription and app promotion, mobile/PC links),
boilerplate (share and print rows, button labels, menus) — with the reason. It never decides alone what
leaves the article: ``body.py`` scores the lines and picks the article's region. The helpers here take a
trailing byline or photo credit off the end of a line (``…했다. /홍길동 기자``); lead.py takes a lead byline or
dateline off its start (``(전주=뉴스1) 홍길동 기자 =``, ``[브레이크뉴스=홍길동 기자]``, ``【원주】``).
"""
from __future__ import annotations

import functools
import re

from .broadcast import dated_byline, is_broadcast_furniture, is_speaker_caption
from .common import EMAIL, HANGUL, NAME, NAMES, REPORTER_TITLES, TITLE_PREFIXES, split_names
from .credits import AGENCY_CREDIT, BARE_AGENCY_CREDIT, CREDIT, CREDIT_WORDS, lone_credit, split_caption  # noqa: F401
from .dates import SHORT_YEAR_DATE, event_field
from .genres import BOARD_INFO
from .glued import is_reader_notice, is_skip_link, strip_glued_end
from .heads import AFFILIATED_BYLINE, SIGNATURE
from .reader import FIELD_ROW_BYLINE, IMAGE_NAME, LINE_BYLINE, OUTLET_BYLINE, joint_names, self_introduction, spaced_slash_byline
from .tails import sentences_before_address, strip_glued_notice, strip_mark_credit, strip_trailing_email

# --- sentence endings ------------------------------------------------------------------------------
_CLOSE = r"[\"'”’」』)\]]*"
_KO_END = re.compile(r"(?:[다요죠까네음함임됨]|니다)\s*[.!?]+" + _CLOSE + r"\s*$|다" + _CLOSE + r"\s*$")
_CLOSERS, _QUOTED_UTTERANCE = "\"'”’」』)] ", re.compile(r"^\s*[\"“'‘].*[가-힣][.!?]+[\"”'’]\s*$")  # '"…됐나?"'
_NOUN_PERIOD, _SENTENCE_INSIDE = re.compile(r"[가-힣]\.\s*$"), re.compile(r"(?:다|요|죠)[.!?][\"'”’]?\s+\S")
_EN_END = re.compile(r"[a-z0-9%)\]][.!?]" + _CLOSE + r"\s*$|[.!?][\"”’']\s*$")


def sentence_end(text: str) -> float:
    """1.0 for a line that ends as running text does (…했다. …입니다. …said."), 0.7 for a bare 다 (quoted or not: “…
    섬기겠습니다”) and a long line ending in a noun and a period (…편집위원.), 0 otherwise (headlines, menus)."""
    full = text.rstrip()
    t = full[-24:]                   # the patterns are anchored at the end: the tail is enough
    if _KO_END.search(t):
        if t.rstrip(_CLOSERS).endswith("다"):   # a bare 다 ends headlines (…바뀐다) more often than running text
            return 0.7 if len(full) >= 60 else 0.0
        return 1.0
    if _EN_END.search(t) and not HANGUL.search(t[-3:]):
        return 1.0
    if _QUOTED_UTTERANCE.search(full):      # '"22주년? 벌써 그렇게 됐나?"': a quote with its own punctuation
        return 1.0
    if len(full) >= 40 and _NOUN_PERIOD.search(t) and not _SENTENCE_INSIDE.search(full):
        return 0.7          # a noun sentence of its own; after a sentence ('…있다. 왼쪽부터 …') it is a caption's list
    return 0.0


# --- families ---------------------------------------------------------------------------------------
COPYRIGHT = re.compile(
    r"(저작권자\s*[©ⓒ(<]|ⓒ|©|\(c\)\s*[가-힣A-Za-z]|Copyright|무단\s*전재|재배포\s*금지|AI\s*학습\s*(?:및\s*활용|이용)?\s*금지"
    r"|All rights reserved)", re.I)
_SHARE_WORDS = ("트위터", "페이스북", "카카오톡", "카카오스토리", "밴드", "네이버밴드", "네이버블로그", "라인", "인쇄하기",
                "인쇄", "스크랩", "글자 크게", "글자 작게", "글자크기", "글자크기설정", "다른기사 보기", "이메일", "메일로 보내기",
                "URL복사", "링크복사", "공유하기", "기사퍼가기", "기사보내기", "facebook", "twitter", "kakao", "print",
                "e-mail", "필자의", "전체", "엑스", "X", "카카오", "블로그", "공유", "구독", "좋아요", "북마크")
_SHARE_RX = re.compile("|".join(re.escape(w) for w in sorted(_SHARE_WORDS, key=len, reverse=True)), re.I)
# A line that is one button, label or menu item of page furniture (a share list laid out one item a line).
_BUTTON_LINES = {w.lower() for w in _SHARE_WORDS} | {
    "url", "url 복사", "기사저장", "댓글", "댓글 쓰기", "댓글쓰기", "이미지 확대보기", "확대", "닫기", "구독하기",
    "스크랩 하기", "기사 url이 복사되었습니다.", "주소가 복사되었습니다.", "링크가 복사되었습니다.", "url이 복사되었습니다.",
    "ad", "배너", "여백", "상단여백", "하단여백", "전체보기", "더보기", "기사원문", "본문으로 바로가기", "본문 바로가기",
    "back to top", "top", "tweet", "share", "맨위로", "메뉴", "검색", "메뉴 보기 검색", "홈", "home", "기사제보", "sns 기사보내기",
    "큰사진보기", "작은사진보기", "3줄요약", "3줄 요약", "ai 요약", "ai요약", "기사 요약", "기사요약", "요약보기", "이전", "다음", "목록", "닫기", "로그인", "회원가입", "공유 더보기", "글자크게", "글자작게", "글자확대", "글자축소", "프린터", "구글플러스"}
BOX = re.compile(
    r"^\s*(?:icon)?(?:\[?관련\s*기사\]?|관련\s*뉴스|관련\s*키워드|이\s*기사와\s*관련된\s*기사|(?:가장\s*)?많이\s*(?:본|읽은)\s*(?:뉴스|기사|칼럼)"
    r"|[가-힣A-Za-z]{0,6}\s*인기\s*(?:기사|뉴스)|랭킹\s*뉴스|최신\s*(?:기사|뉴스)|최근\s*기사|추천\s*(?:기사|뉴스)|[가-힣 A-Za-z]{0,12}추천\s*기사"
    r"|이\s*시각\s*(?:주요|인기)?\s*뉴스|주요\s*(?:뉴스|기사)|실시간\s*(?:댓글|뉴스|인기|키워드|검색어)|포토\s*뉴스|핫\s*이슈|Hot\s*포토|HOT\s*[가-힣 ]+"
    r"|지금\s*[가-힣]*뉴스|의견\s*쓰기|기사\s*댓글(?:\s*\d+)?|전체\s*댓글\s*\d*|BEST\s*댓글|댓글\s*\d+\s*개?|#\s*[가-힣 ]{2,10}\??"
    r"|\[[^\]]*인기뉴스\]|이전\s*기사|다음\s*기사|[가-힣]{2,6}\s*기사\s*리스트|오늘의\s*[가-힣]+|에디터\s*추천)\s*[☞▶>→]*\s*$", re.I)
_BOX_RUN = re.compile(  # the same headings opening a line that runs the list's headlines together (flattened text)
    r"^\s*(?:\[?관련\s*기사\]?|관련\s*뉴스|주요\s*(?:기사|뉴스)|(?:가장\s*)?많이\s*(?:본|읽은)\s*(?:뉴스|기사)"
    r"|인기\s*(?:기사|뉴스)|최신\s*(?:기사|뉴스)|추천\s*(?:기사|뉴스)|이\s*시각\s*주요\s*뉴스)\s+\S")
_COMMENTS = re.compile(
    r"(첫\s*번째\s*댓글|댓글을?\s*(?:남겨|작성|입력)|삭제한\s*댓글|댓글\s*운영|게시판\s*운영|건전한\s*(?:댓글|토론)|로그인\s*후\s*(?:댓글|이용)"
    r"|^\s*\d{1,4}\s*/\s*\d{2,4}\s*$|공유됐고\s*\d*\s*개의\s*댓글|댓글이?\s*있습니다"
    r"|(?:등록된\s*)?(?:의견|댓글)이\s*없습니다|의견\s*목록|의견\s*수\s*:)")
_NOTICE = re.compile(
    r"(^\s*※(?=.*[가-힣])|당신의\s*제보가|제보\s*(?:하기|전화|메일)|제보는\s*(?:카카오톡|이메일|전화)|^\s*\[(?:카카오톡|전화|메일|이메일|팩스|홈페이지|제보)\]|만나보세요|구독\s*(?:신청|하기|하세요)|채널\s*추가\s*하(?:기|세요)"
    r"|앱\s*(?:설치|다운|에서)|(?:모바일|PC)\s*(?:버전|화면|웹)|기사\s*전체\s*보기|전체\s*기사\s*보기|다른\s*기사\s*보기"
    r"|기사\s*퍼가기|본문\s*보기를\s*권장|바로가기\s*$|^\s*(?:HOME|홈)\s*[>›»\s]|^\s*[\[<(]?\s*광고\s*[\]>)]?\s*$"
    r"|이\s?기사는\s[^.!?]{0,40}?(?:일자|호|면)에?\s?(?:게재|실린|실렸))", re.I)    # and "이 기사는 …일자 289호에 게재된 기사입니다."
_APPEAL_WORDS, _APPEAL_CUES = ("독자", "유료", "구독", "후원", "로그인", "온전한", "회원"), re.compile(r"정기\s*독자|유료\s*(?:회원|독자|구독|기사)|구독료|구독(?:해|을\s*신청|\s*부탁|\s*신청)|후원(?:해|\s*부탁|\s*하기|회원)"
                          r"|로그인(?:을)?\s*(?:해\s*주시면|하시면)|온전한\s*기사|회원\s*전용")
DATE_LINE = re.compile(
    r"^\s*(?:date\s+|[Pp]osted\s+on\s+|[Pp]ublished(?:\s+on)?\s+)?[\[(|•·]?\s*(?:(?:기사|웹)?\s*(?:입력|승인|수정|등록|발행|업데이트|최종\s*수정|최종\s*편집|최초\s*수정|게재|출고시간|작성)"
    r"\s*(?:일시?\s*)?(?:[:：|]\s*)?)?\d{4}\s*[./\-년]\s*\d{1,2}\s*[./\-월]\s*\d{1,2}")
_DATE_TOKENS = re.compile(
    r"\d{4}\s*[./\-년]\s*\d{1,2}\s*[./\-월]\s*\d{1,2}\s*일?\.?|\d{1,2}\s*[:시]\s*\d{2}(?:\s*[:분]\s*\d{2})?\s*[분초]?"
    r"|오전|오후|AM|PM|\([월화수목금토일]\)|[월화수목금토일]요일|입력|승인|수정|등록|발행|업데이트|최종|최초|편집|게재|기사|웹|출고시간"
    r"|작성|date|\d+\s*면|\d+\s*호|기사원문|송고", re.I)
_CAPTION = re.compile(r"^\s*(?:▲|△|■\s*사진|\[사진\]|<사진|\(사진|\[포토\]|\|\s)")
# a broadcast transcript's segment and speaker markers: [앵커], 【 앵커멘트 】, ◀ 앵 커 ▶, <리포트>, (VCR)
_SPEAKER_MARKER = re.compile(r"^\s*[\[【<◀(]\s*(?:앵\s*커(?:\s*멘트)?|기\s*자|리포트|인터뷰|씽크|싱크|녹취|ANC|END|VCR|PAN|CAM|CG"
                             r"|SYN|INT)\s*[\]】>▶)]\s*$")
# who speaks in a sound bite, under its marker: '이재명 / 경기도지사', '홍길동/마늘 재배 농민'
_SPEAKER_LABEL = re.compile(r"^\s*" + NAME + r"\s*/\s*[가-힣A-Za-z][가-힣A-Za-z0-9·\s]{1,20}$")
_CREDITS_LINE = re.compile(r"^\s*[(\[]?\s*(?:촬영\s*기자|영상\s*(?:편집|취재|제작|촬영)|화면\s*제공|그래픽|촬영|편집|CG|구성|연출|제작|기획)\s*[:：]")
BYLINE_PATTERNS = [
    # (서울=뉴스1) 홍길동 기자 = / [전주=홍길동 기자] / [브레이크뉴스=박동제 기자] / [헤럴드경제=정윤희‧신혜원 기자]
    re.compile(r"^\s*[\[(](?P<where>[^\])=]{1,20})\s*=\s*(?:[^\])]{0,20}?[\s/])?(?P<name>" + NAMES + r")\s*"
               + REPORTER_TITLES + r"\s*[\])]\s*(?:(?P<name2>" + NAME + r")\s*" + REPORTER_TITLES + r"\s*)?=?\s*"),
    # (부산=뉴스1) 이현동 기자 = / [광주=뉴시스]박기웅 기자 = / [부산=뉴스핌] 남동현 기자 =
    re.compile(r"^\s*[\[(【](?P<where>[^\])】=]{1,20})\s*=\s*[^\])】]{0,30}[\])】]\s*(?P<name>" + NAMES + r")\s*"
               + REPORTER_TITLES + r"\s*=\s*"),     # and 【하남=코리아플러스】 이태호 기자 =
    re.compile(r"^\s*[\[(](?P<outlet>[^\])=|ㅣ│]{1,20}?)\s*[|ㅣ│]\s*(?P<name>" + NAMES + r")\s*" + REPORTER_TITLES  # [스포츠서울ㅣ김기원기자]
               + r"\s*[\])]\s*=?\s*"),
    # [충청매일 황의택 기자] / (울산매일 홍길동 기자) / [가나Q(큐) 홍길동 기자]: an outlet's alias in brackets
    re.compile(r"^\s*[\[(](?P<outlet>[^\])=]{2,20}?(?:\([^()\]=]{1,6}\))?)\s+(?P<name>" + NAMES + r")\s*" + REPORTER_TITLES + r"\s*[\])]\s*=?\s*"),
    # [뉴스인] 민경찬 기자 = / (일요시사) 홍길동 기자= : the outlet's tag, then the name and '='
    re.compile(r"^\s*[\[(](?P<outlet>[^\])=]{1,20})[\])]\s*(?P<name>" + NAMES + r")\s*" + REPORTER_TITLES + r"\s*=\s*"),
    # 홍길동 기자 = 본문… (a wire byline without the bracket)
    re.compile(r"^\s*(?P<name>" + NAME + r")\s*" + REPORTER_TITLES + r"\s*=\s*"),
]
# [충북일보] / [파이낸셜뉴스] / 【원주】 / (전주=연합뉴스): an outlet's or a place's tag at the head of the lead
_LEAD_TAG = re.compile(
    r"^\s*(?:[\[(](?P<outlet>[^\])=]{1,14}(?:뉴스|일보|신문|경제|방송|매일|타임스|타임즈|투데이|미디어|저널|닷컴|포커스|통신|TV|tv|News|news|\d)"
    r"|(?P<where>[^\])=]{1,10})\s*=\s*[^\])]{1,14})[\])]|【(?P<where2>[^】]{1,10})】)\s*(?=\S)")
# '경기뉴스원(경기뉴스1) | 김한종 …', '우리투데이 이승일 기자 | 충북도청에 …': an online outlet's lead tag before a bar
_PIPE_LEAD = re.compile(r"^\s*(?P<outlet>[가-힣A-Za-z0-9]{0,10}(?:뉴스|일보|신문|저널|투데이|타임즈|타임스|방송|미디어|TV|News)"
                        r"[가-힣A-Za-z0-9]{0,6}(?:\([^()|]{1,14}\))?)(?:\s+(?P<name>" + NAMES + r")\s*" + REPORTER_TITLES
                        + r")?\s*\|\s+(?=\S)")
_NOT_A_NAME = r"(?!(?:" + TITLE_PREFIXES + r"\s?)?(?:기자|특파원)(?![가-힣]))"    # a title is no name
REPORTER_LINE = re.compile(
    r"^\s*[/\-–•·▶◎>]?\s*(?:[가-힣A-Za-z0-9·◎]{1,12}(?:\s|\s*=\s*))??(?:\d{4}[-.]\d{1,2}[-.]\d{1,2}\s+)?(?P<name>" + _NOT_A_NAME + NAMES + r")\s*"
    + REPORTER_TITLES + r"(?:\s+기자)?\s*(?:[(<\[]?\s*(?:" + EMAIL.pattern + r"|[^\s@()<>\[\]]*@\S*)\s*[)>\]]?)?\s*(?:의\s*)?"
    r"(?:다른\s*기사\s*보기|전체\s*기사\s*보기)?\s*$")
_ROLE = r"(?:글|사진|영상|그래픽|취재|정리)"
_ROLE_CREDITS = re.compile(r"^\s*" + _ROLE + r"\s*[=:]?\s*(?P<name>" + NAME + r"(?:\s*[·,/]\s*" + _ROLE + r"\s*[=:]?\s*" + NAME
                           + r")+)\s*" + REPORTER_TITLES + r"\s*(?:" + EMAIL.pattern + r")?\s*$")
_NAME_EMAIL = re.compile(
    r"^\s*(?:[A-Za-z가-힣◎]{1,10}\s+)?(?P<name>" + NAME + r")\s*(?:[(<\[]\s*(?:" + EMAIL.pattern + r")\s*[)>\]]|[|｜]\s*(?:" + EMAIL.pattern + r"))\s*$")
_CONTACT = re.compile(r"^\s*(?P<name>" + NAME + r")\s*\((?:취재|사진|영상|글|편집|그래픽|기자)[^)]{0,10}\)\s*(?:\d{2,4}[-.)\s]\d{3,4}[-.\s]\d{4})?\s*$")
_EMAIL_NAME = re.compile(r"^\s*(?:" + EMAIL.pattern + r")\s+(?P<name>" + NAME + r")\s*" + REPORTER_TITLES + r"\s*$")
_TRAILING_BYLINE = re.compile(
    r"(?:(?<=[.?!다”\"’')])|(?<=[.?!다”\"’')]\s))\s*(?:/\s*)?(?:[(\[][^)\]=]{1,12}=[^)\]]{1,14}[)\]]\s*|[가-힣]{2,6}\s*=\s*)?"
    r"(?P<name>" + NAMES + r")\s*" + REPORTER_TITLES
    + r"(?:\s+기자)?(?=\.?\s*$|\s*[\w.+-]+@|\s+[가-힣]{2,4}\s*(?:기사\s*전체보기|의\s*다른))(?P<rest>.*)$")
_TRAILING_BRACKET_BYLINE = re.compile(  # '…신문편집위원.<유혜영 기자>', '…밝혔다. (홍길동 기자)': in brackets
    r"(?<=[.다”\"’')])\s*[<(\[〈]\s*(?:[^<>()\[\]〈〉=]{0,12}(?:통신|뉴스|일보|신문|방송|투데이|미디어|저널)\s*=\s*)?(?P<name>" + NAMES + r")\s*" + REPORTER_TITLES  # <여의도통신 = 이정환 기자>
    + r"\s*(?:" + EMAIL.pattern + r")?\s*[>)\]〉]\s*$")
_TRAILING_SLASH_BYLINE = re.compile(r"/\s*(?P<name>" + NAMES + r")\s*" + REPORTER_TITLES
                                    + r"\s*(?:" + EMAIL.pattern + r")?\s*$")
# '…짓고 있다./신동빈', '…서두르고 있다. 춘천/박원희': a photo text's credit, the photographer (after a place)
_TRAILING_PHOTOGRAPHER = re.compile(r"(?<=[.다])\s*(?:[가-힣]{2,4}\s*)?/\s*(?P<name>[가-힣]{2,4})\s*$")
TRANSLATION_NOTICE = re.compile(
    r"(아래는\s*위\s*기사를.{0,40}번역|영문\s*기사의\s*['‘]?전문|구글\s*번역은|Below is the (?:['‘]?full text['’]? of the )?(?:English )?"
    r"(?:text|translation|article)|translated by Google|Google Translate|machine[- ]translated|errors in the (?:English )?translation)",
    re.I)


def has_translation_notice(line: str) -> bool:
    """TRANSLATION_NOTICE.search(line), the search only on a line that can match: each Korean alternative holds
    one of three words, each English one an e (which IGNORECASE matches only as e or E)."""
    return ("e" in line or "E" in line or "아래는" in line or "영문" in line or "구글" in line) \
        and TRANSLATION_NOTICE.search(line) is not None


def is_share_row(text: str) -> bool:
    t = text.replace("|", " ").strip()
    if not t or len(t) > 100:
        return False
    if len({m.lower() for m in _SHARE_RX.findall(t)}) < 2:
        return False
    return len(_SHARE_RX.sub("", t).strip(" ·/|,+-•")) <= 10


_DATE_WITH_TIME = re.compile(r"\d{4}\s*[./\-년]\s*\d{1,2}\s*[./\-월]\s*\d{1,2}(?:\s*일)?.{0,4}?\d{1,2}:\d{2}")


def _is_date_line(t: str) -> bool:
    if len(t) <= 90 and SHORT_YEAR_DATE.match(t):      # '글쓴날 : [12-05-01 23:34] …'
        return True
    if len(t) > 90 or not re.search(r"\d{4}\s*[./\-년]\s*\d{1,2}", t) or event_field(t):
        return False
    if DATE_LINE.match(t) or dated_byline(t):
        return True
    rest = _DATE_TOKENS.sub(" ", t)
    rest = re.sub(r"[\s:：|/\[\]().,•·-]+", "", rest)
    # a date with its time of day may carry one name beside it: '보스톤코리아 2013-03-11, 13:47:58'
    # ('김동훈 기자 / 입력 : 2012년 06월 11일(월) 14:36': the date in words, its weekday before the time)
    return len(rest) <= (12 if _DATE_WITH_TIME.search(t) else 4)


# Something at least one family below looks for; a line with none of it that ends as a sentence is body.
# A character class and plain substring tests: one case-insensitive alternation of all of it cost more
# (~50 µs a line) than the families it was meant to spare.
_HINT_CHARS = re.compile(r"[▲△■|©ⓒ@※#<>\[\]【】=]|\d{4}\s*[./\-년]")
_HINT_WORDS = tuple(dict.fromkeys(
    ["독자", "후원", "로그인", "저작", "무단", "재배포", "사진", "자료", "그래픽", "출처", "제공", "캡처", "기자", "특파원", "위원", "통신원", "앵커",
     "촬영", "편집", "댓글", "제보", "구독", "만나보세요", "버전", "보기", "바로가기", "광고", "퍼가기", "권장", "공유", "복사", "통화료", "본문듣기"]
    + [w for w in _SHARE_WORDS if len(w) > 1 and not w.isascii()]))
_HINT_LATIN = ("(c)", "copyright", "reserved", "pd", "url", *[w for w in _SHARE_WORDS if len(w) > 1 and w.isascii()])


# one alternation of the words (no flags: a literal search each) runs 2-3x faster than a substring test a word
_HINT_WORDS_RX = re.compile("|".join(re.escape(w) for w in _HINT_WORDS))


def _has_family_hint(t: str) -> bool:
    if _HINT_CHARS.search(t) or (not t.isascii() and _HINT_WORDS_RX.search(t)):
        return True
    low = t.lower()
    return any(w in low for w in _HINT_LATIN)


def _is_button(t: str) -> bool:
    low = t.lower()
    return low in _BUTTON_LINES or low.strip(" ·|>•") in _BUTTON_LINES


def _is_caption(t: str) -> bool:
    """▲/△/(사진… lines with a credit or a ▲. ▲ also bullets items inside a sentence ("… ▲즉각적인 계약 원안 이행
    ▲지역사회 참여 보장 등을 요구했다."): a caption has no second ▲ unless it has a credit. A © at the end of a
    caption is the photo's credit, not a copyright line."""
    if not _CAPTION.match(t) or len(t) >= 400:
        return False
    credited = bool(CREDIT.search(t))
    return (credited or t.startswith(("▲", "△"))) and (t.count("▲") <= 1 or credited)


def _ends_in_photo_credit(t: str) -> bool:
    """'관광객들이 거리를 걷고 있다. (사진=전주시)'"""
    if len(t) >= 160 or REPORTER_LINE.match(t) or joint_names(t):
        return False
    credit = CREDIT.search(t)
    if credit and credit.start() > 0 and re.search(r"사진|그래픽", credit.group()):
        return True
    agency = AGENCY_CREDIT.search(t)
    return bool(agency and agency.start() > 0 and sentence_end(t[:agency.start()]) == 1.0)


def _is_credit(t: str) -> bool:
    if REPORTER_LINE.match(t) or joint_names(t):   # '글·사진=홍길동 기자 hong@…', '글=… 기자 / 사진=… 기자': a byline
        return False
    return bool((len(t) < 120 and CREDIT.fullmatch(t)) or lone_credit(t) or re.fullmatch(r"[<\[(]\s*(?:사진|자료|그래픽)\s*[=:][^>\])]*[>\])]", t)
                or re.fullmatch(r"\[[^\]=]{1,12}=[^\]]{1,12}\]", t))


def _is_copyright(t: str) -> bool:
    # the length first: most lines that reach this test are too long for it, and the search costs more
    return (len(t) < 90 or (len(t) < 200 and sentence_end(t) < 1)) and bool(COPYRIGHT.search(t))


def _is_reporter(t: str) -> bool:
    return bool(REPORTER_LINE.match(t) or _ROLE_CREDITS.match(t) or (len(t) <= 40 and AFFILIATED_BYLINE.match(t)) or _NAME_EMAIL.match(t) or _EMAIL_NAME.match(t)
                or _CREDITS_LINE.match(t) or _CONTACT.match(t) or bool(joint_names(t))
                or (len(t) < 120 and re.search(r"(?:기자|특파원)\s*[/|]\s*\d+\s*호?\s*(?:입력|승인)", t)))


def _is_email(t: str) -> bool:   # '군산신문(…@naver.com)2015-08-04 12:20:19 … 링크 인쇄 공유' is one with its date
    return bool(EMAIL.fullmatch(t) or (len(t) < 120 and EMAIL.search(t) and (len(t) < 70 or _DATE_TOKENS.search(t))
                                       and not sentence_end(t) and not sentences_before_address(t)))


def _is_notice(t: str) -> bool:
    return (len(t) < 60 or (len(t) < 140 and sentence_end(t) < 1)) and bool(_NOTICE.search(t))


def _is_appeal(t: str) -> bool:     # a paywall's or subscription drive's appeal ('…정기독자만 …, 로그인을 해주시면 …')
    return any(w in t for w in _APPEAL_WORDS) and len({m.group().replace(" ", "")[:3] for m in _APPEAL_CUES.finditer(t)}) >= 2


_FORM_LABEL = re.compile(r"검색어\s*(?:를\s*)?입력|입력\s*양식|^\s*(?:이\s*)?기사를?\s*(?:공유|추천|스크랩)합니다\s*$")   # '뉴스 검색어 입력 양식'


# The families, in the order they are tried: the first that claims a line names it.
FAMILIES = [
    (lambda t: len(t) <= 60 and bool(LINE_BYLINE.match(t)), "byline", "reporter line"),   # '<강릉=홍길동 기자>'
    (lambda t: bool(_SPEAKER_MARKER.match(t) or _SPEAKER_LABEL.match(t)) or is_speaker_caption(t), "body", "speaker marker"),
    (is_broadcast_furniture, "boilerplate", "broadcast or page furniture"), (_is_button, "boilerplate", "button label"),
    (is_share_row, "boilerplate", "share/print buttons"),
    (lambda t: len(t) <= 40 and bool(BOX.match(t)), "box", "related/popular box"),
    (lambda t: len(t) <= 120 and bool(_COMMENTS.search(t)), "box", "comment section"),
    (_is_caption, "caption", "photo caption"),
    (_ends_in_photo_credit, "caption", "photo caption"),
    (_is_credit, "caption", "photo credit"), (lambda t: bool(IMAGE_NAME.match(t)), "caption", "image file name"),
    (lambda t: bool(BOARD_INFO.match(t) or SIGNATURE.match(t)), "byline", "board post info (writer and date)"),
    (_is_date_line, "date", "date line"),
    (_is_copyright, "copyright", "copyright line"),
    (_is_reporter, "byline", "reporter line"),
    (_is_email, "byline", "email"),
    (_is_notice, "notice", "notice or promotion"),
    (_is_appeal, "notice", "subscription appeal"), (is_reader_notice, "notice", "the page's words to its reader"),
    (is_skip_link, "boilerplate", "skip link"), (lambda t: bool(_BOX_RUN.match(t)) and not sentence_end(t), "box",
                                                    "related/popular list run together"),
    (lambda t: t.startswith("#") and len(t) < 200, "notice", "tag line"),
    (lambda t: len(t) <= 3 and not HANGUL.search(t), "boilerplate", "stray symbol"),
    (lambda t: len(t) <= 40 and bool(_FORM_LABEL.search(t)), "boilerplate", "search form label"),
]


CACHED_LINE = 2000      # a line up to this long is remembered (4,096 of them): 4,096 lines of 400,000 were 3 GB


def _remembered(fn):
    """``fn`` with its answers for lines up to CACHED_LINE long kept (the headline, blocks and the assembler ask
    the same line again); ``cache_clear`` as lru_cache's."""
    cached = functools.lru_cache(maxsize=4096)(fn)

    @functools.wraps(fn)
    def ask(line: str):
        return cached(line) if len(line) <= CACHED_LINE else fn(line)
    ask.cache_clear = cached.cache_clear
    return ask


@_remembered
def classify(line: str) -> tuple[str, str]:
    """Return (kind, reason); kind is body, caption, byline, date, copyright, box, notice or boilerplate."""
    t = line.strip()
    if not t:
        return "boilerplate", "empty"
    if len(t) >= 30 and sentence_end(t) == 1.0 and not _has_family_hint(t):
        return "body", ""                      # running text with nothing any family looks for: most lines
    core, _, tail = strip_trailing_byline(t)
    if not tail and not _ends_in_photo_credit(t):    # '…된다. (제공: 가나군)': a credit or dateline glued on
        core, tail, _ = strip_glued_end(t)
    if tail and len(core) >= 15:          # '…참여한다. 홍길동 기자 hong@…': a paragraph with its byline glued on
        return classify(core)
    for test, kind, reason in FAMILIES:
        if test(t):
            return kind, reason
    return "body", ""


def reporter_names(line: str) -> list[str]:
    """The reporter names a byline line gives (without 기자 and the e-mail)."""
    if (t := line.strip()) and (joint := joint_names(t)):
        return joint
    if len(t) <= 60 and (m := LINE_BYLINE.match(t)):
        return split_names(m.group("name") or m.group("name2") or m.group("name3") or m.group("name4") or m.group("name5"))
    for rx in (OUTLET_BYLINE, AFFILIATED_BYLINE, REPORTER_LINE, _NAME_EMAIL, _EMAIL_NAME, _CONTACT, BOARD_INFO, SIGNATURE,
               FIELD_ROW_BYLINE):
        m = rx.match(t)
        if m:
            return split_names(m.group("name"))
    m = _ROLE_CREDITS.match(t)
    if m:
        return re.findall(r"(?<![가-힣])(?!" + _ROLE + r"(?![가-힣]))" + NAME + r"(?![가-힣])", m.group("name"))
    m = re.search(r"(?<![가-힣])(" + _NOT_A_NAME + NAMES + r")\s*(?:" + REPORTER_TITLES + r")\s*(?:/|$|\s)", t)  # not a word's tail
    if m and not _CREDITS_LINE.match(t):
        return split_names(m.group(1))
    return [name] if (name := self_introduction(t)) else []


_TITLE_HINT = re.compile("기자|특파원|위원|통신원|PD|앵커")


def _trailing_copyright_or_photographer(line: str) -> tuple[str, list[str], str] | None:
    if glued := strip_glued_notice(line):     # '…있다. 홍길동 기자 <저작권자 ⓒ …>': the notice, a credit or byline before it
        core, credit = strip_photo_credit(glued[0])
        core, names, tail = strip_trailing_byline(core)
        return core, names, " ".join(x for x in (credit, tail, glued[1]) if x)
    if signed := strip_mark_credit(line):     # '…있다. ⓒ가나포커스 홍길동기자': a photo text's © credit, not a notice
        return signed
    if "/" in line[-12:] and (m := _TRAILING_PHOTOGRAPHER.search(line)) and sentence_end(line[:m.start()]):
        return line[:m.start()].rstrip(), [m.group("name")], m.group().strip()
    return strip_trailing_email(line)          # '…이름을 올렸다. hong@osen.co.kr': the reporter's bare e-mail


@_remembered
def strip_trailing_byline(line: str) -> tuple[str, list[str], str]:
    """A byline glued to the end of a paragraph: '…밝혔다. /홍길동 기자' or
    '…걷고 있다. 박영민기자 ympark@… 박영민 기사 전체보기 영남일보(…), 무단전재 …' → (text, names, removed)."""
    credit = _trailing_copyright_or_photographer(line)
    if credit:
        return credit
    if spaced := spaced_slash_byline(line):       # '… 주장했다. /이 종 민 기자'
        return spaced[0], [spaced[1]], spaced[2]
    if not _TITLE_HINT.search(line):
        return line, [], ""
    m = _TRAILING_SLASH_BYLINE.search(line) or (line.endswith((">", ")", "]", "〉")) and _TRAILING_BRACKET_BYLINE.search(line))
    if m and m.start() > 0 and (sentence_end(line[:m.start()]) or line[:m.start()].rstrip().endswith(".")):
        return line[:m.start()].rstrip(), split_names(m.group("name")), m.group().strip()
    m = _TRAILING_BYLINE.search(line)
    # after a sentence, or after a photo text's last note ('… 장노출 5초. 김용현 기자.')
    if m and m.start() > 0 and (sentence_end(line[:m.start()]) or line[:m.start()].rstrip().endswith(".")):
        rest = m.group("rest")
        if not rest.strip() or EMAIL.search(rest) or COPYRIGHT.search(rest) or len(rest) < 40:
            return line[:m.start()].rstrip(), split_names(m.group("name")), line[m.start():].strip()
    return line, [], ""


_PHOTO_NOUN_END = re.compile(r"(?:모습|장면|전경|풍경|광경)\.\s*$")


def strip_photo_credit(line: str) -> tuple[str, str]:
    """The photo's credit off the end of a photo text taken for the article: ('…걷고 있다.', '<경기도 제공>')."""
    if not any(w in line for w in CREDIT_WORDS):       # a word each credit pattern needs: most lines have none
        return line, ""
    m = CREDIT.search(line) or AGENCY_CREDIT.search(line) or (line.endswith("제공") and BARE_AGENCY_CREDIT.search(line))
    # after a sentence, or after a photo text's closing noun phrase ('… 기념촬영을 하고 있는 모습. (사진=…)')
    before = line[:m.start()] if m else ""
    if m and m.start() > 0 and (sentence_end(before) >= 0.7 or (m.re is CREDIT and bool(_PHOTO_NOUN_END.search(before))))\
            and (m.re is not CREDIT or "사진" in m.group()):
        return before.rstrip(), m.group().strip()
    return line, ""
