"""Unknown layouts: trafilatura's main content (comments off, no fallback extractors), as lines."""
from __future__ import annotations

from .common import norm
from .dom import lines_of

MAX_TRAFILATURA_CHARS = 1_500_000
# trafilatura deletes these anyway (its tree cleaning), but only after running its pruning XPaths over
# them on two copies of the tree; gone first, the same extraction takes ~10% less time
NEVER_TEXT = ("head", "script", "style", "svg", "link", "meta")


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BOX = ".//*[self::div or self::p or self::table or self::ul or self::ol or self::section or self::article" \
       " or self::figure or self::blockquote or self::br[following-sibling::br]]"


def unbox_headings(doc) -> int:
    """A heading that holds blocks and more text than any headline is a layout box, not a heading: a mobile
    layout wraps the byline, photo and text in one <h4> (m.daejonilbo.com), and trafilatura prints a heading
    as one line, so the whole article became one paragraph with the byline and date at its head. Such a
    heading becomes a div; how many did."""
    boxes = [el for el in doc.iter(*_HEADINGS) if len(el.text_content()) > 120 and el.xpath(_BOX)]
    for el in boxes:
        el.tag = "div"
    return len(boxes)


def text_size(doc) -> int:
    """Characters of text in the document, counted in C."""
    return int(doc.xpath("string-length(.)"))


def trafilatura_lines(doc, again=None) -> list[tuple[str, bool]]:
    """Main content of an unknown layout by trafilatura (comments off, no fallback extractors), as lines.

    trafilatura copies the tree it is given, then prunes and cleans copies (~1 ms a copy of a ~10 ms extraction).
    With ``again``, a function that makes the same tree anew, the caller gives ``doc`` away instead: it is pruned
    and cleaned in place, no copy made, and must not be read again; ``again`` is called where trafilatura reads the
    tree as it was after its cleaning (its baseline, for a page where it finds little: rare)."""
    try:
        import trafilatura
    except ImportError:          # an installation without it falls back to our own container guess
        return []
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            steps = _in_place_steps() if again is not None else None
            text = (_extract_in_place(doc, again, *steps) if steps else
                    trafilatura.extract(doc, include_comments=False, fast=True, favor_recall=True)) or ""
        except Exception:        # trafilatura on hostile input: our own guess takes over
            return []
    return [(line, False) for line in (norm(x) for x in text.splitlines()) if line]


_STEPS: list = []


def _in_place_steps():
    """trafilatura's own module (2.3.1, pinned) and the options of ``extract(doc, include_comments=False, fast=True,
    favor_recall=True)``, made once; None where a step named in _extract_in_place is not found (another version:
    extract itself is called, and copies)."""
    if not _STEPS:
        try:
            from trafilatura import core
            options = core.Extractor(config=core.DEFAULT_CONFIG, output_format="txt", fast=True, precision=False,
                                     recall=True, comments=False, formatting=None, links=False, images=False,
                                     tables=True, dedup=False, lang=None, url=None, with_metadata=False,
                                     only_with_metadata=False, tei_validation=False, author_blacklist=None,
                                     url_blacklist=None, date_params=None)
            for name in _CORE_NAMES:
                getattr(core, name)
            # what bare_extraction and trafilatura_sequence do beyond those steps is off with these options: a tree
            # size bound, a language filter, deduplication, comments, the balanced focus's escalation
            usable = (not options.max_tree_size and not options.lang and not options.dedup and options.fast
                      and not options.comments and options.focus == "recall" and options.format == "txt")
            _STEPS.append((core, options) if usable else None)
        except (ImportError, AttributeError, TypeError):
            _STEPS.append(None)
    return _STEPS[0]


_CORE_NAMES = ("_forum_thread_page", "prune_unwanted_nodes", "RAW_TREE_PRUNE_XPATH", "REMOVE_COMMENTS_AND_LISTS_XPATH",
               "tree_cleaning", "convert_tags", "extract_content", "baseline", "Element", "Document",
               "determine_returnstring")


def _extract_in_place(tree, again, core, options) -> str | None:
    """What extract returns for ``tree``, by trafilatura's own steps (core.bare_extraction, trafilatura_sequence
    and _internal_extraction for these options), without its three copies of the tree: the one bare_extraction makes
    of its input and the one cleaned (``tree`` is pruned and cleaned in place instead; ``again()`` makes it anew
    for the baseline, which reads it uncleaned), and the backup of the cleaned tree, which only the comparison with
    the external extractors (not run in fast mode) and comment capture (off) read."""
    is_forum = core._forum_thread_page(tree)

    def pruned(tree):
        tree = core.prune_unwanted_nodes(tree, core.RAW_TREE_PRUNE_XPATH)
        if not is_forum:                   # comments off, not the precision focus
            tree = core.prune_unwanted_nodes(tree, core.REMOVE_COMMENTS_AND_LISTS_XPATH)
        return tree

    cleaned = core.convert_tags(core.tree_cleaning(pruned(tree), options), options, None)
    body, text = core.extract_content(cleaned, options)
    if len(text) < options.min_extracted_size:      # the baseline on the uncleaned tree, if it finds more
        uncleaned = pruned(again())
        b_body, b_text, b_len = core.baseline(uncleaned)
        if b_len > len(text):
            body, text = _article_blocks(uncleaned, b_body), b_text
    if len(text) < options.min_output_size and 0 < options.min_output_comm_size:     # no comments: 0 characters
        return None              # bare_extraction: "text and comments not long enough"
    document = core.Document()
    document.raw_text, document.commentsbody, document.body = text, core.Element("body"), body
    return core.determine_returnstring(document, options)


def _article_blocks(tree, body):
    """The baseline's ``body`` with each <article> it took whole as that article's lines, one <p> a block.

    trafilatura's baseline (for a page whose main text is under 250 characters: a brief) reads a top-level
    <article> as ONE paragraph, its blocks joined by spaces, so a short article of an unknown layout came out as
    a single paragraph with its headline and byline glued to the text, where nothing could take them off again
    (a trial's invented outlet). ``tree`` is what the baseline was given (it read a copy)."""
    try:
        from trafilatura.baseline import basic_cleaning, block_text
    except ImportError:          # another trafilatura: its baseline as it is
        return body
    from copy import deepcopy
    articles = {}
    for el in basic_cleaning(deepcopy(tree)).xpath(".//article[not(ancestor::article)]"):
        articles.setdefault(block_text(el), el)
    out = body.makeelement("body", {})
    for p in body:
        el = articles.get(p.text or "")
        for line in ([text for text, _ in lines_of(el)] if el is not None else [p.text or ""]):
            new = out.makeelement("p", {})
            new.text = line
            out.append(new)
    return out
