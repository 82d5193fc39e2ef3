"""Hostile content: <script>, SQL-looking strings and path-like names are stored verbatim and shown
inert; raw-store file names cannot leave their folder; the crawler never requests a host outside
its profiles or a private address (SSRF), also not through redirects.
"""
from __future__ import annotations

import asyncio
import html
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawl import rawstore
from crawl.fetch import SKIPPED, Fetcher
from tests.crawl_fixtures.harness import TEST_FETCH, run_crawl
from tests.crawl_fixtures.ingest import articles
from tests.crawl_fixtures.server import FixtureServer, serve  # noqa: F401  (pytest fixture)
from tests.crawl_fixtures.sites import Route, Site, kiemsat_article, kiemsat_site
from thidua.cli import cli

SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE articles; -- \" OR 1=1; DELETE FROM units WHERE ''='"
PATHLIKE = "../../../../etc/passwd"
TITLE = f"Cụm thi đua số 7 {SCRIPT} {SQL} {PATHLIKE}"


def invoke(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    page = folder / "'; DROP TABLE articles; --.html"
    page.write_text(f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(TITLE)}</title></head>
<body><h1>{html.escape(TITLE)}</h1><div class="content">
<p>Cụm thi đua số 7 tổng kết năm 2023. {html.escape(SCRIPT)} VKSND tỉnh Đồng Tháp làm Cụm trưởng.</p>
<p>{html.escape(SQL)}</p><p>{html.escape(PATHLIKE)} C:\\Windows\\system32 file:///etc/shadow</p>
<script>document.title = "ran";</script></div></body></html>""", encoding="utf-8")
    (folder / "<script>alert(1)<\\script>.txt").write_text(f"{SCRIPT}\n{SQL}\nCụm thi đua số 8 năm 2022.", encoding="utf-8")
    (folder / "-rf ~.txt").write_text("Cụm thi đua số 9 năm 2021 $(rm -rf ~) `reboot`", encoding="utf-8")
    db = folder / "a.db"
    result = invoke("build", str(folder), "--db", str(db))
    assert result.exit_code == 0, result.output
    return db, folder


def test_hostile_text_is_stored_verbatim_and_the_archive_is_intact(hostile_db):
    db, _ = hostile_db
    con = sqlite3.connect(db)
    tables = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "units", "meta", "clusters"} <= tables
    titles = [t for (t,) in con.execute("SELECT title FROM articles")]
    bodies = "\n".join(b for (b,) in con.execute("SELECT body FROM articles"))
    assert TITLE in titles
    assert SCRIPT in bodies and SQL in bodies and PATHLIKE in bodies
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


@pytest.mark.parametrize("query", [SQL, SCRIPT, PATHLIKE, '"', "*", "NEAR(", ")", "a OR", "AND", "title:x",
                                   "^", "-x", "\x00", "'", "%", "_", "đồng\u200b tháp"])
def test_search_with_hostile_queries_answers_or_explains(hostile_db, query):
    db, _ = hostile_db
    result = invoke("search", "--db", str(db), "--json", "--", query)
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 0:
        json.loads(result.stdout)
    else:
        assert result.output.startswith("Error: ")


def test_query_output_keeps_hostile_text_as_data(hostile_db):
    db, _ = hostile_db
    rows = json.loads(invoke("search", "Cụm thi đua số 7", "--db", str(db), "--json").stdout)
    assert any(r["title"] == TITLE for r in rows)
    csv_out = invoke("search", "Cụm thi đua số 7", "--db", str(db), "--csv").stdout
    assert "DROP TABLE" in csv_out


def test_the_dashboard_shows_hostile_text_escaped(hostile_db):
    from thidua.dashboard import make_datasette
    db, _ = hostile_db
    con = sqlite3.connect(db)
    aid = con.execute("SELECT id FROM articles WHERE title = ?", [TITLE]).fetchone()[0]
    con.close()
    ds = make_datasette(db)

    async def pages():
        await ds.invoke_startup()
        return [await ds.client.get(path) for path in
                (f"/-/thidua/article/{aid}", f"/archive/articles/{aid}", "/archive/articles")]

    for resp in asyncio.run(pages()):
        assert resp.status_code == 200, resp.text[:500]
        assert '<script>alert("xss")' not in resp.text
        assert "<img src=x onerror" not in resp.text


def test_raw_store_file_names_never_come_from_outside(tmp_path):
    raw = tmp_path / "raw"
    for bad in ["../../etc/passwd", "/etc/passwd", "..", "a" * 64 + "/../x", "A" * 64, "g" * 64, "", "0" * 63]:
        with pytest.raises(ValueError):
            rawstore.raw_path(raw, bad)
    digests = [rawstore.put(raw, body) for body in (SCRIPT.encode(), PATHLIKE.encode(), b"\x00" * 10, b"")]
    for d in digests:
        assert rawstore.get(raw, d) is not None
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(raw.resolve()) for p in files)
    assert all(len(p.parent.name) == 2 and p.name.endswith(".html.gz") for p in files)


def test_a_corrupted_raw_file_is_detected_not_trusted(tmp_path):
    raw = tmp_path / "raw"
    d = rawstore.put(raw, b"<p>original</p>")
    import gzip
    rawstore.raw_path(raw, d).write_bytes(gzip.compress(b"<p>tampered</p>"))
    with pytest.raises(ValueError, match="corrupt"):
        rawstore.get(raw, d)


# ------------------------------------------------------------------------------------ SSRF
def _evil_site() -> Site:
    site = Site("evil")
    site.routes["/robots.txt"] = Route(b"", status=404)
    path, _, body = kiemsat_article(7, path="/cum-thi-dua-so-1-tong-ket-bai-7-57007.html")
    site.routes[path] = Route(body)
    return site


def test_the_crawler_never_requests_hosts_outside_its_profiles(serve, tmp_path):
    evil = serve(_evil_site())
    eport = evil.port
    site = kiemsat_site(n_articles=4, per_page=5)
    art = "/cum-thi-dua-so-1-tong-ket-bai-7-57007.html"
    off_site = [f"http://127.0.0.1:{eport}{art}", f"http://localhost:{eport}{art}", f"http://[::1]:{eport}{art}",
                f"http://2130706433:{eport}{art}", f"http://0x7f.1:{eport}{art}", f"http://169.254.169.254{art}",
                f"http://kiemsat.vn@127.0.0.1:{eport}{art}", "file:///etc/passwd",
                f"http://evil.example{art}", f"gopher://127.0.0.1:{eport}/_x"]
    site.routes["/sitemap-articles.xml"] = Route(
        ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         + "".join(f"<url><loc>{html.escape(u)}</loc></url>" for u in off_site) + "</urlset>").encode(),
        content_type="application/xml")
    # articles of the crawled site that redirect elsewhere: to the other server, a metadata address, a file
    redirects = {f"/cum-thi-dua-so-2-tong-ket-bai-{90 + i}-{58000 + i}.html": loc for i, loc in enumerate(
        [f"http://127.0.0.1:{eport}{art}", f"http://localhost:{eport}{art}", "http://169.254.169.254/latest/meta-data/",
         f"http://[::1]:{eport}{art}", "file:///etc/passwd"])}
    for path, loc in redirects.items():
        site.routes[path] = Route(b"", status=302, headers={"Location": loc})
    site.routes["/rss/home.rss"] = Route(
        ('<?xml version="1.0"?><rss version="2.0"><channel>'
         + "".join(f"<item><link>https://kiemsat.vn{p}</link></item>" for p in redirects) + "</channel></rss>").encode(),
        content_type="application/rss+xml")
    server = serve(site)
    summary, db = run_crawl(server, tmp_path)
    assert evil.log == [], [r.path for r in evil.log]
    assert len(articles(db)) == 4
    rows = dict(db.execute("SELECT url, reason FROM crawl_urls WHERE kind = 'article'").fetchall())
    for path in redirects:
        reason = rows[f"{server.base_url}{path}"]
        assert reason and ("not allowed" in reason or "private address" in reason), (path, reason)


@pytest.mark.parametrize("target", ["http://localhost:{p}/x", "http://127.0.0.2:{p}/x", "http://[::1]:{p}/x",
                                    "http://2130706433:{p}/x", "http://0.0.0.0:{p}/x", "http://169.254.169.254/x",
                                    "http://[::ffff:127.0.0.1]:{p}/x", "http://10.0.0.1/x", "http://192.168.1.1/x"])
def test_a_redirect_to_a_private_address_is_refused_even_on_an_allowed_host(serve, target):
    """With every host allowed, only the base URL's own address may be private."""
    other = serve(_evil_site())
    site = Site("s")
    site.routes["/robots.txt"] = Route(b"", status=404)
    site.routes["/go"] = Route(b"", status=302, headers={"Location": target.format(p=other.port)})
    server = serve(site)

    async def go():
        async with Fetcher(TEST_FETCH, allowed=lambda netloc: True, private_ok={f"127.0.0.1:{server.port}"}) as f:
            return await f.fetch(f"{server.base_url}/go")

    result = asyncio.run(go())
    assert result.outcome == SKIPPED and "private address" in (result.reason or ""), result
    assert other.log == []
