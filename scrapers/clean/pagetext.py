"""Page text (a page as a browser copies it, one block a line) → Article.

The same scored classifier as for HTML (body.py) finds the article among the lines. The headline is then
looked for before it: a line of headline length with no sentence ending, not page furniture, that shares
the most words with the article's first paragraphs (a menu item or another article's headline shares few);
the line after it, when it is of the same kind, is the deck. A page whose text has no headline gets an
empty title — never its lede.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from ..types import Article, Removed
from .body import classify_lines
from .classify import classify, reporter_names, sentence_end
from ..decode import looks_binary, without_controls
from .common import norm
from .edges import caption_second_lines, credited_headline, deck_writer
from .genres import is_question, is_writer_line
from .photonews import photo_news
from .reader import DATE_WRITER, POSTED_WRITER, bullet_writer, places_people_in_photo
from .tails import fold, original_of, originals_of, restore, split_flat, strip_mark_credit
from .stamps import wire_photo_caption
from .titles import byline_before_notice, deck_without_headline, not_a_headline, people_only, split_glued_byline, strip_posting_run, unbulleted, vocative

MAX_TEXT_CHARS = 500_000    # a page's text is tens of kilobytes; past this it is no article page
_WORD = re.compile(r"[가-힣A-Za-z0-9]{2,}")
# a table laid out as text ends its cells with ' |' ('제목 |', '등록된 의견이 없습니다. | |'): no text. A row that
# starts with '| ' too stays as it is (a cell of its own, such as a photo caption in a table: classify.py)
_TABLE_EDGES = re.compile(r"(?:\s*\|)+$")
_ONE_PERIOD = re.compile(r"(?<!\.)\.\s*$")       # '…피서객들.': a headline ends with no period ('…개장...' may)
WHOLE_MAX = 600            # a line longer than this is never kept whole once it has been cut into sentences
# not markup residue ('| …', '![]()'); a headline may open with a Hanja abbreviation ('文 대통령, …', '北 …', '美 …')
# a button's label: '지난호 보기', '기사 전체보기', '더 보기' (a short line that ends in the verb of a link)
_BUTTON = re.compile(r"^.{0,10}보기\s*[>▶»]*\s*$")
_HEADLINE_START = re.compile(r"[\[(<【「『'\"‘“가-힣A-Za-z0-9\u4e00-\u9fff]")


def _cell(line: str) -> str:
    return line if line.startswith("|") else _TABLE_EDGES.sub("", line)


def _headline_like(line: str, credited: bool = False) -> bool:
    return 6 <= len(line) <= 120 and bool(_HEADLINE_START.match(line)) and not sentence_end(line) \
        and (classify(line)[0] == "body" or (credited and credited_headline(line))) \
        and not line.endswith((":", "：")) and not _ONE_PERIOD.search(line) and bool(re.search(r"[가-힣A-Za-z]{2}", line)) \
        and not is_writer_line(line) and not is_question(line) and not _BUTTON.search(line) and not places_people_in_photo(line) \
        and not not_a_headline(line)


def _overlap(line: str, text: str) -> float:
    words = _WORD.findall(line)
    if not words:
        return 0.0
    # a word, or its stem without a particle or ending (새해에는 → 새해), in the text
    hits = sum(1 for w in words if w in text or (len(w) >= 3 and (w[:-1] in text or w[:2] in text)))
    return hits / len(words) ** 0.5


def clean_text(text: str, url: str = "") -> Article:
    """Clean the text of a page (one block per line)."""
    art = Article(url=url)
    if looks_binary(text):
        art.error = "binary data, not text"
        return art
    text, controls = without_controls(text)
    if controls:
        art.removed.append(Removed(text=f"[{controls:,} control characters]",
                                   reason="control characters no text holds (NUL, …)"))
    if len(text) > MAX_TEXT_CHARS:
        art.removed.append(Removed(text=f"[{len(text) - MAX_TEXT_CHARS} characters past the limit]",
                                   reason=f"text longer than {MAX_TEXT_CHARS:,} characters"))
        text = text[:MAX_TEXT_CHARS]
    lines = text.splitlines()
    raw = [line for line in (_cell(norm(x)) for x in lines) if line]
    # a date and a bare name a wide gap apart (the gap is gone once the lines are normalised)
    writer_lines = frozenset(norm(x) for x in lines[:_WRITER_HEAD] if DATE_WRITER.match(x) or POSTED_WRITER.match(x))
    if not raw:
        art.error = "empty text"
        return art
    folded = [fold(line) for line in raw]
    units, origin = _cut_where_needed(folded, *split_flat(folded))   # an article on one or two lines: sentences
    region = classify_lines(art, [(line, False) for line in units], mode="text", writer_lines=writer_lines)
    if region and art.body:
        _head_of_text(art, units, region[0])
        art.authors = art.authors or bullet_writer(units[:min(region[0], _WRITER_HEAD)])
    if len(units) > len(raw) or folded != raw:
        _as_printed(art, units, origin, originals_of(units, origin, folded, raw))
    _photo_news(art, raw)
    caption_second_lines(art, lines)
    if not art.body:
        art.error = "no article text found"
    return art


def _photo_news(art: Article, raw: list[str]) -> None:
    """A page whose only text is one photo text or '▲' item has it for its article (photonews.py), under the
    headline above it."""
    at = photo_news(art, raw)
    if at is not None and not art.title:
        _headline(art, raw[:at])


_WRITER_HEAD = 60          # the lines of a page's head where a date line may name the writer (reader.DATE_WRITER)


def _head_of_text(art: Article, units: list[str], first: int) -> None:
    """The headline and deck above the text (its salutation joins it), a posting line glued before it, a byline
    glued after the headline; the authors without CMS accounts, or from a byline glued to a notice (titles.py)."""
    _headline(art, units[:_salutation(art, units, first)])
    _headline_run_in(art)
    art.body[0], posting = strip_posting_run(art.body[0])
    if posting:
        art.removed.append(Removed(text=posting, reason="posting line glued before the text"))
    art.title, glued = split_glued_byline(art.title)
    art.authors = people_only(art.authors or ([glued] if glued else [])
                              or next((n for n in map(byline_before_notice, units[first:]) if n), []) or deck_writer(art.subtitle)
                              or _far_byline(units[max(0, first - _WRITER_HEAD):first]))


def _far_byline(head: list[str]) -> list[str]:
    """The byline of the head, when it stands farther above the text than the assembler looks (a portal's reader
    tools between them: a summary bot, a text-to-speech player; round 18): the nearest reporter line above it."""
    return next((names for line in reversed(head) if classify(line) == ("byline", "reporter line")
                 and (names := reporter_names(line))), [])


def _salutation(art: Article, units: list[str], first: int) -> int:
    """A speech's salutation right above its first paragraph ('존경하는 가나시민 여러분!') opens the text: it
    joins the body. The index of its first line (``first`` when there is none)."""
    k = first
    while k > 0 and vocative(units[k - 1]):
        k -= 1
    if k < first:
        art.body[:0] = units[k:first]
        art.removed = [r for r in art.removed if not (r.reason == "outside the article text" and r.text in units[k:first])]
    return k


_RUN_IN_DECK = 100          # a deck run into the text between the headline and the lede is at most this long
_REPEAT_NEAR = 3            # the headline printed again as a line of its own among the text's first lines


def _headline_run_in(art: Article) -> None:
    """The headline printed again at the start of the first paragraph ('제목 부제 제5회 …축제가 …열렸다.'): it
    leaves the text, and so does a deck between it and a lede that opens with the headline's first words."""
    title = art.title
    again = next((i for i, line in enumerate(art.body[:_REPEAT_NEAR]) if title and line == title and len(art.body) > 1), None)
    if again is not None:                # '신규 취항 가이드' over the text again, under a standfirst: not the text
        art.removed.append(Removed(text=art.body.pop(again), reason="title printed again over the text"))
    first = art.body[0] if art.body else ""
    if not title or len(first) <= len(title) + 20 or not first.startswith(title + " "):
        return
    rest = first[len(title) + 1:]
    opening = " ".join(title.split()[:2])
    at = rest.find(opening, 1) if len(opening) >= 5 else -1
    deck = rest[:at].strip() if 0 < at <= _RUN_IN_DECK and not sentence_end(rest[:at].strip()) else ""
    art.body[0] = rest[len(deck):].strip() if deck else rest
    art.removed.append(Removed(text=title, reason="title repeated at the start of the text"))
    if deck:
        art.subtitle = art.subtitle or deck
        art.removed.append(Removed(text=deck, reason="deck run into the start of the text"))


