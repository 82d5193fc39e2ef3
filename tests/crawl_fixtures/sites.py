"""Fixture sites in the structure of the real ones (/work/shared/sites.md), as {path: Route}.

Each builder returns a ``Site``: the routes the fixture server serves and the article paths a
complete crawl must end with. Faults (slow, 500-then-200, 429, redirect loop, truncated body,
wrong charset, oversized, robots-disallowed, 404) are separate routes added by ``add_faults``.
"""
from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from dataclasses import dataclass, field

PROVINCES = ["Đồng Tháp", "Trà Vinh", "Vĩnh Long", "Tiền Giang", "Bến Tre", "Long An", "Cà Mau", "Bạc Liêu",
             "An Giang", "Hậu Giang", "Kiên Giang", "Sóc Trăng", "Nghệ An", "Thanh Hóa", "Hà Tĩnh"]


@dataclass
class Route:
    """What the server answers for one path (+query). ``handler`` (if set) decides dynamically:
    it gets (count of earlier requests to this route, request headers) and returns a Route."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    sleep: float = 0.0
    truncate_to: int | None = None    # send only this many bytes of a body announced whole
    etag: bool = True
    handler: Callable[[int, dict[str, str]], Route] | None = None


@dataclass
class Site:
    name: str
    routes: dict[str, Route] = field(default_factory=dict)
    articles: list[str] = field(default_factory=list)       # article paths a full crawl ends with
    article_titles: dict[str, str] = field(default_factory=dict)

    def add_article(self, path: str, title: str, body: bytes) -> None:
        self.routes[path] = Route(body)
        self.articles.append(path)
        self.article_titles[path] = title


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


def _article_text(i: int) -> tuple[str, str, list[str], str]:
    n = i % 20 + 1
    members = [PROVINCES[(i + k) % len(PROVINCES)] for k in range(6)]
    leader = members[0]
    year = 2015 + i % 10
    title = f"Cụm thi đua số {n} tổng kết công tác thi đua năm {year} (bài {i})"
    lead = (f"Ngày {1 + i % 27}/11/{year}, tại tỉnh {leader}, Cụm thi đua số {n} ngành Kiểm sát nhân dân "
            f"tổ chức Hội nghị tổng kết công tác thi đua, khen thưởng năm {year}.")
    paras = [
        f"Cụm thi đua số {n} gồm Viện KSND các tỉnh: {', '.join(members)}.",
        f"Dự Hội nghị có đồng chí Nguyễn Văn {chr(65 + i % 26)} – Viện trưởng VKSND tỉnh {leader}, "
        f"Cụm trưởng Cụm thi đua số {n} năm {year}.",
        f"Hội nghị thống nhất suy tôn VKSND tỉnh {members[1]} làm Cụm trưởng năm {year + 1}, "
        f"VKSND tỉnh {members[2]} làm Cụm phó.",
        "Các đơn vị thống nhất đề nghị tặng “Cờ thi đua ngành Kiểm sát nhân dân” cho đơn vị dẫn đầu.",
    ]
    date = f"{1 + i % 27:02d}/11/{year} {8 + i % 9:02d}:{i % 60:02d}"
    return title, lead, paras, date


# -- kiemsat.vn ----------------------------------------------------------------------------------

KIEMSAT_SECTIONS = ["/kiem-sat-24h", "/su-kien-van-de"]


def kiemsat_article(i: int, canonical_host: str = "https://kiemsat.vn", path: str | None = None
                    ) -> tuple[str, str, bytes]:
    title, lead, paras, date = _article_text(i)
    path = path or f"/cum-thi-dua-so-{i % 20 + 1}-tong-ket-bai-{i}-{57000 + i}.html"
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras[:2])
    body += ('\n<table class="imageBox"><tr><td><img src="/img/a.jpg"></td></tr>'
             '<tr><td><p class="PCaption">Toàn cảnh Hội nghị</p></td></tr></table>\n')
    body += "\n".join(f"<p>{html.escape(p)}</p>" for p in paras[2:])
    page = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{html.escape(title)} - Tạp chí Kiểm sát</title>
<link rel="canonical" href="{canonical_host}{path}"></head><body>
<div class="header"><a href="/">Tạp chí Kiểm sát</a></div>
<div class="big_tit"><h1>{html.escape(title)}</h1></div>
<div class="time">{date}</div>
<div class="mota"><h2>(kiemsat.vn) {html.escape(lead)}</h2></div>
<div class="noidung">{body}<div class="chuky"><a href="/tac-gia/x">Minh Triết</a></div></div>
<div class="box-comment"><div>(0) Bình luận</div><p>Bài viết chưa có bình luận nào.</p></div>
<a href="#top">lên đầu trang</a></body></html>"""
    return path, title, page.encode("utf-8")


