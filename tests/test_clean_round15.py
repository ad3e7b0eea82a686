r"""The page-text cleaner on the page that lost its article (round 15 of issue 13): a photo gallery whose
captions are printed twice (over and under each photo, with or without a sentence ending) between a short
paragraph and the article's long one, whose last sentence has no end (the page's text stops mid-word, or a tail
is glued to it). The long paragraph counted for a third of its length, the gallery below zero, and the region
stopped above the gallery: the article was lost. A line of whole sentences now counts as running text wherever
it stands, and a line printed twice in a row under running text is a photo's caption. Also the bylines on a line
of their own that were taken for a photo credit or a speaker's label ('<가나=홍길동 기자>', '가나 / 홍길동 기자'), and
the writer's bare name bulleted over the posting date ('• 홍길동' / '• 승인 …'), and an image printed as markdown
between paragraphs ('![파일명.jpg](http://…)'): no text; and a paper's appeal to its readers whose article is the
appeal (a reader notice between polite paragraphs is its text); a transcript's turns cut off at its end.
Every line here is written for the test (no outlet's text)."""
from __future__ import annotations

import pytest

from conftest import linear_enough

from scrapers.clean import clean_text
from scrapers.clean.body import _whole_sentences, blocks_of
from scrapers.clean.broadcast import speaker_turns
from scrapers.clean.classify import classify, reporter_names
from scrapers.clean.heads import _MARKDOWN_IMAGE
from scrapers.clean.reader import LINE_BYLINE, bullet_writer

HEADLINE = "가나항 위판장의 반세기"
INTRO = ("가나소식은 1970년 어촌 지도를 목적으로 창간한 소식지가 그 시작이며, 지난해 웹진으로 바뀌어 지금은 옛 기사를 "
         "골라 어촌의 변화를 다시 돌아보고 있다.")
GALLERY = ["1980년 발행된 가나소식 20호에 가나항 위판고 50억 원 돌파 소식이 실렸다", "2010년 준공한 가나항 위판장",
           "위판장에서 열린 새벽 경매 모습", "조업을 마친 어선에서 생선을 옮기는 어업인들", "가나항 전경"]
ARTICLE = ("가나군 서쪽 바다에 자리한 가나항은 1930년대 어업조합이 생기면서 항구의 모습을 갖추기 시작했다. 이후 "
           "인근 조합을 합쳐 지금의 가나수협이 되었고 위판장도 두 차례 옮겨 지었다. 조합원들은 해마다 늘어난 "
           "어획량을 감당하려고 새 위판장을 지어 달라고 요구했고, 군은 2008년 공사를 시작해 2년 만에 문을 열었으며 그 뒤로 위판")


def _gallery_page(gallery_twice: bool = True) -> str:
    photos = [c for c in GALLERY for _ in range(2 if gallery_twice else 1)]
    return "\n".join([HEADLINE, HEADLINE, "  • 홍길동", "  • 승인 2022.10.05 17:43", "  • 댓글 0", "", INTRO, *photos, "",
                      ARTICLE])


def test_the_article_after_a_gallery_of_captions_printed_twice_is_kept_whole():
    art = clean_text(_gallery_page())
    assert ARTICLE in art.body            # exactly as printed: nothing of its sentences stripped
    assert art.title == HEADLINE


def test_captions_printed_twice_under_the_text_are_captions_once_each():
    art = clean_text(_gallery_page())
    assert not any(c in line for c in GALLERY for line in art.body)
    assert [c.text for c in art.captions] == GALLERY


def test_a_headline_printed_twice_over_the_text_is_still_the_headline_not_a_caption():
    blocks = blocks_of([(x, False) for x in [HEADLINE, HEADLINE, INTRO, GALLERY[1], GALLERY[1]]], "text")
    assert [b.kind for b in blocks] == ["body", "body", "body", "caption", "caption"]


def test_a_paragraph_whose_last_sentence_lost_its_end_counts_as_text_wherever_it_stands():
    assert _whole_sentences(ARTICLE)
    blocks = blocks_of([(x, False) for x in [GALLERY[1], GALLERY[2], ARTICLE]], "text")
    assert blocks[-1].inner


