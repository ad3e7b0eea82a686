"""The page-text cleaner on heads, links and the page's own interface (round 8 of the hard blocks): subheads that
look like menu items or captions ('■ …', '△가나일보= …') are text; the page's interface in full sentences (a
confirmation dialog, a font-size preview, a print footer), a link line and a related heading glued to its
headline between two paragraphs are not; a summary box whose sentences come again in the text, quote marks aside,
is not the text; nor are comments a section's heading counts, wherever they sit, a related box's items with
their ledes or an ad's own line between two paragraphs. Every line here is written for the test (no outlet's
text)."""
from __future__ import annotations


import pytest

from conftest import linear_enough

from scrapers.clean import clean_text
from scrapers.clean.body import blocks_of
from scrapers.clean.classify import classify, reporter_names
from scrapers.clean.heads import AFFILIATED_BYLINE, SIGNATURE, SUBHEAD, head_lines, interface_sentence, is_link_line, summary_line

TITLE = "가나군, 새 청사 문 열고 민원 창구 한곳으로"
PARA = ("군은 올해 상반기 동안 읍면 순회 설명회를 열어 주민 의견을 들었으며, 이를 바탕으로 하반기 사업 계획을 "
        "다시 짰다고 설명했다.")
PARA2 = "설명회에는 주민 300여 명이 참석했고, 도로 정비와 버스 노선 조정을 바라는 목소리가 가장 많았다."
PARA3 = "군은 다음 달까지 세부 계획을 확정하고 내년 예산안에 관련 사업비를 반영할 계획이라고 덧붙였다."


def _page(*lines: str) -> str:
    return "\n".join(lines)


def _body(*lines: str) -> list[str]:
    return clean_text(_page(*lines)).body


# --- the page's interface in full sentences ---------------------------------------------------------------

@pytest.mark.parametrize("line, interface", [
    ("해당 댓글을 삭제하시겠습니까?", True),
    ("이 기사를 스크랩 하시겠습니까?", True),
    ("게시물을 신고하시겠습니까?", True),
    ("이 글자크기로 변경됩니다.", True),
    ("글씨 크기로 적용됩니다", True),
    ("이 기사는 가나일보 홈페이지(ganailbo.kr)에서 프린트 되었습니다.", True),
    ("본 기사는 가나일보에서 인쇄하였습니다.", True),
    # a question in the news, or one that names none of the page's parts: text
    ("주민들은 이대로 두고 보시겠습니까?", False),
    ("군수는 \"이 기사를 읽은 주민이라면 참여를 망설이시겠습니까?\"라고 되물으며 설명회 참석을 거듭 당부했다.", False),
    ("이 기사는 지난해 보도된 내용을 다시 정리한 것입니다.", False),
    ("글자 크기를 키운 안내판으로 변경됩니다.", False),
])
def test_interface_sentences(line, interface):
    assert interface_sentence(line) is interface


def test_dialogs_after_a_short_item_leave_it():
    body = _body(TITLE, PARA, "오늘의 뉴스", "해당 댓글을 삭제하시겠습니까?", "이 기사를 스크랩 하시겠습니까?")
    assert body == [PARA]


def test_a_font_size_preview_before_the_text_is_not_the_text():
    sample = "(예시) 가장 빠른 소식과 다양한 정보가 있는 가나뉴스를 만나보세요. 가나뉴스는 지역의 주요 소식을 전하고 있습니다."
    body = _body(TITLE, "이 글자크기로 변경됩니다.", sample, PARA, PARA2, PARA3)
    assert body == [PARA, PARA2, PARA3]


def test_a_print_footer_after_the_text_is_not_the_text():
    body = _body(TITLE, "홍길동 기자 hong@ganailbo.kr", PARA, PARA2,
                 "이 기사는 가나일보 홈페이지(ganailbo.kr)에서 프린트 되었습니다.", "URL : http://ganailbo.kr/a.php?aid=1",
                 "프린트 시간 : 2025년 10월 25일 23:39:36")
    assert body == [PARA, PARA2]


# --- a summary box repeated in the text, quote marks aside ----------------------------------------------

SUM1 = "가나군이 주민 참여 코너 '청년, 안녕' 프로그램을 진행하고 있어 눈길을 끌고 있다."
TEXT1 = SUM1.replace("'청년, 안녕'", "‘청년, 안녕’")


def test_a_summary_box_with_other_quote_marks_leaves_the_texts_copy():
    body = _body(TITLE, "요약 본문 보기를 권장합니다", SUM1, PARA2, TEXT1, PARA, PARA2, PARA3)
    assert body == [TEXT1, PARA, PARA2, PARA3]


def test_one_sentence_said_twice_is_no_summary_box():
    blocks = blocks_of([(x, False) for x in (PARA, PARA2, PARA3, PARA, TITLE)], "text")
    assert not summary_line(blocks, 0)          # its neighbours do not come again: a refrain, not a box
    assert _body(TITLE, PARA, PARA2, PARA3, PARA)[0] == PARA


