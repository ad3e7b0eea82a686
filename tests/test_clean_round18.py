r"""The page-text cleaner on round 18's families (sample H: photo news, council reports, interviews, columns,
press-release rewrites, event notices, personnel, a broadcaster's web article, weeklies, campus and trade papers).
A widget's as-of stamp ('2022.08.01 00:00 기준') taken for the article's date; a portal's keyword widget and summary
button ('실시간 키워드', '3줄요약') taken for the deck; a bracketed sign-off byline with a broadcaster's call letters
or a desk ('[가나TV 뉴스센터 홍길동 인턴기자]') left unread; a photo news item whose only text is its photo text
('▲ … /사진제공=…') cut into a caption and a sentence.
Every line here is written for the test (no outlet's text)."""
from __future__ import annotations

import pytest

from conftest import linear_enough

from scrapers.clean import clean_text, parse_korean_date
from scrapers.clean.classify import classify, reporter_names
from scrapers.clean.dates import event_field, pick_dates
from scrapers.clean.genres import is_question, is_writer_line
from scrapers.clean.broadcast import _TOOL_ROWS
from scrapers.clean.credits import lone_credit
from scrapers.clean.glued import strip_glued_end
from scrapers.clean.reader import JOINT_BYLINE, LINE_BYLINE, joint_names

P1 = "가나시의회가 지난달 30일 제144회 정례회 제4차 본회의에서 행정사무감사 결과보고서를 채택했다."
P2 = "행정사무감사에서는 가나시 각 부서와 산하 기관에 대해 모두 608건의 개선사항을 도출했다."
P3 = "의회 관계자는 “지적한 사항이 실제 변화로 이어지도록 끝까지 살피겠다”고 말했다."
COPYRIGHT = "저작권자 © 가나일보 무단전재 및 재배포 금지"


# --- as-of stamps are no article's date ------------------------------------------------------------------

def test_an_as_of_stamp_over_a_widget_is_not_the_articles_date():
    assert pick_dates(["2022.08.01 00:00 기준", "가나일보 2025-07-01 10:38:49 신고"])[0] == "2025-07-01T10:38:49+09:00"
    assert pick_dates(["2025.09.29 15:30 현재", "2025-07-01"])[0] == "2025-07-01T00:00:00+09:00"
    # a date with a word after it that only starts like one is still a date
    assert pick_dates(["2025.07.01 10:38 기준금리"])[0] == "2025-07-01T10:38:00+09:00"


def test_a_portal_page_takes_the_source_lines_date_and_no_widget_for_its_deck():
    art = clean_text("\n\n".join([
        "가나시의회, 행정사무감사 결과 608건 도출", "실시간 키워드", "2022.08.01 00:00 기준",
        "가나시의회, 행정사무감사 결과 608건 도출", "가나일보 2025-07-01 10:38:49 신고", "3줄요약", P1, P2, P3]))
    assert art.title == "가나시의회, 행정사무감사 결과 608건 도출"
    assert art.published_at == "2025-07-01T10:38:49+09:00"
    assert art.subtitle == ""
    assert art.body == [P1, P2, P3]


@pytest.mark.parametrize("line", ["실시간 키워드", "실시간 검색어", "3줄요약", "3줄 요약", "AI 요약"])
def test_portal_widgets_and_summary_buttons_are_furniture(line):
    assert classify(line)[0] in ("box", "boilerplate")


# --- sign-off bylines with call letters or a desk ---------------------------------------------------------

@pytest.mark.parametrize("line,name", [("[가나TV 뉴스센터 홍길동 인턴기자]", "홍길동"), ("[KNN 김철수 기자]", "김철수"),
                                       ("[가나일보 사회부 이영희 기자]", "이영희"), ("[ABC스타 박민수 기자]", "박민수")])
def test_a_bracketed_sign_off_with_call_letters_or_a_desk_names_the_reporter(line, name):
    assert classify(line)[0] == "byline"
    assert reporter_names(line) == [name]


@pytest.mark.parametrize("line", ["[사진 홍길동 기자]", "[국회 본회의 홍길동 의원]", "[가나일보 사회부 홍길동]",
                                  "[가나시 홍길동 기자가 취재했다]"])
def test_brackets_without_an_outlet_or_a_reporters_title_are_no_sign_off(line):
    assert not LINE_BYLINE.match(line)


def test_a_broadcasters_article_signed_off_in_brackets_gets_its_author():
    art = clean_text("\n".join([
        "가나시의회 행정사무감사 608건 지적", "↑ 가나시의회 본회의 / 사진= 가나TV |", P1, P2, P3,
        "[가나TV 뉴스센터 홍길동 인턴기자]"]))
    assert art.authors == ["홍길동"]
    assert art.body == [P1, P2, P3]


