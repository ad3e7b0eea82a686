r"""The page-text cleaner on round 16's families (issue 13, sample D: trade papers and regional outlets of 제주, 경남
and 울산). Text was lost at the article's end: the article's last paragraph and a subhead above it under a run of
photo captions ('▲ … ©가나뉴스' printed twice), a closing line under a run of photo labels ('@계림'), a cut-off
last fragment where the stored text ends mid-word, and a reader survey's markdown subheads ('# 홍길동 약사(…)').
Captions kept in the body: a noun-phrase caption ('…모습.') and its second line, a person's name and post under
their photo. The authors: a bare name over the date line or under the text, 'name 기자 기자 email', a lead byline
'(place/name 기자) ='. A headline with its photo's credit glued on is the title when the page has no other.
Every line here is written for the test (no outlet's text)."""
from __future__ import annotations

import pytest

from conftest import linear_enough

from scrapers.clean import clean_text
from scrapers.clean.body import blocks_of
from scrapers.clean.classify import reporter_names, strip_trailing_byline
from scrapers.clean.edges import (_BARE_NAME, _BRACKET_HEAD, _GLUED_CREDIT, _INNER, _MD_HEAD, _PARTICLE_WORD,
                                  _PHOTO_LABEL, _PHOTO_NOUN, credited_headline)
from scrapers.clean.genres import _PHOTO_CREDIT
from scrapers.clean.lead import _PLACE_SLASH_LEAD, strip_byline_prefix
from scrapers.clean.reader import _HEAD_DATE, bullet_writer

HEADLINE = "가나군의원 보궐선거 대진표 확정"
P1 = "가나군의원 보궐선거의 대진표가 확정됐다. 이번 보궐선거에는 모두 다섯 명의 후보가 선거관리위원회에 등록을 마쳤다."
P2 = "보궐선거는 가나읍 선거구와 다라면 선거구 등 두 곳에서 실시되며, 투표는 다음 달 15일 오전 6시부터 진행된다."
P3 = "가나읍 선거구에는 가나당 홍길동(51, 회사원) 후보와 무소속 김철수(54, 농업) 후보가 출마해 양자 대결을 벌인다."
SUB1, SUB2 = "[가나읍 선거구]", "[다라면 선거구]"
CAP1 = "▲ 가나당 홍길동(51, 회사원) 후보와 무소속 김철수(54, 농업) 후보. ©가나뉴스"
CAP2 = "▲ 가나당 이영희(46, 자영업) 후보와 무소속 박민수(52, 학원장) 후보. ©가나뉴스"
CUT = "다라면 선거구에는 가나당 이영희(46, 자영업) 후보와 무소속 박민수(52, 학원장) 후보가 출마해 선거"


def _election_page() -> str:
    return "\n\n".join([P1, P2, SUB1, CAP1 + "\n" + CAP1, P3, SUB2, CAP2 + "\n" + CAP2, CUT])


def test_the_subhead_and_the_cut_off_paragraph_under_a_run_of_captions_are_kept():
    art = clean_text(_election_page())
    assert art.body == [P1, P2, SUB1, P3, SUB2, CUT]          # the last paragraph exactly as printed
    assert "가나당 이영희" in art.captions[-1].text and not any(c.text in (SUB1, SUB2) for c in art.captions)


def test_a_gallery_of_credited_captions_printed_twice_is_no_list_and_the_text_under_it_is_kept():
    gallery = [f"▲ 가나읍 {n}번 후보 홍길동. ©가나뉴스" for n in range(8) for _ in range(2)]
    tail = ["투표는 오전 6시에 시작된다.", "개표는 가나체육관에서 한다.", "결과는 밤늦게 나온다."]
    art = clean_text("\n\n".join([HEADLINE, P1, P2, *gallery, *tail, "저작권자 © 가나뉴스 무단전재 및 재배포 금지"]))
    assert art.body == [P1, P2, *tail]
    assert len(art.captions) == 8


def test_items_of_a_list_without_a_credit_are_still_a_list():
    items = ["▲상무이사 홍길동(전 경영지원실장)", "▲경영지원실장 김철수(전 홍보실장)", "▲기획조정실장 이영희(전 감사실장)",
             "▲홍보실장 박민수(전 기획팀장)"]
    art = clean_text("\n\n".join([HEADLINE, "가나공사는 다음과 같이 인사를 단행했다.", *items]))
    assert art.body[1:] == items


def test_a_paragraph_cut_off_under_captions_needs_the_cut_it_is_not_any_line():
    page = "\n\n".join([P1, P2, P3, CAP2 + "\n" + CAP2, "회사소개"])
    assert clean_text(page).body == [P1, P2, P3]


