r"""The page-text cleaner on what sits above the article (round 14 of issue 13, from the titles and authors missed
on the tuning folders): a photo text signed '/… 제공' and a line naming only a person are never the headline; a
deck with no headline over it (the stored text opens with a line opening with a figure, or with photo captions,
and runs into the text with no date, byline or share row between) gives no title; a headline printed as a bullet
item over its date line is the headline without the bullet; a byline and '승인' glued after the headline leave it
for ``authors``; a CMS account ('운영자') is no author; a byline with the copyright notice glued after it, a
posting line that ends with the writer's name, and a lead byline whose outlet has an alias in brackets name the
reporter; a wire photo's caption printed as a paragraph (its lead byline, the photo's sentence, the date stamp
and the photographer's e-mail) is a caption, and the reporter is the text's own byline. Every line here is
written for the test (no outlet's text)."""
from __future__ import annotations

import pytest

from conftest import linear_enough

from scrapers.clean import clean_text
from scrapers.clean.lead import strip_byline_prefix
from scrapers.clean.reader import DATE_WRITER, POSTED_WRITER
from scrapers.clean.stamps import wire_photo_caption
from scrapers.clean.titles import (byline_before_notice, credit_caption, opens_with_figure, people_only, person_line,
                                   split_glued_byline, strip_posting_run, vocative)

PARA = "가나시가 내년도 본예산을 1조 200억 원 규모로 편성했다고 3일 밝혔다."
PARA2 = "이는 올해 본예산보다 8.1% 늘어난 규모로, 시 출범 이후 처음으로 1조 원을 넘어섰다."
PARA3 = "시는 복지와 교통 분야 예산을 크게 늘렸다고 설명했다."
TEXT = ["", PARA, "", PARA2, "", PARA3]


# --- lines that are never the headline ----------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "'가나의 밤'이 개봉 첫날 3만 명을 동원해 박스오피스 정상에 올랐다. /가나필름 제공",
    "가나시청 앞 광장에 성탄 트리가 불을 밝혔다 / 가나시 제공",
    "시민들이 가나천 산책로를 걷고 있다. /사진=가나시",
])
def test_a_photo_text_signed_with_its_slash_credit_is_a_caption(line):
    assert credit_caption(line)


@pytest.mark.parametrize("line", [
    "가나시, 새해 예산 1조 원 돌파",
    "가나영화 누적 관객 3만 명 돌파 / 흥행 1위",      # a slash inside a headline, no credit after it
    "/가나필름 제공",                                   # the credit alone: no photo text before it
])
def test_no_slash_credit_where_there_is_none(line):
    assert not credit_caption(line)


@pytest.mark.parametrize("line", [
    "홍길동 (가나제철소)",
    "홍길동(가나시청)",
    "홍길동 가나대학교 입학처장협의회장(나다대 입학처장)",
    "홍길동 가나시의회 부의장",
])
def test_a_line_naming_only_a_person_is_no_headline(line):
    assert person_line(line)


@pytest.mark.parametrize("line", [
    "가나시 (종합)", "폭우로 도로 곳곳 침수 (속보)", "가나시, 새해 예산 1조 원 돌파 (종합)", "가나축제 개막(사진)",
    "가나대학교 입학처장협의회 총회 개최(나다대)", "가나시의회 부의장 선출",
    # found in review: 시장 is a market and 의원 a clinic too (these headlines were taken for a person's line)
    "전주시 남부 시장", "완주군 봉동 전통 시장", "가나동 나다 내과 의원", "김철수 가나내과 의원",
])
def test_a_headline_with_a_tag_in_brackets_is_no_person(line):
    assert not person_line(line)


def test_a_person_line_over_the_text_is_not_the_title():
    art = clean_text("\n".join(["홍길동 (가나제철소)", ""] + TEXT))
    assert art.title == "" and art.body == [PARA, PARA2, PARA3]


def test_a_caption_signed_with_its_credit_is_not_the_title():
    art = clean_text("\n".join(["'가나의 밤'이 개봉 첫날 3만 명을 동원해 박스오피스 정상에 올랐다. /가나필름 제공", ""] + TEXT))
    assert art.title == "" and PARA in art.body


# --- a deck with no headline over it -----------------------------------------------------------------------

