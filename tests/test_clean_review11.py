"""The page-text cleaner after a review of rounds 14-16: a label's whitespace and optional colon matched in linear
time ('입력' then 50,000 spaces took minutes); a paragraph of whole sentences that lost its end, printed twice, is
kept once in the body (not taken for a photo's caption); an appointment's headline ('국토부 신임 차관') is no
person's line; a wire photo's caption is no headline or deck; a page's buttons and sections ('댓글', '사회') are
no writer. Every line here is written for the test (no outlet's text)."""
from __future__ import annotations

import pytest

from conftest import linear_enough

from scrapers.clean import clean_text
from scrapers.clean.dates import SHORT_YEAR_DATE
from scrapers.clean.reader import POSTED_WRITER, bullet_writer
from scrapers.clean.titles import person_line

PARA = "가나시가 내년도 본예산을 1조 200억 원 규모로 편성했다고 3일 밝혔다."
PARA2 = "이는 올해 본예산보다 8.1% 늘어난 규모로, 시 출범 이후 처음으로 1조 원을 넘어섰다."
PARA3 = "시는 복지와 교통 분야 예산을 크게 늘렸다고 설명했다."

# --- a label, whitespace, an optional colon, whitespace: linear ------------------------------------------------

HOSTILE = ["입력" + " " * 50_000 + "x", "입력" + "\u3000" * 50_000 + "x", "• 승인" + " " * 50_000 + "x",
           "작성일" + " " * 50_000 + "x", "기사입력" + " " * 50_000 + "x", "입력일시" + " " * 50_000 + "x",
           "홍길동 기자 승인" + " " * 50_000 + "x", "발행날짜" + " " * 50_000 + "x", "[인터뷰]" + " " * 50_000 + "x"]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_a_label_then_a_long_run_of_spaces_is_linear(line):
    def run(line):
        POSTED_WRITER.match(line)
        SHORT_YEAR_DATE.match(line)
        clean_text("\n".join(["가나시 예산 1조 원 넘어", line, PARA, "", PARA2, "", PARA3]))
    linear_enough(run, line)


@pytest.mark.parametrize("line", ["입력 2018년12월14일 10시03분 홍길동", "입력: 2018-12-14 홍길동", "입력 ：2018-12-14 10:03 홍길동"])
def test_the_posting_line_still_names_its_writer(line):
    assert POSTED_WRITER.match(line).group("name") == "홍길동"


# --- a paragraph printed twice -----------------------------------------------------------------------------------

CUT = ("시는 내년에도 청년 일자리 사업을 이어가기로 했다. 참여 기업은 올해 40곳에서 내년 80곳으로 두 배로 늘어날 "
       "전망이며")


def test_a_paragraph_printed_twice_stays_once_in_the_body():
    art = clean_text("\n".join(["가나시 청년 일자리 두 배로", "", PARA, "", PARA2, "", CUT, CUT, "", PARA3]))
    assert art.body.count(CUT) == 1 and PARA3 in art.body
    assert not any(c.text == CUT for c in art.captions)


def test_a_short_line_printed_twice_under_the_text_is_still_a_caption():
    art = clean_text("\n".join(["가나시 청년 일자리 두 배로", "", PARA, "", PARA2, "", "가나항 전경", "가나항 전경", "",
                                PARA3]))
    assert "가나항 전경" not in art.body and any(c.text == "가나항 전경" for c in art.captions)


# --- the headline of an appointment -------------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["국토부 신임 차관", "가나도 신임 교육감", "서울대 신임 총장", "가나도 제3대 교육감"])
def test_an_appointments_headline_is_no_persons_line(line):
    assert not person_line(line)


def test_a_persons_line_is_still_one():
    assert person_line("홍길동 가나시의회 부의장") and person_line("김영희 가나대학교 총장")


def test_an_appointments_headline_over_the_text_is_the_title():
    art = clean_text("\n".join(["국토부 신임 차관", "", "입력 2024-05-03 10:21", "", PARA, "", PARA2, "", PARA3]))
    assert art.title == "국토부 신임 차관"


# --- a wire photo's captions ------------------------------------------------------------------------------------

def _caption(n: int) -> str:
    return (f"[가나=가나통신] 홍길동 기자 = 3일 가나시 가나천 산책로에서 시민들이 {n}번째 봄꽃 축제를 즐기고 있다. "
            "2024.05.03. hong@ganatong.example")


def test_a_wire_photos_caption_is_no_subtitle():
    art = clean_text("\n".join(["가나천 봄꽃 축제 개막", "", _caption(1), "", _caption(2), "", _caption(3)]))
    assert art.subtitle in ("", None)


# --- buttons and sections are no writer -------------------------------------------------------------------------

@pytest.mark.parametrize("word", ["댓글", "공유하기", "프린트", "스크랩", "사회"])
def test_a_button_or_a_section_after_the_posting_time_is_no_writer(word):
    assert POSTED_WRITER.match(f"입력 2024-05-03 10:21 {word}") is None
    art = clean_text("\n".join(["가나시 예산 1조 원 넘어", f"입력 2024-05-03 10:21 {word}", "", PARA, "", PARA2, "", PARA3]))
    assert word not in art.authors


def test_a_section_bulleted_over_the_date_is_no_writer():
    assert bullet_writer(["• 사회", "• 승인 2022.10.05 17:43"]) == []
    assert bullet_writer(["• 홍길동", "• 승인 2022.10.05 17:43"]) == ["홍길동"]