# --- photo news -----------------------------------------------------------------------------------------

PHOTO = ("▲ 가나시의회가 5일 시의회 중앙홀에서 주요 인사들을 초청해 2025년도 신년 인사회를 열었다. 이 자리에서 홍길동 의장은 "
         "\"시민의 대변자로서 시정에 대한 협력과 견제의 조화를 이루겠다\"고 말했다. /사진제공=가나시의회")
STORY = PHOTO[2:-len(" /사진제공=가나시의회")]


def test_a_photo_news_page_whose_only_text_is_its_photo_text_has_it_for_its_article():
    art = clean_text(PHOTO)
    assert art.body == [STORY]
    assert not art.captions
    assert not art.error
    art = clean_text("\n\n".join([PHOTO, COPYRIGHT]))
    assert art.body == [STORY]
    assert any(r.text == "/사진제공=가나시의회" for r in art.removed)


def test_a_photo_news_page_in_full_width_characters_keeps_them():
    wide = PHOTO.replace("2025", "２０２５").replace("/사진제공=", "／사진제공＝")
    art = clean_text(wide)
    assert art.body == [STORY.replace("2025", "２０２５")]


def test_a_photo_text_beside_running_text_stays_a_caption():
    art = clean_text("\n\n".join([PHOTO, P1, P2, P3, COPYRIGHT]))
    assert art.body == [P1, P2, P3]
    assert art.captions and "신년 인사회" in art.captions[0].text


def test_a_short_photo_label_alone_is_no_article():
    art = clean_text("▲ 가나시청 전경. /사진제공=가나시")
    assert STORY not in art.body_text


def test_two_photo_texts_are_no_photo_news_item():
    other = PHOTO.replace("신년 인사회", "송년 음악회")
    art = clean_text("\n\n".join([PHOTO, other]))
    assert art.body != [STORY]


def test_an_obituary_page_whose_only_text_is_its_item_has_it_for_its_article():
    item = ("▲홍길동씨 별세, 홍철수(가나일보 편집국장)·홍영희씨 부친상, 김민수씨 장인상 = 12일 오전 가나병원 장례식장 3호실, "
            "발인 14일 오전 8시, 장지 가나공원묘원. ☎ 063-123-4567")
    art = clean_text("\n".join(["[부고] 홍길동씨 별세", "입력 2025.05.12 09:00", item, COPYRIGHT]))
    assert art.body == [item[1:]]
    assert art.title == "[부고] 홍길동씨 별세"
    # the same item under an article of its own is the article's caption or list, not its text
    art = clean_text("\n".join(["가나시의회 폐회", P1, P2, P3, item, COPYRIGHT]))
    assert art.body == [P1, P2, P3]


# --- interviews -----------------------------------------------------------------------------------------

INTRO = "홍길동 가나군수는 취임 1년을 맞아 본지와 인터뷰에서 \"군민이 체감하는 변화를 만들겠다\"고 밝혔다. 다음은 홍 군수와의 일문일답."
A1 = "\"군민 여러분 덕분에 큰 어려움 없이 한 해를 보냈다. 남은 임기 동안 약속한 사업을 차질 없이 추진하겠다.\""
A2 = "\"인구 감소세를 멈춘 것이다. 청년 주택과 일자리 사업이 함께 효과를 냈다고 본다.\""


def test_an_interviews_intro_and_a_question_asked_as_a_topic_stay_in_the_text():
    art = clean_text("\n".join([
        "[인터뷰] 홍길동 가나군수 \"군민이 체감하는 변화 만들겠다\"", "입력 2025.07.01 10:00", "김철수 기자",
        INTRO, "-취임 1년 소감은.", A1, "▶가장 큰 성과를 꼽는다면?", A2, "김철수 기자 kim@ganailbo.com", COPYRIGHT]))
    assert art.body == [INTRO, "-취임 1년 소감은.", A1, "▶가장 큰 성과를 꼽는다면?", A2]
    assert art.authors == ["김철수"]


@pytest.mark.parametrize("line,asks", [("-취임 1년 소감은.", True), ("▶향후 계획은", True), ("― 가장 큰 과제는?", True),
                                       ("△가나시 청년 기본 조례안", False), ("▲기획예산과장 홍길동", False),
                                       ("- 가나시는 올해 예산 가운데 복지 분야를 크게 늘렸고 교통 분야는", False)])
def test_a_question_asked_as_a_topic_and_its_particle(line, asks):
    assert is_question(line) is asks


# --- fact boxes of notices and press releases -------------------------------------------------------------

