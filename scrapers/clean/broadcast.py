"""Broadcast pages and page labels, as families any station's page text can show (a leaf module: it imports
only common.py, so classify.py can take its families).

- A sound bite's caption with its marker, ``인터뷰) 홍길동 / 제주시 주민``, ``[씽크] 김철수 / 상인``: a speaker
  marker, kept with the transcript like ``[앵커]`` and ``홍길동 / 주민``.
- The crew's credits in brackets without a colon, ``(영상취재 김민수)``, ``(화면제공 제주도소방안전본부)``,
  and the player's labels standing alone (``VOD``, ``자막뉴스``, ``다시보기``): furniture, never an author.
- A page's own label (``기사상세페이지``, ``기사보기``, ``뉴스 상세``) and an ad slot's code standing alone
  (``G03-8236672469``): furniture, never the headline or text.
- A byline line of commas with the date and a code (``NSP통신, 홍길동 기자, 2011-07-07 13:47 KRD7``): a date line.
- A script broken into short lines (``예래초등학교가`` / ``오늘 특별한 졸업식과 …했습니다.``): a short line with
  no sentence ending that ends in a particle or a connective ending, followed within a few short lines by a
  line that ends the sentence, is part of that sentence (``Block.cont``) — when the page does it at least
  twice, so a single headline above a lede is not taken into the text.
- A desk or an outlet signing as a reporter (``기동취재팀 기자``, ``서림신문 기자``) names no author.
"""
from __future__ import annotations

import re
from collections import Counter

from .common import NAME, NAMES, REPORTER_TITLES

_MARK = r"(?:인터뷰|씽크|싱크|녹취|SYN|INT|자막)"
_SPEAKER_CAPTION = re.compile(r"^\s*[\[【<◀(]?\s*" + _MARK + r"\s*[\]】>▶)]\s*(?:[:：]\s*)?" + NAME
                              + r"(?:\s*\([^()]{1,12}\))?\s*/\s*[가-힣A-Za-z][가-힣A-Za-z0-9·()\s]{1,30}$")
_CREW = re.compile(r"^\s*[(\[<]\s*(?:영상\s*(?:취재|편집|촬영|제작|제공)|화면\s*(?:제공|출처)|촬영|그래픽|CG|자료\s*제공|취재\s*지원)"
                   r"\s*(?:[:：]\s*)?[^()\[\]<>]{1,60}[)\]>]\s*$")
_PLAYER = {"vod", "자막뉴스", "다시보기", "영상보기", "동영상", "동영상 보기", "영상 보기", "재생", "일시정지", "음소거", "전체화면",
           "라이브", "live", "on air", "onair", "생방송", "편성표", "뉴스 영상", "영상 재생"}
_PAGE_LABEL = re.compile(r"^(?:기사\s*상세\s*(?:페이지|보기)?|기사\s*(?:보기|본문|내용)|뉴스\s*(?:상세|보기|본문)(?:\s*페이지)?"
                         r"|상세\s*(?:보기|페이지)|본문(?:\s*보기)?|뷰\s*페이지)$")


# an ad slot's code standing alone in the text ('G03-8236672469', 'AD_12-34'): letters, digits and a hyphen
_SLOT_CODE = re.compile(r"^[A-Za-z]{1,4}\d{0,4}[-_][A-Za-z0-9_-]{4,30}$")


def is_slot_code(t: str) -> bool:
    return bool(_SLOT_CODE.match(t)) and sum(c.isdigit() for c in t) >= 6


# a byline line of commas, the date and a trailing code: 'NSP통신, 전용모 기자, 2011-07-07 13:47 KRD7'
_DATED_BYLINE = re.compile(r"^(?:[^,]{1,24},\s*)?" + NAMES + r"\s*" + REPORTER_TITLES + r"\s*,?\s*\d{4}\s*[-./]\s*\d{1,2}\s*[-./]"
                           r"\s*\d{1,2}\.?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s+[A-Z0-9]{2,8})?$")


def dated_byline(t: str) -> bool:
    return len(t) <= 90 and bool(_DATED_BYLINE.match(t))


def is_speaker_caption(t: str) -> bool:
    return len(t) <= 60 and bool(_SPEAKER_CAPTION.match(t))


# an article page's tools standing alone between its paragraphs (round 18): its reader ('음성으로 듣기', '기사를
#읽어드립니다', '00:00 / 03:21'), its font sizes ('가 가 가 가 가'), its translator, its reactions with their counts
# ('좋아요 0 싫어요 0', '공감 3'), its subscription, support and newsletter buttons, its tag and keyword labels
_TOOLS = {"음성으로 듣기", "기사 듣기", "기사듣기", "기사 읽어주기", "기사를 읽어드립니다", "글씨 크기 조절", "글자 크기 조절",
          "글자크기 조절", "글씨크기 조절", "글자 크기", "글씨 크기", "프린트", "번역 translate", "번역하기", "translate",
          "기사 추천하기", "추천하기", "기사 스크랩", "기자 구독", "기자 구독하기", "구독하기 구독중", "구독중", "기자의 다른기사",
          "기자의 다른 기사", "후원하기", "응원하기", "좋은 기사 응원하기", "기사 후원하기", "이전기사 다음기사", "이전 기사 다음 기사",
          "ai 추천 뉴스", "ai 추천 기사", "뉴스레터 신청하기", "뉴스레터 구독", "뉴스레터 구독하기", "무료 뉴스레터 구독", "관련 태그",
          "태그", "키워드", "채널 추가하기", "기사 공유하기", "기사 저장", "북마크하기", "지면보기", "지면 보기", "pdf 지면보기",
          "pdf보기", "pdf 보기", "[지면보기]", "종이신문 보기",
          # a portal's reader tools: its summary bot, its text-to-speech options, its font sizes, its reporter card
          "본문 요약봇", "요약봇 beta", "요약봇", "텍스트 음성 변환 서비스 사용하기", "성별", "남성", "여성", "말하기 속도", "느림", "보통",
          "빠름", "글자 크기 변경하기", "가1단계 작게", "가2단계 보통", "가3단계 크게", "가4단계 아주크게", "가5단계 최대크게",
          "기자 프로필", "기사 섹션 분류 안내", "기사원문", "pick", "언론사 구독", "구독자", "응원수", "요약보기", "요약문", "번역 설정",
          "글씨크기 조절하기", "글자크기 조절하기", "가장작게", "작게", "크게", "가장크게", "이 글자크기로 변경됩니다.", "추천해요",
          "감동이에요", "이 기사에 대해 어떻게 생각하시나요?"}
