"""Lines at the article's edges that the score misreads (page text; round 16 of issue 13). A leaf module: it works
on body.py's blocks by their fields and imports nothing of the cleaner but heads.py's constants, genres.py's cut
test, classify.py's sentence ending and common.py.

Text lost at the end of the article:

- Text after a run of photos: the article's last paragraph, a subhead and the paragraph under it, or up to five
  closing lines ('다 감상했으면 가보자! 이번 주말 경주로') under a run of captions ('▲ … ©가나뉴스' printed twice, photo
  labels '@계림'), where only the byline, the copyright line, a notice or box, or the end of the page follows (a
  gallery of credited '▲' captions is no list: genres.py). Each caption costs the
  region a little and the short closing line cannot pay for them: the region stopped above the photos. It now
  runs on over them to that text (the captions stay captions; an '@place' label is one).
- A cut-off fragment: the stored text ends mid-word under the last paragraph ('산청·함양을 중심으'): a short line
  of words with a particle, the page's last line, right under running text. It is the text's last words, unless it
  opens a paragraph printed above (a second copy of the text cut off there, round 17).

Lines read as the wrong kind:

- A markdown heading inside the text ('# 홍길동 약사(가나, 가나약국, 60대)', a reader survey's header for each reader)
  was a tag line (notice): it is a subhead when running text follows it.
- A person's name and post between two paragraphs that name them ('홍길동 편집장' under the interviewee's photo,
  '… 홍길동 편집장(가나대병원 …)이 있었다.') is the photo's caption, not the reporter's byline.
- A photo caption written as a noun phrase ('… 침수 피해를 입은 모습.', '… 낙과 현장.') between paragraphs.
- The writer's bare name right under the text, as the page's last line ('홍길동 ', its '기자' cut off by the end of
  the stored text) or over the copyright line or a related box: a byline, its name the author.

Every pattern here is anchored at a line's start or end and has no nested quantifier: linear on any line.
"""
from __future__ import annotations

import re

from ..types import Caption, Removed
from .classify import sentence_end
from .common import norm
from .genres import cut_off_tail
from .heads import SUBHEAD, SUBHEAD_MAX

PHOTO_RUN_MAX = 40         # captions and labels in a row under the text: a gallery, not a page's furniture
CLOSING_MAX = 5            # lines of text after the run, before the byline, copyright or the end of the page
_ENDERS = ("byline", "copyright", "date", "notice", "box")     # what may follow the closing line
_PHOTO_LABEL = re.compile(r"^\s*@\s?[가-힣][^@]{0,30}$")            # '@계림', '@서면 도리마을 은행나무'
_BRACKET_HEAD = re.compile(r"^\s*\[[^\[\]]{1,30}\]\s*$")          # '[대천동·중문동·예래동 선거구]'
_MD_HEAD = re.compile(r"^\s*#{1,4}\s+[^#\s]")                     # '# 홍길동 약사(가나, 가나약국, 60대)'
# a sentence inside the closing line: '가보자! 이번 …', '…했다. 다시 …'
_INNER = re.compile(r"[가-힣][.!?][\"'”’]?\s+\S")
_PHOTO_NOUN = re.compile(r"[가-힣](?:의|한|된|인|은|는|던)?\s(?:[가-힣]{1,6}\s)?(?:모습|현장|전경|장면|광경|풍경)\.\s*$")
NOUN_CAPTION_MAX = 120
CUT_FRAGMENT_MAX = 40
# a word with its particle (not 도 or 로, which end place and street names: 충청북도, 거열로)
_PARTICLE_WORD = re.compile(r"[가-힣](?:을|를|이|가|은|는|의|에|와|과|에서|으로)$")
_FRAGMENT_START = re.compile(r"^\s*[가-힣]")
_FURNITURE_WORD = re.compile(r"기사|보기|구독|공유|댓글|스크랩")       # '홍길동 기자의 기사 더 보기': the page's (review)
# the surnames of most Koreans: a bare name as a line is a writer only if it starts with one
_SURNAMES = frozenset("김이박최정강조윤장임한오서신권황안송류유홍전고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도석선설마길연위표명기반왕금옥육인맹제모탁")
_BARE_NAME = re.compile(r"^\s*[가-힣]{3}\s*$")
PHOTO_LABEL = "photo label ('@place')"
PERSON_IN_PHOTO = "photo caption (a person the text names)"
NOUN_CAPTION = "photo caption (a noun phrase: '…모습.')"
BARE_WRITER = "the writer's bare name under the text"
_CLOSERS = ("copyright", "box")        # what may follow the writer's bare name under the text


def _running(b) -> bool:
    return b.kind == "body" and b.end == 1.0


def edge_lines(blocks) -> None:
    """The kinds of lines this module reads again, before the region is scored."""
    seen_text = False
    for i, b in enumerate(blocks):
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        before = blocks[i - 1] if i else None
        if seen_text and after is not None and _running(after):
            _between(b, before, after)
        seen_text = seen_text or _running(b)
    for i, b in enumerate(blocks[1:], 1):
        if _bare_writer(b) and _running(blocks[i - 1]) and (i == len(blocks) - 1 or blocks[i + 1].kind in _CLOSERS):
            b.kind, b.reason = "byline", BARE_WRITER