@pytest.mark.parametrize("deck", ["3일 가나시 본예산 1조 200억 원 규모 편성", "1조 200억 원 규모…복지·교통 예산 크게 늘려",
                                  "2025년 가나시 본예산 출범 이후 처음 1조 원 넘어"])
def test_a_page_that_opens_with_a_deck_has_no_title(deck):
    art = clean_text("\n".join([deck, ""] + TEXT))
    assert opens_with_figure(deck)
    assert art.title == "" and art.subtitle == deck
    assert art.body == [PARA, PARA2, PARA3]


def test_a_headline_and_its_deck_over_the_text_stay_headline_and_deck():
    """Two deck lines at the top read the same as a headline and its deck: the first is taken for the headline."""
    art = clean_text("\n".join(["가나시, 본예산 1조 원 편성", "복지·교통 분야 예산 크게 늘려", ""] + TEXT))
    assert (art.title, art.subtitle) == ("가나시, 본예산 1조 원 편성", "복지·교통 분야 예산 크게 늘려")


def test_a_headline_and_its_deck_over_the_date_line_stay_headline_and_deck():
    art = clean_text("\n".join(["가나시, 본예산 1조 원 편성", "복지·교통 분야 예산 크게 늘려", "입력 2024-05-01 10:00", ""] + TEXT))
    assert (art.title, art.subtitle) == ("가나시, 본예산 1조 원 편성", "복지·교통 분야 예산 크게 늘려")


def test_a_headline_printed_twice_over_a_short_line_stays_the_title():
    art = clean_text("\n".join(["가나시, 본예산 1조 원 편성", "검색 입력폼 열기", "가나시, 본예산 1조 원 편성", ""] + TEXT))
    assert art.title == "가나시, 본예산 1조 원 편성"


def test_a_speakers_line_under_the_headline_is_no_deck_and_the_salutation_is_text():
    hail, hail2 = "존경하는 가나시민 여러분!", "가나시의 발전을 위해 애쓰시는 시장님과 공직자 여러분, 동료의원 여러분!"
    art = clean_text("\n".join(["제250회 가나시의회 정례회 시정질문", "홍길동 가나시의회 부의장", hail, hail2,
                                "안녕하십니까! 가나시의회 부의장 홍길동입니다."] + TEXT))
    assert art.title == "제250회 가나시의회 정례회 시정질문"
    assert art.body[:3] == [hail, hail2, "안녕하십니까! 가나시의회 부의장 홍길동입니다."]


def test_a_headline_opening_with_a_figure_over_its_date_line_stays_the_title():
    art = clean_text("\n".join(["2025년 가나시 본예산 1조 원 넘어", "입력 2024-05-01 10:00", ""] + TEXT))
    assert art.title == "2025년 가나시 본예산 1조 원 넘어"


def test_a_headline_opening_with_a_word_stays_the_title():
    art = clean_text("\n".join(["가나시 새해 예산 1조 원 넘어", ""] + TEXT))
    assert art.title == "가나시 새해 예산 1조 원 넘어"


def test_the_line_under_a_photo_caption_is_a_deck_not_the_headline():
    art = clean_text("\n".join(["'가나의 밤'이 개봉 첫날 3만 명을 동원해 박스오피스 정상에 올랐다. /가나필름 제공",
                                "가나시 본예산 1조 원 넘어", ""] + TEXT))
    assert art.title == "" and art.body == [PARA, PARA2, PARA3]


def test_a_headline_over_its_photo_caption_stays_the_title():
    art = clean_text("\n".join(["가나시 새해 예산 1조 원 넘어", "▲ 가나시청 전경. (사진=가나시)", ""] + TEXT))
    assert art.title == "가나시 새해 예산 1조 원 넘어"


# --- a headline printed as a bullet item, a headline with the byline glued after it --------------------------

def test_a_bulleted_headline_over_its_date_line_is_the_headline():
    art = clean_text("\n".join(["• 가나시, 2023년 제1회 홍보매체 단체 공모", "  • 입력날짜 2023-03-06 09:13:35", "    • 기사보내기",
                                "소상공인과 비영리단체 지원, 4월 6일까지 공모"] + TEXT))
    assert art.title == "가나시, 2023년 제1회 홍보매체 단체 공모"
    assert art.body == [PARA, PARA2, PARA3]