ESSAY = ["가나시의 가을은 한 폭의 그림처럼 다가온다.", "노란 은행잎과 붉은 단풍잎이 어우러져 고향처럼 푸근하다.",
         "올해 가을 가나시는 유난히 아름답다. 단풍의 빛깔이 어느 해보다 짙다고 시민들은 입을 모은다.",
         "말이 필요없는 가나시의 가을을 사진으로 감상해 본다."]
LABELS = ["@가나숲", "@가나숲", "@다라산 억새", "@마바 은행나무길", "@사아 서원"]
CLOSING = "다 감상했으면 떠나보자! 이번 주말 가나시로"


def _photo_essay(closing: str = CLOSING) -> str:
    return "\n\n".join(["가나시의 가을, 그림책처럼(사진제공=가나시)", *ESSAY, *[x + "\n\n " for x in LABELS], closing,
                        "가나뉴스  gana@gana.com", "<저작권자 © 가나뉴스, 무단 전재 및 재배포 금지>", "가나뉴스의 다른기사 보기"])


def test_the_closing_line_under_a_run_of_photo_labels_is_kept_and_the_labels_are_captions():
    art = clean_text(_photo_essay())
    assert art.body == ESSAY + [CLOSING]
    assert [c.text for c in art.captions if c.text.startswith("@")] == [x for i, x in enumerate(LABELS) if x not in LABELS[:i]]


def test_the_closing_line_may_end_the_page_or_come_before_a_notice():
    labels = [x + "\n\n " for x in LABELS]
    for tail in ([], ["가나뉴스의 다른기사 보기"]):
        page = "\n\n".join(["가나시의 가을, 그림책처럼", *ESSAY, *labels, CLOSING, *tail])
        assert clean_text(page).body == ESSAY + [CLOSING]


def test_a_line_of_no_sentence_under_the_labels_does_not_join_the_text():
    art = clean_text(_photo_essay("더보기 목록"))
    assert art.body == ESSAY


def test_a_headline_with_its_photo_credit_glued_on_is_the_title_when_there_is_no_other():
    assert clean_text(_photo_essay()).title == "가나시의 가을, 그림책처럼(사진제공=가나시)"


def test_a_caption_with_a_credit_does_not_beat_the_headline_above_it():
    caption = "가나 창간 14주년 기념식 참석자들(사진=가나)"
    page = "\n".join(["[가나] 열네 돌, 시민과 함께 다짐하다", "  • 승인 2023.12.28 11:47", caption, caption, "", *ESSAY])
    assert clean_text(page).title == "[가나] 열네 돌, 시민과 함께 다짐하다"


@pytest.mark.parametrize("line, ok", [
    ("가나시의 가을, 그림책처럼(사진제공=가나시)", True), ("가나시의 가을 (사진=가나시)", True),
    ("▲ 가나시의 가을 (사진=가나시)", False),                       # a caption's mark
    ("관광객들이 거리를 걷고 있다. (사진=가나시)", False),           # a sentence
    ("가나천 둔치에 핀 유채꽃 모습(사진=가나시)", False),             # a caption's noun
    ("가나시의 가을, 그림책처럼", False),                             # no credit
])
def test_a_credited_headline_is_no_sentence_and_no_marked_caption(line, ok):
    assert credited_headline(line) is ok


def test_the_cut_off_last_fragment_of_the_text_is_kept():
    page = "\n\n".join([HEADLINE, P1, P2, "가나·다라를 중심으"])
    assert clean_text(page).body == [P1, P2, "가나·다라를 중심으"]


@pytest.mark.parametrize("last", ["[뉴스출처 : 가나도 다라시]", "회사소개 이용약관", "가나뉴스 © 무단전재 금지",
                                  "경기도 가나시 다라로"])
def test_a_footer_line_at_the_end_is_no_cut_off_fragment(last):
    page = "\n\n".join([HEADLINE, P1, P2, last])
    assert clean_text(page).body == [P1, P2]


SURVEY = ["본지가 창간 16주년을 맞아 구독자들을 만나 구독하게 된 배경과 장점, 개선할 점 등을 들어봤다.",
          "▲ 홍길동 약사/ 사진=가나신문 DB", "# 홍길동 약사(가나, 가나약국, 60대)",
          "- 자기소개: 가나시에서 약국을 운영하고 있습니다. 처방약이 매출의 대부분입니다.",
          "- 구독 이유: 정보가 필요해서 구독을 하게 되었지요. 구독한지는 2년 정도 되어 갑니다.",
          "▲ 김영희 약사/ 사진=가나신문 DB", "## 김영희 약사(다라, 다라약국, 30대)",
          "- 자기소개: 다라시에서 일하고 있는 10년차 약사 김영희입니다.",
          "- 구독 이유: 칼럼을 쓰게 되면서 주기적으로 보게 되었는데, 지금도 매달 챙겨 보고 있습니다."]