def _bare_writer(b) -> bool:
    t = b.text.strip()
    return b.kind == "body" and bool(_BARE_NAME.match(t)) and t[0] in _SURNAMES and t[-1] not in _NOT_NAME_END


# a word, not a name: '오늘도', '천천히', '고맙다' as the page's last line (review)
_NOT_NAME_END = frozenset("다요히도는을를게며팀부국과실")


def _between(b, before, after) -> None:
    """A line with running text after it (and some before it): a markdown subhead, a person under their photo, a
    noun-phrase caption."""
    text = b.text.strip()
    if b.reason == "tag line" and len(text) <= SUBHEAD_MAX and _MD_HEAD.match(text) and text.count("#") <= 4 \
            and "#" not in text.lstrip("#"):
        b.kind, b.reason = "body", SUBHEAD
    elif b.kind == "byline" and len(text) <= 24 and before is not None and _running(before) \
            and (text in after.text or text in before.text):
        b.kind, b.reason = "caption", PERSON_IN_PHOTO
    elif b.kind == "body" and len(text) <= NOUN_CAPTION_MAX and _PHOTO_NOUN.search(text) and not _INNER.search(text):
        b.kind, b.reason = "caption", NOUN_CAPTION


def article_end(blocks, last: int) -> int:
    """The article's last line index, past what the score stopped above: text after a run of photos, a cut-off
    last paragraph (genres.cut_off_tail) or fragment."""
    last = _after_photos(blocks, last)
    last = cut_off_tail(blocks, last)
    return _cut_fragment(blocks, last)


def _in_photo_run(b) -> bool:
    return b.kind == "caption" or (b.kind == "body" and not b.end and (
        bool(_PHOTO_LABEL.match(b.text)) or bool(_BRACKET_HEAD.match(b.text)) or b.reason == SUBHEAD))


def _after_photos(blocks, last: int) -> int:
    if not 0 <= last < len(blocks) - 1 or not _running(blocks[last]):
        return last
    j = last + 1
    while j < len(blocks) and j - last <= PHOTO_RUN_MAX and _in_photo_run(blocks[j]):
        j += 1
    run = blocks[last + 1:j]
    if not any(b.kind == "caption" or _PHOTO_LABEL.match(b.text) for b in run) or j >= len(blocks):
        return last
    k = j
    while k < len(blocks) and k - j < CLOSING_MAX and blocks[k].kind == "body" and _closing(blocks[k]):
        k += 1
    if k == j:       # no closing line: a paragraph cut off by the end of the page may still follow (cut_off_tail)
        return _through_cut(blocks, last, j)
    if k < len(blocks) and blocks[k].kind not in _ENDERS:
        return last
    _label_photos(run)
    return k - 1


def _through_cut(blocks, last: int, j: int) -> int:
    """The run of photos, then the text's last paragraph cut off by the end of the page."""
    end = cut_off_tail(blocks, j - 1)
    if end == j - 1:
        return last
    _label_photos(blocks[last + 1:j])
    return end


def _label_photos(run) -> None:
    for b in run:
        if b.kind == "body" and _PHOTO_LABEL.match(b.text):
            b.kind, b.reason = "caption", PHOTO_LABEL


def _closing(b) -> bool:
    """A line of text: it ends as a sentence or holds one ('가보자! 이번 주말 …')."""
    return b.end >= 0.7 or b.cont or b.inner or (len(b.text) >= 15 and bool(_INNER.search(b.text)))


def _cut_fragment(blocks, last: int) -> int:
    """The page's last line, right under the text's last paragraph: a short run of words whose first ends in a
    particle ('산청·함양을 중심으'), the stored text ending mid-word."""
    if last != len(blocks) - 2 or not _running(blocks[last]):
        return last
    frag = blocks[-1]
    words = frag.text.split()
    if frag.kind != "body" or frag.end or len(frag.text) > CUT_FRAGMENT_MAX or _FURNITURE_WORD.search(frag.text) or len(words) < 2 or not _FRAGMENT_START.match(frag.text) \
            or not any(_PARTICLE_WORD.search(w) for w in words[:-1]) or _opens_earlier(blocks, frag.text.strip()):
        return last
    return len(blocks) - 1


def _opens_earlier(blocks, text: str) -> bool:
    """The fragment opens a paragraph already printed above: the page prints its text a second time, and the stored
    text ends inside that copy ('이 사고로 2명이 경상을 입고 병'), which is no more of the article (round 17)."""
    return any(b.text.strip().startswith(text) for b in blocks[:-1])