_TOOL_ROWS = re.compile(r"^(?:(?:좋아요|싫어요|추천|비추천|공감|반대|훈훈해요|슬퍼요|화나요|후속\s?기사\s?원해요|응원해요|구독자|응원수)\s*(?:\d{1,7}\s*)?)+$"
                        r"|^(?:가\s?){3,6}$|^\d{1,2}:\d{2}\s?/\s?\d{1,2}:\d{2}$")


def is_broadcast_furniture(t: str) -> bool:
    if len(t) > 70:
        return False
    low = t.strip(" ·|>•▶▷").lower()
    return low in _PLAYER or low in _TOOLS or bool(_PAGE_LABEL.match(low)) or bool(_CREW.match(t)) or is_slot_code(t) \
        or bool(_TOOL_ROWS.match(low))


# --- a script broken into short lines --------------------------------------------------------------
# the end of a wrapped line: a particle or a connective ending, or a comma ('예래초등학교가', '확대해', '입학식에서')
_WRAP_END = re.compile(r"(?:[가이은는을를에의도와과로서고며해여면게데록듯만,]|에서|으로|까지|부터|에게|께서|처럼|보다)\s*$")
WRAP_MAX = 60        # a wrapped line is short
WRAP_REACH = 4       # the sentence ends within this many lines
WRAP_MIN = 2         # the page wraps at least this many lines


def _wrapped(blocks, i: int) -> bool:
    b = blocks[i]
    if b.kind != "body" or b.end or b.cont or b.reason or len(b.text) > WRAP_MAX or not _WRAP_END.search(b.text):
        return False
    if any(0 <= k < len(blocks) and blocks[k].text == b.text for k in (i - 1, i + 1)):
        return False        # a line printed twice in a row is a headline's two copies ('…절반으로'), not a script's words
    for j in range(i + 1, min(i + 1 + WRAP_REACH, len(blocks))):
        x = blocks[j]
        if x.kind != "body" or x.reason:
            return False
        if x.end == 1.0:
            return True
        if len(x.text) > WRAP_MAX:
            return False
    return False


def script_lines(blocks) -> None:
    """Mark the lines of a script wrapped short as part of the sentence they open (Block.cont)."""
    wrapped = [i for i in range(len(blocks)) if _wrapped(blocks, i)]
    if len(wrapped) < WRAP_MIN:
        return
    for i in wrapped:
        blocks[i].cont, blocks[i].reason = True, "script line (the sentence goes on)"
        j = i + 1          # the short lines between it and the line that ends the sentence go on too
        while j < len(blocks) and not blocks[j].end and not blocks[j].cont:
            blocks[j].cont, blocks[j].reason = True, "script line (the sentence goes on)"
            j += 1


# --- a transcript's turns ---------------------------------------------------------------------------
# '□ 진행자: …', '▷홍길동: …': a speaker's name and a colon open each turn of a radio or interview transcript
_TURN = re.compile(r"^\s*[□■▷▶○●◇◆△▲\-–]?\s*(?P<name>" + NAME + r")\s*[:：]\s*\S")
TURNS_MIN = 2        # a transcript: at least two speakers with at least this many turns each
TURN_SHORT = 80      # a turn shorter than this with no sentence ending scores below zero as it is


def speaker_turns(blocks) -> None:
    """In a transcript (two speakers or more, each opening several lines with their name and a colon), a short
    turn that ends with no sentence ending ('□ 진행자: 그 사람이... 수배자였을 것 같은데요-', a turn the page cuts
    off) is a turn of the text, not a menu line: it joins the text around it like a speaker's marker. Labels that
    do not repeat ('일시: …', '장소: …') make no transcript."""
    turns = [(i, m.group("name")) for i, b in enumerate(blocks) if b.kind == "body" and (m := _TURN.match(b.text))]
    counts = Counter(name for _, name in turns)
    speakers = {name for name, n in counts.items() if n >= TURNS_MIN}
    if len(speakers) < 2:
        return
    for i, name in turns:
        b = blocks[i]
        if name in speakers and not b.end and not b.cont and not b.inner and not b.reason and len(b.text) < TURN_SHORT:
            b.reason = "speaker marker"


# --- desks and outlets signing as reporters ----------------------------------------------------------
_DESK = re.compile(r"(?:팀|신문|일보|뉴스|방송|본부|취재|편집부|데스크|닷컴|통신|미디어|저널)$")


def not_a_desk(name: str) -> bool:
    return not _DESK.search(name)