def test_the_article_printed_twice_after_its_copyright_is_no_summary():
    blocks = blocks_of([(x, False) for x in (PARA, PARA2, "저작권자 © 가나일보 무단전재 및 재배포 금지", PARA, PARA2)], "text")
    assert not summary_line(blocks, 0) and not summary_line(blocks, 1)


# --- subheads ---------------------------------------------------------------------------------------------

def test_bullet_subheads_head_their_paragraphs():
    h1, h2 = "■ 가나군, 새 청사 문 열어", "■ 다라시 버스 노선 조정 “주민 뜻 따라”"
    body = _body("[가나뉴스 이 시각 헤드라인]", h1, PARA, "전문보기: http://ganews.kr/a1", h2, PARA2, PARA3)
    assert body == [h1, PARA, h2, PARA2, PARA3]


def test_label_heads_with_quoted_ledes_are_text_not_captions():
    h1, h2 = "△가나일보= 지역 대학 새 학과 연다", "△다라신문= 버스 노선 다시 짠다"
    q1, q2 = "“가나 지역 대학들이 내년부터 새 학과를 열고 신입생을 모집한다.”", "“다라시가 시내버스 노선을 전면 개편한다.”"
    body = _body(PARA, h1, q1, h2, q2)
    assert body == [PARA, h1, q1, h2, q2]


def test_a_run_of_bullet_lines_is_a_deck_not_subheads():
    blocks = blocks_of([(x, False) for x in ("■ 새 청사 문 열어", "■ 민원 창구 한곳으로", PARA, PARA2)], "text")
    assert [b.reason == SUBHEAD for b in blocks[:2]] == [False, False]


def test_a_photo_caption_with_a_bullet_stays_a_caption():
    blocks = blocks_of([(x, False) for x in ("▲ 새 청사 개청식 모습", PARA, PARA2)], "text")
    assert blocks[0].kind == "caption"


# --- link lines and related headings glued to their headline ---------------------------------------------

@pytest.mark.parametrize("line, link", [
    ("전문보기: http://ganews.kr/f9Rf7", True), ("URL : http://ganailbo.kr/a.php?aid=1", True), ("https://ganailbo.kr/1", True),
    ("자세한 내용은 http://ganailbo.kr 에서 볼 수 있다.", False), ("가나일보 홈페이지", False),
])
def test_link_lines(line, link):
    assert is_link_line(line) is link


def test_a_related_heading_glued_to_its_headline_between_paragraphs_leaves_the_text_whole():
    body = _body(PARA, "(", "관련기사“가나군 새 청사 문 열어” 가나일보 ')", PARA2, PARA3)
    assert body == [PARA, PARA2, PARA3]


# --- bylines of other forms, headlines among buttons -------------------------------------------------------

@pytest.mark.parametrize("line, names", [
    ("윤소영 가나MBC 기자", ["윤소영"]), ("글 김윤경 본지 편집위원", ["김윤경"]), ("홍길동 가나일보 기자", ["홍길동"]),
    ("허종진 / 2018.07.04 10:34:56", ["허종진"]), ("홍길동 / 2024-05-01", ["홍길동"]),
])
def test_affiliated_bylines_and_signatures_name_their_writer(line, names):
    assert classify(line)[0] == "byline" and reporter_names(line) == names


@pytest.mark.parametrize("line", ["가나군 새 청사 기공식 열려", "홍길동 씨가 보낸 편지 / 2018년 봄", "주민 대표 / 2018.07.04 회의록"])
def test_lines_that_only_look_like_those_bylines(line):
    assert not AFFILIATED_BYLINE.match(line) and not SIGNATURE.match(line)


def test_a_contributors_signature_under_the_text_gives_author_and_date():
    art = clean_text(_page(PARA, PARA2, "허종진 / 2018.07.04 10:34:56"))
    assert art.body == [PARA, PARA2] and art.authors == ["허종진"] and art.published_at.startswith("2018-07-04T10:34")


def test_a_byline_with_a_writing_credit_leaves_the_text():
    art = clean_text(_page(TITLE, PARA, "글 김윤경 본지 편집위원", PARA2, PARA3))
    assert "글 김윤경 본지 편집위원" not in art.body and art.authors == ["김윤경"]


def test_a_button_label_is_never_the_headline():
    art = clean_text(_page("메뉴 바로가기 본문 바로가기", "지난호 보기", TITLE, "2018-12-04", PARA, PARA2, PARA3))
    assert art.title == TITLE


def test_a_headline_printed_twice_above_a_share_row_and_a_two_line_deck():
    deck1, deck2 = "주민 의견 모아 민원 창구 한곳으로", "버스 노선도 함께 조정"
    art = clean_text(_page("• 가나일보 로고", TITLE, TITLE, "기사승인 2020. 01. 22. 08:28", "• 페이스북 공유하기", "• 트위터 공유하기",
                           "• 주소복사", "• 기사듣기실행 기사듣기중지", "• 글자사이즈", "• 기사프린트", deck1, deck2, PARA, PARA2, PARA3))
    assert art.title == TITLE and art.body == [PARA, PARA2, PARA3]


