"""The page-text cleaner on the blocks a scoring cleaner finds hardest: furniture that reads like body (a line
addressed to the reader about the page, a reporter introducing themself, a photo caption written as a sentence,
buttons and signatures glued to a paragraph) and body that reads like furniture (a photo item whose text ends in
its credit after a bare 다, a paragraph printed twice, a headline opening with Hanja). Every line here is
written for the test (no outlet's text)."""
from __future__ import annotations


import pytest

from conftest import linear_enough

from scrapers.clean import clean_text
from scrapers.clean.body import blocks_of
from scrapers.clean.classify import strip_trailing_byline
from scrapers.clean.dates import SHORT_YEAR_DATE, pick_dates
from scrapers.clean.reader import (addresses_reader, funding_note, places_people_in_photo, self_introduction, spaced_slash_byline,
                                   strip_editor_signature, strip_more_button)

PARA = ("군은 올해 상반기 동안 읍면 순회 설명회를 열어 주민 의견을 들었으며, 이를 바탕으로 하반기 사업 계획을 "
        "다시 짰다고 설명했다.")
PARA2 = "설명회에는 주민 300여 명이 참석했고, 도로 정비와 버스 노선 조정을 바라는 목소리가 가장 많았다."


def _page(*lines: str) -> str:
    return "\n".join(lines)


# --- a line addressed to the reader about the page --------------------------------------------------------

@pytest.mark.parametrize("line, about_page", [
    ("이 콘텐츠를 공유하세요.", True),
    ("자동 요약 기술로 기사 내용을 세 줄로 줄인 결과입니다. 전체 흐름은 본문에서 확인하시길 권장합니다.", True),
    ("기사가 마음에 드셨다면 뉴스레터를 구독해 주시기 바랍니다.", True),
    ("댓글을 남기시려면 로그인해 주세요.", True),
    # a notice quoted in the news names no part of the page (one word of it at most)
    ("자세한 내용은 군청 홈페이지를 참고하시기 바랍니다.", False),
    ("군 관계자는 \"주민 여러분의 많은 참여를 부탁드립니다\"라고 말했다.", False),
    ("정보를 서로 공유하는 자리가 되길 바랍니다.", False),
    ("기사 내용을 요약하면 다음과 같다.", False),          # the page's words, but no request
    # a paragraph of news with the page's request glued on (a page that lost its line breaks): text
    ("주민 300여 명이 설명회에 참석했다. 기사더보기 댓글을 작성하려면 로그인해 주세요.", False),
])
def test_lines_addressed_to_the_reader(line, about_page):
    assert addresses_reader(line) is about_page


def test_a_notice_in_full_sentences_after_the_text_leaves_the_body():
    art = clean_text(_page(
        "군, 하반기 사업 계획 다시 짠다",
        PARA,
        PARA2,
        "자동 요약 기술로 기사 내용을 세 줄로 줄인 결과입니다. 전체 흐름은 본문에서 확인하시길 권장합니다.",
        "이 콘텐츠를 공유하세요.",
    ))
    assert art.body == [PARA, PARA2]
    assert any(r.reason == "addressed to the reader about the page" for r in art.removed)


# --- the article's funding note (judgement: the outlet's standing disclosure, not the article's text) -------

@pytest.mark.parametrize("line, note", [
    ("이 기사는 가나언론재단의 지원을 받아 작성됐습니다.", True),
    ("※ 본 기사는 지역신문발전기금을 지원받아 취재했습니다.", True),
    ("본 보도는 가나재단의 후원으로 제작되었습니다.", True),
    ("이 사업은 국비 지원을 받아 추진된다.", False),
    ("군은 이 기사는 사실과 다르다며 정정보도를 요청했다.", False),
])
def test_funding_notes(line, note):
    assert funding_note(line) is note


def test_a_funding_note_under_the_text_leaves_it():
    art = clean_text(_page("군, 하반기 사업 계획 다시 짠다", PARA, PARA2, "이 기사는 가나언론재단의 지원을 받아 작성됐습니다.",
                           "홍길동 기자", "저작권자 © 가나일보 무단전재 및 재배포 금지"))
    assert art.body == [PARA, PARA2]


# --- a reporter introducing themself ---------------------------------------------------------------------

