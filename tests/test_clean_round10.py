"""The page-text cleaner on typical regional pages (round 10 of issue 13): a headline or deck set between dashes
('- 가나시, 내년 예산 1조 원 돌파 -', '- 부제') is the headline or the deck, never a list item or furniture; a place in
square brackets that the lede then names ('[울진]울진군 …') is a dateline; the desk that signs a piece in brackets
after its last sentence ('… 말했다. <편집부>') leaves the text and names no author; a byline with the date in words
after a slash ('홍길동 기자 / 입력 : 2012년 06월 11일(월) 14:36') gives the author and the date; the site's date over its weather
widget ('2025.05.28 (수)' / '• 맑음가나 17.6℃') is the day the page was viewed, not the article's. Every line here is
written for the test (no outlet's text)."""
from __future__ import annotations


import pytest

from conftest import linear_enough

from scrapers.clean import clean_text
from scrapers.clean.classify import classify
from scrapers.clean.dates import header_dates
from scrapers.clean.glued import strip_glued_end
from scrapers.clean.lead import strip_byline_prefix
from scrapers.clean.pagetext import _unframed

PARA = "가나시가 내년도 본예산을 1조 200억 원 규모로 편성했다고 3일 밝혔다."
PARA2 = "이는 올해 본예산보다 8.1% 늘어난 규모로, 시 출범 이후 처음으로 1조 원을 넘어섰다."
PARA3 = "시는 복지와 교통 분야 예산을 크게 늘렸다고 설명했다."
TAIL = ["홍길동 기자 hong@gana.example", "저작권자 © 가나예시일보 무단전재 및 재배포 금지"]


def _page(*lines: str) -> str:
    return "\n".join([*lines, PARA, PARA2, PARA3, *TAIL])


# --- a headline or deck between dashes -------------------------------------------------------------------

@pytest.mark.parametrize("head, deck, title, subtitle", [
    ("- 가나시, 내년 예산 1조 원 돌파 -", "- 복지·교통 분야 대폭 증액", "가나시, 내년 예산 1조 원 돌파", "복지·교통 분야 대폭 증액"),
    ("- 가나시, 내년 예산 1조 원 돌파 -", "", "가나시, 내년 예산 1조 원 돌파", ""),
    ("-가나시, 내년 예산 1조 원 돌파-", "-복지·교통 분야 대폭 증액-", "가나시, 내년 예산 1조 원 돌파", "복지·교통 분야 대폭 증액"),
    ("― 가나시, 내년 예산 1조 원 돌파 ―", "― 복지·교통 분야 대폭 증액 ―", "가나시, 내년 예산 1조 원 돌파", "복지·교통 분야 대폭 증액"),
    ("가나시, 내년 예산 1조 원 돌파", "- 복지·교통 분야 대폭 증액", "가나시, 내년 예산 1조 원 돌파", "복지·교통 분야 대폭 증액"),
    ("가나시, 내년 예산 1조 원 돌파", "", "가나시, 내년 예산 1조 원 돌파", ""),
])
def test_a_headline_or_deck_between_dashes_is_the_headline_or_the_deck(head, deck, title, subtitle):
    art = clean_text(_page(head, deck))
    assert (art.title, art.subtitle) == (title, subtitle)
    assert art.body == [PARA, PARA2, PARA3]
    assert art.authors == ["홍길동"]


def test_a_deck_that_opens_with_a_dash_is_never_the_headline_on_its_own():
    # the stored text lacks the headline: the deck is no title (and no body)
    art = clean_text(_page("- 복지·교통 분야 대폭 증액"))
    assert art.title == "" and art.body == [PARA, PARA2, PARA3]


def test_a_list_of_dashed_items_inside_the_text_stays_text():
    items = ["- 복지 예산 3천억 원으로 늘려", "- 교통 예산 1천억 원으로 늘려", "- 청년 예산 500억 원 새로 편성"]
    art = clean_text("\n".join(["가나시, 내년 예산 1조 원 돌파", PARA, "주요 내용은 다음과 같다.", *items, PARA3, *TAIL]))
    assert art.title == "가나시, 내년 예산 1조 원 돌파"
    assert all(i in art.body for i in items)


@pytest.mark.parametrize("line, text, deck_only", [
    ("- 가나 -", "가나", False), ("- 가나", "가나", True), ("--- 가나 ---", "가나", False), ("가나 - 다라", "가나 - 다라", False),
    ("-", "-", False), (" - - ", " - - ", False), ("2024-05-12", "2024-05-12", False),
])
def test_unframed_reads_the_dashes_off(line, text, deck_only):
    assert _unframed(line) == (text, deck_only)


# --- a place in brackets that the lede names ---------------------------------------------------------------

@pytest.mark.parametrize("line, rest, dateline", [
    ("[울진]울진군 홍길동 부군수는 17일 구호품을 전달했다고 밝혔다.", "울진군 홍길동 부군수는 17일 구호품을 전달했다고 밝혔다.", "울진"),
    ("[가나] 가나시는 17일 구호품을 전달했다고 밝혔다.", "가나시는 17일 구호품을 전달했다고 밝혔다.", "가나"),
    ("[가나] 경북 가나군은 17일 구호품을 전달했다고 밝혔다.", "경북 가나군은 17일 구호품을 전달했다고 밝혔다.", "가나"),
])
def test_a_place_in_brackets_that_the_lede_names_is_a_dateline(line, rest, dateline):
    assert strip_byline_prefix(line) == (rest, [], line[:line.index("]") + 1], dateline)
    art = clean_text("\n".join(["가나군, 포항시에 구호품 전달", line, PARA2, PARA3]))
    assert art.body[0] == rest and art.dateline == dateline


