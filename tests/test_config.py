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


def test_a_settings_file_with_a_byte_order_mark_is_read(tmp_path):
    """(an operations engineer's trial) Windows Notepad's UTF-8 starts with a BOM: 'Invalid statement (at line 1,
    column 1)'."""
    path = tmp_path / "newspipe.toml"
    path.write_bytes("\ufeff[fetch]\ndelay = 2.5\nuser_agent = \"전주 newsroom\"\n".encode("utf-8"))
    cfg = load_config(path)
    assert cfg.delay == 2.5 and cfg.user_agent == "전주 newsroom"


@pytest.mark.parametrize("line,said", [
    ('[fetch]\ndelay = "2"', 'fetch.delay = "2" is a string: it must be a number of seconds (delay = 2)'),
    ("[fetch]\nretries = 2.5", "fetch.retries = 2.5 is a number: it must be a whole number (retries = 3)"),
    ('[fetch]\nobey_robots = "no"', 'fetch.obey_robots = "no" is a string: it must be true or false'),
    ("[stories]\nthreshold = true", "stories.threshold = true is true or false: it must be a number (threshold = 0.05)"),
    ("[fetch]\ndelay = 1979-05-27", "fetch.delay = 1979-05-27 is a date: it must be a number of seconds (delay = 2)"),
    ("[fetch]\ndelay = nan", "fetch.delay = nan is out of range"),
    ("[translate]\nbackend = 1", "translate.backend = 1 is a whole number: it must be a string"),
])
def test_a_value_of_the_wrong_type_says_what_type_is_wanted(tmp_path, line, said):
    from scrapers.sources import ConfigError
    path = tmp_path / "newspipe.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert said in str(caught.value)


def test_a_wrong_string_with_a_line_break_or_a_control_character_is_shown_on_one_line(tmp_path):
    """(review) a wrong value was shown as the file spells it, but a multi-line string's line break (and an escape
    character) went out as it was: the one-line error became two, and ESC reached the terminal."""
    from scrapers.sources import ConfigError
    path = tmp_path / "newspipe.toml"
    path.write_text('[fetch]\ndelay = """2\n0"""\ntimeout = "\\u001b[31m전주"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    said = str(caught.value)
    assert 'fetch.delay = "2\\n0" is a string' in said and "\n" not in said
    path.write_text('[fetch]\ntimeout = "\\u001b[31m전주\\t"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert 'fetch.timeout = "\\u001B[31m전주\\t" is a string' in str(caught.value)
    assert tomllib.loads('v = "\\u001B[31m전주\\t"')["v"] == "\x1b[31m전주\t"      # as TOML reads it back


def test_the_examples_user_agent_is_warned_of_at_run_time(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import cli
    from pipeline.config import EXAMPLE_UA
    example = tomllib.loads((ROOT / "newspipe.toml.example").read_text(encoding="utf-8"))
    assert example["fetch"]["user_agent"] == EXAMPLE_UA            # the one the warning knows
    sources = tmp_path / "s.toml"
    sources.write_text('[[sources]]\nid = "a"\nname = "A"\noutlet = "A"\narticle_pattern = \'x\'\n'
                       'feeds = ["http://127.0.0.1:9/rss"]\nenabled = false\n', encoding="utf-8")
    base = ["--db", str(tmp_path / "a.db"), "--sources", str(sources)]
    for ua, warned in ((EXAMPLE_UA, True), ("desk newsroom (+https://news.example.kr; desk@news.example.kr)", False)):
        (tmp_path / "newspipe.toml").write_text(f'[fetch]\nuser_agent = "{ua}"\n', encoding="utf-8")
        res = CliRunner().invoke(cli, [*base, "--config", str(tmp_path / "newspipe.toml"), "run", "--no-translate"])
        assert res.exit_code == 0, res.output
        assert ("WARNING the user agent is newspipe.toml.example's" in res.stderr) is warned, res.stderr


def test_a_sources_file_with_a_byte_order_mark_is_read(tmp_path):
    from scrapers.sources import load_sources
    path = tmp_path / "sources.toml"
    path.write_bytes('\ufeff[[sources]]\nid = "a"\nname = "전북일보"\noutlet = "A"\narticle_pattern = \'x\'\n'
                     'feeds = ["https://a.example/rss"]\n'.encode("utf-8"))
    assert [(s.id, s.name) for s in load_sources(path)] == [("a", "전북일보")]