def kiemsat_listing_item(path: str, title: str, date: str) -> str:
    return (f'<div class="loadmore-item"><div class="khungAnh"><img src="/img/t.jpg"></div>'
            f'<h3><a class="title" href="https://kiemsat.vn{path}">{html.escape(title)}</a></h3>'
            f'<div class="desc">Tóm tắt</div><div class="time">{date}</div></div>')


def kiemsat_site(n_articles: int = 24, per_page: int = 5, *, sitemap_share: float = 0.5,
                 feed_items: int = 3, robots: str | None = None, crawl_delay: float | None = None,
                 first_id: int = 0) -> Site:
    """A kiemsat.vn-like site: two sections paged with ``?page=N`` ("load more" fragments), a
    sitemap index with part of the articles, an RSS feed with the newest, robots.txt."""
    site = Site("kiemsat.vn")
    entries = []
    for i in range(first_id, first_id + n_articles):
        path, title, body = kiemsat_article(i)
        site.add_article(path, title, body)
        entries.append((path, title, _article_text(i)[3]))
    entries.reverse()  # newest first
    build_kiemsat_listings(site, entries, per_page)
    sm = entries[: int(len(entries) * sitemap_share)]
    site.routes["/sitemap.xml"] = Route(
        ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         '<sitemap><loc>https://kiemsat.vn/sitemap-articles.xml</loc></sitemap></sitemapindex>').encode(),
        content_type="application/xml")
    site.routes["/sitemap-articles.xml"] = Route(
        ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
         + "".join(f"<url><loc>https://kiemsat.vn{p}</loc><lastmod>2023-11-28</lastmod></url>" for p, _, _ in sm)
         + "</urlset>").encode(), content_type="application/xml")
    site.routes["/rss/home.rss"] = Route(
        ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Kiểm sát</title>'
         + "".join(f"<item><title>{html.escape(t)}</title><link>https://kiemsat.vn{p}</link>"
                   f"<pubDate>Tue, 28 Nov 2023 08:00:00 +0700</pubDate></item>" for p, t, _ in entries[:feed_items])
         + "</channel></rss>").encode(), content_type="application/rss+xml")
    text = robots if robots is not None else "User-agent: *\nDisallow: /private/\nDisallow: /loi-disallowed-\n"
    if crawl_delay is not None:
        text += f"Crawl-delay: {crawl_delay}\n"
    text += "Sitemap: https://kiemsat.vn/sitemap.xml\n"
    site.routes["/robots.txt"] = Route(text.encode(), content_type="text/plain")
    return site


def build_kiemsat_listings(site: Site, entries: list[tuple[str, str, str]], per_page: int) -> None:
    """Spread entries (newest first) over the sections alternately and page them."""
    for s, section in enumerate(KIEMSAT_SECTIONS):
        mine = entries[s::len(KIEMSAT_SECTIONS)]
        pages = [mine[k:k + per_page] for k in range(0, len(mine), per_page)] or [[]]
        for n, chunk in enumerate(pages, start=1):
            items = "".join(kiemsat_listing_item(p, t, d) for p, t, d in chunk)
            if n == 1:
                body = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Section</title></head><body>'
                        f'<div class="loadmore-list">{items}</div><a class="loadmore" data-page="2">Xem thêm</a>'
                        f'</body></html>')
            else:
                body = f'<div class="loadmore-list">{items}</div>'
            site.routes[f"{section}" if n == 1 else f"{section}?page={n}"] = Route(body.encode())
        site.routes[f"{section}?page={len(pages) + 1}"] = Route(b'<div class="loadmore-list"></div>')