@pytest.mark.parametrize("title, want", [
    ("[포토 뉴스] 가나축제 개막일 스케치 2 홍길동 기자 승인", ("[포토 뉴스] 가나축제 개막일 스케치 2", "홍길동")),
    ("가나시 새해 예산 1조 원 넘어 홍길동 기자 입력", ("가나시 새해 예산 1조 원 넘어", "홍길동")),
    ("가나시 새해 예산 1조 원 넘어", ("가나시 새해 예산 1조 원 넘어", "")),
    ("[새 얼굴] 홍길동 기자", ("[새 얼굴] 홍길동 기자", "")),              # no posting label: a headline about a reporter
    ("가나 소식 운영자 기자 승인", ("가나 소식 운영자 기자 승인", "")),      # an account, not a name
])
def test_a_byline_glued_after_the_headline_leaves_it(title, want):
    assert split_glued_byline(title) == want


def test_a_page_whose_headline_carries_its_byline():
    art = clean_text("\n".join(["[포토 뉴스] 가나축제 개막일 스케치 2 홍길동 기자 승인", "2022.10.20 17:53", ""] + TEXT))
    assert art.title == "[포토 뉴스] 가나축제 개막일 스케치 2"
    assert art.authors == ["홍길동"]


@pytest.mark.parametrize("run", ["| 최종 수정 2022.10.22 09:09 의견 0 ", "최종수정 2022-10-22 09:09:10 | 댓글 3 ", "| 수정 2022.10.22 "])
def test_the_rest_of_a_posting_line_glued_before_the_text_leaves_it(run):
    assert strip_posting_run(run + PARA) == (PARA, run.strip())


@pytest.mark.parametrize("line", [PARA, "수정 2022.10.22 09:09 의견 0 짧은 글", "수정된 예산안이 2022.10.22 통과됐다."])
def test_no_posting_line_where_there_is_none(line):
    assert strip_posting_run(line) == (line, "")


def test_a_one_line_page_loses_the_posting_line_before_its_text():
    art = clean_text("[포토 뉴스] 가나축제 개막일 스케치 2 홍길동 기자 승인 2022.10.20 17:53 | 최종 수정 2022.10.22 09:09 의견 0 "
                     + " ".join([PARA, PARA2, PARA3]))
    assert art.body_text.startswith(PARA[:10])
    assert art.title == "[포토 뉴스] 가나축제 개막일 스케치 2" and art.authors == ["홍길동"]


# --- who wrote it --------------------------------------------------------------------------------------------

def test_a_cms_account_is_no_author():
    assert people_only(["운영자", "홍길동", "관리자"]) == ["홍길동"]
    art = clean_text("\n".join(["가나시 새해 예산 1조 원 넘어", "운영자 기자 입력 2017/05/17 17:35", ""] + TEXT))
    assert art.authors == []


def test_a_byline_with_the_notice_glued_after_it_names_the_reporter():
    line = "홍길동 객원기자 hong@gana.example <저작권자 ⓒ 가나신문 무단전재 및 재배포 금지>"
    assert byline_before_notice(line) == ["홍길동"]
    assert byline_before_notice("<저작권자 ⓒ 가나신문 무단전재 및 재배포 금지>") == []
    assert byline_before_notice(PARA + " <저작권자 ⓒ 가나신문>") == []          # a sentence, no byline
    art = clean_text("\n".join(["가나시 새해 예산 1조 원 넘어", ""] + TEXT + [line]))
    assert art.authors == ["홍길동"] and art.body == [PARA, PARA2, PARA3]


@pytest.mark.parametrize("line", ["입력 2018년12월14일 10시03분 홍길동", "입력 2018-12-14 10:03 홍길동", "입력: 2018-12-14 홍길동"])
def test_a_posting_line_ending_with_the_writers_name(line):
    assert POSTED_WRITER.match(line).group("name") == "홍길동"
    art = clean_text("\n".join(["가나시 새해 예산 1조 원 넘어", line, ""] + TEXT))
    assert art.authors == ["홍길동"]


@pytest.mark.parametrize("line", ["입력 2018년12월14일 10시03분 수정", "2018년12월14일 오후 홍길동", "입력 2018-12-14 속보",
                                  "2018-12-14 10:03 홍길동"])     # no label: reader.DATE_WRITER's wide gap decides
def test_a_posting_line_without_a_name(line):
    assert not POSTED_WRITER.match(line)


