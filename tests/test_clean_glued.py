"""The page-text cleaner on what shares a line with the text (a photo's credit, a dateline, an elision mark glued
to a paragraph's end), the page's polite words to its reader, and the metadata around a photo story: round 9 of
issue 13 (scrapers/clean/glued.py). Every line here is written for the test (no outlet's text)."""
from __future__ import annotations


import pytest

from conftest import linear_enough

from scrapers.clean import clean_text
from scrapers.clean.body import blocks_of
from scrapers.clean.classify import classify, reporter_names
from scrapers.clean.genres import anchor_lead_name
from scrapers.clean.genres import LIST_ITEM
from scrapers.clean.glued import counted_lists, end_dateline_place, is_reader_notice, is_skip_link, strip_glued_end

PARA = ("군은 올해 상반기 동안 읍면 순회 설명회를 열어 주민 의견을 들었으며, 이를 바탕으로 하반기 사업 계획을 "
        "다시 짰다고 설명했다.")
PARA2 = "군 관계자는 설명회에서 나온 의견을 정리해 다음 달 군의회에 보고할 계획이라고 덧붙였다."


def _page(*lines: str) -> str:
    return "\n".join(lines)


# --- glued to a paragraph's end ------------------------------------------------------------------------

@pytest.mark.parametrize("tail", ["(제공: 가나군)", "(제공=가나시)", "<사진 제공=가나도>", "[제공: 가나군청]"])
def test_a_credit_after_a_colon_or_equals_leaves_the_paragraph(tail):
    line = "가나군수가 19일 군청 대회의실에서 주민들과 기념촬영을 하고 있다. " + tail
    assert strip_glued_end(line) == ("가나군수가 19일 군청 대회의실에서 주민들과 기념촬영을 하고 있다.", tail, "photo credit")


def test_a_dateline_glued_to_a_photo_texts_end_leaves_it_and_names_the_place():
    line = "응원단원들이 공연이 끝난 뒤 기념촬영을 하고 있다.(가나=다라(LOCAL)신문) |"
    text, tail, why = strip_glued_end(line)
    assert text == "응원단원들이 공연이 끝난 뒤 기념촬영을 하고 있다." and why == "dateline at the end"
    assert end_dateline_place(tail) == "가나"


def test_an_elision_mark_leaves_the_cut_paragraph_which_stays_text():
    line = "축제추진위원장은 지난달 26일 수도권으로 출타해 가나항......    (중략)"
    assert strip_glued_end(line) == ("축제추진위원장은 지난달 26일 수도권으로 출타해 가나항", "......    (중략)", "elision mark")
    art = clean_text(_page("가나군, 축제 홍보 늦어", PARA, PARA2, line, "#가나축제 #가나군"))
    assert art.body[-1] == "축제추진위원장은 지난달 26일 수도권으로 출타해 가나항"


@pytest.mark.parametrize("line", [
    "가나군은 사진 제공: 공모전 참가자 전원에게 기념품을 준다고 밝혔다.",          # '제공' inside the sentence
    "가나시는 이날 (가나=다라) 협약을 맺었다고 밝혔다.",                          # a bracket inside, not at the end
    "가나시는 자료 제공(제공=가나시) 방식을 바꾸겠다고 밝혔다",                    # no sentence before the bracket
    "위원회는 이 안건을 (중략) 다음 회의로 넘겼다.",                              # an elision inside a quoted text
])
def test_a_sentence_that_merely_mentions_a_credit_a_place_or_an_elision_keeps_it(line):
    assert strip_glued_end(line) == (line, "", "")


def test_a_photographers_credit_in_brackets_is_no_dateline_and_a_sajin_credit_stays_a_caption():
    line = "1일 새벽 시민들이 가나대교에서 일출을 기다리고 있다. (사진=홍길동 기자)"
    assert strip_glued_end(line) == (line, "", "")
    assert classify("가나기자가 24일 도의회 상담소를 방문해 상담관을 인터뷰하고 있다.(사진제공=가나도의회)")[0] == "caption"