def test_markdown_subheads_inside_the_text_are_kept():
    art = clean_text("\n\n".join(SURVEY))
    assert art.body == [x for x in SURVEY if not x.startswith("▲")]


def test_a_hashtag_line_is_still_no_subhead():
    blocks = blocks_of([(x, False) for x in [P1, "#가나 #선거 #보궐", P2]], "text")
    assert blocks[1].kind == "notice"
    assert _MD_HEAD.match("# 홍길동 약사") and not _MD_HEAD.match("#가나 #선거")


INTERVIEW = ["\"전공의는 책을 읽을 시간이 없을 정도로 바쁩니다. 그래서 잡지를 만들었습니다.\"",
             "최근 전공의들을 위한 실전적 이야기를 담은 잡지 '가나'가 나와 주목을 받고 있다.",
             "홍길동 편집장",
             "잡지 기획부터 창간까지의 과정 뒤에는 홍길동 편집장(가나대병원 1년차)이 있었다. 그를 만났다."]


def test_a_person_named_in_the_text_under_their_photo_is_a_caption_not_the_author():
    page = "\n".join(["\"선배 의사들 노하우를 잡지에 담았습니다\"", "", "김철수", "발행날짜: 2013-04-29 05:21:20", "",
                      *INTERVIEW])
    art = clean_text(page)
    assert art.authors == ["김철수"]
    assert "홍길동 편집장" not in art.body and [c.text for c in art.captions] == ["홍길동 편집장"]


def test_a_reporter_line_between_paragraphs_that_do_not_name_them_is_still_a_byline():
    lines = [INTERVIEW[1], "김철수 기자", INTERVIEW[3]]
    assert [b.kind for b in blocks_of([(x, False) for x in lines], "text")][1] == "byline"


@pytest.mark.parametrize("head, writer", [
    (["홍길동", "발행날짜: 2013-04-29 05:21:20"], ["홍길동"]), (["김철수", "입력 2022-10-05 17:43"], ["김철수"]),
    (["박영희", "작성일 : 2022.10.05"], ["박영희"]), (["스포츠", "입력 2022-10-05 17:43"], []), (["홍길동", "조회수 120"], []), (["홍길동님", "입력 2022-10-05"], []),
])
def test_a_bare_name_right_over_the_date_line_is_the_writer(head, writer):
    assert bullet_writer(head) == writer


NOUN_CAPTION = "가나군 다라면 하기리 홍길동씨의 멜론하우스 10동이 침수 피해를 입은 모습."
SECOND = "수확을 앞둔 멜론이 물에 둥둥 떠있다. 멜론은 모두 못쓰게 돼 폐기처분해야 한다."
REPORT = ["제11호 태풍으로 가나지역 곳곳에서 농업피해가 잇따르고 있다. 가나읍 일대에서는 배 낙과 피해가 속출했다.",
          "다라군에서는 사과가 떨어지고 나무가 쓰러지는 피해가 발생했다. 멜론 비닐하우스 10동도 침수됐다.",
          "가나도에 따르면 6일 기준 농업분야 피해는 벼 침수 224ha, 낙과 249ha 등으로 집계됐다.",
          "가나도와 각 시·군은 피해농가에 대해 신속한 현장조사를 진행하는 한편 인력지원에 나섰다."]


def test_a_noun_phrase_caption_and_its_second_line_leave_the_text():
    page = "\n\n".join([HEADLINE, REPORT[0], NOUN_CAPTION + "\n" + SECOND, *REPORT[1:], "홍길동 "])
    art = clean_text(page)
    assert art.body == REPORT
    assert [c.text for c in art.captions] == [NOUN_CAPTION, SECOND]
    assert art.authors == ["홍길동"]          # the bare name under the text, its '기자' cut off


@pytest.mark.parametrize("after, writer", [
    (["저작권자 © 가나뉴스 무단전재 및 재배포 금지"], ["홍길동"]), (["많이 본 뉴스"], ["홍길동"]),
    (["가나 다라마 바사아"], []), ([REPORT[0]], []),        # more text or a menu under it: no writer
])
def test_the_writers_bare_name_under_the_text_over_the_copyright_line(after, writer):
    page = "\n\n".join([HEADLINE, *REPORT, "홍길동", *after])
    assert clean_text(page).authors == writer


def test_a_line_under_a_noun_caption_stays_text_where_paragraphs_are_not_spaced():
    page = "\n".join([HEADLINE, REPORT[0], NOUN_CAPTION, SECOND, *REPORT[1:]])
    assert SECOND in clean_text(page).body