NOTICE = "가나군 농업기술센터는 제10기 귀농학교 교육생 40명을 오는 14일부터 28일까지 모집한다고 3일 밝혔다."
NOTICE2 = "교육은 3월부터 11월까지 매주 화요일 오후 2시부터 농업기술센터 대강당에서 진행된다."
FIELDS = ["□ 교육기간: 2025. 3. 4.~11. 25.(매주 화요일)", "□ 모집인원: 40명", "□ 신청방법: 농업기술센터 방문 접수"]


def test_a_fact_box_after_the_last_paragraph_is_the_articles_text():
    art = clean_text("\n".join(["가나군 농업기술센터, 귀농학교 교육생 모집", "2025-02-08 홍길동 기자", NOTICE, NOTICE2,
                                 *FIELDS, "홍길동 기자 hong@ganailbo.com", COPYRIGHT]))
    assert art.body == [NOTICE, NOTICE2, *FIELDS]


def test_other_articles_headlines_after_the_text_stay_out():
    heads = ["▲가나시, 내년 예산 1조 원 돌파", "▲다라군 농촌 관광 활성화 나선다", "▲마바시의회 임시회 폐회"]
    art = clean_text("\n".join(["가나군 농업기술센터, 귀농학교 교육생 모집", NOTICE, NOTICE2, "홍길동 기자", *heads]))
    assert art.body == [NOTICE, NOTICE2]


CONCERT = ["가나문화재단은 다음 달 1일 가나아트홀에서 청소년 오케스트라 정기 공연을 연다고 3일 밝혔다.",
           "이번 공연에서는 지역 청소년 60명이 클래식과 영화 음악 등 10곡을 들려준다. 관람료는 무료다."]


@pytest.mark.parametrize("box", [["일시 : 2025년 5월 1일(목) 오후 2시", "장소 : 가나아트홀 대공연장", "문의 : 063-123-4567"],
                                 ["- 일시: 2025년 5월 1일 오후 2시", "- 장소: 가나아트홀", "- 대상: 누구나"]])
@pytest.mark.parametrize("dated", [True, False])
def test_an_unmarked_fact_box_is_text_and_its_time_is_not_the_articles_date(box, dated):
    head = ["가나문화재단, 청소년 오케스트라 공연"] + (["입력 2025.04.03 10:00"] if dated else [])
    art = clean_text("\n".join([*head, *CONCERT, *box, "홍길동 기자"]))
    assert art.body == [*CONCERT, *box]
    assert art.published_at == ("2025-04-03T10:00:00+09:00" if dated else None)
    assert classify(box[0])[0] == "body"


def test_a_lone_contact_line_is_no_fact_box():
    art = clean_text("\n".join(["가나문화재단, 청소년 오케스트라 공연", *CONCERT, "문의 : 063-123-4567", "홍길동 기자"]))
    assert art.body == CONCERT


PERSONNEL = ["◇4급 승진", "▲기획예산과장 홍길동 ▲복지정책과장 김철수", "◇5급 승진", "▲총무팀장 이영희 ▲세무팀장 박민수 ▲홍보팀장 최지우",
             "◇전보", "▲가나동장 정우성 ▲다라동장 한지민"]


def test_a_personnel_list_with_a_short_group_header_is_the_article():
    art = clean_text("\n".join(["[인사] 가나시", "입력 2025.01.02 09:00", *PERSONNEL, COPYRIGHT]))
    assert art.body == PERSONNEL
    assert art.title == "[인사] 가나시"


# --- columnists' titles -----------------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["홍길동 논설위원", "홍길동 객원논설위원", "홍길동 수석논설위원 hong@ganailbo.com",
                                  "홍길동 편집위원"])
def test_a_columnists_title_is_not_read_as_the_name(line):
    assert reporter_names(line) == ["홍길동"]


@pytest.mark.parametrize("line,name", [("가나일보 홍길동 기자", "홍길동"), ("사회부 김철수 기자 kim@gana.com", "김철수"),
                                       ("홍길동 선임기자", "홍길동"), ("가나 = 이영희 기자", "이영희")])
def test_an_outlet_or_desk_before_the_name_is_still_read(line, name):
    assert reporter_names(line) == [name]


# --- a broadcaster's page: the time in parentheses, the newscast in the byline -----------------------------

@pytest.mark.parametrize("line,iso", [("입력 2025.07.10 (19:21)", "2025-07-10T19:21:00+09:00"),
                                      ("2025-07-10 (오후 7:21)", "2025-07-10T19:21:00+09:00"),
                                      ("2025.07.10 (목)", "2025-07-10T00:00:00+09:00"),
                                      ("2025-07-10T19:21:00+09:00 가나일보", "2025-07-10T19:21:00+09:00"),
                                      ("기사입력 2025.07.10 | 19:21", "2025-07-10T19:21:00+09:00"),
                                      ("2025.07.10 | 조회 1234", "2025-07-10T00:00:00+09:00")])
