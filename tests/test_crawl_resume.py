"""Kill -9 at any moment and start again: every article ends in the archive exactly once."""
from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlite_utils

from crawl import rawstore
from tests.crawl_fixtures.harness import run_crawl
from tests.crawl_fixtures.ingest import articles
from tests.crawl_fixtures.server import serve  # noqa: F401  (pytest fixture)
from tests.crawl_fixtures.sites import kiemsat_site

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def _kill_at_article(server, site, k: int) -> tuple[threading.Event, list[subprocess.Popen]]:
    """SIGKILL the crawl subprocess when the server receives its k-th article request."""
    seen, killed, procs = [0], threading.Event(), []
    articles_ = set(site.articles)

    def on_request(entry):
        if entry.path in articles_ and not killed.is_set():
            seen[0] += 1
            if seen[0] >= k and procs:
                os.kill(procs[0].pid, signal.SIGKILL)
                killed.set()

    server.on_request = on_request
    return killed, procs


@pytest.mark.parametrize("kill_at", [2, 13])
def test_crawl_killed_with_sigkill_and_restarted_has_every_article_once(serve, tmp_path, kill_at):
    site = kiemsat_site(n_articles=20, per_page=3, sitemap_share=0.3)
    server = serve(site)
    db_path = tmp_path / "x.db"
    killed, procs = _kill_at_article(server, site, kill_at)
    proc = _start(["-m", "tests.crawl_fixtures.run_crawl", str(db_path), server.base_url, "--concurrency", "2"])
    procs.append(proc)
    proc.wait(timeout=60)
    assert killed.is_set() and proc.returncode == -signal.SIGKILL
    db = sqlite_utils.Database(db_path)
    assert len(articles(db)) < 20

    server.on_request = None
    _, db = run_crawl(server, tmp_path)  # the restart (in-process: same code, no second interpreter start)
    urls = [u for u, _ in articles(db)]
    assert len(urls) == len(set(urls)) == 20
    assert sorted(u.split("kiemsat.vn", 1)[1] for u in urls) == sorted(site.articles)
    statuses = db.execute("SELECT status, count(*) FROM crawl_urls WHERE kind='article' GROUP BY status").fetchall()
    assert statuses == [("done", 20)]
    raw_dir = rawstore.default_raw_dir(db_path)
    for (sha,) in db.execute("SELECT sha256 FROM crawl_urls WHERE kind='article'").fetchall():
        assert rawstore.get(raw_dir, sha)  # whole and matching its digest
    # the restart fetched only what the killed run had not stored
    fetched_twice = [p for p in site.articles if server.requested(p) > 1]
    assert len(fetched_twice) <= 2  # at most the requests in flight when killed


def test_pages_fetched_but_not_ingested_before_a_kill_are_ingested_from_the_raw_store(serve, tmp_path):
    site = kiemsat_site(n_articles=5)
    server = serve(site)
    summary, db = run_crawl(server, tmp_path, ingest=False)  # stands for a run killed after storing
    assert summary.new_articles == 5 and articles(db) == []
    assert {s for (s,) in db.execute("SELECT status FROM crawl_urls WHERE kind='article'")} == {"fetched"}
    server.reset_log()
    summary, db = run_crawl(server, tmp_path)
    assert server.article_requests() == []
    assert summary.resumed == 5 and len(articles(db)) == 5


needs_thidua = pytest.mark.skipif(
    importlib.util.find_spec("thidua") is None or importlib.util.find_spec("thidua.pipeline") is None,
    reason="thidua.pipeline.ingest (the lead's) is not written yet")


@needs_thidua
def test_real_cli_killed_and_restarted_archives_every_article_once(serve, tmp_path):
    site = kiemsat_site(n_articles=12, per_page=3)
    server = serve(site)
    db_path = tmp_path / "x.db"
    args = ["-m", "crawl", "kiemsat.vn", "--base-url", server.base_url, "--db", str(db_path), "--delay", "0",
            "--no-progress"]
    killed, procs = _kill_at_article(server, site, 6)
    proc = _start(args)
    procs.append(proc)
    proc.wait(timeout=60)
    assert killed.is_set()
    server.on_request = None
    from click.testing import CliRunner

    from crawl.cli import crawl_command
    again = CliRunner().invoke(crawl_command, args[2:])  # the restart, in-process
    assert again.exit_code == 0, again.output
    db = sqlite_utils.Database(db_path)
    rows = db.execute("SELECT url FROM articles").fetchall()
    assert len(rows) == len({r[0] for r in rows}) == 12