def _signed_photo_text(line: str) -> bool:
    """A photo text of several sentences signed with its © credit ('▲… 있다. … 있다. ⓒ가나포커스 홍길동기자'): one caption."""
    return line.startswith(("▲", "△")) and classify(line)[0] == "caption" and strip_mark_credit(line) is not None


def _cut_where_needed(lines: list[str], units: list[str], origin: list[int]) -> tuple[list[str], list[int]]:
    """A line cut into sentences stays whole when the cut shows nothing but its text (a photo text ending in its
    credit or byline reads best as one line: the families of glued tails take those off). It is cut when a unit
    before its last is not running text, or its last is long furniture ('저작권자 © … 많이 본 뉴스 …')."""
    if len(units) == len(lines):
        return units, origin
    by_line: list[list[str]] = [[] for _ in lines]          # each line's units, in one pass (not one a line)
    for u, o in zip(units, origin):
        by_line[o].append(u)
    out_units, out_origin = [], []
    for n, line in enumerate(lines):
        mine = by_line[n]
        running = [classify(u)[0] == "body" and bool(sentence_end(u)) and not u.startswith("※") for u in mine]
        last = max((i for i, r in enumerate(running) if r), default=-1)
        tail = mine[last + 1:]
        whole = len(mine) == 1 or (len(line) <= WHOLE_MAX and classify(line)[0] == "body" and all(running[:last + 1])
                                   and (len(" ".join(tail)) < 80 or all(classify(u)[0] in ("body", "caption") for u in tail)))
        whole = whole or _signed_photo_text(line)
        out_units += [line] if whole else mine
        out_origin += [n] * (1 if whole else len(mine))
    return out_units, out_origin