def test_a_time_of_day_in_parentheses_after_a_bar_or_a_T_is_read(line, iso):
    assert parse_korean_date(line) == iso


def test_a_byline_naming_the_newscast_names_the_reporter_and_is_no_deck():
    art = clean_text("\n".join([
        "가나군, 노인 일자리 1천 개 만든다", "(가나방송 8뉴스 홍길동 기자)",
        "가나군이 올해 노인 일자리 1천 개를 새로 만들기로 했습니다. 지난해보다 200개 늘어난 규모입니다.",
        "군은 공공 분야뿐 아니라 민간 기업과 손잡고 일자리를 늘릴 계획입니다.", "(영상취재 : 김철수, 영상편집 : 이영희)"]))
    assert art.authors == ["홍길동"]
    assert art.subtitle == ""
    assert reporter_names("[가나방송 뉴스데스크 이영희 기자]") == ["이영희"]


# --- headlines ------------------------------------------------------------------------------------------

HEAD = "가나시 '반값 택시' 도입…어르신 교통비 절반으로"
TAXI = ["가나시는 65세 이상 어르신이 택시를 탈 때 요금의 절반을 지원하는 '반값 택시'를 다음 달부터 도입한다고 3일 밝혔다.",
        "지원은 한 달에 10회까지이며, 교통카드로 결제하면 자동으로 할인된다."]


def test_a_headline_ending_in_a_particle_printed_twice_is_the_title_not_a_wrapped_script_line():
    art = clean_text("\n".join([HEAD, HEAD, *TAXI, "[가나일보=홍길동 기자]"]))
    assert art.title == HEAD
    assert art.body == TAXI


def test_a_script_wrapped_into_short_lines_still_goes_on():
    art = clean_text("\n".join(["가나시 반값 택시 도입", "가나시는 다음 달부터", "65세 이상 어르신에게",
                                 "택시 요금의 절반을 지원합니다.", "지원은 한 달에 열 번까지이며", "교통카드로 결제하면",
                                 "자동으로 할인됩니다.", "가나방송 홍길동입니다."]))
    assert "가나시는 다음 달부터" in art.body_text


@pytest.mark.parametrize("line", ["가나소방서 구조대장 홍길동", "가나경찰서 다라지구대 경사 김철수", "가나교육청 장학사 이영희"])
def test_a_contributors_post_line_is_no_deck(line):
    assert is_writer_line(line)
    art = clean_text("\n".join(["[기고] 여름철 물놀이 안전수칙 꼭 지키자", line, "승인 2025.07.01 09:00",
                                 "여름철이 되면 계곡과 바다를 찾는 사람이 늘면서 물놀이 사고도 함께 늘어난다.",
                                 "물에 들어가기 전에는 반드시 준비운동을 하고, 구명조끼를 착용해야 한다.", COPYRIGHT]))
    assert art.title == "[기고] 여름철 물놀이 안전수칙 꼭 지키자"
    assert art.subtitle == ""
    assert not is_writer_line("가나 의용소방대장 취임식") and not is_writer_line("소방대원 3명 부상")


@pytest.mark.parametrize("line", ["홍길동 대기자", "홍길동 에디터", "가나일보 홍길동 에디터", "홍길동 대기자 hong@ganailbo.com",
                                  "• 기자명 홍길동", "기자명: 홍길동"])
def test_a_senior_writers_or_editors_title_and_ndsofts_labelled_writer_name_the_author(line):
    assert classify(line)[0] == "byline"
    assert reporter_names(line) == ["홍길동"]


@pytest.mark.parametrize("line", ["• 기자명 가나뉴스", "기자명 가나일보", "에디터 추천"])
def test_an_outlet_in_the_writers_place_or_an_editors_box_is_no_author(line):
    assert reporter_names(line) == []


# --- an article page's tools between its paragraphs -------------------------------------------------------

@pytest.mark.parametrize("line", ["좋아요 0 싫어요 0", "추천 12 비추천 3", "공감 0", "가 가 가 가 가", "00:00 / 03:21", "음성으로 듣기",
                                  "기사를 읽어드립니다", "글씨 크기 조절", "번역 Translate", "기자 구독", "좋은 기사 응원하기",
                                  "이전기사 다음기사", "AI 추천 뉴스", "무료 뉴스레터 구독", "관련 태그", "키워드"])
