r"""The page-text cleaner on the genres beyond the news report (round 13 of issue 13): a photo text signed with the
© credit of its outlet and photographer ('…이루고 있다. ⓒ가나포커스 홍길동기자') keeps its sentence, loses the
credit and names the reporter, and a photo-news page whose only text is such a ▲ caption of several sentences
is that text; a sign-off 'name outlet 기자 e-mail' ('홍길동 가나뉴스 기자 hong@…') names the reporter; the date and
bare name that head an ndsoft AMP page ('2003-11-08     홍길동') name the writer when no byline names anyone.
Two patterns of the trailing-byline family went quadratic on a long run of spaces after a sentence ('다.' +
50,000 spaces + 'ⓒ …': 300 s): '\s*/?\s*' split the run every way, and a search that opened with '\s*' scanned
the run from each of its spaces. Every line here is written for the test (no outlet's text)."""
from __future__ import annotations

import pytest

from conftest import linear_enough

from scrapers.clean import clean_text
from scrapers.clean.classify import classify, reporter_names, strip_trailing_byline
from scrapers.clean.reader import DATE_WRITER, OUTLET_BYLINE
from scrapers.clean.tails import strip_mark_credit

PARA = "가나시가 내년도 본예산을 1조 200억 원 규모로 편성했다고 3일 밝혔다."
PARA2 = "이는 올해 본예산보다 8.1% 늘어난 규모로, 시 출범 이후 처음으로 1조 원을 넘어섰다."
PARA3 = "시는 복지와 교통 분야 예산을 크게 늘렸다고 설명했다."
SHOT = "3일 오후 가나공원 분수대 주변이 더위를 피하려는 시민들로 붐비고 있다."
SHOT2 = "가나시는 이달 말까지 분수대를 밤 10시까지 운영한다."


# --- a © credit of outlet and photographer glued after the sentence ---------------------------------------

@pytest.mark.parametrize("credit, name", [
    ("ⓒ가나포커스 홍길동기자", "홍길동"),
    ("ⓒ 가나포커스 홍길동 기자", "홍길동"),
    ("© 홍길동 기자", "홍길동"),
    ("ⓒ가나뉴스1 홍길동 사진기자", "홍길동"),
])
def test_a_mark_credit_after_the_sentence_leaves_it_and_names_the_reporter(credit, name):
    line = SHOT + " " + SHOT2 + " " + credit
    assert strip_mark_credit(line) == (SHOT + " " + SHOT2, [name], credit)
    assert strip_trailing_byline(line) == (SHOT + " " + SHOT2, [name], credit)
    assert classify(line)[0] == "body"          # the line was a 'copyright line', sentence and all


@pytest.mark.parametrize("line", [
    SHOT + " ⓒ 가나포커스 무단전재 및 재배포 금지",      # a notice, not a credit: no reporter
    "ⓒ가나포커스 홍길동기자",                            # the credit alone: no sentence before it
    SHOT + " 홍길동 기자",                               # no mark: the trailing-byline family's, not this one's
    "가나포커스 ⓒ 홍길동 기자가 찍은 사진이 상을 받았다.",  # the mark inside a sentence
])
def test_no_mark_credit_where_there_is_none(line):
    assert strip_mark_credit(line) is None


def test_a_paragraph_signed_with_a_mark_credit_stays_text():
    art = clean_text("\n".join(["가나시 예산 1조 원 넘어", "", PARA, PARA2, PARA3 + " ⓒ가나포커스 홍길동기자",
                                "저작권자 © 가나포커스 무단전재 및 재배포 금지"]))
    assert art.body_text == "\n".join([PARA, PARA2, PARA3])
    assert art.authors == ["홍길동"]


def test_a_one_line_page_signed_with_a_mark_credit_keeps_its_last_sentence():
    """Text with no line breaks is cut into sentences: the credit stays one with the sentence it closes (cut
    apart, '…있다. ⓒ가나포커스' was a copyright line and the name a reporter line of its own)."""
    art = clean_text(" ".join([PARA, PARA2, PARA3, "ⓒ가나포커스 홍길동기자"]))
    assert art.body_text == " ".join([PARA, PARA2, PARA3])
    assert art.authors == ["홍길동"]


def test_a_photo_news_page_is_its_caption_of_several_sentences():
    """The page's only text is the ▲ caption: both its sentences are the article (the first was all that was
    left: the second went with the credit as a 'copyright line')."""
    art = clean_text("\n".join(["▲" + SHOT + " " + SHOT2 + " ⓒ가나포커스 홍길동기자", "",
                                "저작권자 © 가나포커스 무단전재 및 재배포 금지"]))
    assert art.body_text == "▲" + SHOT + " " + SHOT2
    assert art.authors == ["홍길동"]


def test_a_credited_caption_above_an_article_stays_a_caption():
    art = clean_text("\n".join(["가나시 예산 1조 원 넘어", "", "▲" + SHOT + " ⓒ가나포커스 홍길동기자", "", PARA, PARA2,
                                PARA3, "김철수 기자 kim@gana.example"]))
    assert art.body_text == "\n".join([PARA, PARA2, PARA3])
    assert len(art.captions) == 1 and SHOT in art.captions[0].text
    assert art.authors == ["김철수"]


