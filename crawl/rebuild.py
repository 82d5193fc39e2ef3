"""Re-extract the archive from the raw store, without fetching: every article page the crawler
stored (``crawl_urls`` rows with a sha256) is parsed again from its gzip file."""
from __future__ import annotations

import zlib
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


def parse_stored(raw_dir: str | Path, row: state.UrlRow, cache: dict[str, Profile | None] | None = None
                 ) -> StoredPage:
    """Parse one stored article page again from its raw body (no database access: a worker process
    of ``thidua build --from-raw`` runs this)."""
    assert row.sha256 is not None
    cache = _PROFILES if cache is None else cache
    try:
        body = rawstore.get(raw_dir, row.sha256)
    except (OSError, ValueError, EOFError, zlib.error) as exc:  # a missing, truncated or damaged gzip file
        return StoredPage(row.url, row.sha256, row.fetched_at, None, f"raw body missing or corrupt: {exc}")
    try:
        article = parse_page(body, row.url, profile=_profile(row.site, cache), content_type=row.content_type)
    except ParseError as exc:
        return StoredPage(row.url, row.sha256, row.fetched_at, None, str(exc))
    return StoredPage(row.url, row.sha256, row.fetched_at, article)


_PROFILES: dict[str, Profile | None] = {}   # per process


def stored_pages(db: sqlite_utils.Database, raw_dir: str | Path, sites: list[str] | None = None
                 ) -> Iterator[StoredPage]:
    """Parse every stored article page again, in crawl order."""
    cache: dict[str, Profile | None] = {}
    for row in state.fetched_pages(db, sites):
        yield parse_stored(raw_dir, row, cache)
