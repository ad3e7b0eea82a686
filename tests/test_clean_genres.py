"""The page-text cleaner on article genres: interviews in Q&A form, lists (appointments, schedules, weather by
city), contributions and columns with the writer's line, and text cut off by the end of the stored page.
Every page here is written for the test (no outlet's text)."""
from __future__ import annotations

import time

import pytest

from conftest import linear_enough

from scrapers.clean import clean_text
from scrapers.clean.genres import anchor_lead_name, cut_off_tail, is_question, is_writer_line, list_items
from scrapers.clean.lead import strip_byline_prefix
from scrapers.clean.classify import classify, strip_trailing_byline
from scrapers.clean.body import blocks_of

PARA = ("군은 올해 상반기 동안 읍면 순회 설명회를 열어 주민 의견을 들었으며, 이를 바탕으로 하반기 사업 계획을 "
        "다시 짰다고 설명했다.")


def _page(*lines: str) -> str:
    return "\n".join(lines)


# --- interviews ----------------------------------------------------------------------------------------

def test_q_lines_of_an_interview_are_text_and_never_the_title():
    art = clean_text(_page(
        "Q. 처음 농사를 시작한 계기는",
        "= 도시에서 회사를 다니다 쉰 살이 되던 해 고향으로 돌아왔다. 아버지가 물려준 밭이 묵어 가는 게 아까웠다.",
        "Q. 가장 어려웠던 점은",
        "= 판로였다. 처음 두 해는 수확한 배추를 절반도 팔지 못했고 이웃들과 작목반을 꾸린 뒤에야 숨통이 트였다.",
        "Q. 앞으로 계획은",
        "= 체험농장을 열어 아이들이 직접 배추를 뽑고 김치를 담가 보는 자리를 만들고 싶다.",
        "저작권자 © 가나신문 무단전재 및 재배포 금지"))
    assert art.title == ""
    assert art.body[0] == "Q. 처음 농사를 시작한 계기는"
    assert "Q. 앞으로 계획은" in art.body and len(art.body) == 6


def test_a_triangle_line_that_asks_is_a_question_not_a_photo_caption():
    art = clean_text(_page(
        "도서관 사서와 나눈 이야기는 다음과 같다. 질문은 어린이 기자단이 미리 준비했다고 도서관 측은 설명했다.",
        "▲도서관은 언제 문을 열었나요?",
        "\"1998년 봄에 처음 문을 열었습니다.\"",
        "▲ 가장 많이 빌려 가는 책은 무엇인가요.",
        "\"그림책과 만화로 된 과학책을 아이들이 가장 많이 빌려 갑니다.\"",
        "▲ 군민 참여 행사가 열리고 있다. (사진=가나군)"))
    assert "▲도서관은 언제 문을 열었나요?" in art.body
    assert "▲ 가장 많이 빌려 가는 책은 무엇인가요." in art.body
    assert all("군민 참여 행사" not in line for line in art.body)        # a caption stays a caption
    assert any("군민 참여 행사" in c.text for c in art.captions)


@pytest.mark.parametrize("line, asks", [
    ("Q1. 취임 소감은", True), ("Q: 예산은 얼마나 드나", True), ("― 이번 결정의 배경은 무엇입니까?", True),
    ("- 주민 반대는 없었나요", True), ("▲ 시장이 축사를 하고 있다.", False), ("△강릉 13~22도", False),
    ("QR코드를 찍으면 안내를 받을 수 있다", False),
])
def test_question_lines(line, asks):
    assert is_question(line) is asks


# --- lists ---------------------------------------------------------------------------------------------

def test_a_list_of_appointments_after_the_text_stays_in_the_body():
    art = clean_text(_page(
        "가나일보 정기 인사",
        "가나일보가 1일자로 편집국과 경영지원실 간부 인사를 단행했다. 이번 인사는 지역 취재 강화를 위한 것이라고 회사는 밝혔다.",
        "다음은 인사 명단.",
        "◇편집국",
        "▲사회부장 김가나 任 편집부국장",
        "▲정치부 차장 이다라 任 정치부장",
        "◇경영지원실",
        "▲광고국 부국장 박마바 任 경영지원실장",
        "저작권자 © 가나일보 무단전재 및 재배포 금지"))
    assert art.title == "가나일보 정기 인사"
    assert "▲사회부장 김가나 任 편집부국장" in art.body and "▲광고국 부국장 박마바 任 경영지원실장" in art.body
    assert "다음은 인사 명단." in art.body
    assert not art.captions                                   # '▲' items of a list are no photo captions