def test_an_article_pages_tools_between_its_paragraphs_leave_the_text(line):
    art = clean_text("\n".join(["가나시, 청년 월세 지원 확대", P1, line, P2, P3, COPYRIGHT]))
    assert art.body == [P1, P2, P3]


@pytest.mark.parametrize("line", ["◆ 좋아요를 누른 사람들", "추천 제도의 문제점", "가나 공감 토크 콘서트"])
def test_a_subhead_that_names_a_tool_stays(line):
    art = clean_text("\n".join(["가나시, 청년 월세 지원 확대", P1, line, P2, P3, COPYRIGHT]))
    assert line in art.body


@pytest.mark.parametrize("line", ["▶ 네이버에서 가나일보를 구독하세요", "제보는 카카오톡 ganajebo", "가나일보 채널 추가하기",
                                  "<영상 취재: 홍길동>", "<영상편집 김철수>"])
def test_promotions_and_the_crews_angle_bracket_credit_leave_the_text(line):
    art = clean_text("\n".join(["가나시, 청년 월세 지원 확대", P1, line, P2, P3, COPYRIGHT]))
    assert art.body == [P1, P2, P3]


@pytest.mark.parametrize("line", ["시민의 제보는 큰 도움이 됐다.", "신청은 카카오톡 채널 추가 후 가능하다.",
                                  "주민들은 유튜브 채널 구독을 권했다."])
def test_sentences_about_tips_and_channels_stay(line):
    assert classify(line)[0] == "body"


# --- a photo's credit standing alone between paragraphs ---------------------------------------------------

@pytest.mark.parametrize("line", ["(가나시 제공)", "/가나시 제공", "가나군 농업기술센터 제공", "경북도 제공", "가나시 복지정책과 제공",
                                  "가나시청 전경 (가나시 제공)", "/가나일보 DB", "[가나일보 자료사진]", "(자료사진)", "게티이미지뱅크",
                                  "ⓒ게티이미지뱅크", "클립아트코리아"])
def test_a_photos_credit_standing_alone_between_paragraphs_is_no_text(line):
    art = clean_text("\n".join(["가나시, 청년 월세 지원 확대", P1, line, P2, P3, COPYRIGHT]))
    assert art.body == [P1, P2, P3]


@pytest.mark.parametrize("line", ["정부가 예산을 제공", "시민에게 정보 제공", "가나 DB 구축 사업", "◇ 청년 주거 부담 여전",
                                  "[그래픽] 가나시 청년 월세 지원", "[포토] 가나천 벚꽃길 만개"])
def test_a_subhead_that_ends_in_a_giving_word_stays(line):
    assert classify(line)[0] == "body"


# --- a list of the text's points, each a sentence ---------------------------------------------------------

POINTS = ["△청년 월세 지원은 다음 달부터 신청을 받는다.", "△전세 대출 이자 지원은 상반기 중 시작한다.", "△청년 창업 지원금은 두 배로 늘린다."]


def test_a_run_of_sentence_items_between_paragraphs_is_the_texts_list_not_captions():
    art = clean_text("\n".join(["가나시의회 행정사무감사 608건 지적", P1, *POINTS, P2, P3, COPYRIGHT]))
    assert art.body == [P1, *POINTS, P2, P3]
    assert not art.captions


def test_a_gallerys_captions_after_the_text_stay_captions():
    shots = ["▲ 가나천 벚꽃길을 걷는 시민들이 사진을 찍고 있다.", "▲ 벚꽃 아래에서 아이들이 뛰어놀고 있다.",
             "▲ 가나천 야경을 즐기는 관광객들이 모여 있다."]
    art = clean_text("\n".join(["가나천 벚꽃길 만개", P1, P2, P3, *shots]))
    assert art.body == [P1, P2, P3]
    assert len(art.captions) == 3


# --- the stored text cut off right after a finished sentence ----------------------------------------------

def test_the_first_words_of_a_sentence_the_stored_text_cuts_off_are_the_texts_last_words():
    art = clean_text("\n".join(["가나시의회 행정사무감사 608건 지적", P1, P2, P3, "이번 행정사무감사는"]))
    assert art.body == [P1, P2, P3, "이번 행정사무감사는"]
    art = clean_text("\n".join(["[인터뷰] 홍길동 가나군수", INTRO, "Q1. 취임 1년을 맞은 소감은?", A1, "Q2. 군민들에게"]))
    assert art.body[-1] == "Q2. 군민들에게"


@pytest.mark.parametrize("line", ["광고 문의", "제휴 문의", "이용약관 개인정보처리방침", "가나일보", "경기도 가나시 다라로",
                                  "가나시 다라구 마바대로"])