@pytest.mark.parametrize("line, name", [
    ("경제부 김철수 기자입니다.", "김철수"),
    ("충남취재본부 홍길동 기자입니다", "홍길동"),
    ("워싱턴 이영희 특파원입니다.", "이영희"),
    ("이번 설명회에는 홍길동 기자입니다.", ""),            # three words before the name: a sentence, not a profile
    ("홍길동 기자입니다. 오늘은 설명회 소식입니다.", ""),
])
def test_self_introductions(line, name):
    assert self_introduction(line) == name


def test_a_reporter_introducing_themself_under_the_text_is_the_byline():
    art = clean_text(_page("군, 하반기 사업 계획 다시 짠다", PARA, PARA2, "경제부 김철수 기자입니다.", "전체댓글 0"))
    assert art.body == [PARA, PARA2]
    assert art.authors == ["김철수"]


# --- a photo caption written as a sentence ---------------------------------------------------------------

@pytest.mark.parametrize("line, caption", [
    ("박 군수(왼쪽)와 주민 대표가 12일 설명회에서 의견을 나누고 있다.", True),
    ("김 의원(좌)과 이 시장(우)이 본회의장에서 설전을 벌이고 있다.", True),
    ("참석자들이 기념촬영을 하고 있다(앞줄 가운데 박 군수).", False),       # no position right after a name
    ("박 군수(왼쪽)는 설명회에서 주민 의견을 들었다.", False),               # a past event: the text's
    ("박 군수(왼쪽)가 인사하고 있다. 이날 설명회에는 300여 명이 참석했다.", False),   # two sentences: text
])
def test_sentences_placing_people_in_a_photo(line, caption):
    assert places_people_in_photo(line) is caption


def test_a_caption_sentence_between_the_headline_and_the_text_is_a_caption():
    cap = "박 군수(왼쪽)와 주민 대표가 12일 설명회에서 의견을 나누고 있다."
    art = clean_text(_page("군, 하반기 사업 계획 다시 짠다", cap, PARA, PARA2))
    assert art.body == [PARA, PARA2]
    assert [c.text for c in art.captions] == [cap]


# --- a photo page: caption, headline, the same text again -----------------------------------------------

def test_the_photo_text_printed_over_and_under_the_headline_is_caption_then_article():
    text = "주민들이 12일 군청 앞 광장에서 열린 설명회에 참석해 하반기 사업 계획을 듣고 있다."
    art = clean_text(_page(text, "[포토] 설명회 찾은 주민들", text, "사회부 홍길동 기자입니다.", "전체댓글 0"))
    assert art.title == "[포토] 설명회 찾은 주민들"
    assert art.body == [text]
    assert [c.text for c in art.captions] == [text]
    assert art.authors == ["홍길동"]


def test_a_photo_item_ending_in_a_bare_da_before_its_credit_is_the_article():
    text = ("첫눈이 내린 12일 오전 군청 앞 광장에서 아이들이 눈사람을 만들며 뛰어놀고 있는데 추위도 잊은 "
            "모습이 보는 이의 마음까지 따뜻하게 만드는 풍경이다")
    art = clean_text(_page("[가나뉴스]= 홍길동 기자", text + "(사진=가나뉴스=홍길동)", "홍길동 기자 다른 기사 보기"))
    assert art.body == [text]
    assert any(r.reason == "photo credit" for r in art.removed)
    assert art.authors == ["홍길동"]


# --- tails glued to a paragraph's end --------------------------------------------------------------------

@pytest.mark.parametrize("line, core, button", [
    (PARA + " 기사더보기", PARA, "기사더보기"),
    ("주민들이 설명회를 듣고 있다. (사진=군청 제공) 기사 더보기 >", "주민들이 설명회를 듣고 있다. (사진=군청 제공)", "기사 더보기 >"),
    (PARA + " [전문보기]", PARA, "[전문보기]"),
    ("기사더보기", "기사더보기", ""),                          # a button alone stays a button line
    ("군은 누리집에서 자세히 보기 어려운 자료를 정리했다.", "군은 누리집에서 자세히 보기 어려운 자료를 정리했다.", ""),
])
def test_a_more_button_glued_to_a_paragraph(line, core, button):
    assert strip_more_button(line) == (core, button)


