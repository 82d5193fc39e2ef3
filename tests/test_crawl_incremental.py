"""Incremental crawling: a second run fetches only new articles; --refresh, --max-articles,
--since, --section; listing paging and its resumption."""
from __future__ import annotations

from datetime import date

from crawl import state
from tests.crawl_fixtures.harness import frontier, run_crawl
from tests.crawl_fixtures.ingest import articles
from tests.crawl_fixtures.server import serve  # noqa: F401  (pytest fixture)
from tests.crawl_fixtures.sites import Route, add_kiemsat_articles, kiemsat_site


def test_first_crawl_archives_every_article_of_listings_sitemap_and_feed(serve, tmp_path):
    site = kiemsat_site(n_articles=23, per_page=4)
    server = serve(site)
    summary, db = run_crawl(server, tmp_path)
    assert summary.new_articles == 23
    assert len(articles(db)) == 23
    assert sorted(server.article_requests()) == sorted(site.articles)  # each fetched once
    assert all(s == ("done", 1, None) for s in frontier(db).values())


def test_listing_pages_are_followed_to_the_end_when_the_sitemap_lacks_articles(serve, tmp_path):
    site = kiemsat_site(n_articles=17, per_page=3, sitemap_share=0.0, feed_items=0)
    server = serve(site)
    summary, db = run_crawl(server, tmp_path)
    assert summary.new_articles == 17
    assert "/kiem-sat-24h?page=3" in server.paths() and "/su-kien-van-de?page=3" in server.paths()
    assert state.section_state(db, "kiemsat.vn", "kiem-sat-24h").complete


def test_second_crawl_without_new_articles_fetches_no_article_page(serve, tmp_path):
    site = kiemsat_site(n_articles=12, per_page=3)
    server = serve(site)
    run_crawl(server, tmp_path)
    server.reset_log()
    summary, db = run_crawl(server, tmp_path)
    assert server.article_requests() == []
    assert summary.new_articles == 0
    # paging stopped at the first page holding only known articles
    assert "/kiem-sat-24h" in server.paths() and "/kiem-sat-24h?page=2" not in server.paths()
    assert len(articles(db)) == 12


def test_second_crawl_fetches_only_the_new_articles(serve, tmp_path):
    site = kiemsat_site(n_articles=10, per_page=3, sitemap_share=0.0, feed_items=0)
    server = serve(site)
    run_crawl(server, tmp_path)
    new = add_kiemsat_articles(site, 4, per_page=3)
    server.reset_log()
    summary, db = run_crawl(server, tmp_path)
    assert sorted(server.article_requests()) == sorted(new)
    assert summary.new_articles == 4 and len(articles(db)) == 14


def test_child_sitemaps_and_feeds_are_revalidated_with_their_etag(serve, tmp_path):
    server = serve(kiemsat_site(n_articles=4))
    run_crawl(server, tmp_path)
    server.reset_log()
    run_crawl(server, tmp_path)
    by_path = {r.path: r for r in server.log}
    assert by_path["/sitemap-articles.xml"].headers.get("if-none-match")
    assert by_path["/rss/home.rss"].headers.get("if-none-match")
    assert not by_path["/sitemap.xml"].headers.get("if-none-match")  # the index: its children may change


def test_new_articles_in_a_child_sitemap_are_found_though_the_index_is_unchanged(serve, tmp_path):
    site = kiemsat_site(n_articles=4, sitemap_share=1.0)
    server = serve(site)
    run_crawl(server, tmp_path, sections=())
    path = "/chi-o-sitemap-con-99.html"
    site.add_article(path, "x", site.routes[site.articles[0]].body)
    child = site.routes["/sitemap-articles.xml"]
    site.routes["/sitemap-articles.xml"] = Route(child.body.replace(
        b"</urlset>", f"<url><loc>https://kiemsat.vn{path}</loc></url></urlset>".encode()),
        content_type="application/xml")
    _, db = run_crawl(server, tmp_path)
    assert frontier(db)[path][0] == "done"


def test_refresh_revalidates_known_articles_with_conditional_get(serve, tmp_path):
    site = kiemsat_site(n_articles=5)
    server = serve(site)
    run_crawl(server, tmp_path)
    changed = site.articles[0]
    site.routes[changed].body = site.routes[changed].body.replace("Toàn cảnh Hội nghị".encode(), b"Quang canh")
    server.reset_log()
    summary, db = run_crawl(server, tmp_path, refresh=True)
    requests = [r for r in server.log if r.path in site.articles]
    assert len(requests) == 5 and all(r.headers.get("if-none-match") for r in requests)
    assert summary.unchanged == 4 and summary.new_articles == 1
    assert db.execute("SELECT count(*) FROM crawl_urls WHERE kind='article' AND http_status=304").fetchone()[0] == 4
    assert all(s[0] == "done" for s in frontier(db).values())