def test_a_page_whose_only_text_is_a_schedule_has_the_schedule_for_its_article():
    art = clean_text(_page(
        "[가나일보 홍길동 기자]◦주민자치위원회 정기회의=오전 10시 읍사무소",
        "◦농업인 단체 신년 인사회=오전 11시 농업기술센터",
        "◦도시계획위원회=오후 2시 군청 소회의실",
        "◦청소년 문화의 집 개관식=오후 4시 문화의 집",
        "가나일보TV",
        "저작권자 © 가나일보 무단전재 및 재배포 금지"))
    assert not art.error
    assert art.body[0] == "◦주민자치위원회 정기회의=오전 10시 읍사무소" and len(art.body) == 4
    assert art.authors == ["홍길동"]


def test_other_articles_headlines_as_items_after_the_text_stay_out():
    art = clean_text(_page(
        "가나시 새 청사 준공",
        "가나시가 새 청사를 준공했다고 1일 밝혔다. " + PARA,
        "▲ 다라군, 노인 버스 요금 지원 확대",
        "▲ 마바구 새 도서관 준공식 열려",
        "▲ 사아시 주민자치회 공식 출범",
        "저작권자 © 가나신문 무단전재 및 재배포 금지"))
    assert art.body == ["가나시가 새 청사를 준공했다고 1일 밝혔다. " + PARA]


def test_a_list_between_paragraphs_is_text():
    art = clean_text(_page(
        "가나시 날씨",
        "내일은 전국이 대체로 맑겠고 아침 최저기온은 8도에서 16도 사이로 예보됐다. " + PARA,
        "△강릉 13~22도 △대전 12~23도",
        "△광주 13~25도 △대구 12~24도",
        "△부산 16~24도 △제주 17~22도",
        "주말까지 따뜻한 날씨가 이어지겠지만 일요일 밤부터는 찬 공기가 밀려와 기온이 떨어질 것으로 예보됐다."))
    assert "△광주 13~25도 △대구 12~24도" in art.body and len(art.body) == 5


def test_a_menu_of_bullets_is_no_list_article():
    # a browser's copy of an HTML list ('•') and a weather widget's short items are furniture
    art = clean_text(_page(
        "• 홈", "• 정치", "• 경제", "• 사회",
        "  • 흐림서울 20.3℃", "  • 맑음부산 22.1℃", "  • 구름많음대구 21.0℃",
        "가나시가 내년부터 65세 이상 주민에게 버스 요금을 지원하기로 했다고 1일 밝혔다. " + PARA))
    assert art.body == ["가나시가 내년부터 65세 이상 주민에게 버스 요금을 지원하기로 했다고 1일 밝혔다. " + PARA]


# --- writers' lines ------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, writer", [
    ("가나소방서 다라119안전센터 소방장 홍길동", True), ("가나경찰서 생활안전과 경위 김철수.", True),
    ("홍길동 가나대학교 교수", True), ("/김영희 가나대 명예교수", True),
    ("가나시, 노인 버스 요금 지원", False), ("홍길동 교수는 이날 강연에서 이렇게 말했다.", False),
    ("도의회 예결위원장 선출", False),
])
def test_writer_lines(line, writer):
    assert is_writer_line(line) is writer


def test_a_contribution_keeps_its_writer_out_of_the_title_and_the_body():
    art = clean_text(_page(
        "가나소방서 다라119안전센터 소방장 홍길동",
        "겨울이 오면 소방서는 한 해 가운데 가장 바빠진다. 난방기구를 쓰는 집이 늘면서 화재 신고도 함께 늘기 때문이다.",
        "전기난로는 잠자리에 들기 전에 반드시 끄고, 멀티탭 하나에 여러 기구를 꽂아 쓰지 않는 습관이 무엇보다 중요하다.",
        "저작권자 © 가나신문 무단전재 및 재배포 금지"))
    assert art.title == ""
    assert len(art.body) == 2 and all("소방장" not in line for line in art.body)


def test_a_columnist_bio_line_at_the_end_is_not_body():
    art = clean_text(_page(
        "[칼럼] 지역 대학이 살아야 지역이 산다",
        "지방 대학의 신입생 충원율이 해마다 떨어지고 있다. 학생이 줄면 대학 주변 상권이 무너지고 지역의 젊은 인구도 함께 빠져나간다.",
        "대학과 지방정부가 함께 지역 산업에 맞는 학과를 만들고 졸업생이 지역에 남을 일자리를 마련해야 한다.",
        "홍길동 가나대학교 교수",
        "저작권자 © 가나신문 무단전재 및 재배포 금지"))
    assert art.title == "[칼럼] 지역 대학이 살아야 지역이 산다"
    assert len(art.body) == 2 and all("교수" not in line.split()[-1] for line in art.body)