def _as_printed(art: Article, units: list[str], origin: list[int], originals: list[str]) -> None:
    """The body, headline and deck in the page's own characters, a line's units joined back into it."""
    art.body = restore(art.body, units, origin, originals)
    art.title, art.subtitle = (original_of(t, units, originals) for t in (art.title, art.subtitle))


class _Above:
    """The lines above the article with what the headline tests ask of all of them, counted once: a page of
    thousands of lines must not cost a pass over every line for each line."""

    def __init__(self, lines: list[str]):
        self.lines, self.count, self.first = lines, Counter(lines), {}
        for i, line in enumerate(lines):
            self.first.setdefault(line, i)
        self.ordered = sorted(self.count)

    def longer_than(self, stem: str, line: str) -> bool:
        """Whether a line other than ``line`` starts with ``stem``."""
        k = bisect_left(self.ordered, stem)
        while k < len(self.ordered) and self.ordered[k].startswith(stem):
            if self.ordered[k] != line:
                return True
            k += 1
        return False


_DASHES = "-–—―"


def _unframed(line: str) -> tuple[str, bool]:
    """A headline or deck set between dashes ('- 가나시, 내년 예산 1조 원 돌파 -') is read without them; a line
    that only opens with one ('- 복지·교통 분야 대폭 증액') is a deck's form (or a list item's), never a headline
    on its own: (the text, whether it may only be a deck). String operations only: linear on any line."""
    core = line.strip()
    if not core or core[0] not in _DASHES:
        return line, False
    inner = core.lstrip(_DASHES + " ")
    if not inner:
        return line, False
    closed = inner.rstrip(" ")[-1] in _DASHES and inner.rstrip(_DASHES + " ")
    return (inner.rstrip(_DASHES + " "), False) if closed else (inner, True)


def _headline(art: Article, printed: list[str]) -> None:
    head = "\n".join(art.body)[:1500]
    shown = [_unframed(line) for line in printed]
    before, deck_only = unbulleted([t for t, _ in shown], _dated), {i for i, (_, d) in enumerate(shown) if d}
    above_all = _Above(before)
    scored = _scored(before, above_all, head)
    best = max(((i, s) for i, s in scored if i not in deck_only), key=lambda x: (x[1], -x[0]), default=(None, 0))[0]
    if best is None:
        return
    title, deck = _title_and_deck(before, above_all, best, {i for i, _ in scored})
    if title in deck_only:
        return
    if deck_without_headline(before, title, _furniture, _caption):
        art.subtitle = before[title]        # a deck under a headline the stored text does not show
        return
    art.title = before[title]
    art.subtitle = before[deck] if deck is not None else ""
    _name_removed(art, printed[title], printed[deck] if deck is not None else None)


def _dated(line: str) -> bool:
    return classify(line)[0] == "date"


def _caption(line: str) -> bool:
    return classify(line)[0] == "caption" or wire_photo_caption(line)


def _furniture(line: str) -> bool:
    return classify(line.lstrip(" •·"))[0] not in ("body", "caption")


def _scored(before: list[str], above_all: "_Above", head: str) -> list[tuple[int, float]]:
    """Each headline candidate's index and score (its words in the text's head, a repeat, a date under it)."""
    like = {line: _headline_like(line) for line in set(before)}       # a line printed 10,000 times is asked once
    if not any(like.values()):        # no headline but one a photo's credit glued to its end made a caption
        like = {line: _headline_like(line, credited=True) for line in like}
    overlap = {line: _overlap(line, head) for line, yes in like.items() if yes}
    scored = [(i, overlap.get(line) or _overlap(line, head)) for i, line in enumerate(before)
              if (like[line] or _printed_twice(above_all, i)) and not _cut_copy(above_all, i) and not not_a_headline(line)]
    scored = [(i, s + _repeat_bonus(above_all, i) + _dated_bonus(before, i)) for i, s in scored]
    return [(i, s) for i, s in scored if s > 0]


