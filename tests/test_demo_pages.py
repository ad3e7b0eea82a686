"""The demo's own pages (pipeline/demo-pages, written for the demo): each cleans, with its source's profile
as the demo run cleans it, to what was written into it; each exercises the encoding it claims; all of them
are served, announced by the feed or the listing, and shipped as package data."""
from __future__ import annotations

import fnmatch
import re
import tomllib

import httpx
import pytest

from conftest import DEMO, ROOT
from pipeline.demo import PAGES, demo_sources
from scrapers.clean import clean_html
from scrapers.decode import decode_html

SOURCES = {s.id: s for s in demo_sources("http://127.0.0.1:8000")}

# What each page must give: title, subtitle (None: the layout's path does not take one), authors, published,
# number of body paragraphs, first and last paragraph, caption credit (None: the path drops captions), the
# publisher's English (title, subtitle, paragraphs) and the removals the page was written to show.
EXPECTED = {
    "ndsoft-1001.html": (
        "새만금 수변도시 기반시설 공정률 40% 넘어…2026년 하반기 분양", "간선도로·상수도관 공사 한창, 학교·병원 등 정주 여건은 과제",
        ["김하늘"], "2025-05-27T09:12:00+09:00", 6,
        "새만금 수변도시 조성 사업이 착공 2년째를 맞은 가운데 도로와 상하수도 등 기반시설 공정률이 40%를 넘어섰다.",
        "새만금개발청 관계자는 \"교육청, 의료기관과 협의해 입주 시점에 맞춰 생활 기반을 갖추겠다\"며 \"분양 일정은 하반기 중 "
        "확정해 공고하겠다\"고 말했다.", "새만금개발청", None,
        {"photo caption", "lead byline", "reporter line", "copyright line", "outside the article text"}),
    "ndsoft-1002.html": (
        "익산 미륵사지 야간 개방 확대…6월부터 금·토요일 밤 9시까지", "석탑 경관조명 새로 달고 해설 프로그램 운영",
        ["오지훈"], "2025-05-29T14:20:00+09:00", 6,          # no meta time: from the 입력 line of the header
        "익산 미륵사지가 다음 달부터 금요일과 토요일 밤 9시까지 문을 연다.",
        "익산시 문화유산과장은 \"백제 왕도의 밤 풍경을 더 많은 분이 즐길 수 있도록 안전 관리에도 힘쓰겠다\"고 말했다.",
        "익산시 제공", None, {"photo caption", "reporter line", "copyright line", "outside the article text"}),
    "ndsoft-1003.html": (
        "전주 한옥마을 주말 주차난…임시 주차장 3곳·셔틀버스 투입", "", ["박준호"], "2025-06-02T11:40:00+09:00", 6,
        "주말마다 되풀이되는 전주 한옥마을 일대 주차난을 줄이기 위해 전주시가 임시 주차장과 셔틀버스를 투입한다.",
        "전주시 관계자는 \"운영 결과를 분석해 가을 관광철에는 셔틀 노선을 늘리는 방안도 검토하겠다\"고 말했다.",
        "전주시", None, {"photo caption", "lead byline", "reporter line", "copyright line", "outside the article text"}),
    "ndsoft-1004.html": (
        "무주 반딧불축제 8월 개막…'반디 탐사' 예약 첫날 마감", "8월 30일부터 9일간 남대천 일원서 열려",
        ["송유진"], "2025-07-15T16:05:00+09:00", 5,
        "청정 생태를 주제로 한 무주 반딧불축제가 다음 달 30일 개막한다.",
        "무주군 관계자는 \"반딧불이가 사는 깨끗한 환경을 지키는 것이 축제의 출발점\"이라며 \"방문객들도 빛 공해를 줄이는 데 "
        "함께해 달라\"고 당부했다.", "무주군 제공", None,
        {"photo caption", "reporter line", "copyright line", "outside the article text"}),
    "newswave-5001.html": (
        "전주시, 탄소소재 기업 3곳 유치…320억 투자·일자리 150개", "친환경복합산업단지에 생산시설 짓기로, 내년 하반기 가동 목표",
        ["이서연"], "2024-10-17T13:42:00+09:00", 5,
        "전주시가 탄소소재 기업 3곳을 유치해 320억 원 규모의 투자와 일자리 150개를 확보했다.",
        "전주시 관계자는 \"탄소 산업은 전주가 10년 넘게 공들여 온 미래 먹거리\"라며 \"이번 투자가 관련 기업들의 추가 이전으로 "
        "이어지도록 지원을 아끼지 않겠다\"고 말했다.", "전주시",
        ("Jeonju City attracts 3 carbon material companies... 32 billion won investment and 150 jobs",
         "Production facilities in eco-friendly industrial complex, operation targeted for second half of next "
         "year", 5),
        {"photo caption", "lead byline", "publisher translation notice", "English byline"}),
    "newswave-5002.html": (
        "완주군, 시내버스 10대 수소버스로 바꾼다…충전소 2곳 추가", "봉동·삼례 충전소 내년 3월 준공, 수소 교통 거점 육성",
        ["임도현"], "2024-11-05T09:27:00+09:00", 5,
        "완주군이 운행 중인 시내버스 10대를 수소버스로 바꾸고 수소충전소 2곳을 추가로 짓는다.",
        "완주군 관계자는 \"충전 인프라를 먼저 갖춰야 민간 수소차 보급도 늘어난다\"며 \"주민들이 불편 없이 충전소를 이용할 수 "
        "있도록 안전 관리에 힘쓰겠다\"고 말했다.", "완주군",
        ("Wanju-gun to replace 10 city buses with hydrogen buses... 2 more charging stations",
         "Bongdong and Samrye stations to be completed in March next year, fostering a hydrogen transportation hub", 5),
        {"photo caption", "lead byline", "publisher translation notice", "English byline"}),
    "newswave-5003.html": (
        "정읍시, 내장산 단풍철 교통 대책…주말 차량 2부제 검토", "", ["이서연"], "2024-10-21T16:08:00+09:00", 5,
        "정읍시가 내장산 단풍철을 앞두고 교통 혼잡을 줄이기 위한 대책을 내놨다.",
        "정읍시 관계자는 \"대중교통을 이용하면 훨씬 편하게 단풍을 즐길 수 있다\"며 \"임시 버스 시간표는 시 누리집에서 확인할 수 "
        "있다\"고 말했다.", "정읍시", None, {"photo caption", "lead byline", "copyright line"}),
    "jipyeong-202506120001.html": (
        "고창 갯벌 생태체험 예약제로…하루 300명까지만", None, ["정민호"], "2025-06-12T14:30:00+09:00", 6,
        "유네스코 세계유산으로 등재된 고창 갯벌의 생태체험이 다음 달부터 예약제로 바뀐다.",
        "고창군 관계자는 \"예약하지 못한 방문객을 위해 갯벌 전망대와 생태 탐방로는 지금처럼 자유롭게 개방한다\"고 설명했다.",
        None, None, {"reporter line", "copyright line"}),
    "jipyeong-202508200003.html": (
        "김제 지평선축제 10월 개막…올해 주제는 '쌀의 길'", None, ["윤가람"], "2025-08-20T10:00:00+09:00", 5,
        "김제의 대표 가을 축제인 지평선축제가 오는 10월 8일 벽골제 일원에서 개막한다.",
        "김제시 관계자는 \"들녘의 풍요를 온 가족이 함께 느낄 수 있도록 체험 위주로 꾸몄다\"며 \"쌀 소비를 늘리는 계기도 되길 "
        "바란다\"고 말했다.", None, None, {"reporter line", "copyright line"}),
    "gunsan-3107.html": (
        "군산 근대거리에 '세계 음식 한마당'…태국 똠얌꿍 부스에 긴 줄", None, ["최형준"], "2024-09-28T10:15:00+09:00", 6,
        "군산 원도심 근대역사거리에서 열린 '세계 음식 한마당'에 이틀 동안 2만여 명이 몰렸다.",
        "센터 관계자는 \"음식으로 서로의 문화를 알아 가는 자리가 됐다\"며 \"수익금은 이주민 가족의 한국어 교육에 쓰인다\"고 말했다.",
        "군산시가족센터 제공", None,
        {"title repeated", "date line", "share/print buttons", "photo caption", "reporter line", "copyright line"}),
}
# Furniture written around the articles: none of it may reach a body.
FURNITURE = re.compile(r"기자 \w+@|저작권자|무단 ?전재|재배포|관련기사|많이 본|가장 많이 읽은|댓글|페이스북|카카오|인쇄하기|"
                       r"입력 20\d\d|기사입력|사진제공|사진=|Copyright|기자\]|Reporter |[A-Za-z]{4,} [A-Za-z]{4,} [A-Za-z]{4,}|▲|번역")