def test_a_lead_byline_whose_outlet_has_an_alias_in_brackets():
    rest, names, prefix, _ = strip_byline_prefix("[가나Q(큐) 홍길동 기자] " + PARA)
    assert (rest, names, prefix) == (PARA, ["홍길동"], "[가나Q(큐) 홍길동 기자]")


@pytest.mark.parametrize("lead, names, where", [
    ("[가나투데이 금산/홍길동기자] ", ["홍길동"], "금산"),              # the place the lede names, then the reporter
    ("[가나투데이 홍길동/김철수 기자] ", ["홍길동", "김철수"], ""),     # two reporters
    ("[가나투데이 김구/홍길동 기자] ", ["김구", "홍길동"], ""),         # a name of two syllables the lede does not name
])
def test_a_place_before_the_slash_of_a_lead_byline_is_the_dateline(lead, names, where):
    rest, got, _, place = strip_byline_prefix(lead + "금산군농업기술센터는 오는 31일까지 3200명을 대상으로 교육을 실시한다."
                                              if where else lead + PARA)
    assert (got, place) == (names, where)


# --- a wire photo's caption printed as a paragraph -------------------------------------------------------------

CAPTION = "【서울=가나통신】홍길동 기자 = 시민들이 22일 오후 가나공원 산책로를 걷고 있다. 2016.07.22. hong@gana.example"


@pytest.mark.parametrize("line", [CAPTION, "[서울=가나통신] 홍길동 기자 = 시민들이 산책로를 걷고 있다. 2016.7.22.",
                                  "시민들이 가나공원 산책로를 걷고 있다. 2016.07.22. hong@gana.example"])
def test_a_wire_photo_caption(line):
    assert wire_photo_caption(line)


@pytest.mark.parametrize("line", [PARA, "[서울=가나통신] 홍길동 기자 = " + PARA,
                                  "시민들이 가나공원 산책로를 걷고 있다. 2016.07.22."])   # a stamp alone: not enough
def test_no_wire_photo_caption(line):
    assert not wire_photo_caption(line)


def test_the_text_under_a_wire_photo_caption_names_its_own_reporter():
    art = clean_text("\n".join(["가나시 새해 예산 1조 원 넘어", "", CAPTION, "", "【서울=가나통신】김철수 기자 = " + PARA, "",
                                PARA2, "", PARA3]))     # five lines: a shorter page is cut into sentences (tails.py)
    assert art.authors == ["김철수"]
    assert art.body == [PARA, PARA2, PARA3]
    assert any("산책로를 걷고 있다" in c.text for c in art.captions)


# --- bounded time on hostile lines (50,000 characters; the 5 s bound is for a slow machine, not a target) ---

HOSTILE = ["다." + " " * 50_000 + "/가 제공", "가" * 50_000 + " /" + "가" * 30 + " 제공", "/" * 50_000 + "제공",
           "홍길동 (" + "가" * 50_000 + ")", "홍길동 " + "(가) " * 10_000, "가나 " * 10_000 + "홍길동 기자 승인",
           "홍길동 기자 " * 5_000 + "<저작권자", "【서울=가나】" + "홍길동 " * 10_000 + "기자 = 다. 2016.07.22. a@b.c",
           "다. 2016.07.22. " * 3_000, "다." + " " * 50_000 + "2016.07.22. a@b.c", "입력 2018년12월14일" + " " * 50_000 + "홍길동",
           "[가나Q(" + "큐" * 50_000 + ") 홍길동 기자] 본문", "여러분" + " " * 50_000 + "x", "여러분 " * 10_000,
           "| 수정 2022.10.22" + " " * 50_000 + "의견 0", "수정 2022.10.22 " + "| " * 25_000,
           "홍길동 " + "가" * 50_000 + " 부의장", "• " * 20_000 + "입력날짜 2023-03-06", "1" * 50_000]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_round14_families_are_linear_on_hostile_lines(line):
    def run(line):
        credit_caption(line)
        person_line(line)
        split_glued_byline(line)
        byline_before_notice(line)
        vocative(line)
        strip_posting_run(line)
        wire_photo_caption(line)
        DATE_WRITER.match(line)
        POSTED_WRITER.match(line)
        strip_byline_prefix(line)
        clean_text(line + "\n" + PARA)
        clean_text("\n".join([line, PARA, PARA2, PARA3]))
    linear_enough(run, line)
