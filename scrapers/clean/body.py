"""The article's region among a page's lines, by score: no single line deletes the article.

Every line (a line of page text, or a block of the DOM container) gets a score from its kind (classify.py)
and its features: running text that ends as a sentence (…했다. …입니다.) scores by its length; a short line
with no sentence ending (menus, headlines of other articles) scores below zero; bylines, date lines,
share rows and notices a little more below; a copyright line, a related / most-read heading or a comment
section far below — and after such a marker, once body text has been seen, lines without a sentence
ending score below zero too. The article is the contiguous run of lines with the highest total (the maximum
subarray): a marker closes the article only where the text after it does not outweigh it. A line that breaks
a sentence (…불구하고, …열렸습니다,) counts as text when a sentence follows it, a transcript's speaker markers
([앵커], 【씽크】, 'name / role') join the text around them, and a photo-news page whose only running text is
its photo's takes that for the article rather than coming out empty. Inside the run, captions go to
``captions`` and bylines, dates and furniture are removed; every removal keeps its reason.

In page text (``mode="text"``) the DOM has not chosen a container, so the score decides everything. In HTML
(``mode="html"``) the lines come from the article's container: running text without a sentence ending still
counts as text (lists, subheads), and only the markers and what follows them are weighed against it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..types import Article, Removed
from .classify import (COPYRIGHT, classify, has_translation_notice, reporter_names, sentence_end, split_caption,
                       strip_photo_credit, strip_trailing_byline)
from .lead import strip_byline_prefix, strip_share_prefix
from .broadcast import not_a_desk, script_lines, speaker_turns
from .common import EMAIL, dedupe
from .dates import header_dates, pick_dates
from .tails import feature_lines, sentences_not_furniture
from .glued import (NAME_OVER_EMAIL, appeal_in_polite_text, appeals_before_notice, counted_lists, end_dateline_place, name_over_email,
                    strip_glued_end)
from .genres import LIST_INNER, LIST_ITEM, QUESTION, anchor_lead_name, genre_lines
from .edges import BARE_WRITER, article_end, edge_lines
from .heads import SUBHEAD, head_lines, printed_twice_and_summaries
from .inserts import box_before, comments_by_count, inserts_inside_text, outweighs
from .reader import addresses_reader, funding_note, places_people_in_photo, self_introduction, strip_page_tails

MARKERS = {"copyright", "box"}
_WEIGHT = {"byline": -40.0, "date": -30.0, "notice": -30.0, "boilerplate": -20.0, "caption": -5.0,
           "copyright": -80.0, "box": -80.0, "insert": -4.0}
AFTER_MARKER = 0.75       # running text after a marker counts for this much of its length
LIST_BRIDGE = -2.0        # an item of a list between paragraphs: the article's region runs through it, it ends none
SPEAKER_MARKER = 2.0      # [앵커], 【 기자 】: a transcript's marker joins the text around it, it does not start one
_MAX_LINE_WEIGHT = 400.0
# a sentence ending inside a line, more text after it
_INNER_END = re.compile(r"(?:다|요|죠)[.!?][\"'”’]?\s+\S")
# a line that breaks a sentence: it ends with a comma or a connective ending (…했고 …하며 …지만 …불구하고)
_GOES_ON = re.compile(r"(?:,|[하되있았었였했이였]고|[하되이으]며|면서|지만|는데|불구하고)\s*$")
# a broadcast report's sign-off names its reporter: '제주에서 YTN 고재형입니다.', '… 신사옥에서 kbc 최선길입니다.',
# '채널A 뉴스 이현용입니다.' (a station's name that starts in Hangul ends in a Latin letter or digit)
_SIGN_OFF = re.compile(r"(?:^|에서|지금까지)[^.]{0,60}?(?:(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]{1,5}"
                       r"|(?<![A-Za-z0-9가-힣])[가-힣]{1,3}[A-Za-z0-9]{1,3}|(?<![가-힣])[가-힣]{1,6}방송)"   # and '경인방송 …' (round 18)
                       r"(?:\s*뉴스)?,?\s+"
                       r"(?P<name>[가-힣]{2,4})(?:\s*기자)?입니다\.?\s*$")
INNER_ALONE = 120          # a line of whole sentences with no end of its own, not after text, is at least this long
PHOTO_PAGE_TEXT = 100     # less running text than this after a photo sentence: it is a photo page's own text
MAX_LINES = 100_000       # a page of more lines is no article page: the rest is recorded, not classified
ANCHOR_LEAD_LINES = 12    # an anchor's lead naming the reporter ('… 기자가 보도합니다.') is among the first lines
HEADER_ZONE = 14          # lines before the article in which its byline and date are looked for
TAIL_ZONE = 12            # and after it


@dataclass
class Block:
    text: str
    from_caption: bool
    kind: str
    reason: str
    end: float            # sentence ending, 0..1
    cont: bool = False    # no sentence ending, but the sentence goes on in the next line ('…불구하고', '…열렸습니다,')
    inner: bool = False   # right after running text, no sentence ending at its end but sentences inside
    #                       ('…전해드립니다. 대전 스포츠는 중도일보': a paragraph that closes with a tagline)
    closes: bool = False  # a copyright notice glued to its end ('…바라보고 있다. 저작권자 © …'): a marker after it


def blocks_of(lines: list[tuple[str, bool]], mode: str = "html") -> list[Block]:
    out = [_block(text, from_caption) for text, from_caption in lines]
    for before, b in zip(out, out[1:]) if mode == "text" else ():     # after running text, as its next paragraph
        b.inner = b.kind == "body" and not b.end and len(b.text) >= 40 and bool(_INNER_END.search(b.text)) \
            and ((before.kind == "body" and before.end == 1.0) or _whole_sentences(b.text))
    if mode == "text":
        printed_twice_and_summaries(out)
        genre_lines(out)
        edge_lines(out)
    for b, after in zip(out, out[1:]):
        b.cont = b.kind == "body" and not b.end and after.kind == "body" and after.end == 1.0 \
            and len(b.text) >= 10 and bool(_GOES_ON.search(b.text))
    if mode == "text":
        script_lines(out)
        speaker_turns(out)
    sentences_not_furniture(out)
    if mode == "text":
        feature_lines(out)
    furniture_in_sentences(out)
    if mode == "text":
        name_over_email(out)
        appeals_before_notice(out)
        appeal_in_polite_text(out)
        counted_lists(out, LIST_ITEM)
        head_lines(out)
        comments_by_count(out)
        inserts_inside_text(out)
    return out


def _whole_sentences(text: str) -> bool:
    """A paragraph whose last sentence lost its end (cut off where the page's text stops, a tail glued to it)
    wherever it stands, after a photo's captions too: at least two sentences end inside it and they make most
    of the line. A menu or a headline holds no such run of sentences."""
    ends = list(_INNER_END.finditer(text))
    return len(text) >= INNER_ALONE and len(ends) >= 2 and ends[-1].start() >= len(text) // 2


def furniture_in_sentences(out: list[Block]) -> None:
    """Furniture that ends as a sentence (reader.py): a line addressed to the reader about the page and the
    article's funding note are notices, a reporter's introduction of themself a byline; a sentence placing people in the photo is a caption when
    running text follows it (on a photo page it is the item's only text: the article)."""
    for i, b in enumerate(out):
        if b.kind != "body" or not b.end:
            continue
        if addresses_reader(b.text):
            b.kind, b.reason = "notice", "addressed to the reader about the page"
        elif funding_note(b.text):
            b.kind, b.reason = "notice", "the article's funding note"
        elif self_introduction(b.text):
            b.kind, b.reason = "byline", "reporter's introduction"
        elif places_people_in_photo(b.text) and _text_after(out, i) >= max(PHOTO_PAGE_TEXT, 1.5 * len(b.text)):
            b.kind, b.reason = "caption", "photo caption (who stands where)"


def _text_after(out: list[Block], i: int) -> int:
    """The length of the running text in the few lines after line i, up to a marker (copyright, a box)."""
    total = 0
    for b in out[i + 1:i + 7]:
        if b.kind in MARKERS:
            break
        total += len(b.text) if b.kind == "body" and b.end == 1.0 else 0
    return total


def _block(text: str, from_caption: bool) -> Block:
    kind, reason = ("caption", "photo caption") if from_caption else classify(text)
    # a byline glued to the end does not make a paragraph less of a sentence
    core, _, tail = strip_trailing_byline(strip_page_tails(text)[0]) if kind == "body" else (text, [], "")
    glued = strip_glued_end(core) if kind == "body" else (core, "", "")
    end = sentence_end(glued[0])
    if not end and (core != text or glued[1]) and (glued[0].endswith(".") or glued[2] == "elision mark"):
        end = 0.7           # '… 장노출 5초. 홍길동 기자.': signed text; '…남당항...... (중략)': a paragraph cut on purpose
    return Block(text, from_caption, kind, reason, end, closes=bool(tail and COPYRIGHT.search(tail)))


def score(block: Block, after_marker: bool, mode: str) -> float:
    if block.kind != "body":
        return _WEIGHT.get(block.kind, -20.0)
    if block.reason in ("speaker marker", QUESTION, SUBHEAD):
        return SPEAKER_MARKER
    if block.reason == LIST_ITEM:        # an item of a list (appointments, a schedule): text, until a marker
        return -8.0 if after_marker else max(min(len(block.text), _MAX_LINE_WEIGHT) * 0.5, 4.0)
    if block.reason == LIST_INNER:       # a list no line introduces: text between paragraphs, never at an end
        return LIST_BRIDGE
    length = min(len(block.text), _MAX_LINE_WEIGHT)
    if block.end or block.cont:
        value = length * (block.end or 1.0)
        return value * AFTER_MARKER if after_marker else value
    if mode == "html" and not after_marker:
        return max(length * 0.5, 1.0)
    if block.inner and not after_marker:      # running text whose last sentence lost its period
        return length * 0.7
    # no sentence ending: a long line is text that lost its punctuation, a short one a menu or headline
    return length * 0.3 if length >= 80 and not after_marker else -8.0 - length * 0.05


def best_region(blocks: list[Block], mode: str) -> tuple[int, int] | None:
    """(first, last) index of the highest-scoring contiguous run of lines; None when no line scores above 0."""
    seen_text = 0.0
    after_marker = False
    best, best_sum, cur_start, cur_sum = None, 0.0, 0, 0.0
    for i, b in enumerate(blocks):
        s = score(b, after_marker, mode)
        if b.kind == "body" and b.end:
            seen_text += len(b.text)
        if (b.kind in MARKERS or b.closes) and (seen_text >= 60 or b.reason == "comment section"):
            after_marker = True
        if cur_sum <= 0:
            cur_start, cur_sum = i, s
        else:
            cur_sum += s
        if cur_sum > best_sum:
            best, best_sum = (cur_start, i), cur_sum
    return best


def _lead_index(blocks: list[Block], first: int, last: int) -> int | None:
    """The line of the region that opens with a lead byline or dateline, among its first three body lines."""
    seen = 0
    for i in range(first, last + 1):
        if blocks[i].kind != "body":
            continue
        if strip_byline_prefix(blocks[i].text)[2]:
            return i
        seen += 1
        if seen >= 3:
            return None
    return None


def classify_lines(art: Article, lines: list[tuple[str, bool]], authors: list[str] | None = None,
                   drop_repeats: bool = True, mode: str = "html", writer_lines=frozenset()) -> tuple[int, int] | None:
    """Fill the article's body, captions, removals, authors, dateline, dates and outlet from its lines
    (``writer_lines``: page text's lines of a date and the writer's bare name, reader.DATE_WRITER).

    Returns the (first, last) line index of the article's region, None when there is none."""
    if len(lines) > MAX_LINES:
        art.removed.append(Removed(text=f"[{len(lines) - MAX_LINES} lines past the limit]",
                                   reason=f"more than {MAX_LINES:,} lines"))
        lines = lines[:MAX_LINES]
    blocks = blocks_of(lines, mode)
    notice = next((i for i, b in enumerate(blocks) if has_translation_notice(b.text)
                   and any(x.kind == "body" and x.end for x in blocks[:i])), None)
    korean = blocks if notice is None else blocks[:notice]
    region, lead = _article_region(korean, mode)
    first, last = region if region else (len(korean), -1)
    asm = _Assembler(art, list(authors or []), first, last, lead, drop_repeats)
    asm.writer_lines = writer_lines
    asm.header = header_dates([b.text for b in korean], [i for i, b in enumerate(korean) if b.kind == "date"])
    for i, b in enumerate(korean):
        asm.take(i, b)
    if notice is not None:
        from .publisher import publisher_translation
        art.publisher_translation = publisher_translation([b.text for b in blocks[notice:]], art)
        asm.outlet = asm.outlet or next((outlet_of(b.text) for b in blocks[notice:] if b.kind == "copyright"), "")
    asm.finish()
    return region


def _article_region(blocks: list[Block], mode: str) -> tuple[tuple[int, int] | None, int | None]:
    """The article's region and, in page text, the line that opens with its lead byline (None if none)."""
    region = best_region(blocks, mode)
    if mode != "text":
        return region, None
    if not any(b.kind == "body" and b.end for b in (blocks[region[0]:region[1] + 1] if region else [])):
        region = _photo_text(blocks) or region
    elif (box := box_before(blocks, region)) is not None:
        before = best_region(blocks[:box], mode) or _photo_text(blocks[:box])
        region = before if before and outweighs(blocks, before, region) else region
    if not region:
        return None, None
    region = (region[0], article_end(blocks, region[1]))
    lead = _lead_index(blocks, *region)
    if lead is None:
        _photo_credit_at_head(blocks, *region)
    return region, lead


def _photo_text(blocks: list[Block]) -> tuple[int, int] | None:
    """A photo-news page: no running text but the photo's own (a caption that is a sentence, '…걷고 있다.
    <경기도 제공>'). The last such caption is the article rather than nothing; the ones before it stay captions."""
    for i in range(len(blocks) - 1, -1, -1):
        b = blocks[i]
        if b.kind == "caption" and not b.from_caption and len(b.text) >= 20 \
                and sentence_end(_photo_text_core(b.text)) >= 0.7:
            b.kind, b.reason, b.end = "body", "photo text (the page has no other)", 1.0
            return i, i
    return None


def _photo_text_core(text: str) -> str:
    """A photo text without what is glued to its end: the credit, a byline ('/홍길동기자 hong@'), a dateline."""
    return strip_glued_end(strip_trailing_byline(strip_photo_credit(text)[0])[0])[0]


def _photo_credit_at_head(blocks: list[Block], first: int, last: int) -> None:
    """A photo's caption at the head of the text, its credit (a photographer's byline) on the next line; a line
    of sentences ending in an address ('신청은 이메일로 받는다. … apply@…') is no credit, and the lede stays."""
    if first + 2 <= last and blocks[first].kind == "body" and blocks[first + 1].kind == "byline" \
            and blocks[first + 2].kind == "body" and sentence_end(EMAIL.sub("", blocks[first + 1].text).strip()) < 0.7:
        blocks[first].kind, blocks[first].reason = "caption", "photo caption (credit on the next line)"


class _Assembler:
    """Each line of a page to its place: the body (inside the region), captions, authors and date lines (near
    it), the outlet (a copyright line after it), or ``removed`` with the reason."""

    def __init__(self, art: Article, authors: list[str], first: int, last: int, lead: int | None,
                 drop_repeats: bool):
        self.art, self.authors = art, authors
        self.first, self.last, self.lead = first, last, lead
        self.drop_repeats = drop_repeats
        self.date_lines: list[str] = []
        self.writers: list[str] = []           # '2003-11-08     홍길동' (ndsoft AMP): when no byline names anyone
        self.writer_lines: frozenset[str] = frozenset()
        self.header: set[int] = set()
        self.seen: set[str] = set()
        self.outlet = ""

    def remove(self, text: str, reason: str) -> None:
        self.art.removed.append(Removed(text=text, reason=reason))

    def take(self, i: int, b: Block) -> None:
        inside = self.first <= i <= self.last
        near = self.first - HEADER_ZONE <= i <= self.last + TAIL_ZONE
        if self.lead is not None and self.first <= i < self.lead and b.kind == "body":
            self.art.captions.append(split_caption(b.text))
            self.remove(b.text, "photo caption (before the lead byline)")
            return
        if b.kind == "caption":
            caption = split_caption(b.text)
            if near and not (self.art.captions and self.art.captions[-1] == caption):   # printed over and under the photo: once
                self.art.captions.append(caption)
            self.remove(b.text, b.reason if near else "outside the article: " + b.reason)
            return
        self._metadata(i, b, near)
        if self.art.title and b.text == self.art.title:
            self.remove(b.text, "title repeated")
        elif b.kind != "body" or not inside:
            self.remove(b.text, b.reason if inside or b.kind != "body" else "outside the article text")
        else:
            self._body(b.text)

    def _metadata(self, i: int, b: Block, near: bool) -> None:
        if b.kind in ("byline", "date"):           # '2025-05-12 김유성 기자' is both
            if near:
                self.authors.extend(reporter_names(b.text) or ([b.text.strip()] if b.reason in (NAME_OVER_EMAIL, BARE_WRITER) else []))
                self.writers.extend(b.text.split()[-1:] if b.text in self.writer_lines else [])
            if (near or i < self.first) and i not in self.header:      # not the site's date over its weather
                self.date_lines.append(b.text)
        if b.kind == "copyright" and i > self.first and not self.outlet:
            self.outlet = outlet_of(b.text)

    def _body(self, line: str) -> None:
        line, share = strip_share_prefix(line)
        if share:
            self.remove(share, "share/print buttons")
        if not self.art.body:
            line, names, prefix, where = strip_byline_prefix(line)
            if prefix:
                self.authors.extend(names)
                self.art.dateline = self.art.dateline or where
                self.remove(prefix, "lead byline")
        line = self._without_tails(line)
        if self.drop_repeats and len(line) < 200 and (line in self.seen or strip_byline_prefix(line)[0] in self.seen):
            self.remove(line, "repeated line")      # a copy of a paragraph, its lead byline or not
            return
        self.seen.add(line)
        if line:
            self.art.body.append(line)
            sign_off = _SIGN_OFF.search(line) if line.endswith(("입니다.", "입니다")) else None
            if sign_off:
                self.authors.append(sign_off.group("name"))
            elif len(self.art.body) <= ANCHOR_LEAD_LINES and (lead := anchor_lead_name(line)):
                self.authors.append(lead)

    def _without_tails(self, line: str) -> str:
        """The paragraph without what is glued to its end: a 'more' button or an editor's signature, the photo's
        credit, a trailing byline or copyright line (each kept as a removal, the byline's names as authors)."""
        line, tails = strip_page_tails(line)
        for tail in tails:
            self.remove(tail, "'more' button or editor's signature")
        line, credit = strip_photo_credit(line)
        if credit:
            self.remove(credit, "photo credit")
        line, glued, why = strip_glued_end(line)
        if glued:
            self.remove(glued, why)
            self.art.dateline = self.art.dateline or end_dateline_place(glued)
        line, names, tail = strip_trailing_byline(line)
        if tail:
            self.authors.extend(names)
            self.remove(tail, "trailing byline" if names or not COPYRIGHT.search(tail) else "trailing copyright line")
            if not self.outlet and COPYRIGHT.search(tail):
                self.outlet = outlet_of(tail)
        return line

    def finish(self) -> None:
        published, updated = pick_dates(self.date_lines)
        self.art.published_at = self.art.published_at or published
        self.art.updated_at = self.art.updated_at or updated
        self.art.outlet = self.art.outlet or self.outlet
        self.art.authors = dedupe(a for a in (self.authors or self.writers) if not_a_desk(a))


_OUTLET = re.compile(r"(?:저작권자\s*)?(?:\(c\)|[©ⓒ]|Copyrights?\s*(?:\(c\)|[©ⓒ])?|저작권자)\s*(?:\d{4}\s*)?"
                     r"(?P<name>[^.,(<>\[\]]{1,30}?)\s*(?:[.,(<>\]]|무단|All\s|$)", re.I)


def outlet_of(copyright_line: str) -> str:
    """'ⓒ 브레이크뉴스 전북판. 무단전재 및 재배포 금지' → '브레이크뉴스 전북판'."""
    m = _OUTLET.search(copyright_line)
    if not m:
        return ""
    name = m.group("name").strip(" '\"‘’“”")
    return name if 1 < len(name) <= 30 and not re.search(r"무단|금지|reserved|by\b", name, re.I) else ""