@pytest.mark.parametrize("line, core, sig", [
    (PARA + " <편집자 주>", PARA, "<편집자 주>"),
    (PARA + " <편집자>", PARA, "<편집자>"),
    (PARA + "/편집자 주", PARA, "/편집자 주"),
    ("회의에는 신문사 편집자 세 명이 참석했다.", "회의에는 신문사 편집자 세 명이 참석했다.", ""),
])
def test_an_editors_signature_glued_to_a_paragraph(line, core, sig):
    assert strip_editor_signature(line) == (core, sig)


def test_an_editors_note_stays_text_without_its_signature():
    note = "지역 소멸의 현장을 세 차례에 걸쳐 짚는다. 이번 호는 그 첫 번째 순서다. <편집자 주>"
    art = clean_text(_page("[기획] 사라지는 마을", note, PARA, PARA2 + " 기사더보기"))
    assert art.body == [note[:-len(" <편집자 주>")], PARA, PARA2]


def test_a_slash_byline_with_a_spaced_name():
    assert spaced_slash_byline(PARA + " /홍 길 동 기자") == (PARA, "홍길동", "/홍 길 동 기자")
    assert spaced_slash_byline(PARA + " /홍길동 기자") is None          # the common byline's own family
    assert spaced_slash_byline("주민들은 가 나 다 순서로 앉았다.") is None
    assert strip_trailing_byline(PARA + " /홍 길 동 기자") == (PARA, ["홍길동"], "/홍 길 동 기자")
    art = clean_text(_page("군, 하반기 사업 계획 다시 짠다", PARA + " /홍 길 동 기자"))
    assert art.body == [PARA] and art.authors == ["홍길동"]


def test_a_board_posting_line_with_a_two_digit_year_dates_the_article():
    art = clean_text(_page("군, 하반기 사업 계획 다시 짠다", PARA + " /홍 길 동 기자", "글쓴날 : [12-05-01 23:34] 김철수기자[]",
                           "김철수 기자의 다른기사보기"))
    assert art.body == [PARA]
    assert art.published_at == "2012-05-01T23:34:00+09:00"
    assert set(art.authors) == {"홍길동", "김철수"}


# --- body printed twice, a headline opening with Hanja ---------------------------------------------------

def test_a_paragraph_printed_again_with_its_lead_byline_is_kept_once():
    art = clean_text(_page("가나투데이 홍길동 기자 | " + PARA, PARA2, "가나투데이 홍길동 기자 | " + PARA, PARA2))
    assert art.body == [PARA, PARA2]
    assert art.authors == ["홍길동"]


def test_a_headline_opening_with_hanja_is_the_title_not_its_deck():
    art = clean_text(_page(
        "[기획] 군, 하반기 사업 계획 다시 짠다",
        "北 접경 마을 설명회에 주민 300명 몰려",
        "도로 정비·버스 노선 조정 요구 많아",
        "2024-05-12 10:30",
        PARA, PARA2,
    ))
    assert art.title == "[기획] 군, 하반기 사업 계획 다시 짠다"
    assert art.body == [PARA, PARA2]


# --- furniture between two paragraphs: the text goes on after it -----------------------------------------

PARA3 = "군은 주민 의견을 반영한 최종 계획을 다음 달 확정해 내년 예산안에 담을 계획이라고 덧붙였다."
PARA4 = "계획이 확정되면 읍면별로 다시 설명회를 열어 추진 일정을 알릴 예정이다."


def test_a_related_box_between_paragraphs_does_not_end_the_article():
    art = clean_text(_page("군, 하반기 사업 계획 다시 짠다", PARA, PARA2, "[관련기사]", "가나시, 노인 버스 요금 지원 확대",
                           PARA3, PARA4, "홍길동 기자 hong@example.com", "저작권자 © 가나일보 무단전재 및 재배포 금지"))
    assert art.body == [PARA, PARA2, PARA3, PARA4]
    assert any(r.reason == "related box inside the text" for r in art.removed)


def test_a_related_box_with_ledes_after_the_article_stays_out():
    art = clean_text(_page("군, 하반기 사업 계획 다시 짠다", PARA, PARA2, PARA3, "관련기사", "가나시, 노인 버스 요금 지원 확대",
                           "가나시가 노인 버스 요금 지원을 다음 달부터 확대한다고 밝혔다.", "다라군 새 청사 준공식 열려",
                           "다라군은 새 청사 준공식을 열고 본격적인 업무에 들어갔다고 전했다."))
    assert art.body == [PARA, PARA2, PARA3]