def test_a_boards_short_year_date_with_a_bullet():
    art = clean_text(_page(TITLE, "- 작성자 가나기자협회", "- 작성일 25-12-23 16:16", PARA, PARA2))
    assert art.published_at.startswith("2025-12-23T16:16")


# --- a comment section counted by its heading, a related box with ledes and an ad's own line inside the text ----

C1, C2 = "정말 좋은 소식이네요. 우리 동네에도 꼭 생겼으면 좋겠어요.", "행정이 이렇게 빨리 움직인 건 처음 봅니다. 앞으로도 응원하겠습니다."


def test_comments_above_the_text_counted_by_their_heading_are_not_the_text():
    assert _body(TITLE, "전체댓글 2", C1, "2024-05-12 10:31", C2, PARA) == [PARA]


def test_a_count_in_a_header_row_right_above_the_text_claims_none_of_it():
    assert _body(TITLE, "댓글 2", PARA, PARA2, PARA3) == [PARA, PARA2, PARA3]    # no writer's name or time: text


def test_a_related_box_with_its_ledes_between_paragraphs_leaves_the_text_whole():
    box = ["관련기사", "가나시, 노인 버스 요금 지원 확대", "가나시가 노인 버스 요금 지원을 다음 달부터 확대한다고 밝혔다.",
           "다라군 새 청사 준공식 열려", "다라군은 새 청사 준공식을 열고 본격적인 업무에 들어갔다고 전했다."]
    assert _body(TITLE, PARA, *box, PARA2, PARA3) == [PARA, PARA2, PARA3]


def test_a_related_box_with_ledes_before_the_last_paragraph_and_its_byline():
    box = ["관련기사", "가나시, 노인 버스 요금 지원 확대", "가나시가 노인 버스 요금 지원을 다음 달부터 확대한다고 밝혔다.",
           "다라군 새 청사 준공식 열려", "다라군은 새 청사 준공식을 열고 본격적인 업무에 들어갔다고 전했다."]
    assert _body(TITLE, PARA, *box, PARA2, "홍길동 기자 hong@ganailbo.kr") == [PARA, PARA2]


def test_the_next_articles_preview_under_one_headline_is_still_not_the_text():
    preview = ["다음 기사", "다라군, 새 청사 준공식 열고 본격 업무 시작",
               "다라군은 12일 새 청사 준공식을 열고 본격적인 업무에 들어갔다. 새 청사는 지하 1층 지상 6층 규모로 지어졌다."]
    assert _body(TITLE, PARA, PARA2, PARA3, *preview, "저작권자 © 가나일보 무단전재 및 재배포 금지") == [PARA, PARA2, PARA3]


def test_an_ads_own_line_under_its_label_between_paragraphs_is_not_the_text():
    ad = "가나은행 새 적금, 지금 가입하면 연 5% 금리 혜택을 드립니다."
    assert _body(TITLE, PARA, "광고", ad, PARA2, PARA3) == [PARA, PARA2, PARA3]


def test_a_short_paragraph_after_an_ad_label_stays_the_text():
    short = "군은 다음 달 설명회를 다시 연다."
    assert _body(TITLE, PARA, "광고", short, PARA2, PARA3) == [PARA, short, PARA2, PARA3]


def test_a_letter_in_short_lines_cut_off_by_the_stored_text_keeps_its_last_lines():
    """Five lines of a letter's layout after the last sentence, the stored text ending inside an opened quote:
    the article's last words (up to six lines), not furniture."""
    tail = ["매년 연하장을 보내주는 가나동 홍길동 독자님", "항상 예쁜 그림을 그려 보내주는 덕분에", "그림만 보면 누가 보낸 건지",
            "단박에 알게 되는 다라동 김철수 독자님의 엽서", "“항상 끊임없는 열정으로 변함없이 좋은"]
    assert _body(TITLE, PARA, PARA2, PARA3, *tail) == [PARA, PARA2, PARA3, *tail]


# --- bounded time on hostile lines -------------------------------------------------------------------

HOSTILE = ["■" + "가 " * 25_000, "△" + "가" * 50_000 + "=", "△가=" + "가 " * 25_000, "이 기사는 " + "가 " * 25_000 + "에서 프린트 되었습니다.",
           "관련기사“" + "가" * 50_000, "전문보기: http://" + "a" * 50_000, "가" * 50_000 + "시겠습니까?",
           "이 글자크기로 " * 8_000 + "변경됩니다.", "가나 " * 25_000 + "기자", "가나 / " * 12_000 + "2018.07.04", "\n".join([SUM1, PARA2] * 3_000), "\n".join(["■ 가나", PARA] * 3_000),
           "\n".join(["댓글 20", C1, "2024-05-12 10:31"] * 3_000), "\n".join([PARA, "관련기사"] + ["가나 새 청사", C1] * 3_000),
           "광고\n" + "가 " * 25_000 + "드립니다."]


@pytest.mark.parametrize("line", HOSTILE)
def test_head_families_are_linear_on_hostile_lines(line):
    def run(line):
        interface_sentence(line)
        is_link_line(line)
        head_lines(blocks_of([(x, False) for x in line.split("\n")], "text"))
        clean_text(line)
    linear_enough(run, line)
