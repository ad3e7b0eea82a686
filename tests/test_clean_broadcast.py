"""The cleaner on broadcast pages and on headline choice (issue 13, round 5).

Every Korean line here was written for these tests: invented reports, names, stations and places, in the
shapes broadcasters' and papers' page text takes (an anchor's lead-in, a report, sound bites, crew credits,
a script wrapped into short lines, a breadcrumb cut short, a page label, desks signing as reporters)."""
from __future__ import annotations

from scrapers.clean import classify, clean_text

SCRIPT = """뉴스 홈
사회
해안마을 초등학교
작은 졸업식에 큰 선물
입력 2026.02.10 19:20
[앵커]
바닷가 마을 작은 초등학교가
오늘 특별한 졸업식을 열었습니다.
[기자]
학생 수가 줄어드는 가운데
마을 주민과 동문회가
장학금을 모아
전교생에게 나눠줬습니다.
졸업생은 다섯 명뿐이지만
온 마을이 함께 축하했습니다.
인터뷰) 박하늘 / 졸업생
"친구들이랑 선생님이 제일 생각날 것 같아요."
앞으로도 주민들은
해마다 장학금을 모으기로 했습니다.
(영상취재 최바다)
(화면제공 해안초등학교)
홍길동 기자 (hong@station.example)
VOD
자막뉴스
저작권자 © 해안방송 무단전재 및 재배포 금지"""

WRAPPED = ["바닷가 마을 작은 초등학교가", "학생 수가 줄어드는 가운데", "마을 주민과 동문회가", "장학금을 모아",
           "졸업생은 다섯 명뿐이지만", "앞으로도 주민들은"]


def test_a_script_wrapped_into_short_lines_keeps_every_line():
    art = clean_text(SCRIPT)
    for line in WRAPPED + ["오늘 특별한 졸업식을 열었습니다.", "해마다 장학금을 모으기로 했습니다.",
                           "\"친구들이랑 선생님이 제일 생각날 것 같아요.\""]:
        assert line in art.body, line
    # the transcript's markers and the sound bite's caption stay with it, as on every transcript
    assert "[앵커]" in art.body and "인터뷰) 박하늘 / 졸업생" in art.body
    # the broadcast furniture leaves: crew credits, the reporter's line, the player's labels, the copyright
    for furniture in ("(영상취재 최바다)", "(화면제공 해안초등학교)", "VOD", "자막뉴스", "뉴스 홈", "저작권자"):
        assert not any(furniture in line for line in art.body), furniture
    assert art.authors == ["홍길동"]           # the crew is no author
    assert art.title not in WRAPPED and art.title == "해안마을 초등학교"


def test_a_script_with_no_headline_gets_an_empty_title_not_a_script_line():
    art = clean_text("\n".join(WRAPPED[:1] + ["오늘 특별한 졸업식을 열었습니다."] + WRAPPED[1:4]
                               + ["전교생에게 나눠줬습니다.", "졸업생은 다섯 명뿐이지만", "온 마을이 함께 축하했습니다."]))
    assert art.title == ""
    assert art.body[0] == "바닷가 마을 작은 초등학교가" and len(art.body) == 8


def test_one_short_line_above_a_lede_is_still_a_headline_not_a_script_line():
    # a single wrapped-looking line is not a script: a page must wrap at least twice
    text = "\n".join(["시청 앞 광장에서", "지역 예술인 30여 명이 참여한 거리 공연이 오늘 시청 앞 광장에서 열렸습니다.",
                      "공연은 저녁 8시까지 이어졌고 시민 수백 명이 자리를 지켰습니다."])
    art = clean_text(text)
    assert "시청 앞 광장에서" not in art.body


