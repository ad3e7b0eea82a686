"""The repository holds only what the project wrote (issue 14).

Real third-party pages, their text and data sets stay in the shared corpus beside the checkout
(../shared/corpus, or $NEWSPIPE_CORPUS). These tests fail when a file tracked by git is byte-identical
to a file of the corpus (or to the gunzipped content of a .gz there) or holds a passage of the text of
its pages and data sets, and when a fixture or a demo page does not say in its first lines that it was
written for the project. Each check is also run on a planted copy, so that it is seen to catch one.
"""
from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CORPUS, DEMO, FIXTURES, ROOT

WINDOW = 50            # a passage of WINDOW characters is fingerprinted every STEP characters, so that any
STEP = 25              # copied run of WINDOW + STEP characters (whitespace collapsed) holds a fingerprint
TEXT_SUFFIXES = {".txt", ".json", ".ko", ".en"}        # page text, ground truth, parallel sentences
_WS = re.compile(r"\s+")
# Not page text: URLs (the eval names each page's crawl URL), and the notice a Break News edition puts before
# its Google-translated English, a formula every such page carries that fixtures reproduce for the cleaner.
_NOT_TEXT = re.compile(r"^https?://\S+$|translated by Google Translate", re.I)


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        pytest.skip(f"{ROOT} is not a git checkout: nothing to list with git ls-files")
    return [ROOT / name for name in out.decode("utf-8").split("\0") if name and (ROOT / name).is_file()]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def corpus_digests() -> dict[str, str]:
    """sha256 → corpus file, for every file of the corpus and the gunzipped content of every .gz."""
    digests = {}
    for f in sorted(CORPUS.rglob("*")):
        if not f.is_file():
            continue
        data = f.read_bytes()
        if data:                   # an empty file copies nothing (and would match every empty __init__.py)
            digests[_sha(data)] = str(f.relative_to(CORPUS))
        if f.suffix == ".gz":
            digests[_sha(gzip.decompress(data))] = f"{f.relative_to(CORPUS)} (gunzipped)"
    return digests


def byte_copies(files: list[Path], digests: dict[str, str], root: Path = ROOT) -> list[str]:
    found = []
    for f in files:
        data = f.read_bytes()
        if data and _sha(data) in digests:
            found.append(f"{f.relative_to(root)} is {digests[_sha(data)]}")
    return found


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


@pytest.fixture(scope="module")
def corpus_fingerprints() -> dict[str, str]:
    """Fingerprints (WINDOW characters every STEP) of every paragraph of 60+ characters of the corpus'
    page text, ground truth and parallel sentences → the corpus file it comes from."""
    prints: dict[str, str] = {}
    for f in sorted(CORPUS.rglob("*")):
        if not f.is_file() or f.suffix not in TEXT_SUFFIXES:
            continue
        raw = f.read_text(encoding="utf-8", errors="replace")
        texts = list(_strings(json.loads(raw))) if f.suffix == ".json" else [raw]
        for text in texts:
            for para in text.splitlines():
                para = _norm(para)
                if len(para) < 60 or _NOT_TEXT.search(para):
                    continue
                for i in range(0, len(para) - WINDOW + 1, STEP):
                    prints.setdefault(para[i:i + WINDOW], str(f.relative_to(CORPUS)))
    return prints


def _file_text(f: Path) -> str:
    data = f.read_bytes()
    for enc in ("utf-8", "cp949"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("latin-1")
    return _norm(html.unescape(text) if f.suffix in (".html", ".htm", ".xml") else text)


def text_copies(files: list[Path], prints: dict[str, str], root: Path = ROOT) -> list[str]:
    found = []
    for f in files:
        text = _file_text(f)
        hit = next((text[i:i + WINDOW] for i in range(len(text) - WINDOW + 1) if text[i:i + WINDOW] in prints),
                   None)
        if hit:
            found.append(f"{f.relative_to(root)} holds text of {prints[hit]}: {hit!r}")
    return found


@pytest.mark.corpus
def test_no_tracked_file_is_a_byte_copy_of_a_corpus_file(corpus_digests):
    files = tracked_files()
    assert len(files) > 50 and len(corpus_digests) > 300
    assert byte_copies(files, corpus_digests) == []


@pytest.mark.corpus
def test_no_tracked_file_holds_a_passage_of_the_corpus_text(corpus_fingerprints):
    files = tracked_files()
    assert len(corpus_fingerprints) > 10_000
    assert text_copies(files, corpus_fingerprints) == []


@pytest.mark.corpus
def test_the_checks_catch_planted_copies(tmp_path, corpus_digests, corpus_fingerprints):
    page = CORPUS / "korean-news" / "breaknews__uid223140.html"
    gz = next((CORPUS / "extraction-benchmark" / "html").glob("*.html.gz"))
    shutil.copy(page, tmp_path / "page.html")
    (tmp_path / "unzipped.html").write_bytes(gzip.decompress(gz.read_bytes()))
    line = next(_norm(x) for x in (CORPUS / "korean-news" / "text" / "breaknews-jb__seed-20241017.txt")
                .read_text(encoding="utf-8").splitlines() if len(x) > 120)
    (tmp_path / "test_quote.py").write_text(f'BODY = """\n{line[10:90]}\n"""\n', encoding="utf-8")   # 80 chars
    shutil.copy(DEMO / "newswave-5001.html", tmp_path / "own.html")      # written for the project: no hit
    planted = sorted(tmp_path.iterdir())
    assert [c.split(" is ")[0] for c in byte_copies(planted, corpus_digests, tmp_path)] == ["page.html",
                                                                                           "unzipped.html"]
    # the benchmark page holds its ground truth's text; the Break News page's ground truth is only short substrings
    assert [c.split(" holds ")[0] for c in text_copies(planted, corpus_fingerprints, tmp_path)] == [
        "test_quote.py", "unzipped.html"]


def _head(f: Path) -> str:
    return "\n".join(f.read_bytes().decode("latin-1").splitlines()[:5])


@pytest.mark.parametrize("folder", [FIXTURES, DEMO], ids=["tests/fixtures", "pipeline/demo-pages"])
def test_fixtures_and_demo_pages_say_they_were_written_for_the_project(folder):
    files = [f for f in folder.rglob("*") if f.is_file() and f.name != "README.md"]
    assert files
    unmarked = [str(f.relative_to(ROOT)) for f in files if "Written for newspipe" not in _head(f)]
    assert unmarked == []
