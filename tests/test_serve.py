"""newspipe serve: Datasette with the project's plugin, read-only on 127.0.0.1, driven by headless Chromium.

The browser part needs Debian's chromium and chromium-driver (.ci/run installs them); without them it is
skipped with that reason. Screenshots are kept in tests/artifacts/.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import httpx
import pytest

from conftest import ROOT, LibreStub, free_port, store_demo_pages
from db.archive import Archive
from pipeline.run import Pipeline, RunOptions
from scrapers.types import Article, FetchedPage, Source
from translate.backends import LibreBackend

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def server(tmp_path_factory, analyzer):
    tmp = tmp_path_factory.mktemp("serve")
    db = tmp / "archive.db"
    arch = Archive(db)
    srcs = [Source(id="jb", name="전북 테스트", outlet="전북일보", region="전북"),
            Source(id="jbdemo", name="전북데모일보", outlet="전북데모일보", region="전북")]
    arch.sync_sources(srcs)
    url = "https://jb.example/news/articleView.html?idxno=1"
    aid = arch.store_page(FetchedPage(url=url, final_url=url, status=200, body=b"<html></html>", source_id="jb",
                                      fetched_at="2026-11-26T00:00:00+09:00"))
    # Written for this test.
    arch.store_clean(aid, Article(url=url, title="전주시는 한옥마을 관광객 증가", outlet="전북일보",
                                  body=["전주시는 26일 한옥마을을 찾은 관광객이 늘었다고 밝혔다.", "시는 주차장을 넓힐 계획이다."],
                                  published_at="2026-11-26T09:00:00+09:00", authors=["김영수"]), "t")
    store_demo_pages(arch, "jbdemo", ["ndsoft-1001.html", "ndsoft-1002.html"])     # neither mentions 전주
    english = {"전주시는 26일 한옥마을을 찾은 관광객이 늘었다고 밝혔다.":
               "Jeonju City said on the 26th that more tourists visited the Hanok Village."}
    with LibreStub(pairs=english) as libre:
        Pipeline(arch, srcs, analyzer=analyzer, backend_factory=lambda: LibreBackend(libre.url, timeout=5)).run(
            RunOptions(crawl=False))
    arch.close()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "--db", str(db), "serve", "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(base + "/-/versions.json", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("datasette did not start: " + (proc.stdout.read() if proc.stdout else ""))
    yield base, "archive"
    proc.terminate()
    proc.wait(10)
    with pytest.raises(httpx.ConnectError):      # Datasette ran inside that process: nothing is left serving
        httpx.get(base + "/-/versions.json", timeout=2)


def test_plugin_korean_search_and_article_page(server):
    base, name = server
    plugins = httpx.get(f"{base}/-/plugins.json").json()
    assert any(p["name"] == "newspipe" for p in plugins)
    rows = httpx.get(f"{base}/{name}/korean_search.json", params={"q": "전주", "_shape": "array"}).json()
    assert [r["article"] for r in rows] == [1] and rows[0]["title_ko"].startswith("전주시는")
    assert httpx.get(f"{base}/{name}/korean_search.json", params={"q": "한옥마을을", "_shape": "array"}).json()
    page = httpx.get(f"{base}/-/article/1").text
    assert "전주시는 26일 한옥마을을 찾은 관광객이 늘었다고 밝혔다." in page
    assert "Jeonju City said on the 26th" in page and 'id="pairs"' in page
    assert httpx.get(f"{base}/-/article/999").status_code == 404


def test_read_only_and_no_whole_table_downloads(server):
    base, name = server
    assert httpx.get(f"{base}/{name}.db").status_code in (403, 404)
    stream = httpx.get(f"{base}/{name}/articles.csv", params={"_stream": "on"})
    assert stream.status_code != 200 or stream.text.count("\n") <= 51
    write = httpx.get(f"{base}/{name}.json", params={"sql": "delete from articles"})
    assert write.status_code >= 400 or "error" in write.text.lower()
    assert httpx.get(f"{base}/{name}/articles.json", params={"_shape": "array"}).json()


@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)")
def test_a_browser_searches_in_korean_and_opens_an_article(server):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    base, name = server
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--lang=ko-KR"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        driver.get(f"{base}/{name}/korean_search")
        box = WebDriverWait(driver, 20).until(ec.presence_of_element_located((By.NAME, "q")))
        box.send_keys("전주시는")
        box.submit()
        link = WebDriverWait(driver, 20).until(ec.presence_of_element_located(
            (By.CSS_SELECTOR, "td.col-article a")))
        assert "전주시는 한옥마을" in driver.page_source
        driver.save_screenshot(str(ARTIFACTS / "serve-korean-search.png"))
        link.click()
        WebDriverWait(driver, 20).until(ec.presence_of_element_located((By.ID, "pairs")))
        cells = driver.find_elements(By.CSS_SELECTOR, "#pairs td")
        texts = [c.text for c in cells]
        assert "전주시는 26일 한옥마을을 찾은 관광객이 늘었다고 밝혔다." in texts
        assert "Jeonju City said on the 26th that more tourists visited the Hanok Village." in texts
        assert driver.current_url.endswith("/-/article/1")
        driver.save_screenshot(str(ARTIFACTS / "serve-article.png"))
    finally:
        driver.quit()
    assert (ARTIFACTS / "serve-article.png").stat().st_size > 10_000
    assert os.path.getsize(ARTIFACTS / "serve-korean-search.png") > 10_000