def test_an_ad_label_between_paragraphs_leaves_the_text_whole():
    art = clean_text(_page("군, 하반기 사업 계획 다시 짠다", PARA, "광고", "AD", PARA2, PARA3))
    assert art.body == [PARA, PARA2, PARA3]


PHOTO = "주민들이 12일 군청 앞 광장에서 열린 봄꽃 축제에서 활짝 핀 벚꽃을 배경으로 사진을 찍고 있다."


@pytest.mark.parametrize("after", [
    ["전체댓글 2", "정말 좋은 소식이네요. 우리 동네에도 꼭 생겼으면 좋겠어요.", "2024-05-12 10:31",
     "행정이 이렇게 빨리 움직인 건 처음 봅니다. 앞으로도 응원하겠습니다."],
    ["관련기사", "가나시, 노인 버스 요금 지원 확대", "가나시가 노인 버스 요금 지원을 다음 달부터 확대한다고 밝혔다.",
     "다라군 새 청사 준공식 열려", "다라군은 새 청사 준공식을 열고 본격적인 업무에 들어갔다고 전했다."],
])
def test_comments_or_other_articles_ledes_after_a_photo_page_are_not_its_article(after):
    art = clean_text(_page("봄꽃 축제 찾은 주민들", PHOTO, *after, "저작권자 © 가나일보 무단전재 및 재배포 금지"))
    assert art.body == [PHOTO]


def test_the_next_articles_preview_after_a_short_item_is_not_its_article():
    preview = ("다라군은 12일 새 청사 준공식을 열고 본격적인 업무에 들어갔다. 새 청사는 지하 1층 지상 6층 규모로, 민원실과 "
               "주민 쉼터, 도서관 등을 갖췄으며 군은 이날부터 모든 부서가 새 청사에서 업무를 본다고 밝혔다.")
    art = clean_text(_page("봄꽃 축제 찾은 주민들", PHOTO, "다음 기사", "다라군, 새 청사 준공식 열고 본격 업무 시작", preview,
                           "저작권자 © 가나일보 무단전재 및 재배포 금지"))
    assert art.body == [PHOTO]


def test_a_long_paragraph_after_a_related_box_is_still_the_article():
    # one short line of text, the box, one long paragraph: the long paragraph is no comment or lede
    lede = "[가나일보] 새해가 밝았다."
    art = clean_text(_page("새해를 맞으며", "2023.01.07 05:00", lede, "[관련기사]", "가나시, 노인 버스 요금 지원 확대",
                           PARA + " " + PARA2 + " " + PARA3, "홍길동 기자 hong@example.com"))
    assert PARA + " " + PARA2 + " " + PARA3 in art.body


# --- bounded time on hostile lines ---------------------------------------------------------------------

# Lines long enough that a quadratic pattern takes tens of seconds on them; the 5 s bound is many times a slow
# CI machine's time for this linear code, not a speed target.
HOSTILE = ["\n".join([PARA, "[관련기사]", "가나다"] * 3_000), "\n".join([PARA, "광고"] * 5_000), "가" * 50_000, "가 " * 25_000 + "기자입니다.", "(왼쪽)" * 8_000 + "하고 있다.", "/" + "가 " * 25_000 + "기자",
           "가다. " * 10_000 + "기사더보기", "<" * 25_000 + "편집자 주>", "본문 기사 " * 6_000 + "하세요.",
           "경제부 " * 10_000 + "홍길동 기자입니다.", "이 기사는 " + "가 " * 25_000 + "지원을 받아",
           "글쓴날 : [" + "12-" * 15_000 + "01 23:34]"]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_block_families_are_linear_on_hostile_lines(line):
    def run(line):
        for probe in (line, line[:300], line[-300:]):
            addresses_reader(probe)
            funding_note(probe)
            SHORT_YEAR_DATE.match(probe)
            pick_dates([probe])
            self_introduction(probe)
            places_people_in_photo(probe)
            strip_more_button(probe)
            strip_editor_signature(probe)
            spaced_slash_byline(probe)
            strip_trailing_byline(probe)
        blocks_of([(x, False) for x in line.split("\n")] + [(line[-300:], False)], "text")
        clean_text(line + "\n" + line[-300:])
    linear_enough(run, line)
