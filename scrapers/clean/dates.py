"""Korean date lines → ISO-8601 in KST ('입력 2025.05.27 09:12', '기사입력: 2024/10/17 [13:42]', '2025년 9월 23일 23시 06분')."""
from __future__ import annotations

import re
from datetime import datetime

from scrapers.util.kst import iso

_DATE_RE = re.compile(
    r"(?P<y>\d{4})\s*[./\-년]\s*(?P<m>\d{1,2})\s*[./\-월]\s*(?P<d>\d{1,2})\s*일?\.?,?\s*T?"
    r"(?:\(?[월화수목금토일]\)?\s*)?[\[(|]?\s*(?P<ampm>오전|오후|AM|PM)?\s*(?:(?P<H>\d{1,2})\s*[:시]\s*(?P<M>\d{2})"
    r"(?:\s*[:분]\s*(?P<S>\d{2}))?)?", re.I)


YEARS = range(1900, 2101)      # a CMS's empty date ('0001-01-01', '9999-12-31') is no date: it stretched every
                               # trend and chart over 24,000 months (found in review)


def parse_korean_date(text: str) -> str | None:
    """'2025.05.27 09:12', '2012/08/02 [10:36]', '2025-05-27 오후 1:42', ISO strings → ISO-8601 +09:00; None
    for no date, or a year outside YEARS."""
    out = _parse_date(text)
    return out if out and int(out[:4]) in YEARS else None