def test_max_articles_stops_the_crawl_and_the_next_run_continues(serve, tmp_path):
    site = kiemsat_site(n_articles=12, per_page=3)
    server = serve(site)
    summary, db = run_crawl(server, tmp_path, max_articles=5)
    assert summary.outcome == "max-articles"
    assert summary.new_articles == 5 and len(articles(db)) == 5
    assert len(server.article_requests()) == 5
    summary, db = run_crawl(server, tmp_path)
    assert len(articles(db)) == 12
    assert sorted(server.article_requests()) == sorted(site.articles)


def test_since_skips_older_articles(serve, tmp_path):
    site = kiemsat_site(n_articles=10, per_page=3)  # years 2015 .. 2024
    server = serve(site)
    summary, db = run_crawl(server, tmp_path, since=date(2020, 1, 1))
    years = sorted(int(t.split("năm ")[1][:4]) for _, t in articles(db))
    assert years and min(years) >= 2020
    assert len(years) == 5


def test_section_option_crawls_only_that_listing(serve, tmp_path):
    site = kiemsat_site(n_articles=8, per_page=3)
    server = serve(site)
    summary, db = run_crawl(server, tmp_path, sections=("su-kien-van-de",))
    assert not any(p.startswith(("/kiem-sat-24h", "/sitemap")) for p in server.paths())
    assert summary.new_articles == 4


def test_interrupted_first_walk_resumes_from_its_page(serve, tmp_path):
    site = kiemsat_site(n_articles=30, per_page=3, sitemap_share=0.0, feed_items=0)
    good_page_4 = site.routes["/kiem-sat-24h?page=4"]
    site.routes["/kiem-sat-24h?page=4"] = Route(
        handler=lambda n, headers: Route(b"down", status=500) if n == 0 else good_page_4)
    server = serve(site)
    _, db = run_crawl(server, tmp_path, sections=("kiem-sat-24h",), fetch={"max_retries": 0})
    before = state.section_state(db, "kiemsat.vn", "kiem-sat-24h")
    assert (before.complete, before.next_page) == (False, 4)
    assert len(articles(db)) == 9
    server.reset_log()
    summary, db = run_crawl(server, tmp_path, sections=("kiem-sat-24h",))
    pages = [p for p in server.paths() if p.startswith("/kiem-sat-24h")]
    # the head page, then back to one page before the failure (overlap), then on to the end
    assert pages == ["/kiem-sat-24h", "/kiem-sat-24h?page=3", "/kiem-sat-24h?page=4", "/kiem-sat-24h?page=5",
                     "/kiem-sat-24h?page=6"]
    assert len(articles(db)) == 15
    assert state.section_state(db, "kiemsat.vn", "kiem-sat-24h").complete


def test_interrupted_head_walk_does_not_stop_before_where_it_was(serve, tmp_path):
    site = kiemsat_site(n_articles=6, per_page=3, sitemap_share=0.0, feed_items=0)
    server = serve(site)
    run_crawl(server, tmp_path, sections=("kiem-sat-24h",))
    new = add_kiemsat_articles(site, 12, per_page=3)  # 6 new in this section: pages 1 and 2
    good_page_2, calls = site.routes["/kiem-sat-24h?page=2"], []

    def fail_once(n, headers):
        calls.append(n)
        return Route(b"down", status=503) if len(calls) == 1 else good_page_2

    site.routes["/kiem-sat-24h?page=2"] = Route(handler=fail_once)
    _, db = run_crawl(server, tmp_path, sections=("kiem-sat-24h",), fetch={"max_retries": 0})
    assert state.section_state(db, "kiemsat.vn", "kiem-sat-24h").head_page == 2
    server.reset_log()
    _, db = run_crawl(server, tmp_path, sections=("kiem-sat-24h",))
    pages = [p for p in server.paths() if p.startswith("/kiem-sat-24h")]
    assert pages[:2] == ["/kiem-sat-24h", "/kiem-sat-24h?page=2"]  # page 1 is all known now, yet it goes on
    assert len(articles(db)) == 3 + 6
    assert state.section_state(db, "kiemsat.vn", "kiem-sat-24h").head_page is None
    assert len(new) == 12


def test_article_whose_ingest_failed_is_ingested_by_the_next_run_even_if_unchanged(serve, tmp_path):
    import sqlite_utils

    from crawl.spider import CrawlConfig, crawl
    from tests.crawl_fixtures.harness import TEST_FETCH
    from tests.crawl_fixtures.ingest import fake_ingest
    from crawl import load_profile

    site = kiemsat_site(n_articles=3)
    server = serve(site)
    db = sqlite_utils.Database(tmp_path / "x.db")
    config = CrawlConfig(str(tmp_path / "x.db"), [load_profile("kiemsat.vn").with_base_url(server.base_url)],
                         progress=False, fetch=TEST_FETCH)

    def flaky(db_, article, **kw):
        if article.url.endswith(site.articles[0]):
            raise RuntimeError("archive busy")
        fake_ingest(db_, article, **kw)

    summary = crawl(config, db=db, ingest=flaky)
    assert summary.failed == 1 and frontier(db)[site.articles[0]][2].startswith("ingest: RuntimeError")
    summary = crawl(config, db=db, ingest=fake_ingest)
    assert summary.new_articles == 1 and len(articles(db)) == 3
    assert frontier(db)[site.articles[0]][0] == "done"