def test_a_footers_last_label_is_no_cut_sentence(line):
    art = clean_text("\n".join(["가나시의회 행정사무감사 608건 지적", P1, P2, P3, line]))
    assert art.body == [P1, P2, P3]


# --- a broadcast report's sign-off and its anchor's lead --------------------------------------------------

REPORT = ["밤사이 가나시에 많은 비가 내리면서 피해가 잇따랐습니다.",
          "새벽 3시쯤 가나시 다라동의 한 주택 지붕이 무너졌습니다. 집 안에 있던 주민 두 명은 스스로 몸을 피했습니다.",
          "가나시는 피해 현황을 조사하고 있으며 이번 주 안에 복구 계획을 내놓을 예정입니다."]


@pytest.mark.parametrize("sign_off", ["지금까지 가나시청에서 가나방송 홍길동입니다.", "가나방송 뉴스 홍길동입니다.",
                                      "가나방송 뉴스, 홍길동입니다."])
def test_a_sign_off_with_a_stations_name_in_hangul_names_the_reporter(sign_off):
    art = clean_text("\n".join(["가나시 폭우 피해 잇따라", *REPORT, sign_off]))
    assert art.authors == ["홍길동"]


@pytest.mark.parametrize("lead", ["홍길동 기자의 보도입니다.", "홍길동 기자의 보돕니다.", "홍길동 기자가 현장을 다녀왔습니다."])
def test_an_anchors_lead_in_these_forms_names_the_reporter(lead):
    art = clean_text("\n".join(["가나시 폭우 피해 잇따라", "[앵커]", REPORT[0], lead, "[리포트]", REPORT[1], REPORT[2]]))
    assert art.authors == ["홍길동"]


@pytest.mark.parametrize("line", ["저는 가나시민 홍길동입니다.", "이상 가나시청 앞에서 전해드렸습니다."])
def test_a_citizens_introduction_is_no_sign_off(line):
    assert clean_text("\n".join(["가나시 폭우 피해 잇따라", *REPORT, line])).authors == []


# --- weeklies', campus and trade papers' heads -----------------------------------------------------------

CAMPUS = ["가나대 제40대 총학생회 선거가 투표율 50%를 넘지 못해 하루 연장됐다. 선관위는 13일 하루 더 투표를 진행한다.",
          "중앙선거관리위원회는 지난 12일 투표 마감 결과 투표율이 47%에 그쳤다고 밝혔다."]


@pytest.mark.parametrize("head,authors,date", [
    ("[가나대신문] 홍길동 기자", ["홍길동"], None), ("(가나일보) 홍길동·김철수 기자", ["홍길동", "김철수"], None),
    ("Posted on 2025-03-02", [], "2025-03-02T00:00:00+09:00"), ("[지면보기]", [], None), ("PDF 지면보기", [], None)])
def test_a_head_line_of_these_papers_is_read_and_is_no_deck(head, authors, date):
    art = clean_text("\n".join(["총학생회 선거, 투표율 미달로 연장", head, *CAMPUS, COPYRIGHT]))
    assert art.subtitle == ""
    assert art.authors == authors
    assert art.published_at == date
    assert art.body == CAMPUS


# --- furniture glued after the last sentence --------------------------------------------------------------

@pytest.mark.parametrize("tail,why", [("(끝)", "end mark"), ("[끝]", "end mark"), ("※ 이 기사는 가나시의 지원을 받았습니다.", "note"),
                                      ("#가나시 #청년", "tag"), ("▶ 관련기사 가나시, 청년 기본 조례 개정", "related"),
                                      ("많이 본 뉴스", "popular"), ("/가나일보 DB", "photo credit")])
@pytest.mark.parametrize("sep", ["", " "])
def test_furniture_glued_after_the_last_sentence_leaves_the_text(tail, why, sep):
    art = clean_text("\n".join(["가나시, 청년 월세 지원 확대", P1, P2 + sep + tail]))
    assert art.body == [P1, P2]
    assert any(r.text == tail for r in art.removed)


@pytest.mark.parametrize("tail", ["<가나일보 논설위원실>", "[가나일보 사설]", "(논설위원실)", "/ 논설위원실"])
def test_an_editorials_signature_glued_after_its_last_sentence_leaves_the_text(tail):
    art = clean_text("\n".join(["[사설] 행정사무감사 지적, 끝까지 살펴야", P1, P2 + " " + tail, COPYRIGHT]))
    assert art.body == [P1, P2]


@pytest.mark.parametrize("last", ["관련 기사는 다음 주에 다시 다룬다.", "신문 사설이 그 점을 짚었다.", "이번 행사의 #해시태그 이벤트도 인기를 끌었다.",
                                  "This was compensated by #CollectiveBias, Inc. #ad"])
