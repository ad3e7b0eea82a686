"""The page-text cleaner on non-local outlets' pages (round 11 of issue 13): a reporter's bare e-mail glued after
the article's last sentence ('… 올렸다. hong@osen.example') leaves the text; a byline row of slash-separated parts
('- 남자프로배구 / 홍길동 기자 / 2025-03-26 10:47:38') names the reporter, never the tail of the section's name; an
ndsoft byline 'name | e-mail' ('홍길동  |  hong@…') names the reporter; a short line that lists who or what is in the
photo in its order ('…컴백예고(왼쪽위부터 시계방향)') is a caption, never the headline; the headline printed again as a
line of its own among the text's first lines ('신규 취항 가이드') is not text. Every line here is written for the test
(no outlet's text)."""
from __future__ import annotations


import pytest

from conftest import linear_enough

from scrapers.clean import clean_text
from scrapers.clean.classify import reporter_names, strip_trailing_byline
from scrapers.clean.reader import places_people_in_photo
from scrapers.clean.tails import strip_trailing_email

PARA = "가나시가 내년도 본예산을 1조 200억 원 규모로 편성했다고 3일 밝혔다."
PARA2 = "이는 올해 본예산보다 8.1% 늘어난 규모로, 시 출범 이후 처음으로 1조 원을 넘어섰다."
PARA3 = "시는 복지와 교통 분야 예산을 크게 늘렸다고 설명했다."


# --- a bare e-mail after the last sentence ----------------------------------------------------------------

@pytest.mark.parametrize("line, core, email", [
    (PARA + " " + PARA2 + " hong0827@osen.example", PARA + " " + PARA2, "hong0827@osen.example"),
    (PARA + " " + PARA2 + "  hong@gana.example ", PARA + " " + PARA2, "hong@gana.example"),
    (PARA + " 그는 “끝까지 가겠다”고 말했다” hong@gana.example", PARA + " 그는 “끝까지 가겠다”고 말했다”", "hong@gana.example"),
])
def test_a_bare_email_after_the_last_sentence_leaves_it(line, core, email):
    assert strip_trailing_email(line) == (core, [], email)
    assert strip_trailing_byline(line) == (core, [], email)


@pytest.mark.parametrize("line", [
    "문의는 hong@gana.example",                        # the e-mail is what the sentence gives: no sentence before it
    "담당 부서 연락처 hong@gana.example",
    PARA3,                                             # no e-mail
    "다. hong@gana.example",                           # too short a text before it
    "여러분의 제보를 기다립니다. jebo@gana.example",    # the outlet's tip line: one notice, removed whole
])
def test_an_email_that_is_part_of_the_text_stays(line):
    assert strip_trailing_email(line) is None


def test_a_one_line_article_loses_its_glued_email_and_keeps_every_sentence():
    art = clean_text(" ".join([PARA, PARA2, PARA3]) + " hong0827@osen.example\n")
    assert "hong0827@osen.example" not in art.body_text
    for sentence in (PARA, PARA2, PARA3):
        assert sentence in art.body_text


# --- bylines: slash-separated rows and 'name | e-mail' ----------------------------------------------------

@pytest.mark.parametrize("line, names", [
    ("- 남자프로배구 / 홍길동 기자 / 2025-03-26 10:47:38", ["홍길동"]),
    ("- 여자농구 / 김철수 기자 / 2025-03-26", ["김철수"]),
    ("홍길동 기자 / 2025-03-26", ["홍길동"]),
    ("홍길동  |  hong@gana.example", ["홍길동"]),
    ("홍길동 | hong@gana.example", ["홍길동"]),
])
def test_byline_rows_name_the_reporter(line, names):
    assert reporter_names(line) == names


def test_a_section_name_is_not_an_author_and_the_ndsoft_byline_is():
    art = clean_text("\n".join(["가나시, 내년 예산 1조 원 돌파", "- 남자프로배구 / 홍길동 기자 / 2025-03-26 10:47:38",
                                PARA, PARA2, PARA3]))
    assert art.authors == ["홍길동"]
    art = clean_text("\n".join(["가나시, 내년 예산 1조 원 돌파", "홍길동  |  hong@gana.example", "승인 2018.07.19  11:18:54",
                                PARA, PARA2, PARA3]))
    assert art.authors == ["홍길동"]
    assert "hong@gana.example" not in art.body_text


# --- a caption that lists the photo's people in order -----------------------------------------------------

@pytest.mark.parametrize("line, caption", [
    ("가나, 다라-M 마바, AOA, YG 컴백예고(왼쪽위부터 시계방향)", True),
    ("홍길동 가나시장, 김철수 다라군수(왼쪽부터)", True),
    ("수상자들이 기념촬영을 했다(사진 오른쪽부터)", True),
    ("홍길동 시장(왼쪽에서부터)", True),
    ("가나시, 내년 예산 1조 원 돌파", False),
    ("가나시 예산(왼쪽 표)", False),
    ("가나" * 70 + "(왼쪽부터)", False),                  # a long line is no such caption
])
def test_a_line_listing_the_photo_in_order_is_a_caption(line, caption):
    assert places_people_in_photo(line) is caption


def test_the_photo_order_line_is_no_headline():
    art = clean_text("\n".join(["가나, 다라-M 마바, AOA, YG 컴백예고(왼쪽위부터 시계방향)", "", PARA, PARA2, PARA3]))
    assert art.title == ""
    assert art.body_text == "\n".join([PARA, PARA2, PARA3])


# --- the headline printed again among the first lines -----------------------------------------------------

def test_the_headline_printed_again_over_the_text_leaves_it():
    art = clean_text("\n".join(["HOME >", "신규 취항 가이드", "", "신규 취항 가이드", "", PARA, PARA2, PARA3]))
    assert art.title == "신규 취항 가이드"
    assert art.body_text == "\n".join([PARA, PARA2, PARA3])


def test_a_sentence_that_opens_with_the_headline_stays():
    lede = "신규 취항 가이드가 올해도 공항 곳곳에 비치됐다고 공항공사가 밝혔다."
    art = clean_text("\n".join(["HOME >", "신규 취항 가이드", "", lede, PARA, PARA2, PARA3]))
    assert art.body_text == "\n".join([lede, PARA, PARA2, PARA3])


# --- bounded time on hostile lines (50,000 characters; the 5 s bound is for a slow machine, not a target) ---

HOSTILE = ["다. " + "a" * 50_000 + "@", "다. " + "a@" * 25_000, "다." + " " * 50_000 + "hong@gana.example",
           "다. " + "hong@" + "a." * 25_000, "홍길동 |" + " " * 50_000 + "hong@gana.example",
           "- " + "가나 / " * 10_000 + "기자", "가" * 50_000 + " / 홍길동 기자", "(" * 25_000 + "왼쪽부터)",
           "가나(" + "왼쪽 " * 16_000 + "부터)", "\n".join(["신규 취항 가이드"] * 5_000)]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_round11_families_are_linear_on_hostile_lines(line):
    def run(line):
        strip_trailing_email(line)
        strip_trailing_byline(line)
        reporter_names(line)
        places_people_in_photo(line)
        clean_text(line + "\n" + PARA)
        clean_text("\n".join([line, PARA, PARA2, PARA3]))
    linear_enough(run, line)