def _clean(page):
    src = SOURCES[page.source]
    raw = (DEMO / page.file).read_bytes()
    return raw, clean_html(raw, f"http://127.0.0.1:8000{page.path}", page.content_type, profile=src.profile,
                           outlet=src.outlet)


@pytest.mark.parametrize("page", PAGES, ids=[p.file for p in PAGES])
def test_each_demo_page_cleans_to_what_was_written_into_it(page):
    raw, art = _clean(page)
    title, subtitle, authors, published, n, first, last, credit, english, removed = EXPECTED[page.file]
    assert not art.error and art.title == title
    if subtitle is not None:
        assert art.subtitle == subtitle
    assert art.authors == authors and art.published_at == published
    assert art.outlet == SOURCES[page.source].outlet
    assert len(art.body) == n and art.body[0] == first and art.body[-1] == last, art.body
    assert not [p for p in art.body if FURNITURE.search(p)]
    assert all("\ufffd" not in p for p in art.body)
    if credit is not None:
        assert [c.credit for c in art.captions] == [credit] and art.captions[0].text
    pt = art.publisher_translation
    if english is None:
        assert pt is None
    else:
        assert (pt.lang, pt.title, pt.subtitle, len(pt.body)) == ("en", *english)
        assert all(not re.search(r"[가-힣]", p) and not p.startswith("[") for p in pt.body)
    assert removed <= {r.reason for r in art.removed}, [(r.reason, r.text) for r in art.removed]


