"""Each fault ends in the right state (retried, failed with its reason, or skipped) and never
stops the crawl: every good article still ends in the archive."""
from __future__ import annotations

import pytest

from crawl import rawstore
from tests.crawl_fixtures.harness import frontier, run_crawl
from tests.crawl_fixtures.ingest import articles
from tests.crawl_fixtures.server import FixtureServer, serve  # noqa: F401  (serve: pytest fixture)
from tests.crawl_fixtures.sites import add_faults, kiemsat_site


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """One crawl of a kiemsat-like site holding every fault (max_retries = 2: 3 attempts)."""
    site = kiemsat_site(n_articles=6, per_page=4)
    paths = add_faults(site, slow=0.2, too_slow=0.8)
    server = FixtureServer(site)
    tmp = tmp_path_factory.mktemp("faults")
    try:
        summary, db = run_crawl(server, tmp, fetch={"read_timeout": 0.4})
        yield site, paths, server, summary, db, frontier(db), tmp
    finally:
        server.close()


def test_slow_response_within_the_timeout_is_fetched(faulty):
    site, paths, server, summary, db, state, tmp = faulty
    assert state[paths["slow"]][:2] == ("done", 1)


def test_response_slower_than_the_timeout_is_retried_then_failed_with_reason(faulty):
    site, paths, server, summary, db, state, tmp = faulty
    status, attempts, reason = state[paths["too_slow"]]
    assert (status, attempts) == ("failed", 3)
    assert "timeout" in reason and "3 attempts" in reason
    assert server.requested(paths["too_slow"]) == 3


def test_server_error_then_success_is_retried_and_fetched(faulty):
    site, paths, server, summary, db, state, tmp = faulty
    assert state[paths["error_then_ok"]][:2] == ("done", 2)
    assert server.requested(paths["error_then_ok"]) == 2


def test_429_is_retried_after_retry_after_and_fetched(faulty):
    site, paths, server, summary, db, state, tmp = faulty
    assert state[paths["rate_limited"]][:2] == ("done", 2)
    times = [r.at for r in server.log if r.path == paths["rate_limited"]]
    assert times[1] - times[0] >= 1.0 - 0.01


def test_redirect_loop_is_failed_without_retrying(faulty):
    site, paths, server, summary, db, state, tmp = faulty
    status, attempts, reason = state[paths["redirect_loop"]]
    assert (status, attempts) == ("failed", 1) and "redirect loop" in reason
    assert server.requested(paths["redirect_loop"]) == 1


def test_truncated_body_is_retried_then_failed_and_nothing_is_stored(faulty):
    site, paths, server, summary, db, state, tmp = faulty
    status, attempts, reason = state[paths["truncated"]]
    assert (status, attempts) == ("failed", 3) and "truncated" in reason
    sha = db.execute("SELECT sha256 FROM crawl_urls WHERE url LIKE ?", ["%" + paths["truncated"]]).fetchone()[0]
    assert sha is None


def test_wrong_declared_charsets_are_decoded_right(faulty):
    site, paths, server, summary, db, state, tmp = faulty
    titles = dict(articles(db))
    for name in ("wrong_charset", "cp1258"):
        assert state[paths[name]][0] == "done"
        title = next(t for u, t in titles.items() if u.endswith(paths[name]))
        assert title.startswith("Cụm thi đua số") and "tổng kết công tác thi đua" in title


def test_oversized_page_is_skipped_with_reason(faulty):
    site, paths, server, summary, db, state, tmp = faulty
    status, attempts, reason = state[paths["oversized"]]
    assert status == "skipped" and "too large" in reason


def test_missing_page_is_skipped_as_404(faulty):
    site, paths, server, summary, db, state, tmp = faulty
    assert state[paths["missing"]][0] == "skipped" and state[paths["missing"]][2] == "HTTP 404"


def test_faults_never_stop_the_crawl(faulty):
    site, paths, server, summary, db, state, tmp = faulty
    for path in site.articles:
        assert state[path][0] == "done"
        assert any(u.endswith(path) for u, _ in articles(db)), path
    assert summary.outcome == "finished"
    assert summary.failed == 3 and summary.skipped == 3  # too_slow, loop, truncated / oversized, 404, robots


def test_every_stored_body_is_in_the_raw_store(faulty):
    site, paths, server, summary, db, state, tmp = faulty
    shas = [r[0] for r in db.execute("SELECT sha256 FROM crawl_urls WHERE kind='article' AND sha256 IS NOT NULL")]
    raw_dir = rawstore.default_raw_dir(tmp / "x.db")
    assert len(shas) == len(site.articles) + 5  # slow, error_then_ok, rate_limited, wrong_charset, cp1258
    for sha in shas:
        assert rawstore.get(raw_dir, sha)


def test_failed_urls_are_retried_by_the_next_run(serve, tmp_path):
    site = kiemsat_site(n_articles=2)
    paths = add_faults(site, only=("too_slow",), too_slow=0.6)
    server = serve(site)
    _, db = run_crawl(server, tmp_path, fetch={"read_timeout": 0.3, "max_retries": 0})
    assert frontier(db)[paths["too_slow"]][:2] == ("failed", 1)
    site.routes[paths["too_slow"]].sleep = 0
    _, db = run_crawl(server, tmp_path, fetch={"read_timeout": 0.3, "max_retries": 0})
    assert frontier(db)[paths["too_slow"]][:2] == ("done", 2)
