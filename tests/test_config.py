"""The settings file: README's block and newspipe.toml.example name every key the loader accepts, at its
default (a key added to the loader and not to them was found by a new user reading the code)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import fields

import pytest

from conftest import ROOT
from pipeline.config import _KEYS, Config, load_config


def _readme_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1]
    return re.search(r"```toml\n(.*?)```", section, re.S).group(1)


@pytest.mark.parametrize("where", ["README.md", "newspipe.toml.example"])
def test_every_key_is_documented_at_its_default(where, tmp_path):
    text = _readme_block() if where == "README.md" else (ROOT / where).read_text(encoding="utf-8")
    section, named = None, set()
    for line in text.splitlines():               # keys set, and the three commented out ('# limit = 500')
        if m := re.match(r"\[(\w+)\]", line):
            section = m.group(1)
        elif m := re.match(r"#? ?(\w+) = ", line):
            named.add((section, m.group(1)))
    assert named == set(_KEYS), named ^ set(_KEYS)
    path = tmp_path / "newspipe.toml"
    path.write_text(text, encoding="utf-8")
    loaded, default = load_config(path), Config()
    assert tomllib.loads(text)                   # it is a settings file as written
    for f in fields(Config):
        if f.name not in ("path", "user_agent"):  # the user agent: the example asks for your own
            assert getattr(loaded, f.name) == getattr(default, f.name), f.name
