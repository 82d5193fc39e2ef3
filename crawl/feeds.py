"""RSS 2.0 / Atom feeds: article links with their publication dates."""
from __future__ import annotations

from email.utils import parsedate_to_datetime

from lxml import etree

from crawl.dates import parse_published

_PARSER = dict(recover=True, resolve_entities=False, no_network=True)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _date(text: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()
    try:
        return parse_published(parsedate_to_datetime(text).isoformat())  # RFC 822 (RSS pubDate)
    except (TypeError, ValueError, IndexError):
        return parse_published(text)


def parse_feed(data: bytes) -> list[tuple[str, str | None]]:
    """(link, published ISO or None) of each item/entry; an unreadable feed gives []."""
    data = data.lstrip()
    if not data:
        return []
    try:
        root = etree.fromstring(data, etree.XMLParser(**_PARSER))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    out: list[tuple[str, str | None]] = []
    for el in root.iter():
        name = _local(el.tag)
        if name not in ("item", "entry"):
            continue
        link = published = None
        for child in el:
            cname = _local(child.tag)
            if cname == "link":
                href = child.get("href")
                rel = child.get("rel", "alternate")
                if href and rel == "alternate":
                    link = href.strip()
                elif not href and child.text and not link:
                    link = child.text.strip()
            elif cname == "guid" and not link and child.text and child.get("isPermaLink", "true") != "false":
                if child.text.strip().startswith("http"):
                    link = child.text.strip()
            elif cname in ("pubdate", "published", "date") and not published:
                published = _date(child.text)
            elif cname == "updated" and not published:
                published = _date(child.text)
        if link:
            out.append((link, published))
    return out
