"""Listing pages: the article links (and dates, when shown) a section page holds."""
from __future__ import annotations

from urllib.parse import urljoin

from bs4 import BeautifulSoup

from crawl.charset import decode_html
from crawl.dates import parse_published
from crawl.parse import element_text
from crawl.profile import Profile


def listing_page_url(profile: Profile, path: str, page: int) -> str:
    """URL of page ``page`` (1 = the section path itself) of a section."""
    base = profile.base_url.rstrip("/")
    if page <= 1:
        target = path
    else:
        target = profile.listing.page_url.format(path=path.rstrip("/") or "", page=page)
    return urljoin(base + "/", target.lstrip("/")) if not target.startswith("http") else target


def parse_listing(profile: Profile, data: bytes, page_url: str, content_type: str | None = None
                  ) -> list[tuple[str, str | None]]:
    """(absolute link, date ISO or None) of the listed items, in page order, links as written.

    Links are resolved against the page URL; callers filter them through the profile's article
    URL regex and host allow-list.
    """
    text, _ = decode_html(data, content_type)
    soup = BeautifulSoup(text, "lxml")
    lst = profile.listing
    items = soup.select(lst.item) if lst.item else [soup]
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for item in items:
        date = None
        if lst.date:
            el = item.select_one(lst.date)
            if el is not None:
                date = parse_published(element_text(el))
        links = item.select(lst.link) if lst.item else item.select(lst.link or "a[href]")
        if lst.item:
            links = links[:1]
        for a in links:
            href = a.get("href")
            if not isinstance(href, str) or not href.strip() or href.startswith(("javascript:", "mailto:", "#")):
                continue
            url = urljoin(page_url, href.strip()).split("#", 1)[0]
            if url not in seen:
                seen.add(url)
                out.append((url, date))
    return out
