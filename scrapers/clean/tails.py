"""Families of page text that do not fit one line's kind: the notice glued to a paragraph, text with few or no
line breaks, the short lines of a feature, editors' notes (a leaf module: it imports nothing of the cleaner
but common.py, so classify.py and body.py can both use it).

- A copyright notice in any of the shapes ndsoft, newswave and the others print it — ``<저작권자 ⓒ 매체 무단전재
  및 재배포 금지>``, ``‹저작권자 © …›``, ``[ⓒ 매체]``, ``(c) 매체``, ``Copyright © …``, ``무단전재·재배포 금지``,
  ``AI학습 이용 금지`` — glued to the end of a paragraph: the text before it stays the paragraph, the notice and
  what follows it are the article's tail.
- Page text whose article runs on one or two lines (an AMP page, a copied page that lost its breaks): the long
  line is cut into sentence-sized units before the lines are classified, so that one line cannot be all body
  or all furniture; the units of one line that stay in the body are joined again afterwards.
- The short lines of a feature (``124명, 4년.``, ``타지에서 살아도 마음은 늘 고향에.``) between lines of running
  text are text, not menu items; a note in parentheses right after the text is the text's own.
- A note that opens with ``※`` (``※ 이 기사는 …``, ``※설악만평은 …``) is the outlet's standing note, however long.
"""
from __future__ import annotations

import re

from .common import EMAIL, NAME, NAMES, REPORTER_TITLES

_OPEN = r"[<‹〈《«\[(【「『]?\s*"
_MARK = r"(?:저작권자\s*(?:[©ⓒ]|\(c\))?|[©ⓒ]|\(c\)|Copyright)"
_BAN = r"(?:무단\s*(?:전재|복제|배포|수집)|재\s*배포\s*(?:금지|불가)|AI\s*학습|All\s+rights\s+reserved)"
# after a sentence ('…중이다.', '…있다”') or a byline or credit, the notice to the end of the line (~140 characters at most)
_GLUED_NOTICE = re.compile(r"(?:(?<=[.!?다”\"’')\]])\s*|\s+)(?:" + EMAIL.pattern + r"\s*)?" + _OPEN
                           + r"(?:" + _MARK + r".{0,80}?(?:" + _BAN + r"|금지|reserved)|" + _BAN + r").{0,60}$", re.I)
_ENDS = tuple(".!?다”\"’')]")
# '…있다. 홍길동 기자', '…있다./한빛군 제공': one to four words after the sentence (words apart by spaces: the
# pattern '(?:\S+\s*){1,4}' read the same but split a long run of letters every way there is, seconds a line)
_SIGNED = re.compile(r"(?:다|요|죠)[.!?][\"'”’]?\s*\S+(?:\s+\S+){0,3}\s*$")
_NOTICE_HINTS = ("ⓒ", "©", "(c)", "(C)", "opyright", "OPYRIGHT", "무단", "배포", "학습", "eserved", "ESERVED")  # cheap


def strip_glued_notice(line: str) -> tuple[str, str] | None:
    """'…활동 중이다. <저작권자 ⓒ 설악타임즈 무단전재 및 재배포 금지>' → ('…활동 중이다.', '<저작권자 ⓒ …>')."""
    tail = line[-160:]
    if not any(w in tail for w in _NOTICE_HINTS):
        return None
    m = _GLUED_NOTICE.search(line, max(0, len(line) - 160))
    if not m or m.start() < 10:
        return None
    core = line[:m.start()].rstrip()
    if not core.endswith(_ENDS) and not _SIGNED.search(core):     # '매체(www…), 무단전재 …' is one notice
        return None
    notice = m.group().strip()
    if re.search(r"(?:다|요|죠)[.!?]?[\"'”’]?\s*$", notice):      # '무단 전재를 금지한다고 밝혔다.': a sentence
        return None
    return core, notice


# a photo text signed with the © credit of its outlet and photographer ('…장사진을 이루고 있다. ⓒ가나포커스 홍길동기자'):
# the sentence stays, the credit goes and names the reporter (looked for in the line's last MARK_CREDIT_TAIL characters)
_MARK_CREDIT = re.compile(r"(?<=[.!?다”\"’')\]])\s*[ⓒ©]\s?(?:[^\s©ⓒ.]{1,20}\s)?(?P<name>" + NAME + r")\s?"
                          + REPORTER_TITLES + r"\s*$")
MARK_CREDIT_TAIL = 60


