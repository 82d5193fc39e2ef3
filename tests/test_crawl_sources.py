"""Discovery sources and site structures: sitemaps, feeds, robots.txt, listings of each profile,
user profiles (a new site without code), the raw store and re-extraction from it."""
from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from crawl import ProfileError, load_profile, rawstore
from crawl.feeds import parse_feed
from crawl.listing import listing_page_url, parse_listing
from crawl.profile import load_profile_file
from crawl.rebuild import stored_pages
from crawl.robots import parse_robots, robots_from_status
from crawl.sitemaps import parse_sitemap
from tests.crawl_fixtures.harness import frontier, run_crawl
from tests.crawl_fixtures.ingest import articles, fake_ingest
from tests.crawl_fixtures.server import serve  # noqa: F401  (pytest fixture)
from tests.crawl_fixtures.sites import Route, bvpl_site, kiemsat_site, vksndtc_site

# -- sitemaps, feeds, robots -------------------------------------------------------------------------


def test_sitemap_urlset_gives_urls_with_lastmod():
    data = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<url><loc> https://kiemsat.vn/a-1.html </loc><lastmod>2023-11-28T10:00:00+07:00</lastmod></url>"
            b"<url><loc>https://kiemsat.vn/b-2.html</loc></url></urlset>")
    sm = parse_sitemap(data)
    assert sm.urls == [("https://kiemsat.vn/a-1.html", "2023-11-28T10:00:00+07:00"), ("https://kiemsat.vn/b-2.html", None)]
    assert sm.children == []


def test_gzipped_sitemap_index_gives_child_sitemaps():
    data = gzip.compress(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                         b"<sitemap><loc>https://kiemsat.vn/s1.xml</loc></sitemap></sitemapindex>")
    assert parse_sitemap(data).children == ["https://kiemsat.vn/s1.xml"]


