"""Re-extract the archive from the raw store, without fetching: every article page the crawler
stored (``crawl_urls`` rows with a sha256) is parsed again from its gzip file."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from crawl import rawstore, state
from crawl.article import Article
from crawl.errors import ParseError, ProfileError
from crawl.parse import parse_page
from crawl.profile import Profile, load_profile


@dataclass
class StoredPage:
    """One stored article page, parsed again (``article`` None with ``error`` when it failed)."""

    url: str
    sha256: str
    fetched_at: str | None
    article: Article | None
    error: str | None = None


def _profile(name: str, cache: dict[str, Profile | None]) -> Profile | None:
    if name not in cache:
        try:
            cache[name] = load_profile(name)
        except ProfileError:
            cache[name] = None  # a user profile not loaded now: detect from the page
    return cache[name]


def stored_pages(db: sqlite_utils.Database, raw_dir: str | Path, sites: list[str] | None = None
                 ) -> Iterator[StoredPage]:
    """Parse every stored article page again, in crawl order."""
    cache: dict[str, Profile | None] = {}
    for row in state.fetched_pages(db, sites):
        assert row.sha256 is not None
        try:
            body = rawstore.get(raw_dir, row.sha256)
        except (OSError, ValueError) as exc:
            yield StoredPage(row.url, row.sha256, row.fetched_at, None, f"raw body missing or corrupt: {exc}")
            continue
        try:
            article = parse_page(body, row.url, profile=_profile(row.site, cache), content_type=row.content_type)
        except ParseError as exc:
            yield StoredPage(row.url, row.sha256, row.fetched_at, None, str(exc))
            continue
        yield StoredPage(row.url, row.sha256, row.fetched_at, article)


def reingest(db: sqlite_utils.Database, raw_dir: str | Path, ingest, sites: list[str] | None = None
             ) -> tuple[int, int]:
    """Put every stored page through ``ingest(db, article, raw_sha256=, fetched_at=)`` again;
    return (stored, failed). Marks pages left "fetched" by an interrupted crawl as done."""
    stored = failed = 0
    for page in stored_pages(db, raw_dir, sites):
        if page.article is None:
            failed += 1
            continue
        ingest(db, page.article, raw_sha256=page.sha256, fetched_at=page.fetched_at or state.now_iso())
        state.update(db, page.url, status=state.DONE, published=page.article.published)
        stored += 1
    return stored, failed
