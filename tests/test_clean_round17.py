r"""The page-text cleaner on round 17's families (issue 13, sample E, held through round 16, now tuning: regional
papers and weeklies of 전남, 광주, 충청, 경기 and national online outlets). Bylines the cleaner did not read: a
trailing slash byline with the name printed apart and the hanja title ('/홍 길 동 記者'), an outlet's bracket byline
without '=' on a line of its own ('[가나일보 홍길동 기자]'), a byline led by '>' ('>가나뉴스=홍길동 기자'). Lines kept in
the body: a tool row one button a line ('• 글자크게', '• 글자작게'), an image's file name under its photo ('… m.jpg'),
a deck ending in its writer's byline with the name apart ('…에 바란다_홍 길 동 시민기자') gives the
author; a weekly's print-issue note ('◈ 이 기사는 …일자 289호에 게재된 기사입니다.'), and the cut-off start of a second copy
of the text that round 16's cut-fragment rule took for the article's last words.
Every line here is written for the test (no outlet's text)."""
from __future__ import annotations

import pytest

from conftest import linear_enough

from scrapers.clean import clean_text
from scrapers.clean.classify import _NOTICE, classify, reporter_names, strip_trailing_byline
from scrapers.clean.edges import _DECK_WRITER, deck_writer
from scrapers.clean.reader import _SPACED_BYLINE, IMAGE_NAME, LINE_BYLINE

P1 = "가나군은 지난 주말 가나공원을 찾은 관광객이 6만 명을 넘었다고 밝혔다. 연휴 동안 공원 입구에는 긴 줄이 이어졌다."
P2 = "군은 다음 달부터 공원 안에 쉼터 열 곳을 새로 만들고, 주말마다 안내 요원을 두 배로 늘릴 계획이라고 덧붙였다."
P3 = "군 관계자는 “찾아 주신 분들이 불편하지 않도록 주차장과 화장실도 더 늘리겠다”고 말했다."
COPYRIGHT = "저작권자 © 가나타임스 무단전재 및 재배포 금지"


def test_a_trailing_slash_byline_with_the_name_apart_and_the_hanja_title_leaves_the_paragraph():
    art = clean_text("\n\n".join([P1 + " " + P2 + " /홍 길 동 記者", COPYRIGHT]))
    assert art.body == [P1 + " " + P2]
    assert art.authors == ["홍길동"]
    # the sentence before it is untouched, and a slash inside the text is no byline
    assert strip_trailing_byline(P1 + " /홍 길 동 記者") == (P1, ["홍길동"], "/홍 길 동 記者")
    assert not _SPACED_BYLINE.search("가나와 다라를 잇는 길 記者")


@pytest.mark.parametrize("line,name", [("[가나일보 홍길동 기자]", "홍길동"), ("(다라뉴스 김철수 기자)", "김철수"),
                                       ("[가나종합일보 이영희 선임기자]", "이영희")])
def test_an_outlets_bracket_byline_on_its_own_line_names_the_reporter(line, name):
    assert classify(line)[0] == "byline"
    assert reporter_names(line) == [name]
    art = clean_text("\n".join(["▲ 가나공원 입구에 늘어선 관광객들.", line, P1, "", P2, "", P3]))
    assert art.body == [P1, P2, P3] and art.authors == [name]


@pytest.mark.parametrize("line", ["[가나공원 안내 지도]", "[사진 홍길동 기자가 찍은 모습]", "(가나 다라 마바)"])
def test_a_bracketed_label_without_an_outlet_and_a_reporter_is_no_byline(line):
    assert not LINE_BYLINE.match(line)


def test_a_byline_led_by_a_chevron_and_a_tool_row_one_button_a_line_leave_the_body():
    page = "\n".join(["가나군, 공원 쉼터 열 곳 새로 만든다", "기사입력 : 2017.07.08", "  • 프린터", "  • 스크랩",
                      "  • 글자크게", "  • 글자작게", ">가나뉴스=홍길동 기자", " ", P1, " ", P2, " ", P3])
    art = clean_text(page)
    assert art.body == [P1, P2, P3]
    assert art.authors == ["홍길동"]