def _name_removed(art: Article, title: str, deck: str | None) -> None:
    """The headline's and the deck's lines, as printed, are removed as such (not as 'outside the article text')."""
    for r in art.removed:
        if r.reason != "outside the article text":
            continue
        if r.text == title:
            r.reason = "title"
        elif deck is not None and r.text == deck:
            r.reason = "subtitle"


def _title_and_deck(before: list[str], above_all: _Above, best: int, candidates: set[int]) -> tuple[int, int | None]:
    """The headline's and the deck's lines, from the line that shares most with the text."""
    above = _headline_above(before, best, candidates)
    above = _top_of_decks(before, above, candidates) if above is not None and not _repeat_bonus(above_all, best) else None
    higher = _headline_above(before, above, candidates) if above is not None else None
    if higher is not None and above_all.count[before[higher]] > 1:     # a deck of two lines under the share row
        return higher, above
    if above is not None:
        return above, best          # the deck often shares more words with the text than the headline
    return best, _deck_after(before, best)


def _top_of_decks(before: list[str], above: int, candidates: set[int]) -> int:
    """A deck of two lines ('headline / deck / deck'): the headline is the top of the run of headline-like lines
    (two steps at most). A line printed twice on its own is the headline itself, never a deck (guarded above)."""
    for _ in range(2):
        if above - 1 in candidates and before[above - 1] != before[above] and _headline_like(before[above - 1]):
            above -= 1
        else:
            break
    return above


def _cut_copy(above: _Above, i: int) -> bool:
    """A headline cut short in a breadcrumb or list ('…나눔행사 진행..', '…나눔행사 진…') when the page prints it
    whole too: the whole one is the headline."""
    line = above.lines[i]
    stem = line.rstrip(".…· ")
    return line != stem and len(stem) >= 6 and above.longer_than(stem, line)


_MENU_ITEM = re.compile(r"^•\s*\S.{0,14}$")          # '• 기사프린트', '• 글자사이즈': a row of the page's buttons
# more furniture (a share row of seven buttons) between a deck and a headline the page prints twice
_BETWEEN, _FURNITURE_ABOVE_DECK, _FURNITURE_ABOVE_TWICE = ("date", "byline", "boilerplate", "box"), 4, 10


def _headline_above(before: list[str], deck: int, candidates: set[int]) -> int | None:
    """The headline right above a deck, or above the furniture between them: a date line ('headline / 입력 … /
    deck'), or ndsoft's byline, date, comment count and share label ('headline / • 기자 • 승인 … / 이 기사를 공유합니다 / deck')."""
    j, steps = deck - 1, 0
    while j >= 0 and j not in candidates and steps < _FURNITURE_ABOVE_TWICE and (classify(before[j].lstrip(" •"))[0] in _BETWEEN
                                                                              or _MENU_ITEM.match(before[j])):
        j, steps = j - 1, steps + 1
    twice = j >= 0 and before.count(before[j]) > 1 if steps > _FURNITURE_ABOVE_DECK else True
    return j if j >= 0 and j in candidates and before[j] != before[deck] and twice else None


def _printed_twice(above: _Above, i: int) -> bool:
    """A headline that ends as a sentence ('홍성신문이 홍성의 희망이 되겠습니다!') is still one when the page prints
    it twice above the article, with only furniture between ('상태바'), as ndsoft's pages do."""
    before = above.lines
    line = before[i]
    if not 6 <= len(line) <= 80 or classify(line)[0] != "body" or i + 1 >= len(before) or above.first[line] < i \
            or _ONE_PERIOD.search(line):      # a caption printed twice ends with its period ('…촬영했다.')
        return False
    nxt = next((j for j in range(i + 1, min(i + 3, len(before))) if before[j] == line), None)
    return nxt is not None and all(len(before[k]) <= 10 for k in range(i + 1, nxt))


def _repeat_bonus(above: _Above, i: int) -> float:
    """A headline is often printed twice (over the photo, over the text); a deck printed twice comes as a
    block of repeated lines, which is no sign of the headline."""
    before, line = above.lines, above.lines[i]
    if above.count[line] < 2:
        return 0.0
    near = [before[j] for j in (i - 1, i + 1) if 0 <= j < len(before)]
    return 0.0 if any(n != line and above.count[n] > 1 for n in near) else 0.5


def _dated_bonus(before: list[str], i: int) -> float:
    """The headline sits right above the article's date line ('입력 2018-01-12 11:11')."""
    return 0.3 if any(classify(x)[0] == "date" for x in before[i + 1:i + 3]) else 0.0


def _deck_after(before: list[str], title: int) -> int | None:
    """The line right after the headline (its repeats skipped) when it is headline-like too."""
    j = title + 1
    while j < len(before) and before[j] == before[title]:
        j += 1
    return j if j < len(before) and _headline_like(before[j]) else None