@pytest.mark.parametrize("data", [b"", b"not xml at all", b"<html><body>404</body></html>",
                                  b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset><url><loc>&e;</loc></url></urlset>'])
def test_broken_or_hostile_sitemaps_give_nothing_and_never_raise(data):
    sm = parse_sitemap(data)
    assert all("root:" not in u for u, _ in sm.urls)


def test_rss_feed_gives_links_and_dates_in_vietnam_time():
    data = ("<rss><channel><item><title>Tin</title><link>https://kiemsat.vn/a-1.html</link>"
            "<pubDate>Tue, 28 Nov 2023 01:00:00 GMT</pubDate></item></channel></rss>").encode()
    assert parse_feed(data) == [("https://kiemsat.vn/a-1.html", "2023-11-28T08:00:00+07:00")]


def test_atom_feed_gives_alternate_links():
    data = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="https://x.vn/a-1.html"/>'
            b'<link rel="edit" href="https://x.vn/edit"/><published>2024-01-16T08:30:00+07:00</published></entry></feed>')
    assert parse_feed(data) == [("https://x.vn/a-1.html", "2024-01-16T08:30:00+07:00")]


def test_robots_rules_for_thidua_win_over_star_and_fractional_crawl_delay_is_kept():
    robots = parse_robots("https://x.vn", "User-agent: *\nDisallow: /\n\nUser-agent: thidua\nDisallow: /admin\n"
                                          "Crawl-delay: 2.5\nSitemap: https://x.vn/sm.xml\n")
    assert robots.allowed("https://x.vn/tin-1.html") and not robots.allowed("https://x.vn/admin/x")
    assert robots.crawl_delay() == 2.5
    assert robots.sitemaps == ["https://x.vn/sm.xml"]


def test_robots_404_allows_all_and_5xx_or_unreachable_allows_nothing():
    assert robots_from_status("https://x.vn", 404, None).allowed("https://x.vn/a")
    assert not robots_from_status("https://x.vn", 503, None).allowed("https://x.vn/a")
    assert not robots_from_status("https://x.vn", None, None).allowed("https://x.vn/a")


def test_sitemap_listed_in_robots_txt_is_read(serve, tmp_path):
    site = kiemsat_site(n_articles=6, per_page=3, sitemap_share=0.0, feed_items=0)
    site.routes["/tin-moi.xml"] = Route(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://kiemsat.vn/chi-o-sitemap-99.html'
        b'</loc></url></urlset>', content_type="application/xml")
    site.add_article("/chi-o-sitemap-99.html", "x", site.routes[site.articles[0]].body)
    site.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\nSitemap: https://kiemsat.vn/tin-moi.xml\n")
    server = serve(site)
    _, db = run_crawl(server, tmp_path)
    assert frontier(db)["/chi-o-sitemap-99.html"][0] == "done"


def test_feed_alone_discovers_articles(serve, tmp_path):
    site = kiemsat_site(n_articles=3, per_page=3, sitemap_share=0.0, feed_items=3)
    for key in [k for k in site.routes if k.startswith(("/kiem-sat-24h", "/su-kien-van-de"))]:
        del site.routes[key]
    server = serve(site)
    summary, db = run_crawl(server, tmp_path)
    assert summary.new_articles == 3


# -- the listing structures of each profile ---------------------------------------------------------


def test_kiemsat_load_more_pages_are_paged_requests():
    p = load_profile("kiemsat.vn").with_base_url("http://127.0.0.1:9")
    assert listing_page_url(p, "/kiem-sat-24h", 1) == "http://127.0.0.1:9/kiem-sat-24h"
    assert listing_page_url(p, "/kiem-sat-24h", 3) == "http://127.0.0.1:9/kiem-sat-24h?page=3"


def test_vksndtc_listing_is_paged_with_capital_page():
    p = load_profile("vksndtc.gov.vn")
    assert listing_page_url(p, "/thong-tin/tin-hoat-dong", 2) == "https://vksndtc.gov.vn/thong-tin/tin-hoat-dong?Page=2"


def test_kiemsat_listing_items_give_links_and_dates():
    site = kiemsat_site(n_articles=4, per_page=4)
    p = load_profile("kiemsat.vn")
    items = parse_listing(p, site.routes["/kiem-sat-24h"].body, "https://kiemsat.vn/kiem-sat-24h")
    assert len(items) == 2
    assert all(u.startswith("https://kiemsat.vn/") and p.is_article_url(u) for u, _ in items)
    assert all(d and d.endswith("+07:00") for _, d in items)


@pytest.mark.parametrize("make, profile, n", [(bvpl_site, "baovephapluat.vn", 9), (vksndtc_site, "vksndtc.gov.vn", 7)])
def test_each_profile_crawls_its_site_structure(serve, tmp_path, make, profile, n):
    site = make()
    server = serve(site)
    summary, db = run_crawl(server, tmp_path, profile=profile)
    assert summary.new_articles == n
    got = articles(db)
    assert len(got) == n and all(t.startswith("Cụm thi đua số") for _, t in got)
    assert sorted(server.article_requests()) == sorted(site.articles)


def test_bvpl_articles_keep_captions_out_and_byline_as_author(serve, tmp_path):
    site = bvpl_site(n_articles=2)
    server = serve(site)
    _, db = run_crawl(server, tmp_path, profile="baovephapluat.vn")
    texts = [r[0] for r in db.execute("SELECT text FROM test_articles")]
    assert texts and all("leftcenterrightdel" not in t and "P.V" not in t.split("\n\n")[-2] for t in texts)


# -- a new site from a profile file, no code ----------------------------------------------------------

MY_SITE = """
name = "vks-mau.gov.vn"
hosts = ["vks-mau.gov.vn"]
base_url = "https://vks-mau.gov.vn"
article_url = '^/tin-tuc/[a-z0-9-]+-\\d+\\.html$'
sitemaps = []

[listing]
item = "li.tin"
link = "a"
page_url = "{path}/trang/{page}"

[[sections]]
name = "hoat-dong"
path = "/hoat-dong"

[parse]
title = ["h1.tieu-de"]
lead = ["p.sapo"]
published = ["span.ngay"]
body = ["div.bai"]
captions = ["em.chu-thich"]
drop_text = ["In bài"]
"""


def _my_site():
    from tests.crawl_fixtures.sites import Site
    site = Site("vks-mau.gov.vn")
    links = []
    for i in range(5):
        path = f"/tin-tuc/hoi-nghi-thi-dua-{i}.html"
        body = (f'<html><body><h1 class="tieu-de">Hội nghị thi đua {i}</h1><span class="ngay">0{i + 1}/02/2024 08:00</span>'
                f'<p class="sapo">Sáng nay, Viện KSND tỉnh Mẫu tổ chức hội nghị.</p><div class="bai"><p>Đoạn một {i}.</p>'
                f'<p><img src="a.jpg"><em class="chu-thich">Quang cảnh</em></p><p>In bài</p></div></body></html>')
        site.add_article(path, f"Hội nghị thi đua {i}", body.encode())
        links.append(f'<li class="tin"><a href="{path}">x</a></li>')
    site.routes["/hoat-dong"] = Route(f"<ul>{''.join(links[:3])}</ul>".encode())
    site.routes["/hoat-dong/trang/2"] = Route(f"<ul>{''.join(links[3:])}</ul>".encode())
    site.routes["/hoat-dong/trang/3"] = Route(b"<ul></ul>")
    site.routes["/robots.txt"] = Route(b"", status=404)
    return site


def test_a_provincial_site_is_crawled_from_a_profile_file_alone(serve, tmp_path):
    path = tmp_path / "my-site.toml"
    path.write_text(MY_SITE, encoding="utf-8")
    site = _my_site()
    server = serve(site)
    summary, db = run_crawl(server, tmp_path, profile=load_profile_file(path))
    assert summary.new_articles == 5
    row = db.execute("SELECT title, published, text FROM test_articles ORDER BY url LIMIT 1").fetchone()
    assert row[0] == "Hội nghị thi đua 0" and row[1] == "2024-02-01T08:00:00+07:00"
    assert "In bài" not in row[2] and "Đoạn một 0" in row[2]


def test_a_broken_profile_file_is_refused_with_its_name(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(MY_SITE.replace('title = ["h1.tieu-de"]', 'title = ["h1[[["]'), encoding="utf-8")
    with pytest.raises(ProfileError, match="bad.toml"):
        load_profile_file(path)


def test_base_url_moves_the_allow_list_to_the_new_origin():
    p = load_profile("kiemsat.vn").with_base_url("http://127.0.0.1:8123")
    assert p.matches_host("127.0.0.1:8123") and not p.matches_host("kiemsat.vn")
    assert not p.matches_host("127.0.0.1:8124")
    assert p.localize("https://kiemsat.vn/a-1.html") == "http://127.0.0.1:8123/a-1.html"


# -- raw store and re-extraction ------------------------------------------------------------------------


def test_raw_store_is_content_addressed_gzip_and_atomic(tmp_path):
    sha = rawstore.put(tmp_path, b"<html>x</html>")
    path = rawstore.raw_path(tmp_path, sha)
    assert path == tmp_path / sha[:2] / f"{sha}.html.gz"
    assert gzip.decompress(path.read_bytes()) == b"<html>x</html>"
    assert rawstore.put(tmp_path, b"<html>x</html>") == sha  # stored once
    assert not [p for p in tmp_path.rglob(".tmp-*")]
    path.write_bytes(gzip.compress(b"tampered"))
    with pytest.raises(ValueError, match="corrupt"):
        rawstore.get(tmp_path, sha)


def test_raw_store_file_names_never_come_from_urls(serve, tmp_path):
    server = serve(kiemsat_site(n_articles=3))
    run_crawl(server, tmp_path)
    names = [p.name for p in rawstore.default_raw_dir(tmp_path / "x.db").rglob("*") if p.is_file()]
    assert names and all(len(n) == len("0" * 64 + ".html.gz") for n in names)


def test_stored_pages_are_parsed_again_from_the_raw_store_without_fetching(serve, tmp_path):
    site = kiemsat_site(n_articles=6)
    server = serve(site)
    _, db = run_crawl(server, tmp_path)
    server.reset_log()
    pages = list(stored_pages(db, rawstore.default_raw_dir(tmp_path / "x.db")))
    assert len(pages) == 6 and all(p.article and p.article.site == "kiemsat.vn" for p in pages)
    texts = sorted(r[0] for r in db.execute("SELECT text FROM test_articles"))
    assert sorted(p.article.text() for p in pages) == texts
    assert server.log == []


def test_custom_raw_dir_is_used(serve, tmp_path):
    server = serve(kiemsat_site(n_articles=2))
    run_crawl(server, tmp_path, raw_dir=str(tmp_path / "raw"))
    assert len([p for p in (tmp_path / "raw").rglob("*.html.gz")]) == 2
    assert not os.path.exists(rawstore.default_raw_dir(Path(tmp_path / "x.db")))


def test_temp_files_left_by_a_killed_writer_are_cleaned_up(tmp_path):
    (tmp_path / "ab").mkdir()
    stale, fresh = tmp_path / "ab" / ".tmp-old.gz", tmp_path / "ab" / ".tmp-new.gz"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    os.utime(stale, (0, 0))
    assert rawstore.remove_stale_temp_files(tmp_path) == 1
    assert not stale.exists() and fresh.exists()


def test_discovered_urls_are_normalised_before_queueing():
    from crawl.spider import normalize_url
    assert normalize_url("HTTPS://KiemSat.vn:443/a-1.html#binh-luan") == "https://kiemsat.vn/a-1.html"
    assert normalize_url("http://127.0.0.1:80") == "http://127.0.0.1/"