@pytest.mark.parametrize("line", [
    "가나군 소식 모음 다. 더 보기",                                          # short
    "가나시장 후보 토론회 열려 다. 가나구청장 선거 유세 시작 … 가나군 축제 첫날 인파 몰려 가나도 예산 심의 시작되다 그리고 다른 소식 목록",  # one end
    "오늘의 주요 뉴스 다. 가나 다. " + "가나시 축제 가나군 행사 가나도 의회 가나구 소식 " * 4,      # ends early, the rest a list
])
def test_a_menu_or_list_with_a_stray_ending_is_not_whole_sentences(line):
    assert not _whole_sentences(line)


@pytest.mark.parametrize("line, name", [
    ("<가나=홍길동 기자>", "홍길동"), ("<가나=홍길동기자>", "홍길동"), ("[ 가나방송 = 홍길동 기자 ]", "홍길동"),
    ("[가나=홍길동 기자]", "홍길동"), ("(서울=홍길동 기자)", "홍길동"), ("세종 / 홍길동 기자 다른기사보기", "홍길동"),
    ("가나 / 홍길동 기자", "홍길동"),
])
def test_a_byline_on_a_line_of_its_own_is_a_byline_naming_the_reporter(line, name):
    assert classify(line) == ("byline", "reporter line")
    assert reporter_names(line) == [name]


@pytest.mark.parametrize("line", ["홍길동 / 가나일보 기자", "홍길동 / 가나뉴스 기자", "홍길동 / 가나군수"])
def test_a_speakers_label_stays_a_speakers_label(line):
    assert classify(line) == ("body", "speaker marker")


def test_a_photo_page_signed_with_a_bracketed_byline_names_the_reporter():
    text = "\n".join(["가나 해변에 핀 해당화", "", "가나 해변 산책로를 따라 해당화가 활짝 피어 시민들의 발길을 붙잡고 있다.",
                      "<가나=홍길동 기자>"])
    art = clean_text(text)
    assert art.authors == ["홍길동"]
    assert art.body == ["가나 해변 산책로를 따라 해당화가 활짝 피어 시민들의 발길을 붙잡고 있다."]


def test_a_trailing_place_slash_byline_after_the_copyright_names_the_reporter():
    text = "\n".join([HEADLINE, "", INTRO, "", ARTICLE + "다.", "", "저작권자 © 가나뉴스 무단전재 및 재배포 금지",
                      "세종 / 홍길동 기자 다른기사보기"])
    assert clean_text(text).authors == ["홍길동"]


def test_the_bare_name_bulleted_over_the_posting_date_is_the_writer():
    assert clean_text(_gallery_page()).authors == ["홍길동"]


@pytest.mark.parametrize("head, writer", [
    (["• 홍길동", "• 승인 2022.10.05 17:43"], ["홍길동"]), (["· 홍길동", "· 입력 2022-10-05 17:43"], ["홍길동"]),
    (["• 가나뉴스", "• 승인 2016.09.09 19:41"], []),          # the outlet's name in the writer's place
    (["• 가나신문", "• 승인 2016.09.09 19:41"], []), (["• 댓글 0", "• 승인 2016.09.09 19:41"], []),
    (["• 홍길동", "• 댓글 0"], []), (["가나다", "승인 2022.10.05 17:43"], []),        # no bullets: a name only (round 16)
])
def test_a_writer_bullet_needs_the_date_bullet_under_it(head, writer):
    assert bullet_writer(head) == writer


@pytest.mark.parametrize("image", ["![[크기변환]사진2)가나시 성과보고회 개최.jpg](http://www.example.com/data/2512/a_b.jpg)",
                                   "![](http://www.example.com/a.jpg)", "![가나항 전경](/data/photo/a.png)"])
def test_an_image_in_markdown_between_paragraphs_leaves_the_text_and_the_text_goes_on(image):
    article = ARTICLE + "다."
    art = clean_text("\n".join([INTRO, image, article, "가나군은 내년에도 위판장을 넓힐 계획이다."]))
    assert art.body == [INTRO, article, "가나군은 내년에도 위판장을 넓힐 계획이다."]
    assert any(r.text == image and r.reason == "image (markdown)" for r in art.removed)