# --- photo news ---------------------------------------------------------------------------------------

def test_a_photo_text_ending_in_its_noun_phrase_loses_its_credit():
    art = clean_text(_page(
        "가나구는 최근 주민 단체들로부터 수해 이재민 성금 1천만원을 전달받았다. 성금은 자매도시로 보내져 이재민 지원에 "
        "쓰일 예정이다. 구는 앞으로도 단체들과 함께 피해 지역을 돕는 일에 나설 계획이라고 밝혔다. 사진은 전달식에서 구청장(앞줄 가운데)과 관계자들이 기념촬영을 하고 있는 모습. (사진=가나구청 제공)",
        "[저작권자ⓒ 가나일보. 무단전재-재배포 금지]"))
    assert art.body and all("사진=" not in line and "가나구청 제공" not in line for line in art.body)
    assert "전달받았다." in art.body[0]


# --- bylines of these genres ---------------------------------------------------------------------------

def test_lead_and_trailing_bylines_of_contributions_and_columns():
    rest, names, prefix, _ = strip_byline_prefix("【가나=다라뉴스】 홍길동 기자 = 가나시가 1일 버스 노선을 바꿨다.")
    assert (rest, names, prefix) == ("가나시가 1일 버스 노선을 바꿨다.", ["홍길동"], "【가나=다라뉴스】 홍길동 기자 =")
    rest, names, prefix, _ = strip_byline_prefix("[가나뉴스/가나소방서 홍보팀장 김철수]올해도 겨울은 어김없이 왔다.")
    assert (rest, names) == ("올해도 겨울은 어김없이 왔다.", [])          # a contributor is not a reporter
    assert strip_byline_prefix("[가나뉴스/김철수 기자]올해도 겨울은 어김없이 왔다.")[1] == ["김철수"]
    core, names, tail = strip_trailing_byline("창간을 진심으로 축하드립니다. <가나통신 = 홍길동 기자>")
    assert (core, names, tail) == ("창간을 진심으로 축하드립니다.", ["홍길동"], "<가나통신 = 홍길동 기자>")
    # a photo credit in brackets is not a reporter's byline
    assert strip_trailing_byline("주민들이 일출을 보고 있다. (사진=홍길동 기자)")[2] == ""


@pytest.mark.parametrize("line", ["뉴스 검색어 입력 양식", "검색어를 입력하세요", "이 기사를 공유합니다"])
def test_form_labels_and_share_labels_are_furniture(line):
    assert classify(line)[0] == "boilerplate"


# --- who reported it: an anchor's lead, a sign-off, a board's post info ---------------------------------

@pytest.mark.parametrize("line, name", [
    ("가나시의 변화를 홍길동 기자가 보도합니다.", "홍길동"), ("보도에 김철수 기잡니다.", "김철수"),
    ("현장에 이영희 기자가 다녀왔습니다.", "이영희"), ("담당 기자가 설명합니다.", ""),
    ("홍길동 기자가 취재한 내용을 바탕으로 시는 대책을 세웠다.", ""),
])
def test_the_reporter_an_anchor_lead_names(line, name):
    assert anchor_lead_name(line) == name


def test_a_broadcast_page_takes_its_reporter_from_the_lead_and_the_sign_off():
    lead = clean_text(_page(
        "가나시 새 버스 노선 운행",
        "가나시의 새 버스 노선이 오늘부터 운행을 시작했습니다.",
        "달라진 출근길을 홍길동 기자가 보도합니다.",
        "첫차는 새벽 다섯 시에 시청 앞을 출발했고 이용객들은 환승이 줄었다며 반겼습니다.",
        "시는 석 달 동안 이용객 수를 살펴본 뒤 배차 간격을 다시 조정할 계획입니다."))
    assert lead.authors == ["홍길동"]
    sign_off = clean_text(_page(
        "가나시 새 버스 노선 운행",
        "가나시의 새 버스 노선이 오늘부터 운행을 시작했습니다. 첫차는 새벽 다섯 시에 시청 앞을 출발했습니다.",
        "이용객들은 환승이 줄었다며 반겼고 시는 석 달 동안 이용객 수를 살펴볼 계획입니다.",
        "채널B 뉴스 김철수입니다."))
    assert sign_off.authors == ["김철수"]