def strip_mark_credit(line: str) -> tuple[str, list[str], str] | None:
    """'…있다. ⓒ가나포커스 홍길동기자' → ('…있다.', ['홍길동'], 'ⓒ가나포커스 홍길동기자'); None without such a credit."""
    tail = line[-MARK_CREDIT_TAIL:]
    if "ⓒ" not in tail and "©" not in tail:
        return None
    m = _MARK_CREDIT.search(line, max(0, len(line) - MARK_CREDIT_TAIL))
    if not m or m.start() < 10:
        return None
    return line[:m.start()].rstrip(), [m.group("name")], m.group().strip()


# a reporter's bare e-mail after the article's last sentence, with no name ('…이름을 올렸다. hong@osen.co.kr')
_GLUED_EMAIL = re.compile(r"\s+(?:" + EMAIL.pattern + r")\s*$")
EMAIL_TAIL = 100              # the e-mail and the spaces before it are looked for in a line's last characters
EMAIL_CORE_MIN = 60           # a paragraph of the article is before it; a short line with an e-mail is a notice


_TWO_SENTENCES = re.compile(r"[가-힣](?:다|요)[.!?].*[가-힣](?:다|요)[.!?]")
_TIP_WORDS = re.compile(r"제보|보도\s*자료|(?:기사|광고|구독)\s*문의|구독|연락\s*(?:주|바)")


def sentences_before_address(line: str) -> bool:
    """'신청은 이메일로 받는다. 자세한 내용은 누리집을 참고하면 된다. apply@…': the article's own sentences
    and the address they give (it is text, not a notice), unless it is a tip line ('제보는 … jebo@…')."""
    return bool(_TWO_SENTENCES.search(EMAIL.sub("", line))) and not _TIP_WORDS.search(line)


def strip_trailing_email(line: str) -> tuple[str, list[str], str] | None:
    """'…올렸다. hong@osen.co.kr' → ('…올렸다.', [], 'hong@osen.co.kr'); None when the e-mail does not follow a sentence."""
    if "@" not in line[-EMAIL_TAIL:] and "protected" not in line[-EMAIL_TAIL:]:
        return None
    m = _GLUED_EMAIL.search(line, max(0, len(line) - EMAIL_TAIL))
    if not m or m.start() < EMAIL_CORE_MIN:        # '제보를 기다립니다. jebo@…': the tip line is one notice
        return None
    core = line[:m.start()].rstrip()
    return (core, [], m.group().strip()) if core.endswith(_ENDS) else None


# --- text with few or no line breaks ------------------------------------------------------------------
FLAT_MIN_CHARS = 60           # a line shorter than this is never cut
FLAT_PAGE_LINES = 4           # a page of at most this many lines is flattened text
FLAT_LONG_LINE = 2000         # a line this long is flattened text on any page
# after a sentence, and the photo credit that closes it ('…있다. <경기도 제공>', '…있다. (사진=홍길동 기자)')
_SENTENCE_CUT = re.compile(r"(?:(?:[다요죠까]|니다)[.!?]+|[.!?]{1,3}(?=[\"'”’]))[\"'”’)\]]*"
                           r"(?:\s*[<(\[〈](?:[^<>()\[\]〈〉=]{1,30}\s제공|(?:사진|자료|그래픽)\s*[=:][^<>()\[\]〈〉]{1,30})[>)\]〉])?\s+(?=\S)")
_DATE_CUT = re.compile(r"\s+(\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}\.?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s+(?=\S)")
_BYLINE_CUT = re.compile(r"(?<![가-힣])(" + NAMES + r")\s*" + REPORTER_TITLES + r"(?:\s*(?:" + EMAIL.pattern + r"))?\s+(?=\S)")


def is_flat(lines: list[str], line: str) -> bool:
    return len(line) >= FLAT_MIN_CHARS and not line.startswith("※") and (len(lines) <= FLAT_PAGE_LINES or len(line) >= FLAT_LONG_LINE) \
        and len(_SENTENCE_CUT.findall(line)) >= 1


_LEAD_CUT = re.compile(r"(?<=\S)\s+(?=[\[(][^\])=]{1,20}=[^\])]{1,30}[\])])")
_BYLINE_END = re.compile(r"\s+(?:[-–|/·]\s*)?((?:" + NAMES + r")\s*" + REPORTER_TITLES + r")\s*$")


def _head_cuts(head: str) -> list[str]:
    """The text before a flattened line's first sentence: headline, date and byline run together
    ('“제목” 2024-05-17 홍길동 기자 본문이 시작된다…') come apart at the date and after the byline."""
    m = _LEAD_CUT.search(head)          # '제목 - 홍길동 기자 (광주=뉴스1) 홍길동 기자 = 본문…': the wire lead byline
    if m and m.start() > 0:
        return _head_cuts(head[:m.start()]) + [head[m.start():].strip()]
    m = _BYLINE_END.search(head)        # '제목 - 홍길동 기자': a byline ends the headline
    if m and m.start() > 0:
        return [head[:m.start()].strip(), m.group(1)]
    parts = []
    m = _DATE_CUT.search(head)
    if m and m.start() > 0:
        parts.append(head[:m.start()].strip())
        parts.append(m.group(1))
        head = head[m.end():]
    m = _BYLINE_CUT.match(head) or (_BYLINE_CUT.search(head) if m else None)
    if m and m.end() < len(head) and (m.start() == 0 or len(parts) > 0):
        if m.start() > 0:
            parts.append(head[:m.start()].strip())
        parts.append(head[m.start():m.end()].strip())
        head = head[m.end():]
    parts.append(head.strip())
    return [p for p in parts if p]


