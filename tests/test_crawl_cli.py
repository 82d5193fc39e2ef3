"""``thidua crawl`` / ``python -m crawl``: options, errors, and the end-to-end "done" criterion."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from crawl.cli import crawl_command
from tests.crawl_fixtures.server import serve  # noqa: F401  (pytest fixture)
from tests.crawl_fixtures.sites import kiemsat_site

ROOT = Path(__file__).resolve().parent.parent
HAS_THIDUA = importlib.util.find_spec("thidua") is not None and importlib.util.find_spec("thidua.pipeline") is not None
needs_thidua = pytest.mark.skipif(not HAS_THIDUA, reason="thidua.pipeline / thidua.cli (the lead's) not written yet")


def test_help_lists_every_option():
    result = CliRunner().invoke(crawl_command, ["--help"])
    assert result.exit_code == 0
    for option in ("--db", "--profile", "--base-url", "--delay", "--concurrency", "--max-articles", "--since",
                   "--section", "--refresh", "--raw-dir"):
        assert option in result.output


def test_python_dash_m_crawl_runs_the_command():
    out = subprocess.run([sys.executable, "-m", "crawl", "--help"], cwd=ROOT, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert out.returncode == 0 and "--base-url" in out.stdout


@pytest.mark.parametrize("args, message", [
    (["no-such-site.vn"], "unknown site profile"),
    (["kiemsat.vn", "baovephapluat.vn", "--base-url", "http://127.0.0.1:9"], "single site"),
    (["liferay"], "no base_url"),
    (["kiemsat.vn", "--base-url", "ftp://x"], "not an http"),
    (["kiemsat.vn", "--section", "no-such-section"], "no section"),
    (["kiemsat.vn", "--since", "hôm qua"], "not a date"),
    ([], "name at least one site"),
])
def test_bad_invocations_say_what_is_wrong(tmp_path, args, message):
    result = CliRunner().invoke(crawl_command, [*args, "--db", str(tmp_path / "x.db")])
    assert result.exit_code != 0
    assert message in result.output


def test_crawl_command_fetch_only_fills_the_frontier_and_prints_a_summary(serve, tmp_path):
    site = kiemsat_site(n_articles=5)
    server = serve(site)
    db_path = tmp_path / "x.db"
    result = CliRunner().invoke(crawl_command, ["kiemsat.vn", "--base-url", server.base_url, "--db", str(db_path),
                                                "--delay", "0", "--no-ingest", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("crawl finished:") and "5 new articles" in result.output
    db = sqlite_utils.Database(db_path)
    rows = db.execute("SELECT status, count(*) FROM crawl_urls WHERE kind='article' GROUP BY status").fetchall()
    assert rows == [("fetched", 5)]


@needs_thidua
def test_done_criterion_crawl_fills_articles_and_leaders_answers(serve, tmp_path):
    """`thidua crawl kiemsat.vn --base-url http://127.0.0.1:PORT --db x.db --delay 0`, then `thidua leaders`."""
    from thidua.cli import cli

    site = kiemsat_site(n_articles=8, per_page=3)
    server = serve(site)
    db_path = str(tmp_path / "x.db")
    runner = CliRunner()
    result = runner.invoke(cli, ["crawl", "kiemsat.vn", "--base-url", server.base_url, "--db", db_path,
                                 "--delay", "0", "--no-progress"])
    assert result.exit_code == 0, result.output
    db = sqlite_utils.Database(db_path)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 8
    leaders = runner.invoke(cli, ["leaders", "--db", db_path, "--json"])
    assert leaders.exit_code == 0, leaders.output
    assert "Cụm" in leaders.output or '"leader' in leaders.output
    assert leaders.output.strip() not in ("[]", "(no rows)")


@needs_thidua
def test_fetch_only_archive_is_a_valid_thidua_archive_for_later_ingest(serve, tmp_path):
    site = kiemsat_site(n_articles=3)
    server = serve(site)
    db_path = str(tmp_path / "x.db")
    base = ["kiemsat.vn", "--base-url", server.base_url, "--db", db_path, "--delay", "0", "--no-progress"]
    assert CliRunner().invoke(crawl_command, [*base, "--no-ingest"]).exit_code == 0
    server.reset_log()
    result = CliRunner().invoke(crawl_command, base)  # ingests the stored pages, fetches no article
    assert result.exit_code == 0, result.output
    assert server.article_requests() == []
    assert sqlite_utils.Database(db_path).execute("SELECT count(*) FROM articles").fetchone()[0] == 3


def test_live_progress_shows_each_host_with_fetched_queued_errors_and_rate(serve, tmp_path):
    import asyncio
    import io

    from rich.console import Console

    from crawl.profile import load_profile
    from crawl.progress import start_progress
    from crawl.spider import CrawlConfig, Spider
    from tests.crawl_fixtures.harness import TEST_FETCH, run_crawl
    from tests.crawl_fixtures.ingest import fake_ingest

    server = serve(kiemsat_site(n_articles=3))
    run_crawl(server, tmp_path)
    db = sqlite_utils.Database(tmp_path / "x.db")
    profile = load_profile("kiemsat.vn").with_base_url(server.base_url)

    async def show() -> str:
        spider = Spider(CrawlConfig(str(tmp_path / "x.db"), [profile], fetch=TEST_FETCH), db, fake_ingest)
        spider.fetcher.host_stats(profile.base_netloc).responses = 7
        out = io.StringIO()
        display = start_progress(spider, Console(file=out, force_terminal=True, width=120), interval=0.01)
        assert display is not None
        await asyncio.sleep(0.05)
        await display.close()
        await spider.fetcher.client.aclose()
        assert start_progress(spider, Console(file=io.StringIO())) is None  # not a terminal: no display
        return out.getvalue()

    text = asyncio.run(show())
    for column in ("fetched", "queued", "errors", "rate/s"):
        assert column in text
    assert profile.base_netloc in text and "7" in text


def test_profile_file_alone_names_the_site_to_crawl(serve, tmp_path):
    from tests.test_crawl_sources import MY_SITE, _my_site

    profile = tmp_path / "my-site.toml"
    profile.write_text(MY_SITE, encoding="utf-8")
    server = serve(_my_site())
    db_path = tmp_path / "x.db"
    result = CliRunner().invoke(crawl_command, ["--profile", str(profile), "--base-url", server.base_url,
                                                "--db", str(db_path), "--delay", "0", "--no-ingest"])
    assert result.exit_code == 0, result.output
    assert "5 new articles" in result.output
    sites = {r[0] for r in sqlite_utils.Database(db_path).execute("SELECT DISTINCT site FROM crawl_urls")}
    assert sites == {"vks-mau.gov.vn"}


@needs_thidua
def test_build_from_raw_reextracts_crawled_pages_without_fetching(serve, tmp_path):
    from thidua.cli import cli

    site = kiemsat_site(n_articles=4)
    server = serve(site)
    db_path = str(tmp_path / "x.db")
    runner = CliRunner()
    base = ["crawl", "kiemsat.vn", "--base-url", server.base_url, "--db", db_path, "--delay", "0", "--no-progress"]
    assert runner.invoke(cli, base).exit_code == 0
    db = sqlite_utils.Database(db_path)
    before = db.execute("SELECT url, text_sha256, extracted_at FROM articles ORDER BY url").fetchall()
    db.execute("DELETE FROM memberships")  # as if the facts were lost or an older extractor wrote them
    db.conn.commit()
    server.reset_log()
    result = runner.invoke(cli, ["build", "--from-raw", "--db", db_path])
    assert result.exit_code == 0, result.output
    assert server.article_requests() == [] and "4 article(s)" in result.stderr
    after = db.execute("SELECT url, text_sha256 FROM articles ORDER BY url").fetchall()
    assert after == [(u, h) for u, h, _ in before]
    assert db.execute("SELECT count(*) FROM memberships").fetchone()[0] > 0


@needs_thidua
def test_build_from_raw_with_two_workers_stores_what_one_worker_stores_and_marks_pages_done(serve, tmp_path):
    from thidua.cli import cli

    server = serve(kiemsat_site(n_articles=6))
    runner = CliRunner()
    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    for db_path in (one, two):
        base = ["crawl", "kiemsat.vn", "--base-url", server.base_url, "--db", db_path, "--delay", "0", "--no-progress"]
        assert runner.invoke(cli, base).exit_code == 0
    con = sqlite_utils.Database(two)
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("DELETE FROM articles")     # a crawl whose archive rows were lost: the raw pages remain
    con.execute("UPDATE crawl_urls SET status = 'fetched' WHERE kind = 'article'")
    con.conn.commit()
    server.reset_log()
    result = runner.invoke(cli, ["build", "--from-raw", "--workers", "2", "--db", two])
    assert result.exit_code == 0, result.output
    assert server.article_requests() == [] and "6 article(s)" in result.stderr
    q = ("SELECT a.url, a.text_sha256, a.raw_sha256, (SELECT count(*) FROM memberships m WHERE m.article_id = a.id), "
         "(SELECT count(*) FROM official_mentions o WHERE o.article_id = a.id) FROM articles a ORDER BY a.url")
    assert sqlite_utils.Database(two).execute(q).fetchall() == sqlite_utils.Database(one).execute(q).fetchall()
    assert con.execute("SELECT DISTINCT status FROM crawl_urls WHERE kind = 'article'").fetchall() == [("done",)]


@needs_thidua
def test_a_damaged_raw_page_is_reported_and_the_rebuild_goes_on(serve, tmp_path):
    from crawl import rawstore
    from thidua.cli import cli

    server = serve(kiemsat_site(n_articles=4))
    db_path = str(tmp_path / "x.db")
    runner = CliRunner()
    base = ["crawl", "kiemsat.vn", "--base-url", server.base_url, "--db", db_path, "--delay", "0", "--no-progress"]
    assert runner.invoke(cli, base).exit_code == 0
    victim = sorted(rawstore.default_raw_dir(db_path).rglob("*.html.gz"))[0]
    victim.write_bytes(victim.read_bytes()[:40])          # a truncated gzip file
    result = runner.invoke(cli, ["build", "--from-raw", "--workers", "2", "--db", db_path])
    assert result.exit_code == 1
    assert "raw body missing or corrupt" in result.stderr and "3 article(s), 1 failed" in result.stderr