def test_a_sentence_that_mentions_them_keeps_its_words(last):
    assert clean_text("\n".join(["가나시, 청년 월세 지원 확대", P1, P2 + " " + last])).body[-1].endswith(last)


# --- no headline: what must not be taken for one -----------------------------------------------------------

@pytest.mark.parametrize("head", [["2025.03.02 (일)", "맑음 가나 12.3℃"], ["[행정사무감사 결과]", "홍길동 기자"], ["【행정사무감사】"],
                                  ["가나시청 전경. (사진=가나시 제공)", "가나시청 전경. (사진=가나시 제공)"]])
def test_a_weather_reading_a_tag_alone_or_a_credited_caption_is_no_title(head):
    art = clean_text("\n".join([*head, P1, P2, P3, COPYRIGHT]))
    assert art.title == ""
    assert art.body == [P1, P2, P3]


@pytest.mark.parametrize("head,title", [(["[청년이 미래다]", "가나시의회, 행정사무감사 608건 지적", "홍길동 기자"],
                                         "가나시의회, 행정사무감사 608건 지적"),
                                        (["가나시 낮 최고 35℃…폭염 경보", "홍길동 기자"], "가나시 낮 최고 35℃…폭염 경보"),
                                        (["가나시의회의 가을 (사진=가나시의회)"], "가나시의회의 가을 (사진=가나시의회)")])
def test_the_headline_under_a_tag_with_a_temperature_or_a_credit_is_still_the_title(head, title):
    assert clean_text("\n".join([*head, P1, P2, P3, COPYRIGHT])).title == title


# --- joint bylines ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["홍길동 기자, 김철수 기자", "홍길동 기자·김철수 기자", "홍길동 기자 / 김철수 기자",
                                  "가나=홍길동 기자, 다라=김철수 기자", "글 홍길동 기자, 취재 김철수 기자",
                                  "홍길동 기자 hong@ganailbo.com 김철수 기자 kim@ganailbo.com", "홍길동 기자(hong@ganailbo.com)·김철수 기자"])
@pytest.mark.parametrize("at_end", [False, True])
def test_a_joint_byline_with_a_title_for_each_names_every_reporter(line, at_end):
    lines = [P1, P2, line] if at_end else [line, P1, P2]
    art = clean_text("\n".join(["가나시의회, 행정사무감사 608건 지적", *lines, COPYRIGHT]))
    assert art.authors == ["홍길동", "김철수"]
    assert art.body == [P1, P2]


@pytest.mark.parametrize("line", ["글 홍길동 기자, 사진 김철수 기자", "홍길동 기자 / 김철수 사진기자", "홍길동 기자, 영상 김철수 기자"])
def test_the_photographer_of_a_joint_byline_is_no_author(line):
    assert reporter_names(line) == ["홍길동"]


def test_a_joint_byline_with_a_photographers_credit_is_a_byline_not_a_caption():
    line = "글=홍길동 기자 / 사진=김철수 기자"
    assert classify(line) == ("byline", "reporter line")
    for lines in ([line, P1, P2], [P1, P2, line]):
        assert clean_text("\n".join(["가나시의회, 행정사무감사 608건 지적", *lines, COPYRIGHT])).authors == ["홍길동"]


def test_a_sentence_about_two_reporters_is_no_byline():
    assert classify("홍길동 기자가 김철수 기자와 만났다.")[0] == "body"
    assert reporter_names("홍길동 기자가 김철수 기자와 만났다.") == []


# --- a portal's reader tools above the article --------------------------------------------------------------

PORTAL_HEAD = ["가나일보", "PICK", "가나시의회, 행정사무감사 608건 지적", "입력2025.03.02. 오후 2:11", "기사원문", "홍길동 기자", "본문 요약봇",
               "요약봇 beta", "자동 추출 기술로 요약된 내용입니다. 요약 기술의 특성상 본문의 주요 내용이 제외될 수 있어, 전체 맥락을 "
               "이해하기 위해서는 기사 전문을 함께 이용해야 합니다.", "닫기", "텍스트 음성 변환 서비스 사용하기", "성별", "남성", "여성",
               "말하기 속도", "느림", "보통", "빠름", "이동 통신망을 이용하여 음성을 재생하면 별도의 데이터 통화료가 부과될 수 있습니다.",
               "본문듣기를 종료하였습니다.", "글자 크기 변경하기", "가1단계 작게", "가2단계 보통", "공유하기"]