def test_a_credit_glued_to_a_paragraph_with_an_email_inside_leaves_it_text():
    line = "희망자는 신청서를 작성한 뒤 이메일(hong@example.kr) 또는 우편(가나구청 홍보과)으로 제출하면 된다. (제공: 가나군)"
    assert classify(line)[0] == "body"


def test_a_byline_glued_after_a_question_leaves_the_paragraph():
    art = clean_text(_page("가나군, 독자 의견 모아", PARA, "경제가 살아나야 지역 분위기도 좋아지지 않을까요? 홍길동 기자 hong@example.com"))
    assert art.body == [PARA, "경제가 살아나야 지역 분위기도 좋아지지 않을까요?"] and art.authors == ["홍길동"]


def test_a_photo_story_whose_only_text_is_a_triangle_caption_with_a_glued_byline_is_the_article():
    art = clean_text(_page(
        "▲ 6일 도의회 브리핑룸에서 도의회 의장단이 가나 통폐합 논의를 중단하라며 성명서를 발표하고 있다. /홍길동기자 hong@",
        "저작권자 © 가나일보 무단전재 및 재배포 금지"))
    assert art.body == ["▲ 6일 도의회 브리핑룸에서 도의회 의장단이 가나 통폐합 논의를 중단하라며 성명서를 발표하고 있다."]
    assert art.authors == ["홍길동"]


def test_a_photo_story_with_a_dateline_at_its_end_and_a_name_over_the_email():
    art = clean_text(_page(
        "[포토뉴스]가나시장·다라단장 나란히",
        "홍길동",
        "hong@example.com | 2018-02-24 18:48:15",
        "▲응원단이 24일 오후 가나체육관에서 시민을 위한 무료공연을 가졌다. 가나시장(오른쪽)과 단원들이 기념촬영을 하고 있다.(가나=다라신문) |",
        "[ⓒ 다라신문. 무단전재-재배포 금지]"))
    assert art.body == ["▲응원단이 24일 오후 가나체육관에서 시민을 위한 무료공연을 가졌다. 가나시장(오른쪽)과 단원들이 기념촬영을 하고 있다."]
    assert art.authors == ["홍길동"] and art.dateline == "가나"
    assert art.title == "[포토뉴스]가나시장·다라단장 나란히"


def test_a_bare_name_is_no_byline_unless_the_email_line_follows_it():
    art = clean_text(_page("가나군 새 청사 열어", "홍길동", PARA, PARA2, "저작권자 © 가나일보 무단전재 및 재배포 금지"))
    assert art.authors == []


# --- a category with its count and as many items -------------------------------------------------------

def test_a_list_with_its_count_after_the_last_paragraph_is_text():
    items = ["가나권(3) : 가나문화제, 다라축제, 마바 페스티벌", "사아권(2) : 자차축제, 카타 드론쇼"]
    art = clean_text(_page("가나시, 가을축제 묶어 홍보", PARA, PARA2, *items, "저작권자 © 가나일보 무단전재 및 재배포 금지"))
    assert art.body == [PARA, PARA2, *items]


@pytest.mark.parametrize("line", ["전체기사(120) : 정치, 사회, 경제", "가나권(4) : 가나문화제, 다라축제", "문의(2) : 02-123-4567"])
def test_a_count_that_does_not_match_its_items_is_no_list(line):
    blocks = blocks_of([(line, False)], "text")
    counted_lists(blocks, LIST_ITEM)
    assert blocks[0].reason != LIST_ITEM


# --- the page's words to its reader ---------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "가나일보는 24시간 여러분의 제보를 기다립니다.",
    "아래의 URL을 길게 누르면 복사하실수 있습니다.",
    "가나신문 기사는 정기독자만 볼 수 있습니다.",
    "매주 신문을 받아보며 차 한잔 값이라 생각하시고 가나신문을 구독해주시면 좋은 기사로 보답하겠습니다.",
])
def test_the_pages_polite_words_to_its_reader_are_a_notice(line):
    assert is_reader_notice(line) and classify(line)[0] == "notice"