def test_an_images_file_name_between_paragraphs_is_its_caption():
    art = clean_text("\n\n".join([P1, P2, "가나군수 홍길동 m.jpg", P3]))
    assert art.body == [P1, P2, P3]
    assert [c.text for c in art.captions] == ["가나군수 홍길동 m.jpg"]
    assert IMAGE_NAME.match("IMG_1234.JPG") and not IMAGE_NAME.match("사진은 photo.jpg 파일로 받을 수 있다고 밝혔다. " * 3)


def test_a_weeklys_print_issue_note_leaves_the_body_and_a_sentence_about_an_article_stays():
    note = "◈ 이 기사는 2009년 2월 23일자 289호에 게재된 기사입니다."
    assert classify(note)[0] == "notice"
    assert classify("이 기사는 3월 2일자 5면에 실린 기사입니다.")[0] == "notice"
    art = clean_text("\n\n".join([P1, P2, P3, note]))
    assert art.body == [P1, P2, P3]
    said = "그는 이 기사는 지난해 가나일보가 처음 보도한 내용이라며 사실과 다르다고 주장했다."
    assert not _NOTICE.search(said)
    assert clean_text("\n\n".join([P1, said, P2])).body == [P1, said, P2]


def test_the_cut_off_start_of_a_second_copy_of_the_text_is_no_more_of_the_article():
    copy = [P2, P3]
    art = clean_text("\n".join([P1, P2, P3, *copy, "가나군은 지난 주말 가나공원을 찾은 관"]))
    assert art.body == [P1, P2, P3]
    # a fragment that opens no paragraph above is still the text's last words (round 16)
    cut = "군은 공원 입구의 주차장을 두 배로 넓혀"
    assert clean_text("\n".join([P1, P2, P3, cut])).body[-1] == cut


def test_a_deck_ending_in_its_writers_byline_with_the_name_apart_gives_the_author():
    page = "\n\n".join(["[9주년_시민기자]따뜻한 이야기 담아볼게요", "가나타임스에 바란다_홍 길 동 시민기자",
                        "2009-02-26     가나타임스", P1, P2, P3])
    art = clean_text(page)
    assert art.body == [P1, P2, P3] and art.authors == ["홍길동"]
    assert art.subtitle == "가나타임스에 바란다_홍 길 동 시민기자"
    # words apart that open with no surname, or a name written together, are no writer of the deck
    assert deck_writer("그 때 그 기자") == [] and deck_writer("주민 만난 현장 기자") == []
    assert deck_writer("") == [] and deck_writer("가나 소식_김 철 수 기자") == ["김철수"]
    # the title before 기자 is no name: '시민' of '시민기자' was read as the writer's
    assert reporter_names("가나타임스에 바란다_홍 길 동 시민기자") == []
    assert reporter_names("가나 김철수 시민기자 /") == ["김철수"]


HOSTILE = ["/" + "가 " * 30_000 + "記者", "/가" + " " * 50_000 + "記者", "[" + "가" * 50_000 + "일보 홍길동 기자]",
           "[가나일보" + " " * 50_000 + "홍길동 기자]", "[" + "일보" * 25_000 + " 홍길동 기자", ">" * 50_000 + "가나=홍길동 기자",
           "이 기사는 " + "가" * 50_000 + "호에 게재", "이 기사는 " * 10_000, "가" * 50_000 + ".jpg", "가 " * 30_000 + "m.png",
           "\n".join(["가나다라를 마바에서 사", "가나다라를 마바에서 사 아"] * 5_000),
           "_" + "가 " * 30_000 + "기자", " 가" * 30_000 + " 시민 기자"]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_round17_families_are_linear_on_hostile_lines(line):
    def run(line):
        LINE_BYLINE.match(line)
        IMAGE_NAME.match(line)
        _NOTICE.search(line)
        _SPACED_BYLINE.search(line)
        _DECK_WRITER.search(line)
        deck_writer(line)
        reporter_names(line[:60])
        strip_trailing_byline(line)
        clean_text(line + "\n" + P1 + "\n" + P2)
    linear_enough(run, line)