def test_a_board_post_info_row_gives_the_writer_and_the_glued_date():
    art = clean_text(_page(
        "가나시 새 버스 노선 운행",
        "작성자 홍길동 작성일2019.04.08 댓글0건본문",
        "가나시의 새 버스 노선이 오늘부터 운행을 시작했습니다. 첫차는 새벽 다섯 시에 시청 앞을 출발했습니다.",
        "이용객들은 환승이 줄었다며 반겼고 시는 석 달 동안 이용객 수를 살펴볼 계획입니다."))
    assert art.authors == ["홍길동"] and art.published_at == "2019-04-08T00:00:00+09:00"
    assert all("작성일" not in line for line in art.body)
    assert classify("작성자 관리자 작성일2019.04.08")[0] != "byline" or not clean_text(_page(
        "작성자 관리자 작성일2019.04.08", PARA)).authors


# --- text cut off by the end of the stored page ---------------------------------------------------------

def test_the_last_words_of_a_text_cut_off_mid_sentence_stay():
    art = clean_text(_page(
        "가나시 새 청사 준공",
        PARA,
        "가나시장은 \"시민 모두의 집이 되도록 문을 활짝 열어 두겠다. 다만 주차장이 부족한 만큼"))
    assert art.body[-1].startswith("가나시장은")


def test_a_wrapped_script_cut_off_by_the_end_keeps_its_last_lines():
    art = clean_text(_page(
        "가나방송 뉴스 다시보기",
        "[앵커]",
        "가나시의 새 버스 노선이 오늘부터 운행을 시작했습니다.",
        "[리포트]",
        "첫차는 새벽 다섯 시에 출발했습니다.",
        "이용객들은 환승이 줄었다며 반겼습니다.",
        "시는 석 달 동안 이용객 수를",
        "살펴본 뒤 배차 간격을",
        "다시 조정할"))
    assert art.body[-2:] == ["살펴본 뒤 배차 간격을", "다시 조정할"]


def test_a_menu_word_after_the_text_is_not_taken_for_cut_off_text():
    art = clean_text(_page("가나시 새 청사 준공", PARA, "광역"))
    assert art.body == [PARA]
    blocks = blocks_of([(PARA, False), ("회사소개 광고문의 기사제보 개인정보처리방침", False)], "text")
    assert cut_off_tail(blocks, 0) == 0


# --- bounded time on hostile lines ---------------------------------------------------------------------

# Lines long enough that a quadratic pattern takes tens of seconds on them (the old EMAIL pattern took about
# 20 s on 50,000 syllables), while the linear code takes under 0.05 s each here and under 0.5 s for the
# 4,000-line schedule: the 5 s bound is ten times a slow CI machine's time, not a speed target.
HOSTILE = ["가" * 50_000, " ".join(["가나"] * 10_000), "작성자 " + "가" * 50_000, "가 " * 25_000 + "기자가 보도합니다.",
           "▲" + "가나 " * 10_000 + "?", "Q. " + "가" * 50_000, "[" * 25_000 + "가나뉴스/" + "가" * 25_000,
           ("◦가나다라=오전 10시 가나\n" * 4_000)]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_genre_families_are_linear_on_hostile_lines(line):
    def run(line):
        is_question(line)
        is_writer_line(line)
        strip_byline_prefix(line)
        strip_trailing_byline(line + " <가나통신 = 홍길동 기자>")
        blocks = blocks_of([(x, False) for x in line.split("\n")], "text")
        cut_off_tail(blocks, 0)
        anchor_lead_name(line + "다.")
        classify(line[:20_000])
        clean_text(line)
    linear_enough(run, line)


def test_many_short_lists_between_paragraphs_are_linear():
    """4,000 runs of three ▲ items, each followed by a paragraph (390 KB of page text, under its 500,000-character
    bound): each run summed the length of every other line, 8 s here (31 s for the whole page). Now the total
    is taken once: well under a second."""
    lines = []
    for g in range(4_000):
        lines += [(f"▲가나다라 {g}번 항목 마바사아 자차카타", False)] * 3 + [("가나시는 이날 새 청사를 열었다고 밝혔다.", False)]
    blocks = blocks_of(lines, "text")
    start = time.perf_counter()
    list_items(blocks)
    assert time.perf_counter() - start < 5.0
    assert sum(b.kind == "body" for b in blocks) == len(blocks)      # the lists and the paragraphs are text