def _byline_cut(piece: str) -> list[str]:
    """A byline that opens a unit after a sentence ('박영민기자 ympark@… 기사 전체보기 …') is a unit of its own."""
    m = _BYLINE_CUT.match(piece)
    return [piece[:m.end()].strip(), piece[m.end():].strip()] if m and m.end() < len(piece) else [piece]


_BULLET = re.compile(r"\s+[•▶]\s+")
_NOTICE_IN = re.compile(_OPEN + r"(?:" + _MARK + r".{0,60}?(?:" + _BAN + r"|금지|reserved)|" + _BAN + r")[^.!?]{0,30}?"
                        r"(?:금지|reserved|불가)[.>\])]*", re.I)


def _notice_cuts(piece: str) -> list[str]:
    """A copyright notice inside a unit of flattened text is a unit of its own; what follows it starts a page
    part of its own ('Copyright ⓒ 세계일보. 무단 전재 및 재배포 금지 입력 : 2022-11-24 … 남제현 선임기자 …')."""
    if not any(w in piece for w in _NOTICE_HINTS):
        return [piece]
    m = _NOTICE_IN.search(piece)
    if not m or m.end() - m.start() > 140 or (m.end() < len(piece) and not piece[m.end()].isspace()):
        return [piece]          # '…무단 전재를 금지한다는 …': the words inside a sentence
    before, notice, after = piece[:m.start()].strip(), m.group().strip(), piece[m.end():].strip()
    return [x for x in (before, notice) if x] + (_head_cuts(after) if after else [])


def _notes_whole(pieces: list[str]) -> list[str]:
    """A ※ note runs to the notice after it (or to the end): its sentences stay one unit, the outlet's note."""
    out: list[str] = []
    in_note = False
    for p in pieces:
        if p.startswith("※"):
            in_note = True
            out.append(p)
        elif in_note and not _NOTICE_IN.match(p):
            out[-1] += " " + p
        else:
            in_note = False
            out.append(p)
    return out


def split_flat(lines: list[str]) -> tuple[list[str], list[int]]:
    """Cut each flattened line into sentence-sized units: (units, the index of the line each came from)."""
    units, origin = [], []
    for n, line in enumerate(lines):
        if not is_flat(lines, line):
            units.append(line)
            origin.append(n)
            continue
        signed = strip_mark_credit(line)       # '…있다. ⓒ가나포커스 홍길동기자': the credit stays one with its sentence
        line = signed[0] if signed else line
        pieces, pos = [], 0
        for m in _SENTENCE_CUT.finditer(line):
            pieces.append(line[pos:m.end()].strip())
            pos = m.end()
        rest = line[pos:].strip()
        if pieces and len(rest) < 25:      # '…있다. 춘천/박원희': a credit or byline stays with its sentence
            pieces[-1] = pieces[-1] + " " + rest
        else:
            pieces.append(rest)
        pieces = _head_cuts(pieces[0]) + [q for p in pieces[1:] for q in _byline_cut(p)]
        pieces = [q for p in pieces for q in _notice_cuts(p)]
        pieces = _notes_whole([q.strip() for p in pieces for q in _BULLET.split(p)])   # '… • 맑음서울 26.6℃ • …'
        if signed and pieces and (at := line.rfind(pieces[-1])) >= 0:
            pieces[-1] = lines[n][at:].strip()
        for p in pieces:
            if p:
                units.append(p)
                origin.append(n)
    return units, origin


def restore(body: list[str], units: list[str], origin: list[int], originals: list[str]) -> list[str]:
    """The body as the page printed it: each line back in the page's own characters (full-width ones
    included), and the units that came from one line, one after the other, joined back into its paragraph."""
    out: list[str] = []
    last_unit, last_origin = -2, -1
    cursor = 0
    for line in body:
        k = next((i for i in range(cursor, len(units)) if line in units[i]), None)
        if k is None:
            out.append(line)
            last_unit, last_origin = -2, -1
            continue
        pos = units[k].find(line)
        text = originals[k][pos:pos + len(line)]
        if out and origin[k] == last_origin and k == last_unit + 1:
            out[-1] = out[-1] + " " + text
        else:
            out.append(text)
        last_unit, last_origin, cursor = k, origin[k], k + 1
    return out