# a headline with its photo's credit glued on: '가나의 가을, 그림책처럼(사진제공=가나시)'
_GLUED_CREDIT = re.compile(r"(?<=[^\s(])\s?[(<\[]\s*사진\s*(?:제공)?\s*[=:]\s*[^()<>\[\]=]{1,20}[)>\]]\s*$")
_CAPTION_START = re.compile(r"^\s*(?:[▲△▶▷◀◁■□●○◆◇※]|[(<\[]\s*사진)")


def credited_headline(line: str) -> bool:
    """A headline that a photo's credit glued to its end made a caption: no caption's mark before it, no sentence
    and no caption's noun phrase ('…모습') in what the credit follows."""
    m = _GLUED_CREDIT.search(line)
    if not m or _CAPTION_START.match(line):
        return False
    core = line[:m.start()].rstrip()
    return 6 <= len(core) <= 100 and not sentence_end(core) and not re.search(r"(?:모습|현장|전경|장면|광경|풍경|조감도|포스터|사진|그림|지도|도면|투시도)$", core) \
        and not re.search(r"(?<!\.)\.$", core)       # '가나시청 전경. (사진=…)': a caption's period, no headline's (round 18)


SECOND_LINE_MAX = 150       # a caption's second line is one or two sentences
SPACED_SHARE = 0.8          # of the text's paragraphs, this share at least has a blank line under it


def caption_second_lines(art, lines: list[str]) -> None:
    """A noun-phrase caption ('… 침수 피해를 입은 모습.') is a caption with its second line ('멜론이 물에 둥둥
    떠있다. …'), printed right under it with no blank line between, where the text's paragraphs each have a blank
    line under them: both leave the body. A noun-phrase line without that layout, or over a line that quotes someone,
    goes back into the body where it stood: feature writing ends sentences so too ('… 북적이는 모습.', '… 부끄러운
    현장.'; a review found them removed). Linear: the body's paragraphs are indexed once."""
    nouns = [r for r in art.removed if r.reason == NOUN_CAPTION]
    if not nouns:
        return
    at = {norm(x): n for n, x in enumerate(lines) if x.strip()}
    spaced = _spaced_paragraphs(art.body, lines, at)
    body_at: dict[str, int] = {}
    for k, p in enumerate(art.body):
        body_at.setdefault(norm(p), k)
    drop: set[int] = set()
    back = []
    for r in nouns:
        n = at.get(norm(r.text))
        second = norm(lines[n + 1]) if spaced and n is not None and _alone_under(lines, n) else ""
        i = body_at.get(second) if second and len(second) <= SECOND_LINE_MAX and not _QUOTED.search(second) else None
        if i is None or i in drop:
            back.append((n, r))
            continue
        drop.add(i)
        art.captions.append(Caption(text=second))
        art.removed.append(Removed(text=second, reason=NOUN_CAPTION + ", its second line"))
    if drop:
        art.body = [p for k, p in enumerate(art.body) if k not in drop]
    if back:
        _back_into_body(art, back, at)


_QUOTED = re.compile(r"[\"“”「」『』]")


def _back_into_body(art, back: list, at: dict) -> None:
    """The noun-phrase lines that are no caption, into the body before the first paragraph printed below them."""
    gone = {id(r) for _, r in back}
    texts = {r.text for _, r in back}
    art.removed = [r for r in art.removed if id(r) not in gone]
    art.captions = [c for c in art.captions if c.text not in texts]
    where = [at.get(norm(p), -1) for p in art.body]
    todo = sorted(((10 ** 9 if n is None else n), r.text) for n, r in back)
    out, j = [], 0
    for p, w in zip(art.body, where):                 # a merge by line number (-1: a paragraph not found, as it is)
        while j < len(todo) and w > todo[j][0]:
            out.append(todo[j][1])
            j += 1
        out.append(p)
    art.body = out + [t for _, t in todo[j:]]


def _blank(lines: list[str], n: int) -> bool:
    return n >= len(lines) or not lines[n].strip()


def _spaced_paragraphs(body: list[str], lines: list[str], at: dict) -> bool:
    where = [at.get(norm(p)) for p in body]
    spaced = [n for n in where if n is not None and _blank(lines, n + 1)]
    return len(body) >= 3 and len(spaced) >= SPACED_SHARE * len(body)


def _alone_under(lines: list[str], n: int) -> bool:
    """Line n + 1 is printed right under line n, a blank line under it."""
    return not _blank(lines, n + 1) and _blank(lines, n + 2)


# a deck that ends in its writer's byline, the name printed apart: '…에 바란다_홍 길 동 시민기자' (round 17)
_DECK_WRITER = re.compile(r"(?:^|[\s_/])(?P<name>[가-힣](?: [가-힣]){1,3})\s?(?:시민|객원|인턴|수습|명예)?\s?기자\s*$")


def deck_writer(deck: str) -> list[str]:
    """['홍길동'] of a deck ending in '_홍 길 동 시민기자'; nothing for any other deck (a surname must open the name)."""
    m = _DECK_WRITER.search(deck, max(0, len(deck) - 20)) if deck else None
    return [m.group("name").replace(" ", "")] if m and m.group("name")[0] in _SURNAMES else []
