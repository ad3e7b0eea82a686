"""Kiwi analysis: the shipped user dictionary, a user's own dictionary from config, settings errors."""
from __future__ import annotations

import pytest

from conftest import newspipe
from nlp.analyse import DEFAULT_USERDICT, Analyser, NlpSettingsError, UserDictError, check_settings, parse_userdict

ENTRIES = parse_userdict(DEFAULT_USERDICT)
# Three contexts a name meets in news text: before a locative particle, before the genitive (which
# Kiwi likes to glue onto an unknown noun: 익산시의/NNG), before the topic particle.
CONTEXTS = ("{}에서 회의가 열렸다.", "어제 {}의 관계자가 말했다.", "{}는 26일 계획을 발표했다.")


def test_the_shipped_dictionary_has_the_regional_names():
    words = {w for w, _, _ in ENTRIES}
    assert {"전북자치도", "전북특별자치도", "새만금", "전주비빔밥축제", "전주지방법원", "만경강"} <= words
    assert len(ENTRIES) >= 60


@pytest.mark.parametrize("word,tag", [(w, t) for w, t, _ in ENTRIES], ids=[w for w, _, _ in ENTRIES])
def test_each_userdict_entry_comes_out_whole(analyser, word, tag):
    for context in CONTEXTS:      # through the stage's own path: the morphemes stored for a sentence
        a = analyser.analyse(context.format(word))
        tokens = [(f, t) for s in a.sentences for f, t, _ in s.morphs]
        assert (word, tag) in tokens, (context.format(word), tokens)
        assert word in a.search_text.split() and word in dict(a.entities) | dict(a.keywords)


def test_whole_names_reach_entities_keywords_and_the_search_text(analyser):
    a = analyser.analyse("전북자치도교육청은 전주비빔밥축제 기간에 만경강 정화 활동을 한다고 밝혔다.", "전북자치도 소식")
    ents = {e for e, _ in a.entities}
    assert {"전북자치도교육청", "전주비빔밥축제", "만경강", "전북자치도"} <= ents
    assert "전북자치도교육청" in a.search_text.split()


def test_a_users_dictionary_from_config_adds_to_the_shipped_one(tmp_path):
    (tmp_path / "newsroom.tsv").write_text("# our words\n꽃심도서관\tNNP\n덕진호수축제\tNNP\t1.5\n", encoding="utf-8")
    cfg = tmp_path / "newspipe.toml"
    cfg.write_text('[nlp]\nuserdict = "newsroom.tsv"\n', encoding="utf-8")
    from pipeline.config import load_config
    path = load_config(cfg).userdict            # relative to the config file
    analyser = Analyser(userdict=path)
    forms = {t.form for t in analyser.kiwi.tokenize("꽃심도서관과 덕진호수축제, 전북자치도의 행사")}
    assert {"꽃심도서관", "덕진호수축제", "전북자치도"} <= forms
    Analyser().kiwi            # back to the shared Kiwi for the other tests


@pytest.mark.parametrize("content,needle", [
    ("전주\tXYZ\n", "bad.tsv:1: unknown tag 'XYZ'"),
    ("# ok\n전주 시청\tNNP\n", "bad.tsv:2: '전주 시청' has a space"),
    ("전주\tNNP\tmany\n", "bad.tsv:1: the score 'many' is not a number"),
])
def test_a_bad_user_dictionary_is_one_line_naming_file_and_line(tmp_path, content, needle):
    bad = tmp_path / "bad.tsv"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(UserDictError, match=needle):
        check_settings(userdict=bad)
    (tmp_path / "newspipe.toml").write_text(f'[nlp]\nuserdict = "{bad}"\n', encoding="utf-8")
    res = newspipe("--db", tmp_path / "x.db", "run", "--no-crawl", "--no-translate", cwd=tmp_path)
    assert res.returncode != 0 and res.stderr.count("\n") == 1 and needle in res.stderr, res.stderr