def test_a_sentence_opening_with_an_exclamation_mark_in_brackets_is_no_image():
    line = "![속보] 가나군 위판장 새벽 경매에서 물메기 값이 지난해보다 두 배로 올랐다고 조합이 밝혔다."
    assert clean_text("\n".join([INTRO, line])).body == [INTRO, line]


POLITE = ["가나소식은 지난 30년 동안 지역의 소식을 전해 왔습니다.", "지역경기가 어려운 때에 이런 부탁을 드리기가 쉽지 않습니다.",
          "독자 여러분이 내 주신 구독료가 지역신문을 건강하게 만드는 밑거름이라고 생각합니다.",
          "그래도 가나소식이 바로 서도록 거듭 부탁드립니다.", "이번 호에 납부서를 넣었으니 가까운 은행에서 납부해 주시기 바랍니다."]


def test_an_appeal_among_paragraphs_in_its_own_register_is_the_articles_text():
    art = clean_text("\n".join(["구독료 납부를 부탁드립니다", "", *POLITE]))
    assert art.body == POLITE


def test_an_appeal_after_a_plain_text_is_still_the_pages_furniture():
    appeal = POLITE[2]
    art = clean_text("\n".join([HEADLINE, INTRO, ARTICLE + "다.", appeal, "저작권자 © 가나소식 무단전재 및 재배포 금지"]))
    assert appeal not in art.body
    art = clean_text("\n".join([HEADLINE, INTRO, POLITE[0], appeal, ARTICLE + "다."]))    # polite on one side only
    assert appeal not in art.body


TRANSCRIPT = ["□ 진행자: 오늘은 가나시 수습기자의 이야기를 들어 보겠습니다. 안녕하세요?",
              "▷홍길동: 네, 안녕하세요. 이번 주에는 가나시 경찰서에서 들은 사건을 준비했습니다.",
              "□ 진행자: 어떤 사건이었나요?",
              "▷홍길동: 지난 23일 오후 가나시 한 주택에서 개가 낯선 사람을 물었다는 신고가 들어왔습니다.",
              "□ 진행자: 왠지 그 사람이... 수배자였을 것 같은데요-",
              "▷홍길동: 네, 그"]


def test_a_transcripts_turns_cut_off_at_the_end_stay_in_the_text():
    art = clean_text("\n".join(["가나시 수습기자의 사건 일지", "", *TRANSCRIPT]))
    assert art.body == TRANSCRIPT


def test_labels_that_do_not_repeat_make_no_transcript():
    lines = [INTRO, "일시: 10월 5일 오후 2시", "장소: 가나시청 대회의실", "문의: 가나시 농정과", "대상: 가나시민 누구나"]
    blocks = blocks_of([(x, False) for x in lines], "text")
    speaker_turns(blocks)
    assert all(b.reason != "speaker marker" for b in blocks)


HOSTILE = ["<" + "가" * 50_000 + "=홍길동 기자", "<가=" + "홍길동 " * 10_000 + "기자", "가나 / " * 10_000 + "홍길동 기자",
           "가나 / " + "홍길동/" * 10_000 + "기자 다른", "다. 가" * 20_000, "다. " * 20_000 + "가" * 100,
           "\n".join(["가나 다라"] * 20_000), "\n".join(["다. 가나다라마바사 " * 5, "x"] * 2_000),
           "• " + " " * 50_000 + "홍길동", "\n".join(["• 홍길동", "• 댓글 0"] * 10_000), "• 승인 " + " " * 50_000 + "2022",
           "![" + "](" * 25_000, "![" + "]" * 50_000, "![](" + "a" * 50_000, "![" * 25_000 + "](a)",
           "\n".join(["□ 가나: 다", "▷나다: 라"] * 10_000), "□ " + " " * 50_000 + "가나:"]


@pytest.mark.parametrize("line", HOSTILE, ids=range(len(HOSTILE)))
def test_round15_families_are_linear_on_hostile_lines(line):
    def run(line):
        LINE_BYLINE.match(line)
        LINE_BYLINE.match(line[:60])
        _whole_sentences(line)
        _MARKDOWN_IMAGE.match(line)
        reporter_names(line[:60])
        bullet_writer(line.split("\n")[:60])
        bullet_writer([line, line])
        blocks_of([(x, False) for x in line.split("\n")], "text")
        clean_text(line + "\n" + INTRO)
    linear_enough(run, line)
