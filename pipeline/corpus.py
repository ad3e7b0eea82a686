"""Where the shared corpus of real pages lives: ``../shared/corpus`` beside the checkout.

Those pages and data sets belong to their publishers; the repository never holds a copy (a test checks).
Tests, ``make eval`` and ``bench/`` read them from here. One setting moves it: the environment variable
``NEWSPIPE_CORPUS``. Where the folder is missing, the tests that need it skip and say so.
"""
from __future__ import annotations

import os
from pathlib import Path

ENV = "NEWSPIPE_CORPUS"


def corpus_dir() -> Path:
    """``$NEWSPIPE_CORPUS``, else ``<checkout>/../shared/corpus``."""
    value = os.environ.get(ENV, "").strip()
    if value:
        return Path(value).expanduser()
    return Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


CORPUS = corpus_dir()


def require(sub: str = "") -> Path:
    """The corpus folder (or its subfolder ``sub``); where it is missing, exit with one line saying so."""
    path = corpus_dir() / sub
    if not path.is_dir():
        raise SystemExit(f"newspipe: error: no shared corpus at {path} (set {ENV} to the corpus folder)")
    return path


if __name__ == "__main__":         # `python -m pipeline.corpus`: where it is, or one line and exit 1
    print(f"shared corpus: {require()}")