def test_bad_model_type_and_missing_dictionary_fail_before_kiwi_loads(tmp_path):
    with pytest.raises(NlpSettingsError, match="unknown Kiwi model type 'huge'"):
        check_settings(model_type="huge")
    with pytest.raises(UserDictError, match="cannot read user dictionary"):
        check_settings(userdict=tmp_path / "missing.tsv")
    with pytest.raises(NlpSettingsError, match="at least 1"):
        check_settings(num_workers=0)


def test_sentences_have_offsets_into_the_stored_body_and_userdict_names_stay_whole(analyser):
    body = "전북자치도는 26일 “새만금 예산”을 논의했다. 전주시는 수상했다고 밝혔다.\n둘째 문단이다."
    a = analyser.analyse(body, "전북자치도 새만금")
    assert [s.text for s in a.sentences] == [body[s.start:s.end] for s in a.sentences]
    assert a.sentences[-1].para == 1 and all(s.start >= 0 for s in a.sentences)
    forms = {(f, t) for s in a.sentences for f, t, _ in s.morphs}
    assert ("전북자치도", "NNP") in forms and ("새만금", "NNP") in forms
    assert "수상 하다" in a.search_text
    assert dict(a.keywords)["전북자치도"] >= 2


def test_the_streaming_word_forms_equal_those_read_back_from_the_sentences(analyser):
    """Two codes turn morphemes into word forms: nlp/gather.py while Kiwi's tokens stream (a term at a time) and
    nlp.analyse.surface_forms from stored sentences (an archive upgraded from before m003 rebuilds ko_forms
    that way). Both must give each word the same search terms. Text written for the test, with a multi-word
    entry, a contraction, Latin letters, numbers and punctuation at word edges."""
    from nlp.analyse import surface_forms
    body = ("전주시는 26일 한옥마을 야간 개장을 평일까지 넓힌다고 밝혔다. 시는 셔틀버스를 밤 10시까지 운행했다.\n"
            "“미국 환경보호국(EPA)은 새 기준을 발표했다”며 전북자치도 관계자가 설명했다.\n"
            "수상했다는 소식에 군산·익산 주민들이 모였다… 3.5%가 늘었다고 한다.")
    a = analyser.analyse(body, "")
    read_back: dict[str, str] = {}
    offset = 0
    for i, para in enumerate(body.split("\n")):
        morphs = [m for s in a.sentences if s.para == i for m in s.morphs]
        for word, terms in surface_forms(para, morphs, offset).items():
            read_back.setdefault(word, terms)
        offset += len(para) + 1
    assert a.forms == read_back and len(a.forms) > 20
    assert a.forms["전주시는"].split()[0] == "전주시" and "수상 하다" in a.forms["수상했다는"]


def test_the_archives_analysis_without_morphemes_is_the_full_one_less_them(analyser):
    """The run asks for its analyses without the sentences' morphemes (analyse_many(morphs=False): the archive
    does not keep them, and not making them is a seventh of the gathering): everything else must be what the
    full analysis gives. On the demo site's real article pages, cleaned, and a text with a multi-word entry, a
    title of two sentences, a tab and no-break spaces."""
    from pipeline.demo import PAGES, PAGES_DIR
    from scrapers.clean import clean_page
    items = [("own", "“미국 환경보호국(EPA)은 새 기준을 발표했다”며\t관계자가 설명했다.\n수상했다는 소식에 군산·익산 "
                     "주민들이 모였다… 3.5%가 늘었다.", "전북자치도\u00a0새만금 예산. 전주시는 밝혔다")]
    for p in PAGES:
        art = clean_page((PAGES_DIR / p.file).read_bytes(), "https://example.com" + p.path, p.content_type)
        if art.body_text:
            items.append((p.file, art.body_text, art.title))
    assert len(items) > 8
    full = dict(analyser.analyse_many(items))
    lean = dict(analyser.analyse_many(items, morphs=False))
    for key, a in full.items():
        b = lean[key]
        assert all(s.morphs for s in a.sentences) and not any(s.morphs for s in b.sentences)
        for s in a.sentences:
            s.morphs = []
        assert a == b, key
    assert "환경보호국" in full["own"].search_text.split() and full["own"].forms["환경보호국(EPA)은"]