PORTAL_TAIL = ["홍길동 기자(hong@ganailbo.com)", "기자 프로필", "구독자 0", "응원수 0",
               "Copyright ⓒ 가나일보. All rights reserved. 무단 전재 및 재배포 금지.", "이 기사는 언론사에서 사회 섹션으로 분류했습니다.",
               "기사 섹션 분류 안내", "좋아요", "훈훈해요"]


def test_a_portals_summary_bot_and_text_to_speech_tools_are_no_text():
    art = clean_text("\n".join([*PORTAL_HEAD, P1, P2, P3, *PORTAL_TAIL]))
    assert art.title == "가나시의회, 행정사무감사 608건 지적"
    assert art.body == [P1, P2, P3]
    assert art.authors == ["홍길동"]


def test_a_news_sentence_about_data_charges_is_text():
    assert classify("가나시는 데이터 통화료 지원을 늘렸다고 밝혔습니다.")[0] == "body"


DAUM_LIKE = ["가나시의회, 행정사무감사 608건 지적", "홍길동 기자", "입력 2025. 3. 2. 14:11", "요약보기", "음성으로 듣기", "번역 설정",
             "글씨크기 조절하기", "요약문", "자동요약 기술로 생성된 요약입니다.", "가장작게", "작게", "보통", "크게", "가장크게",
             "(예시) 가장 빠른 뉴스가 있고 다양한 정보, 쌍방향 소통이 숨쉬는 가나뉴스를 만나보세요. 가나뉴스는 국내외 주요이슈와 "
             "실시간 속보, 문화생활 및 다양한 분야의 뉴스를 입체적으로 전달하고 있습니다.", "이 글자크기로 변경됩니다."]


def test_a_portals_font_size_preview_is_no_text_and_the_byline_above_the_tools_names_the_reporter():
    art = clean_text("\n".join([*DAUM_LIKE, P1, P2, P3, "이 기사에 대해 어떻게 생각하시나요?", "추천해요", "감동이에요"]))
    assert art.body == [P1, P2, P3]
    assert art.authors == ["홍길동"]
    assert art.published_at == "2025-03-02T14:11:00+09:00"


HOSTILE = ["[" + "A" * 50_000 + " 홍길동 기자]", "[가나TV" + " 뉴스센터" * 10_000 + " 홍길동 기자]",
           "[ABC " + "가" * 50_000 + "부 홍길동 기자]", "2025.07.01 10:38" + " " * 50_000 + "기준",
           "▲ " + "가나다라 " * 12_000 + "했다. /사진제공=가나", "▲" * 50_000, "다음은 " + "가" * 50_000 + " 일문일답.",
           "다음은" + " 가" * 30_000 + " 일문일답.", "-" + "가" * 50_000 + "은.", "□ " + "가 " * 30_000 + ": 값",
           "홍길동 " * 10_000 + "논설위원", "가" * 50_000 + " 논설위원",
           "2025.07.10" + " (" * 25_000 + "19:21)", "• 기자명" + " " * 50_000 + "홍길동", "좋아요" + " " * 50_000 + "x", "좋아요 0 " * 10_000 + "x", "가 " * 30_000, "(" + "가" * 50_000 + " 제공)", "가 " * 30_000 + "(가나시 제공)", "가" * 50_000 + "DB",
           "[그래픽] " + "가" * 50_000 + ".", "에서 " + "가" * 50_000 + "방송 홍길동입니다.", "가" * 50_000 + " 기자의 보도입니다.", "[" + "가" * 50_000 + "신문] 홍길동 기자",
           "[가나신문]" + " " * 50_000 + "홍길동 기자", "Posted" + " " * 50_000 + "on 2025-03-02", "했다." + " #가" * 20_000, "했다. ※" + "가" * 50_000,
           "했다. 관련기사" + " " * 50_000 + "가나", "했다." + " " * 50_000 + "(끝)", "[" * 50_000, "맑음" + " " * 50_000 + "12℃", "홍길동 기자, " * 10_000, "홍길동 기자 " * 10_000 + "x", "- 일시" + " " * 50_000 + ":",
           "행사 일시" + " " * 50_000 + "2025.05.01", "기자명 " + "가" * 50_000, "(가나방송 " + "8" * 50_000 + "뉴스 홍길동 기자)"]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_round18_families_are_linear_on_hostile_lines(line):
    def run(line):
        LINE_BYLINE.match(line)
        _TOOL_ROWS.match(line.lower())
        lone_credit(line[:90])
        strip_glued_end(line)
        joint_names(line[:200])
        JOINT_BYLINE.match(line)
        reporter_names(line[:60])
        pick_dates([line])
        event_field(line)
        parse_korean_date(line)
        is_question(line)
        clean_text(line)
        clean_text(line + "\n" + P1 + "\n" + P2)
    linear_enough(run, line)