def original_of(text: str, units: list[str], originals: list[str]) -> str:
    """A headline or deck (one unit, or part of one) in the page's own characters."""
    for unit, orig in zip(units, originals):
        pos = unit.find(text) if text else -1
        if pos >= 0:
            return orig[pos:pos + len(text)]
    return text


# full-width Latin letters, digits and punctuation ('．', '！', '（１）') read as their ASCII forms: classified
# as such, printed as the page has them (the same length, so a unit maps back character for character)
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def fold(line: str) -> str:
    return line.translate(_FOLD)


def originals_of(units: list[str], origin: list[int], folded: list[str], lines: list[str]) -> list[str]:
    """Each unit cut from a folded line, in the characters of the line as the page has it."""
    out, cursor, last = [], 0, -1
    for unit, n in zip(units, origin):
        if n != last:
            cursor, last = 0, n
        pos = folded[n].find(unit, cursor)
        pos = pos if pos >= 0 else 0
        out.append(lines[n][pos:pos + len(unit)])
        cursor = pos + len(unit)
    return out


# --- short lines of a feature, editors' notes ---------------------------------------------------------
_FEATURE_LINE = re.compile(r"^[^\s].{2,58}[가-힣0-9A-Za-z%][.!?]$")
_PAREN_NOTE = re.compile(r"^\([^()]{10,120}\)$")
# a photographer's credit with the photo's title under a feature's photo: "홍길동 프리랜서 기자 '고향'"
_TITLED_CREDIT = re.compile(r"^(?:" + NAMES + r")\s*(?:프리랜서|사진|객원)?\s*(?:기자|작가)\s*['‘“\"「<《][^'’”\"」>》]{1,24}['’”\"」>》]$")
WINDOW = 3


def _running(b) -> bool:
    return b.kind == "body" and b.end >= 0.7


def _near_running(blocks, i: int, step: int) -> bool:
    """Running text within WINDOW lines (photo captions skipped) before (step -1) or after (step +1) line i."""
    j, seen = i + step, 0
    while 0 <= j < len(blocks) and seen < WINDOW:
        b = blocks[j]
        if b.kind != "caption":
            if _running(b):
                return True
            seen += 1
        j += step
    return False


def _closes_here(blocks, i: int) -> bool:
    """Line i is the text's last: the next line is the copyright notice, or there is none."""
    j = i + 1
    return j >= len(blocks) or blocks[j].kind == "copyright"


_MARK_RX, _KOREAN_END = re.compile(_MARK, re.I), re.compile(r"[가-힣][.!?][\"'”’]?\s*$")
_PROHIBITS = re.compile(r"(?:금(?:합니다|함|지)|금지(?:합니다|됩니다|함)?|불가(?:합니다)?)[.!]?\s*[>)\]]?$")


def sentences_not_furniture(blocks) -> None:
    """Running text taken for a date line or a copyright line by a word it contains: '1990년 6월2일 … 탄생한
    한빛일보는 …을 맞았다.' opens with a date, '… 무단 전재를 금지한다는 규정도 만들었다.' speaks of copying. A
    notice has a mark (ⓒ, 저작권자) or ends in its prohibition (…금합니다); a sentence has neither."""
    for b in blocks:
        if b.end != 1.0 or len(b.text) < 20:
            continue
        if (b.kind == "date" and len(b.text) >= 30 and _KOREAN_END.search(b.text)) \
                or (b.kind == "copyright" and not _MARK_RX.search(b.text) and not _PROHIBITS.search(b.text)):
            b.kind, b.reason = "body", ""


def feature_lines(blocks) -> None:
    """Short lines of a feature between running text, and a note in parentheses closing it, count as text
    (Block.end 0.5: half their length); a ※ note is the outlet's, however long."""
    for i, b in enumerate(blocks):
        if b.kind != "body":
            continue
        if _TITLED_CREDIT.match(b.text):
            b.kind, b.reason = "caption", "photo credit with the photo's title"
            continue
        if b.text.startswith("※") and len(b.text) >= 20:
            b.kind, b.reason, b.end = "notice", "editor's or outlet's note (※)", 0.0
            continue
        if b.end or b.cont or not _near_running(blocks, i, -1):
            continue
        if _FEATURE_LINE.match(b.text) and not b.text.endswith("..") \
                and (_near_running(blocks, i, 1) or _closes_here(blocks, i)):
            b.end, b.reason = 0.5, "short line of the text"
        elif _PAREN_NOTE.match(b.text) and _closes_here(blocks, i):
            b.end, b.reason = 0.5, "note in parentheses after the text"