@pytest.mark.parametrize("line", [
    "[단독]가나시는 17일 구호품을 전달했다고 밝혔다.",          # a label, not a place the sentence names
    "[기고]지역 경제를 살리는 길은 멀지 않다고 생각한다.",
    "[가나] 다라시는 17일 구호품을 전달했다고 밝혔다.",          # the place is not the one the lede names
])
def test_a_bracketed_label_that_the_lede_does_not_name_stays(line):
    assert strip_byline_prefix(line)[0] == line


# --- the desk that signs the piece ------------------------------------------------------------------------

@pytest.mark.parametrize("end", ["<편집부>", " <편집부>", " (사회부)", " [지역취재팀]", " 〈편집국〉", " (디지털뉴스부)"])
def test_the_desk_signing_after_the_last_sentence_leaves_the_text(end):
    assert strip_glued_end(PARA3 + end) == (PARA3, end.strip(), "desk signature")
    art = clean_text("\n".join(["가나시, 내년 예산 1조 원 돌파", PARA, PARA2, PARA3 + end]))
    assert art.body == [PARA, PARA2, PARA3] and art.authors == []


@pytest.mark.parametrize("line", [
    "시는 복지 예산을 편집부 예산보다 늘렸다고 설명했다",       # no sentence before the brackets, no brackets
    "군은 새 조직 (사회부) 신설을 검토한다고 밝혔다.",            # inside the sentence
    "시는 <편집부> 공모를 열었다",
])
def test_a_desk_named_inside_the_sentence_stays(line):
    assert strip_glued_end(line)[0] == line


# --- a byline with the date in words ----------------------------------------------------------------------

@pytest.mark.parametrize("line, when", [
    ("홍길동 기자 / 입력 : 2012년 06월 11일(월) 14:36", "2012-06-11T14:36:00+09:00"),
    ("홍길동 기자 / 입력 2012년 6월 11일 14:36", "2012-06-11T14:36:00+09:00"),
    ("홍길동 기자 | 입력 : 2012. 06. 11(월) 14:36", "2012-06-11T14:36:00+09:00"),
])
def test_a_byline_with_the_date_in_words_gives_author_and_date(line, when):
    assert classify(line)[0] == "date"
    art = clean_text("\n".join(["가나시, 내년 예산 1조 원 돌파", "복지·교통 분야 대폭 증액", line, PARA, PARA2, PARA3]))
    assert art.authors == ["홍길동"] and art.published_at == when
    assert art.body == [PARA, PARA2, PARA3]


def test_a_sentence_with_a_date_in_words_stays_text():
    line = "홍길동 기자는 2012년 06월 11일 오후 2시 14:36쯤 현장에 도착해 피해 상황을 취재했다고 전했다."
    assert classify(line)[0] == "body"


# --- a site's header date over its weather widget -----------------------------------------------------------

WIDGET = ["2025.05.28 (수)", "  • 맑음가나 17.6℃", "  • 구름많음다라 18.2℃", "  • 흐림마바 -0.9℃", "기상청 제공"]


def test_the_sites_date_over_its_weather_widget_is_not_the_articles_date():
    art = clean_text("\n".join([*WIDGET, "사회", "가나시, 내년 예산 1조 원 돌파", PARA, PARA2, PARA3, *TAIL]))
    assert art.published_at is None
    assert art.title == "가나시, 내년 예산 1조 원 돌파" and art.body == [PARA, PARA2, PARA3]


def test_the_articles_own_date_line_still_counts_under_a_weather_widget():
    art = clean_text("\n".join([*WIDGET, "가나시, 내년 예산 1조 원 돌파", "입력 2025.05.20 10:31", PARA, PARA2, PARA3]))
    assert art.published_at == "2025-05-20T10:31:00+09:00"


def test_a_date_line_with_no_weather_under_it_is_still_the_date():
    art = clean_text("\n".join(["2025.05.28 (수)", "가나시, 내년 예산 1조 원 돌파", PARA, PARA2, PARA3]))
    assert art.published_at == "2025-05-28T00:00:00+09:00"


# --- bounded time on hostile lines (50,000 characters; the 5 s bound is for a slow machine, not a target) ---

HOSTILE = ["- " * 25_000 + "가나", "-" * 50_000, "- " + "가나 " * 16_000 + "-", "[가나]" + "가" * 50_000, "[" * 50_000 + "가나]",
           "다." + " " * 50_000 + "<편집부>", "다." + "<" * 50_000 + "편집부>", "다.(" + "가" * 50_000 + "부)",
           "홍길동 기자 / 입력 : " + "2012년 " * 8_000 + "14:36", "2012년 06월 11일" + "(" * 50_000 + "14:36",
           "2025.05.28\n" + "맑음 " * 16_000 + "℃", "\n".join(["2025.05.28 (수)", "• 맑음가나 1℃"] * 3_000)]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_round10_families_are_linear_on_hostile_lines(line):
    def run(line):
        header_dates(line.split("\n"), list(range(len(line.split("\n")))))
        _unframed(line)
        strip_byline_prefix(line)
        strip_glued_end(line)
        classify(line)
        clean_text(line + "\n" + PARA)
        clean_text(line + "\n" + _page())
    linear_enough(run, line)