def test_broadcast_furniture_and_speaker_captions_are_told_apart():
    for line in ("인터뷰) 김철수 / 제주시 주민", "[씽크] 이영희 / 상인", "<인터뷰> 박민수 / 어민"):
        assert classify(line) == ("body", "speaker marker"), line
    for line in ("(영상취재 김민수)", "(화면제공 제주도소방안전본부)", "(영상편집: 이정민)", "VOD", "자막뉴스", "다시보기",
                 "기사상세페이지", "뉴스 상세"):
        assert classify(line)[0] == "boilerplate", line
    # a sentence that speaks of them is text
    assert classify("영상취재를 맡은 기자들이 현장을 다녀왔습니다.") == ("body", "")


def test_a_page_label_is_never_the_headline():
    art = clean_text("\n".join(["기사상세페이지", "군민 체육대회 성황리에 마쳐", "2026.05.02 10:00",
                                "군민 체육대회가 지난 1일 군 종합운동장에서 주민 2천여 명이 참석한 가운데 열렸다.",
                                "대회는 읍면 대항 경기와 축하 공연으로 진행됐다."]))
    assert art.title == "군민 체육대회 성황리에 마쳐"


def test_a_headline_cut_short_in_a_breadcrumb_gives_way_to_the_whole_one():
    whole = "해안군노인복지관, 겨울 김장 나눔행사 진행"
    art = clean_text("\n".join(["뉴스앤마을", whole + "..", "사회", whole, "기동취재팀 기자 desk@maeul.example 입력 2026/12/05 09:38",
                                "해안군노인복지관은 지난 2일 김장 나눔행사를 진행했다.",
                                "직접 담근 김장김치는 관내 저소득층 80세대에 전달됐다."]))
    assert art.title == whole


def test_a_desk_or_an_outlet_signing_as_reporter_is_no_author():
    for byline in ("기동취재팀 기자", "해안신문 기자", "편집부 기자"):
        art = clean_text("\n".join(["해안군, 겨울철 안전 점검 나서", byline + " 입력 2026.01.05 10:00",
                                    "해안군이 겨울철을 맞아 다중이용시설 안전 점검에 나섰다.",
                                    "점검은 이달 말까지 이어진다."]))
        assert art.authors == [], byline
    art = clean_text("\n".join(["해안군, 겨울철 안전 점검 나서", "홍길동 기자 입력 2026.01.05 10:00",
                                "해안군이 겨울철을 맞아 다중이용시설 안전 점검에 나섰다.", "점검은 이달 말까지 이어진다."]))
    assert art.authors == ["홍길동"]


def test_a_headline_and_deck_run_into_the_first_paragraph_leave_it():
    title = "제3회 해안면민의 날 바다축제 2천여명 성료"
    lede = ("제3회 해안면민의 날 바다축제가 지난 5일 해안중학교 운동장에서 주민 2천여 명이 참석한 가운데 열렸다. "
            "축제는 체육행사와 기념식, 노래자랑으로 이어졌다. 면 관계자는 “모든 마을이 함께한 뜻깊은 행사였다”고 말했다.")
    art = clean_text("\n".join(["주메뉴 바로가기 본문 바로가기", title, "해안신문 기자 입력 2026.10.06 20:42",
                                title + " 김바다 향우회장 장학금 1억원 기탁 " + lede, "저작권자 해안신문 무단전재 및 재배포 금지"]))
    assert art.title == title and art.body == [lede]
    assert art.subtitle == "김바다 향우회장 장학금 1억원 기탁"
    assert art.authors == []


def test_an_ad_slot_code_and_a_comma_byline_with_a_code_stay_out():
    art = clean_text("\n".join(["해안군, 장학증서 수여식 열어", "해안통신, 홍길동 기자, 2026-07-07 13:47 KRD7",
                                "[해안=해안통신] 홍길동 기자 = 해안군이 7일 선발된 학생 10명에게 장학증서를 전달했다.",
                                "G03-8236672469", "학생들은 대학 졸업 때까지 장학금을 받게 된다."]))
    assert art.body == ["해안군이 7일 선발된 학생 10명에게 장학증서를 전달했다.", "학생들은 대학 졸업 때까지 장학금을 받게 된다."]
    assert art.published_at == "2026-07-07T13:47:00+09:00"
    assert classify("COVID-19")[0] == "body" and classify("KTX-2024")[0] == "body"
