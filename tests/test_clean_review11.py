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


# --- review 12: round 16's rules on ordinary writing ------------------------------------------------------------

SPACED = ["가나시 중앙시장에 모처럼 손님", "", PARA, ""]
CLOSE = ["", PARA2, "", PARA3, "", "김철수 기자"]


def test_a_features_noun_phrase_sentence_and_the_quote_under_it_stay_in_the_body():
    scene = "10일 오전 찾은 시장 입구부터 장을 보러 나온 시민들로 북적이는 모습."
    quote = "상인들은 오랜만의 대목에 표정이 밝았다. 한 상인은 \"코로나 이후 이런 날은 처음\"이라고 말했다."
    art = clean_text("\n".join(SPACED + [scene, quote] + CLOSE))
    assert art.body[:3] == [PARA, scene, quote] and not any(c.text in (scene, quote) for c in art.captions)


@pytest.mark.parametrize("line", ["이것이 지금 우리 정치의 부끄러운 현장.", "노란 유채꽃이 들판을 가득 메운 풍경."])
def test_a_noun_phrase_paragraph_of_its_own_stays_in_the_body(line):
    art = clean_text("\n".join(SPACED + [line] + CLOSE))
    assert line in art.body and art.body.index(line) == 1


def test_a_noun_phrase_caption_over_its_second_line_is_still_a_caption():
    caption = "가나군 가나면 홍길동씨의 멜론하우스 10동이 침수 피해를 입은 모습."
    second = "수확을 앞둔 멜론이 물에 둥둥 떠있다. 수확을 코앞에 둔 멜론은 모두 폐기해야 한다."
    art = clean_text("\n".join(SPACED + [caption, second] + CLOSE))
    assert caption not in art.body and second not in art.body
    assert {caption, second} <= {c.text for c in art.captions}


def test_many_noun_phrase_lines_are_linear():
    groups = [["", f"가나시가 {i}번째 예산을 편성했다고 밝혔다.", "", f"가나 시민 {i}명으로 북적이는 모습.",
               f"시민 {i}명은 대목에 표정이 밝았다. 모두 웃었다."] for i in range(3000)]

    def run(text):
        clean_text(text)
    linear_enough(run, "\n".join(["가나시 중앙시장에 모처럼 손님"] + [x for g in groups for x in g] + CLOSE))


def test_a_listings_photo_category_is_an_item_not_a_credit():
    items = ["▲ 회화: 홍길동 개인전 '봄'(가나갤러리, 5월 1일~10일)", "▲ 사진: 김철수 사진전 '바다'(나다미술관, 5월 3일~12일)",
             "▲ 조각: 이영희 조각전 '숲'(라마아트홀, 5월 5일~14일)", "▲ 판화: 박민수 판화전 '길'(바사문화관, 5월 7일~16일)"]
    art = clean_text("\n".join(["가나시 이번 주 전시", "", PARA, "", "이번 주 전시 일정은 다음과 같다.", ""] + items + CLOSE))
    assert all(i in art.body for i in items), art.body
    assert not art.captions


@pytest.mark.parametrize("last", ["오늘도", "천천히", "고맙다"])
def test_a_word_as_the_pages_last_line_is_no_writer(last):
    art = clean_text("\n".join(["가나시 예산 1조 원 넘어", "", PARA, "", PARA2, "", PARA3, "", last]))
    assert last not in art.authors


def test_a_more_articles_link_under_the_text_is_not_its_last_words():
    art = clean_text("\n".join(["가나시 예산 1조 원 넘어", "", PARA, "", PARA2, "", PARA3, "", "홍길동 기자의 기사 더 보기"]))
    assert "홍길동 기자의 기사 더 보기" not in art.body


@pytest.mark.parametrize("name", ["한겨레", "홍보팀"])
def test_an_outlet_or_a_department_over_the_date_is_no_writer(name):
    assert bullet_writer([name, "등록 2025-03-12 10:21"]) == []
    assert bullet_writer(["홍길동", "등록 2025-03-12 10:21"]) == ["홍길동"]


def test_a_credited_drawing_over_the_lede_is_no_title():
    """(review) with no headline, '가나시 신청사 조감도(사진제공=가나시)' above the lede became the title."""
    art = clean_text("\n".join(["가나시 신청사 조감도(사진제공=가나시)", "", PARA, "", PARA2, "", PARA3]))
    assert "조감도" not in art.title