def add_kiemsat_articles(site: Site, new: int, per_page: int = 5) -> list[str]:
    """Publish ``new`` more articles (newest first in the listings); return their paths."""
    start = len(site.articles)
    added = []
    for i in range(start, start + new):
        path, title, body = kiemsat_article(i)
        site.add_article(path, title, body)
        added.append(path)
    entries = []
    for path in site.articles:
        i = int(path.rsplit("-", 1)[1].split(".")[0]) - 57000
        entries.append((path, site.article_titles[path], _article_text(i)[3]))
    entries.reverse()
    for key in [k for k in site.routes if k.split("?")[0] in KIEMSAT_SECTIONS]:
        del site.routes[key]
    build_kiemsat_listings(site, entries, per_page)
    return added


# -- faults ---------------------------------------------------------------------------------------

FAULT_IDS = {
    "slow": 69001, "too_slow": 69002, "error_then_ok": 69003, "rate_limited": 69004, "redirect_loop": 69005,
    "truncated": 69006, "wrong_charset": 69007, "oversized": 69008, "disallowed": 69009, "missing": 69010,
    "cp1258": 69011,
}


def _fault_path(name: str) -> str:
    return f"/loi-{name.replace('_', '-')}-{FAULT_IDS[name]}.html"


def fault_paths() -> dict[str, str]:
    return {name: _fault_path(name) for name in FAULT_IDS}


def cp1258(text: str) -> bytes:
    """Encode Vietnamese text the windows-1258 way: base letter (with its hat) + combining tone."""
    import unicodedata
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + "".join(c for c in parts if c in tones)).encode("cp1258")
    return bytes(out)


def add_faults(site: Site, *, slow: float = 0.3, too_slow: float = 1.2, big: int = 300_000,
               only: tuple[str, ...] | None = None) -> dict[str, str]:
    """Fault articles, listed in an extra sitemap (``only``: just these faults).
    Returns {fault name: path}."""
    paths = fault_paths()
    if only is not None:
        paths = {k: v for k, v in paths.items() if k in only}
    bodies = {name: kiemsat_article(FAULT_IDS[name] - 57000, path=_fault_path(name))[2] for name in FAULT_IDS}

    def ok(name: str) -> Route:
        return Route(bodies[name])

    routes: dict[str, Route] = {
        "slow": Route(bodies["slow"], sleep=slow),
        "too_slow": Route(bodies["too_slow"], sleep=too_slow),
        "error_then_ok": Route(handler=lambda n, h: Route(b"oops", status=500) if n == 0 else ok("error_then_ok")),
        "rate_limited": Route(handler=lambda n, h: Route(
            b"slow down", status=429, headers={"Retry-After": "1"}) if n == 0 else ok("rate_limited")),
        "truncated": Route(bodies["truncated"], truncate_to=200),
        "wrong_charset": Route(bodies["wrong_charset"], content_type="text/html; charset=iso-8859-1"),
        "cp1258": Route(cp1258(bodies["cp1258"].decode("utf-8").replace(
            '<meta charset="utf-8">', '<meta charset="windows-1258">')), content_type="text/html; charset=utf-8"),
        "oversized": Route(bodies["oversized"] + b"<!--" + b"x" * big + b"-->"),
        "disallowed": Route(bodies["disallowed"]),
        # "missing" has no route: 404
    }
    for name, path in paths.items():
        if name in routes:
            site.routes[path] = routes[name]
    if "redirect_loop" in paths:
        loop_a, loop_b = paths["redirect_loop"], paths["redirect_loop"] + "?r=1"
        site.routes[loop_a] = Route(status=302, headers={"Location": loop_b})
        site.routes[loop_b] = Route(status=302, headers={"Location": loop_a})
    urlset = "".join(f"<url><loc>https://kiemsat.vn{p}</loc></url>" for p in paths.values())
    site.routes["/sitemap-faults.xml"] = Route(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urlset}</urlset>'.encode(),
        content_type="application/xml")
    index = site.routes["/sitemap.xml"].body.replace(
        b"</sitemapindex>", b"<sitemap><loc>https://kiemsat.vn/sitemap-faults.xml</loc></sitemap></sitemapindex>")
    site.routes["/sitemap.xml"] = Route(index, content_type="application/xml")
    return paths