# --- 'name outlet 기자 e-mail' --------------------------------------------------------------------------

@pytest.mark.parametrize("line, names", [
    ("홍길동 가나데이터뉴스 기자 hong@gana.example", ["홍길동"]),
    ("홍길동 가나일보 기자 hong@gana.example", ["홍길동"]),
    ("홍길동 가나TV 기자 hong@gana.example", ["홍길동"]),
])
def test_a_sign_off_with_the_outlet_between_name_and_title_names_the_reporter(line, names):
    assert OUTLET_BYLINE.match(line)
    assert reporter_names(line) == names


@pytest.mark.parametrize("line", [
    "홍길동 가나데이터뉴스 기자",                  # no e-mail: not this family's shape
    "가나데이터뉴스 홍길동 기자 hong@gana.example",  # the outlet first: another family's
    "취재 홍길동 기자 hong@gana.example",           # no media noun between name and title
    "취재 가나일보 기자 hong@gana.example",          # found in review: a label is no name ('취재' was the author)
    "사진 가나일보 기자 hong@gana.example", "문의 가나데이터뉴스 기자 hong@gana.example",
])
def test_no_outlet_sign_off_where_there_is_none(line):
    assert not OUTLET_BYLINE.match(line)


def test_the_outlet_sign_off_names_the_reporter_of_a_page():
    art = clean_text("\n".join([PARA, PARA2, "홍길동 가나데이터뉴스 기자 hong@gana.example",
                                "<저작권자 © 가나데이터뉴스, 무단 전재 및 재배포 금지>"]))
    assert art.body_text == "\n".join([PARA, PARA2])
    assert art.authors == ["홍길동"]


# --- ndsoft AMP: the date and the writer's bare name -------------------------------------------------------

@pytest.mark.parametrize("line, name", [
    ("2003-11-08     홍길동", "홍길동"),
    ("2021-08-08 14:05     김철수", "김철수"),
    ("2003-11-08     수요일", None),            # a weekday is no writer
    ("2003-11-08     입력", None),
    ("2003-11-08 홍길동 기자가 썼다", None),     # more than a name after the date
    # found in review: a date and one word a space apart is a head line, not a byline (they became authors)
    ("2025-05-27 전주", None), ("2025-05-27 12:30 속보", None), ("2025-05-27 오늘", None),
    ("2025-05-27     종합", None), ("2025-05-27     사회", None),
])
def test_the_amp_date_line_gives_the_writer(line, name):
    m = DATE_WRITER.match(line)
    assert (m.group("name") if m else None) == name


AMP_HEAD = ["가나군 군민체육대회 성료", "", "가나읍 2년 연속 우승", "", "2003-11-08     홍길동"]


def test_the_amp_writer_is_the_author_when_no_byline_names_anyone():
    art = clean_text("\n".join(AMP_HEAD + [PARA, "", PARA2, "", PARA3]))
    assert art.authors == ["홍길동"]
    assert art.published_at.startswith("2003-11-08")
    assert art.body_text == "\n".join([PARA, PARA2, PARA3])


def test_a_byline_outranks_the_amp_writer():
    """The page spells the writer one way on the AMP line and the byline another: the byline's is taken."""
    art = clean_text("\n".join(AMP_HEAD + ["[가나신문=홍길순기자] " + PARA, "", PARA2, "", PARA3]))
    assert art.authors == ["홍길순"]


# --- bounded time on hostile lines (50,000 characters; the 5 s bound is for a slow machine, not a target) ---

HOSTILE = ["다. ⓒ" + "가" * 50_000 + " 기자", "다. " + "ⓒ가나 " * 10_000 + "홍길동기자", "다." + " " * 50_000 + "ⓒ 홍길동 기자",
           "홍길동 " + "가" * 50_000 + "뉴스 기자 hong@gana.example", "홍길동 " + "뉴스" * 25_000 + " 기자 a@b.c",
           "2003-11-08" + " " * 50_000 + "홍길동", "다." + " " * 50_000 + "/가", "다." + " " * 50_000 + "기자", "2003-11-08 " + "가" * 50_000, "▲" + "가나다. " * 10_000 + "ⓒ가나 홍길동기자"]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_round13_families_are_linear_on_hostile_lines(line):
    def run(line):
        strip_mark_credit(line)
        strip_trailing_byline(line)
        reporter_names(line)
        DATE_WRITER.match(line)
        clean_text(line + "\n" + PARA)
        clean_text("\n".join([line, PARA, PARA2, PARA3]))
    linear_enough(run, line)


@pytest.mark.parametrize("head", ["2025-05-27 전주", "2025-05-27 12:30 속보", "2025-05-27 오늘", "2025-05-27 종합"])
def test_a_date_and_a_word_a_space_apart_name_no_author(head):
    """Found in review: any date line followed by one word named that word the author ('전주', '속보') when no
    byline named anyone; only the AMP layout's wide gap ('2003-11-08     홍길동') marks a writer."""
    art = clean_text("\n".join(["가나군 군민체육대회 성료", "", head, PARA, "", PARA2, "", PARA3]))
    assert art.authors == [] and art.body_text == "\n".join([PARA, PARA2, PARA3])