def test_a_paragraph_that_ends_on_a_scene_noun_after_a_sentence_stays_text():
    line = "주민들은 밤새 물을 퍼냈다. 태풍이 지나간 마을의 아침 모습."
    blocks = blocks_of([(x, False) for x in [REPORT[0], line, REPORT[1]]], "text")
    assert blocks[1].kind == "body"


def test_a_lead_byline_of_place_and_reporter_after_a_slash_leaves_the_first_paragraph():
    line = "(가나/홍길동 기자) =  가나지역 시민단체들은 31일 오후 가나회관에서 비상 회의를 열었다."
    art = clean_text("\n\n".join([HEADLINE, line, *REPORT[1:]]))
    assert art.body[0] == "가나지역 시민단체들은 31일 오후 가나회관에서 비상 회의를 열었다."
    assert art.authors == ["홍길동"] and art.dateline == "가나"


@pytest.mark.parametrize("lead", ["[가나/홍길동 기자] ", "【가나/홍길동 기자】 ", "가나/홍길동 기자 = ", "(가나/홍길동기자)"])
def test_the_place_slash_reporter_lead_in_its_forms(lead):
    rest, names, _, where = strip_byline_prefix(lead + "가나지역 시민단체들은 오늘 회의를 열었다.")
    assert (rest, names, where) == ("가나지역 시민단체들은 오늘 회의를 열었다.", ["홍길동"], "가나")


def test_a_slash_in_the_text_is_no_lead_byline():
    line = "가나/다라 구간 기자 간담회가 열렸다."
    assert strip_byline_prefix(line)[0] == line


def test_two_reporters_after_a_slash_are_both_reporters_not_a_place():
    rest, names, _, where = strip_byline_prefix("(홍길동/김철수 기자) 가나시는 오늘 회의를 열었다.")
    assert (rest, names, where) == ("가나시는 오늘 회의를 열었다.", ["홍길동", "김철수"], "")


def test_a_byline_with_its_title_twice_names_the_reporter():
    assert reporter_names("홍길동 기자 기자 hong@gana.com") == ["홍길동"]
    page = "\n\n".join([HEADLINE, *REPORT, "홍길동 기자 기자 hong@gana.com", "© Copyright 2015 가나뉴스 All Right Reserved"])
    assert clean_text(page).authors == ["홍길동"]


def test_a_byline_with_its_title_twice_glued_to_the_last_paragraph_leaves_it():
    art = clean_text("\n\n".join([HEADLINE, *REPORT[:-1], REPORT[-1] + " 홍길동 기자 기자 hong@gana.com"]))
    assert art.body == REPORT and art.authors == ["홍길동"]


HOSTILE = ["@" + "가" * 50_000, "@가" + "@" * 50_000, "[" * 50_000 + "가]", "[" + "가" * 50_000, "# " + "#" * 50_000,
           "#" * 50_000 + " 가", "가. " * 20_000, "가의 " * 20_000 + "모습.", "가 " * 30_000 + "모습", "가을 " * 20_000,
           "(사진=" * 20_000 + "가)", "가(" + " " * 50_000 + "사진=가나", "(가" + "/" * 50_000 + "홍길동 기자)",
           "(가나/" + "홍길동/" * 10_000 + "기자)", "홍길동 기자" + " 기자" * 20_000 + " hong@gana.com", "가나다. 홍길동" + " 기자" * 20_000,
           "발행날짜:" + " " * 50_000 + "2013", "\n".join(["@가나", " "] * 10_000), "\n".join(["▲ 가나 ©가나", "다라를 마바"] * 10_000),
           "\n".join(["가나다 편집장", "가나다 편집장이 있었다."] * 10_000),
           "▲ 가나 " + "©" * 50_000, "▲ " + "사진 " * 20_000 + "=", "\n".join(["▲ 가나 ©가나"] * 20_000 + ["다."])]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_round16_families_are_linear_on_hostile_lines(line):
    def run(line):
        for rx in (_PHOTO_LABEL, _BRACKET_HEAD, _MD_HEAD, _BARE_NAME, _PLACE_SLASH_LEAD, _HEAD_DATE):
            rx.match(line)
        for rx in (_INNER, _PHOTO_NOUN, _PARTICLE_WORD, _GLUED_CREDIT):
            rx.search(line)
        credited_headline(line)
        _PHOTO_CREDIT.search(line)
        reporter_names(line[:60])
        strip_trailing_byline(line)
        strip_byline_prefix(line)
        bullet_writer(line.split("\n")[:60])
        blocks_of([(x, False) for x in line.split("\n")], "text")
        clean_text(line + "\n" + P1 + "\n" + P2)
    linear_enough(run, line)