# -- baovephapluat.vn -------------------------------------------------------------------------------

def bvpl_site(n_articles: int = 9, per_page: int = 4) -> Site:
    site = Site("baovephapluat.vn")
    section = "/kiem-sat-24h/ban-tin-kiem-sat"
    entries = []
    for i in range(n_articles):
        title, lead, paras, date = _article_text(100 + i)
        path = f"{section}/cum-thi-dua-bai-{i}-{150000 + i}.html"
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
        page = f"""<html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head><body>
<div id="dnn_NewsView_Main_ctl00_viewhinone"><h1 class="post-title">{html.escape(title)}</h1>
<div class="post-meta"><span class="lbPublishedDate">{date}</span> (GMT+7)</div>
<div class="post-summary"><h2>{html.escape(lead)}</h2></div>
<div class="post-content"><div class="noidung">{body}
<table class="picture"><tr><td>leftcenterrightdel</td></tr><tr><td><img src="/a.jpg"></td></tr>
<tr><td class="caption"><p>Quang cảnh Hội nghị.</p></td></tr></table><p>P.V</p></div></div></div></body></html>"""
        site.add_article(path, title, page.encode())
        entries.append((path, title))
    entries.reverse()
    pages = [entries[k:k + per_page] for k in range(0, len(entries), per_page)]
    for n, chunk in enumerate(pages, start=1):
        items = "".join(f'<div class="pcontent3 contentCategory"><a title="{html.escape(t)}" href="{p}">'
                        f'<span class="h3cate">{html.escape(t)}</span></a><div class="pctent">Tóm tắt</div></div>'
                        for p, t in chunk)
        key = section if n == 1 else f"{section}/trang-{n}.html"
        site.routes[key] = Route(f"<html><body>{items}</body></html>".encode())
    site.routes["/robots.txt"] = Route(b"User-agent: *\nAllow: /\n", content_type="text/plain")
    return site


# -- vksndtc.gov.vn ------------------------------------------------------------------------------------

def vksndtc_site(n_articles: int = 7, per_page: int = 3) -> Site:
    site = Site("vksndtc.gov.vn")
    section = "/thong-tin/tin-hoat-dong"
    entries = []
    for i in range(n_articles):
        title, lead, paras, date = _article_text(200 + i)
        path = f"/thong-tin/tin-hoat-dong/cum-thi-dua-bai-{i}-d2-t{11000 + i}.html"
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
        page = f"""<html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head><body>
<div class="news-detail"><h1>{html.escape(title)}</h1><div class="date">{date}</div>
<div class="sapo">{html.escape(lead)}</div><div class="content">{body}</div></div></body></html>"""
        site.add_article(path, title, page.encode())
        entries.append((path, title))
    entries.reverse()
    pages = [entries[k:k + per_page] for k in range(0, len(entries), per_page)]
    for n, chunk in enumerate(pages + [[]], start=1):
        items = "".join(f'<li><a href="{p}">{html.escape(t)}</a></li>' for p, t in chunk)
        key = section if n == 1 else f"{section}?Page={n}"
        site.routes[key] = Route(f'<html><body><a href="/">Trang chủ</a><ul>{items}</ul></body></html>'.encode())
    site.routes["/robots.txt"] = Route(b"", status=404, content_type="text/plain")
    return site
