"""`thidua serve`: Datasette on the archive, driven through a real headless Chromium.

The server runs as a subprocess on a free 127.0.0.1 port; the browser is Debian's chromium with
chromedriver (selenium). Missing chromium/chromedriver is a failure, not a skip: CI installs them
(`apt-get install -y chromium chromium-driver`).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

import pytest

from thidua.cli import cli

CHROMIUM = os.environ.get("THIDUA_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("THIDUA_CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1280,1000"]
SERVE = "from thidua.dashboard import serve_command; serve_command()"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(base: str, path: str, **params):
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return json.load(r)
    except urllib.error.HTTPError as exc:
        raise AssertionError(f"{url}: HTTP {exc.code}: {exc.read()[:1000]!r}") from None


@pytest.fixture(scope="module")
def archive(demo_db, tmp_path_factory) -> Path:
    """A closed copy of the demo archive (the build's WAL folded in), as `thidua serve` wants it."""
    path = tmp_path_factory.mktemp("served") / "archive.db"
    src = sqlite3.connect(demo_db)
    dst = sqlite3.connect(path)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        src.close()
        dst.close()
    return path


@pytest.fixture(scope="module")
def server(archive):
    """`thidua serve --db archive.db --port N` as a subprocess; yields the base URL; always killed."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-c", SERVE, "--db", str(archive), "--port", str(port), "--immutable"],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"thidua serve did not answer on {base}:\n{log.read().decode(errors='replace')}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium through chromedriver; fails (not skips) when either is missing."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (os.path.isfile(p) and os.access(p, os.X_OK))]
    if missing:
        pytest.fail(f"headless browser tests need {' and '.join(missing)}: "
                    "apt-get install -y chromium chromium-driver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("the dashboard tests need selenium: pip install selenium")
    profile = tempfile.mkdtemp(prefix="thidua-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={profile}"]:
        opts.add_argument(flag)
    driver = None
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        driver.set_page_load_timeout(20)
        yield driver
    finally:
        if driver is not None:
            driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def png_distinct_colours(png: bytes) -> int:
    """Distinct RGB(A) pixels of an 8-bit PNG (no Pillow needed): unfilters the scanlines."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", data[:10])
            assert depth == 8 and ctype in (2, 6)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    raw, stride, prev, colours = zlib.decompress(idat), width * bpp, bytearray(width * bpp), set()
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 4 == 0:
            colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 4))
        prev = line
    return len(colours)


