"""sitemap.xml (urlset and sitemapindex, plain or gzipped): article URLs with their lastmod."""
from __future__ import annotations

import gzip
from dataclasses import dataclass, field

from lxml import etree

from crawl.dates import parse_published

_PARSER_OPTS = dict(recover=True, resolve_entities=False, no_network=True, huge_tree=False)


@dataclass
class Sitemap:
    """``urls``: (loc, lastmod ISO or None) of a urlset; ``children``: locs of a sitemapindex."""

    urls: list[tuple[str, str | None]] = field(default_factory=list)
    children: list[str] = field(default_factory=list)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _xml_root(data: bytes) -> etree._Element | None:
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            return None
    data = data.lstrip()
    if not data:
        return None
    try:
        return etree.fromstring(data, etree.XMLParser(**_PARSER_OPTS))
    except etree.XMLSyntaxError:
        return None


def parse_sitemap(data: bytes) -> Sitemap:
    """Read a sitemap; anything unreadable gives an empty one (never raises)."""
    out = Sitemap()
    root = _xml_root(data)
    if root is None:
        return out
    kind = _local(root.tag)
    for entry in root:
        name = _local(entry.tag)
        if name not in ("url", "sitemap"):
            continue
        loc = lastmod = None
        for child in entry:
            cname = _local(child.tag)
            if cname == "loc" and child.text:
                loc = child.text.strip()
            elif cname == "lastmod" and child.text:
                lastmod = parse_published(child.text.strip())
        if not loc:
            continue
        if kind == "sitemapindex" or name == "sitemap":
            out.children.append(loc)
        else:
            out.urls.append((loc, lastmod))
    return out