def test_the_euc_kr_page_is_cp949_with_the_charset_only_in_meta():
    page = next(p for p in PAGES if p.file == "gunsan-3107.html")
    raw = (DEMO / page.file).read_bytes()
    assert "charset" not in page.content_type and b'charset=euc-kr">' in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):          # Python's euc_kr codec: CP949-only syllables fail
        raw.decode("euc_kr")
    text, enc = decode_html(raw, page.content_type)
    assert enc == "cp949" and "\ufffd" not in text
    # a syllable outside KS X 1001 takes a lead or trail byte below 0xA1 in CP949
    cp949_only = {ch for ch in text if "가" <= ch <= "힣" and min(ch.encode("cp949")) < 0xA1}
    assert "똠" in cp949_only
    # httpx alone takes the header's charset or UTF-8: mojibake
    assert "\ufffd" in httpx.Response(200, content=raw, headers={"content-type": page.content_type}).text


def test_the_unknown_layout_declares_no_charset_anywhere():
    for page in (p for p in PAGES if p.source == "demo-jipyeong"):
        raw = (DEMO / page.file).read_bytes()
        assert b"charset" not in raw.lower() and "charset" not in page.content_type
        assert decode_html(raw, page.content_type)[1] == "utf-8"


def test_every_page_is_served_announced_and_shipped(demo_site):
    assert sorted(p.file for p in PAGES) == sorted(f.name for f in DEMO.iterdir())
    for page in PAGES:
        got = httpx.get(f"{demo_site.base}{page.path}")
        assert got.status_code == 200 and got.content == (DEMO / page.file).read_bytes()
        assert got.headers["content-type"] == page.content_type
    feed = httpx.get(f"{demo_site.base}/rss.xml").text
    listing = httpx.get(f"{demo_site.base}/list.html").text + httpx.get(f"{demo_site.base}/list.html?page=2").text
    for page in PAGES:
        announced = feed if page.source == "demo-jbdemo" else listing
        assert page.path.replace("&", "&amp;") in announced, page.path
    # the wheel carries them: pyproject's package data for pipeline matches every file
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["pipeline"]
    assert all(any(fnmatch.fnmatch(f"demo-pages/{p.file}", pat) for pat in patterns) for p in PAGES)