@pytest.mark.parametrize("line", [
    "경찰은 목격자의 제보를 기다린다고 밝혔다.",                           # a news sentence: plain register
    "가나시는 신문 구독료 지원 예산을 늘리겠다고 밝혔다.",
    "주민들은 제보를 받습니다라는 현수막을 보고 연락했다고 말했다.",
    "올해 구독료가 오릅니다.",                                              # polite, but not addressed to the reader
])
def test_a_news_sentence_about_tips_or_subscriptions_is_text(line):
    assert not is_reader_notice(line)


def test_polite_sentences_about_the_paper_before_its_paywall_notice_go_with_it():
    art = clean_text(_page(
        "가나 축제 한 달 앞으로", PARA, PARA2,
        "‘지역을 지키는’ 풀뿌리 언론 가나신문은 2003년 군민들이 뜻을 모아 탄생했습니다.",
        "가나신문 기사는 정기독자만 볼 수 있습니다.",
        "정기독자가 아닌 분은 이번 기회에 구독해주시기 바랍니다."))
    assert art.body == [PARA, PARA2]


def test_a_polite_text_keeps_its_last_sentences_before_a_notice():
    """A text in the polite register throughout (a letter, a broadcast script): nothing before the notice goes."""
    polite = ["가나군은 올해 주민 설명회를 열었습니다. 주민 의견을 바탕으로 하반기 계획을 다시 짰습니다.",
              "군 관계자는 다음 달 군의회에 결과를 보고할 계획이라고 말했습니다."]
    art = clean_text(_page("가나군 설명회", *polite, "가나신문 기사는 정기독자만 볼 수 있습니다."))
    assert art.body == polite


@pytest.mark.parametrize("line", ["본문으로 이동", "왼쪽 메뉴로 이동", "주 메뉴 바로가기", "본문 건너뛰기"])
def test_a_skip_link_is_never_the_headline(line):
    assert is_skip_link(line)
    art = clean_text(_page(line, "가나군, 새 청사 문 열어", "2024년 05월 07일(화) 제581호", PARA, PARA2))
    assert art.title == "가나군, 새 청사 문 열어"


def test_an_editor_in_chief_signs_as_the_author():
    assert reporter_names("홍길동 편집국장 hong@example.com") == ["홍길동"]


@pytest.mark.parametrize("line", ["홍길동 사무국장", "가나시 홍길동 국장"])
def test_an_officials_name_and_post_alone_on_a_line_is_no_byline(line):
    assert classify(line)[0] == "body" and reporter_names(line) == []


def test_a_sentence_describing_a_reporter_names_no_author():
    assert anchor_lead_name("‘자기 기사 애착증’이 유독 강한 홍길동 기자입니다.") == ""
    assert anchor_lead_name("보도에 홍길동 기자입니다.") == "홍길동"


def test_an_outlet_tag_ending_in_tongsin_leaves_the_lead():
    art = clean_text(_page("가나시, 가을축제 묶어 홍보", "(가나뉴스통신) " + PARA, PARA2))
    assert art.body[0] == PARA


# --- bounded time on hostile lines ---------------------------------------------------------------------

# 50,000-character lines: a quadratic pattern takes tens of seconds on them; the 5 s bound is generous for a
# slow CI machine, not a speed target.
HOSTILE = ["다." + " " * 50_000 + "(제공: 가나", "다." + "(제공=" * 10_000, "다.(" + "가=" * 20_000 + ")",
           "가" + "." * 50_000 + "(중략", "다." + "(가나=다라(" * 8_000 + ") |", "제보를 " * 10_000 + "기다립니다.",
           "URL을 누르" + "가" * 50_000 + "복사합니다.", "가나(3) : " + "가, " * 20_000, "가" * 12 + "(" * 30_000, "정기독자 " * 10_000 + "여러분 니다.", "본문 " * 20_000 + "이동"]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_glued_families_are_linear_on_hostile_lines(line):
    def run(line):
        strip_glued_end(line)
        strip_glued_end(line + ")")
        is_reader_notice(line[-150:])
        is_reader_notice(line)
        is_skip_link(line)
        counted_lists(blocks_of([(line, False)], "text"), LIST_ITEM)
        blocks_of([(x, False) for x in (line, "홍길동", "hong@example.com", line)], "text")
        clean_text(line + "\n" + PARA)
    linear_enough(run, line)
