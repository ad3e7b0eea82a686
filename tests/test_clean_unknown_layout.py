"""An unknown layout's metadata when it has no JSON-LD or meta tags for it: the byline box names the reporter, and
the page's own <h1> says which part of <title> is the headline. The pages are written for these tests (invented
outlet, names and text)."""
from __future__ import annotations

import pytest

from scrapers.clean import clean_page

PARAGRAPHS = "".join(f"<p>{p}</p>" for p in (
    "가나시의회는 4일 본회의장에서 제245회 임시회를 열고 9일간의 일정에 들어갔다고 밝혔다.",
    "이번 임시회에서는 조례안 12건과 동의안 3건 등 모두 15건의 안건을 심의할 예정이다.",
    "의장은 개회사에서 \"민생 현안 해결에 힘을 모으겠다\"고 말했다.",
    "의회는 오는 12일 제2차 본회의를 열어 안건을 의결하고 회기를 마칠 예정이다.",
    "한편 의회는 이번 회기 중 현장 방문도 진행할 계획이라고 덧붙였다."))


def page(title: str, head: str, after: str = "") -> bytes:
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f'<header><nav><a href="/">홈</a> <a href="/news">뉴스</a></nav></header><article>{head}'
            f'<div class="content">{PARAGRAPHS}</div></article>{after}'
            "<footer>Copyright © 가나일보. All rights reserved.</footer></body></html>").encode()


@pytest.mark.parametrize("box", [
    '<div class="byline">홍길동 기자 hong@ganailbo.example</div>',
    '<p id="articleAuthor">가나일보 홍길동기자</p>',
    '<span class="Writer-name">홍길동 선임기자</span>'])
def test_a_byline_box_names_the_reporter(box):
    art = clean_page(page("시의회 임시회 개회 - 가나일보", "<h1>시의회 임시회 개회</h1>" + box))
    assert art.authors == ["홍길동"]
    assert len(art.body) == 5 and not any("홍길동" in line for line in art.body)


def test_a_list_of_other_articles_names_no_author():
    more = ('<ul class="author-articles"><li class="author">김철수 기자의 다른 기사</li>'
            '<li><a class="author" href="/b">이영희 기자 칼럼</a></li></ul>')
    art = clean_page(page("시의회 임시회 개회 - 가나일보", "<h1>시의회 임시회 개회</h1>", more))
    assert art.authors == []


@pytest.mark.parametrize("title, h1, expected", [
    ("가나일보 - 시의회 임시회 개회", "시의회 임시회 개회", "시의회 임시회 개회"),       # site first: was 가나일보
    ("시의회 임시회 개회 – 가나일보", "시의회 임시회 개회", "시의회 임시회 개회"),       # an en dash: was all of it
    ("시의회 임시회 개회 - 가나일보", "다른 제목", "시의회 임시회 개회")])              # h1 not in the title: as before
def test_the_pages_own_h1_says_which_part_of_the_title_is_the_headline(title, h1, expected):
    assert clean_page(page(title, f"<h1>{h1}</h1>")).title == expected


@pytest.mark.parametrize("logo", ['<header><h1><img alt="가나일보" src="/logo.png">가나일보</h1></header>',
                                  '<div class="top"><h1><a href="/">가나일보</a></h1></div>'])
def test_a_logo_in_an_h1_is_no_headline(logo):
    html = page("시의회 임시회 개회 - 가나일보", "<h2>시의회 임시회 개회</h2>").replace(b"<header>", logo.encode() + b"<header>")
    assert clean_page(html).title == "시의회 임시회 개회"