def rows_of(driver):
    from selenium.webdriver.common.by import By
    heads = [th.get_attribute("class") for th in driver.find_elements(By.CSS_SELECTOR, "table.rows-and-columns thead th")]
    cols = [next((c[4:] for c in (h or "").split() if c.startswith("col-")), "") for h in heads]
    return [dict(zip(cols, [td.text for td in tr.find_elements(By.TAG_NAME, "td")]))
            for tr in driver.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")]


# ------------------------------------------------------------------------------------ browser
def test_leaders_canned_query_page_shows_the_leaders(server, browser):
    browser.get(server + "/archive/leaders")
    rows = rows_of(browser)
    assert len(rows) == len(get_json(server, "/archive/leaders.json", _shape="array"))
    hit = [r for r in rows if r["kind"] == "cum" and r["number"] == "10" and r["year"] == "2023"]
    assert len(hit) == 1 and hit[0]["leader_unit"] == "Đồng Tháp", rows
    assert hit[0]["leader_person"] == "Nguyễn Văn Hồng" and hit[0]["sources"] == "3"
    browser.get(server + "/archive/leaders?cluster=10&year=2023")
    assert [(r["number"], r["year"], r["leader_unit"]) for r in rows_of(browser)] == [("10", "2023", "Đồng Tháp")]
    assert "Cụm trưởng" in browser.title or "Cụm trưởng" in browser.page_source


def test_charts_render_inline_svg_with_data_points(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    browser.get(server + "/-/thidua/charts")
    WebDriverWait(browser, 15).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-charts"))
    assert browser.find_element(By.TAG_NAME, "body").get_attribute("data-charts") == "ready", \
        browser.find_element(By.ID, "chart-status").text
    points = browser.find_elements(By.CSS_SELECTOR, "svg#timeline rect.point")
    leaders = get_json(server, "/archive/leaders.json", _shape="array")
    assert len(points) == len(leaders) > 0
    assert any(p.get_attribute("data-year") == "2023" and p.get_attribute("data-leader") == "Đồng Tháp"
               and p.get_attribute("data-cluster").startswith("Cụm 10 ") for p in points)
    bars = browser.find_elements(By.CSS_SELECTOR, "svg#per-month rect.point")
    months = get_json(server, "/archive/articles_per_month.json", _shape="array")
    assert len(bars) == len(months) > 0
    assert sum(int(b.get_attribute("data-count")) for b in bars) == 10
    assert all(float(b.get_attribute("height")) > 0 for b in bars)
    # no external resource: every script and stylesheet comes from this server
    for src in browser.execute_script(
            "return Array.from(document.querySelectorAll('script[src],link[href]')).map(e => e.src || e.href)"):
        assert src.startswith(server), src
    shot = browser.find_element(By.ID, "timeline").screenshot_as_png
    assert png_distinct_colours(shot) >= 5, "the timeline screenshot is blank"
    assert png_distinct_colours(browser.get_screenshot_as_png()) >= 5


def test_a_fact_link_reaches_its_article_with_the_evidence_visible(server, browser):
    from selenium.webdriver.common.by import By
    browser.get(server + "/archive/members?cluster=10&year=2023")
    rows = rows_of(browser)
    assert rows and all(r["evidence"] for r in rows)
    want = rows[0]["evidence"]
    link = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns tbody tr td.col-article_id a")
    link.click()
    assert "/-/thidua/article/" in browser.current_url and "start=" in browser.current_url
    mark = browser.find_element(By.CSS_SELECTOR, "#article-body mark#evidence")
    assert mark.is_displayed() and mark.text == want
    assert want in browser.find_element(By.ID, "evidence-sentence").text
    # the article's fact list links to the same kind of page
    assert browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")


def test_script_in_an_article_is_shown_as_text_not_run(server, browser, archive):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    con = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    (aid,) = con.execute("SELECT id FROM articles WHERE url LIKE '%khoi-thi-dua-so-3-vksnd-tinh-tien-giang%'").fetchone()
    con.close()
    literal = '<script>alert("x")</script>'
    for path in (f"/-/thidua/article/{aid}", f"/archive/articles/{aid}"):
        browser.get(server + path)
        assert literal in browser.find_element(By.TAG_NAME, "body").text, path
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text
        assert not browser.execute_script(
            "return Array.from(document.scripts).some(s => s.textContent.includes('alert(\"x\")'))"), path


# ------------------------------------------------------------------------------------ API / CLI
def test_dashboard_and_cli_agree_on_leaders(server, runner, demo_db):
    cli_rows = json.loads(runner.invoke(cli, ["leaders", "--db", str(demo_db), "--json"]).stdout)
    api_rows = get_json(server, "/archive/leaders.json", _shape="array")
    for r in api_rows:
        r["conflict"] = bool(r["conflict"])
        r.pop("article_ids")
    assert api_rows == cli_rows and len(cli_rows) > 0
    cli_2023 = json.loads(runner.invoke(cli, ["leaders", "--db", str(demo_db), "--json", "--year", "2023",
                                              "--cluster", "10"]).stdout)
    api_2023 = get_json(server, "/archive/leaders.json", _shape="array", year=2023, cluster=10)
    assert [r["leader_unit"] for r in api_2023] == [r["leader_unit"] for r in cli_2023] == ["Đồng Tháp"]


@pytest.mark.parametrize("text", ["Dong Thap", "Đồng Tháp", "thế", "giao uoc"])
def test_search_follows_the_cli_rule(server, runner, demo_db, text):
    cli_ids = [r["id"] for r in json.loads(runner.invoke(cli, ["search", text, "--db", str(demo_db), "--json"]).stdout)]
    api_ids = [r["article_id"] for r in get_json(server, "/archive/search.json", _shape="array", q=text)]
    assert api_ids == cli_ids
    assert cli_ids or text == "thế"   # the bundled pages name Đồng Tháp and giao ước


def test_every_canned_query_runs_and_facts_carry_evidence(server, archive):
    con = sqlite3.connect(f"file:{archive}?mode=ro", uri=True)
    bodies = dict(con.execute("SELECT id, body FROM articles"))
    con.close()
    meta = get_json(server, "/-/metadata.json")
    queries = meta["databases"]["archive"]["queries"]
    assert {"leaders", "members", "official_positions", "awards", "slogans", "search", "evidence"} <= set(queries)
    for name in ("members", "official_positions", "awards", "slogan_mentions"):
        rows = get_json(server, f"/archive/{name}.json", _shape="array")
        assert rows, name
        for r in rows:
            assert bodies[r["article_id"]][r["start"]:r["end"]] == r["evidence"], (name, r)
    ev = get_json(server, "/archive/evidence.json", _shape="array", article_id=1, start=0, end=10)
    assert ev[0]["evidence"] == bodies[1][:10]
    assert get_json(server, "/archive/search.json", _shape="array", q="") == []


def test_archive_is_served_immutable(server, archive):
    (db,) = [d for d in get_json(server, "/-/databases.json") if d["name"] == "archive"]
    assert db["is_mutable"] is False
    assert get_json(server, "/archive.json")["tables"]
    assert not Path(str(archive) + "-wal").exists()


def test_immutable_serve_refuses_an_archive_with_unmerged_wal(runner, tmp_path):
    from thidua.dashboard import serve_command
    db = tmp_path / "busy.db"
    writer = sqlite3.connect(db)
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY)")
        writer.commit()
        result = runner.invoke(serve_command, ["--db", str(db), "--immutable"])
    finally:
        writer.close()
    assert result.exit_code != 0 and "wal_checkpoint" in result.output


def test_serve_refuses_a_missing_archive(runner, tmp_path):
    from thidua.dashboard import serve_command
    result = runner.invoke(serve_command, ["--db", str(tmp_path / "nope.db")])
    assert result.exit_code != 0 and "thidua build" in result.output
    assert not (tmp_path / "nope.db").exists()


def test_thidua_serve_is_a_cli_command(runner):
    result = runner.invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0, "register it: cli.add_command(serve_command, \"serve\") in thidua/cli.py"
    assert "--db" in result.output and "--port" in result.output and "immutable" in result.output