def _parse_date(text: str) -> str | None:
    if not text:
        return None
    t = text.strip()
    try:
        dt = datetime.fromisoformat(t.replace("Z", "+00:00"))
        if dt.tzinfo is None:
            return dt.isoformat(timespec="seconds") + "+09:00"
        return iso(dt)
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?", t)     # 20240513125214 (og:regDate)
    if m:
        return _parse_date(f"{m[1]}-{m[2]}-{m[3]} {m[4]}:{m[5]}:{m[6] or '00'}")
    m = re.match(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?([+-]\d{2})(\d{2})$", t)
    if m:
        return _parse_date(f"{m.group(1)}{m.group(2)}:{m.group(3)}")
    m = _DATE_RE.search(t)
    if not m:
        return None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    hh = int(m["H"]) if m["H"] else 0
    mm = int(m["M"]) if m["M"] else 0
    ss = int(m["S"]) if m["S"] else 0
    ampm = (m["ampm"] or "").upper()
    if ampm in ("오후", "PM") and hh < 12:
        hh += 12
    if ampm in ("오전", "AM") and hh == 12:
        hh = 0
    try:
        return datetime(y, mo, d, hh, mm, ss).isoformat(timespec="seconds") + "+09:00"
    except ValueError:
        return None


_LABEL = re.compile(r"(기사\s*입력|기사\s*등록|웹\s*출고시간|입력|등록|승인|발행|게재|작성|송고|최종\s*수정|최초\s*수정|최종\s*편집|수정|업데이트)"
                    r"\s*(?:일시?\s*)?(?:[:：|]\s*)?")
_UPDATED_LABELS = ("수정", "업데이트", "최종", "최초")
# a board CMS's posting line with a two-digit year: '글쓴날 : [12-05-01 23:34] 홍길동기자', '작성일 : 24.05.12'
SHORT_YEAR_DATE = re.compile(r"^\s*(?:[-•·]\s*)?(?:글쓴날|작성일|등록일|게시일)\s*(?:[:：]\s*)?(?:\[\s*)?(?P<y>\d{2})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})"
                             r"(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2}))?(?!\d)")


def _short_year(text: str) -> list[tuple[int, str, bool]]:
    m = SHORT_YEAR_DATE.match(text)
    if not m:
        return []
    value = parse_korean_date(f"20{m['y']}-{int(m['m']):02d}-{int(m['d']):02d} {m['H'] or '00'}:{m['M'] or '00'}")
    return [(0 if m["H"] else 1, value, False)] if value else []


def pick_dates(lines: list[str]) -> tuple[str | None, str | None]:
    """The published and updated times among a page's date lines, as ISO-8601 in KST.

    A labelled time (입력, 등록, 기사입력, 웹출고시간 …) beats an unlabelled one, a time of day beats a bare date;
    a label alone on its line ('입력') labels the date on the next one."""
    published: list[tuple[int, str]] = []
    updated: list[tuple[int, str]] = []
    carry = ""
    for line in lines:
        t = line.strip()
        if _LABEL.fullmatch(t):
            carry = t
            continue
        for rank, value, is_update in _dates_of_line(f"{carry} {t}" if carry else t) or _short_year(t):
            (updated if is_update else published).append((rank, value))
        carry = ""
    best = min(published, key=lambda x: x[0])[1] if published else None
    return best, (min(updated, key=lambda x: x[0])[1] if updated else None)


# an as-of stamp: the time a ranking, a keyword list, a price or the weather was read ('2022.08.01 00:00 기준',
# '2025.09.29 15:30 현재'), printed over a widget of the page: no article's date (round 18)
_AS_OF = re.compile(r"\s*(?:기준|현재)(?![가-힣])")


def _unlabelled(text: str) -> list[tuple[int, str, bool]]:
    m = _DATE_RE.search(text)
    if m and _AS_OF.match(text, m.end()):
        return []
    value = parse_korean_date(m.group()) if m else None
    return [(2 if m["H"] else 3, value, False)] if value else []


def _dates_of_line(text: str) -> list[tuple[int, str, bool]]:
    """(rank, ISO time, whether it is an update) of each date on a line: rank 0 a labelled time of day, 1 a
    labelled date, 2 an unlabelled time, 3 an unlabelled date."""
    labelled = _LABEL.search(text)
    out = _unlabelled(text[:labelled.start()]) if labelled else []     # '2023.01.07 05:00 수정 : …'
    found = False
    for m in _LABEL.finditer(text):
        rest = text[m.end():m.end() + 40]
        nxt = _LABEL.search(rest)
        rest = (rest[:nxt.start()] if nxt else rest).strip()
        date = _DATE_RE.match(rest)
        value = parse_korean_date(rest) if date else None
        if value:
            found = True
            out.append((0 if date["H"] else 1, value, any(x in m.group(1) for x in _UPDATED_LABELS)))
    return out if found else out + _unlabelled(text)


# a site's header: today's date over its weather widget ('2025.09.29 (월)' / '• 맑음동두천 25.8℃' / …): the day the page
# was viewed, no article's date (round 10). Fixed words and bounded repeats on a line's first 60 characters: linear.
_WEATHER = re.compile(r"(?:맑음|흐림|구름\s?조금|구름\s?많음|비|눈|소나기|천둥번개|안개|황사|박무|연무)\s?[가-힣()]{1,8}\s?-?\d{1,2}(?:\.\d)?\s?℃")
WEATHER_AFTER = 3          # the widget's first reading is at most this many lines under the date


# a fact box's time field ('일시 : 2025년 5월 1일(목) 오후 2시', '□ 교육기간: 2025. 3. 4.~11. 25.'): when the event is, not
# when the article was posted (round 18)
# what the event is and the labels of its time: also genres._FIELD_ROW's (a fact box's rows)
EVENT_KINDS, TIME_LABELS = r"(?:행사|공연|교육|접수|신청|모집|전시|운영|대회)", r"(?:일시|일자|기간|날짜|일정|시간)"
_EVENT_FIELD = re.compile(r"^\s*[-–·□■○◦●◇◆▶▷]?\s*(?:" + EVENT_KINDS + r"\s?)?" + TIME_LABELS + r"\s*[:：]")


def event_field(t: str) -> bool:
    return bool(_EVENT_FIELD.match(t))


def weather_reading(t: str) -> bool:
    """A weather widget's reading ('맑음 가나 12.3℃', '• 흐림서울 20.3℃'): furniture, never a headline (round 18)."""
    return bool(_WEATHER.search(t[:60]))


def header_dates(texts: list[str], dates: list[int]) -> set[int]:
    """The date lines (indices into ``texts``) that head a weather widget."""
    return {i for i in dates if any(map(weather_reading, texts[i + 1:i + 1 + WEATHER_AFTER]))}


# a page with no date in its metadata and no profile: the labelled date line of its head ('입력 : 2016.09.26 09:57:01',
# '기사입력 2024-10-17 13:42'), found in the text of the page's short elements (round 12, HTML of unseen outlets).
# Only a labelled date counts here: a bare date on a page without a profile is as likely a related story's.
LABELLED_LINE_MAX = 80         # a date line is short; a paragraph that mentions '입력' and a date is no date line


def labelled_dates(lines: list[str]) -> tuple[str | None, str | None]:
    """The published and updated times among lines that carry a label (입력, 등록, 수정 …) right before a date;
    unlabelled dates are ignored. The first labelled published time in order wins, as a page's head comes first."""
    published: str | None = None
    updated: str | None = None
    for line in lines:
        t = line.strip()
        if len(t) > LABELLED_LINE_MAX or not _LABEL.search(t):
            continue
        for rank, value, is_update in _dates_of_line(t):
            if rank > 1:
                continue
            if is_update:
                updated = updated or value
            else:
                published = published or value
    return published, updated
