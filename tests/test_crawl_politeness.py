"""Politeness: per-host spacing, robots.txt (paths and Crawl-delay), concurrency, User-Agent,
and the host allow-list (off-site links and redirects, private addresses)."""
from __future__ import annotations

import asyncio
import pytest

from crawl.fetch import USER_AGENT, FetchConfig, Fetcher, Refused
from tests.crawl_fixtures.harness import frontier, run_crawl
from tests.crawl_fixtures.server import serve  # noqa: F401  (pytest fixture)
from tests.crawl_fixtures.sites import Route, add_faults, kiemsat_site

# The server logs the kernel's receive time of each request (SO_TIMESTAMPNS) and the crawler
# spaces the moments its requests were written, so the gaps hold to clock-reading precision even
# on a loaded machine.
TOLERANCE = 0.002


def _gaps(server) -> list[float]:
    times = sorted(r.at for r in server.log)
    return [b - a for a, b in zip(times, times[1:])]


def test_requests_to_one_host_are_spaced_by_at_least_the_delay(serve, tmp_path):
    server = serve(kiemsat_site(n_articles=3, per_page=3))
    run_crawl(server, tmp_path, fetch={"delay": 0.12, "concurrency": 2})
    gaps = _gaps(server)
    assert len(gaps) >= 10
    assert min(gaps) >= 0.12 - TOLERANCE
    assert sum(gaps) / len(gaps) >= 0.12


def test_robots_crawl_delay_raises_the_spacing(serve, tmp_path):
    server = serve(kiemsat_site(n_articles=3, per_page=2, crawl_delay=0.1))
    run_crawl(server, tmp_path, fetch={"delay": 0.0})
    after_robots = sorted(r.at for r in server.log if r.path != "/robots.txt")
    gaps = [b - a for a, b in zip(after_robots, after_robots[1:])]
    assert len(gaps) > 8 and min(gaps) >= 0.1 - TOLERANCE


def test_robots_disallowed_paths_are_never_requested(serve, tmp_path):
    site = kiemsat_site(n_articles=4, per_page=2)
    paths = add_faults(site, only=("disallowed",))
    server = serve(site)
    _, db = run_crawl(server, tmp_path)
    assert paths["disallowed"] not in server.paths()
    status, attempts, reason = frontier(db)[paths["disallowed"]]
    assert (status, attempts) == ("skipped", 1) and "robots.txt" in reason


def test_robots_txt_is_read_before_anything_else(serve, tmp_path):
    server = serve(kiemsat_site(n_articles=3))
    run_crawl(server, tmp_path)
    assert server.paths()[0] == "/robots.txt"
    assert server.requested("/robots.txt") == 1


def test_robots_txt_server_error_means_nothing_is_fetched(serve, tmp_path):
    site = kiemsat_site(n_articles=3)
    site.routes["/robots.txt"] = Route(b"down", status=503)
    server = serve(site)
    summary, db = run_crawl(server, tmp_path)
    assert set(server.paths()) == {"/robots.txt"}
    assert summary.new_articles == 0


def test_user_agent_names_thidua_and_its_homepage(serve, tmp_path):
    server = serve(kiemsat_site(n_articles=2))
    run_crawl(server, tmp_path)
    agents = {r.user_agent for r in server.log}
    assert agents == {USER_AGENT}
    assert USER_AGENT.startswith("thidua/") and "+http" in USER_AGENT


def test_no_more_than_the_per_host_concurrency_is_in_flight(serve, tmp_path):
    site = kiemsat_site(n_articles=8, per_page=8)
    for path in site.articles:
        site.routes[path].sleep = 0.08
    server = serve(site)
    run_crawl(server, tmp_path, fetch={"concurrency": 2, "global_concurrency": 8})
    assert server.peak_in_flight == 2


def test_concurrency_one_means_one_request_at_a_time(serve, tmp_path):
    site = kiemsat_site(n_articles=4, per_page=8)
    for path in site.articles:
        site.routes[path].sleep = 0.05
    server = serve(site)
    run_crawl(server, tmp_path, fetch={"concurrency": 1})
    assert server.peak_in_flight == 1


def test_links_to_other_hosts_are_never_followed(serve, tmp_path):
    site = kiemsat_site(n_articles=3, per_page=5)
    page = site.routes["/kiem-sat-24h"].body.replace(
        b'<div class="loadmore-list">',
        b'<div class="loadmore-list"><div class="loadmore-item"><h3><a class="title" '
        b'href="https://evil.example/tin-1-12345.html">x</a></h3></div>')
    site.routes["/kiem-sat-24h"] = Route(page)
    server = serve(site)
    _, db = run_crawl(server, tmp_path)
    assert not any("evil.example" in url for (url,) in db.execute("SELECT url FROM crawl_urls").fetchall())


def test_redirect_to_a_host_not_crawled_is_refused(serve, tmp_path):
    site = kiemsat_site(n_articles=2, per_page=5)
    victim = site.articles[0]
    site.routes[victim] = Route(status=302, headers={"Location": "http://127.0.0.2:9/steal-1.html"})
    server = serve(site)
    _, db = run_crawl(server, tmp_path)
    status, _, reason = frontier(db)[victim]
    assert status == "skipped" and "not allowed" in reason


def test_private_addresses_are_refused_unless_a_base_url_is_there():
    async def check(private_ok):
        fetcher = Fetcher(FetchConfig(), allowed=lambda netloc: True, private_ok=private_ok)
        try:
            await fetcher.check("http://127.0.0.1:8000/x-1.html")
        finally:
            await fetcher.client.aclose()

    with pytest.raises(Refused, match="private"):
        asyncio.run(check(set()))
    asyncio.run(check({"127.0.0.1"}))


def test_429_retry_after_pauses_the_whole_host(serve, tmp_path):
    site = kiemsat_site(n_articles=3, per_page=5)
    paths = add_faults(site, only=("rate_limited",))
    server = serve(site)
    run_crawl(server, tmp_path, fetch={"concurrency": 1})  # with more, requests already sent still arrive
    first_429 = next(r.at for r in server.log if r.path == paths["rate_limited"])
    later = [r.at for r in server.log if r.at > first_429]
    assert later and min(later) - first_429 >= 1.0 - TOLERANCE
    assert server.requested(paths["rate_limited"]) == 2
