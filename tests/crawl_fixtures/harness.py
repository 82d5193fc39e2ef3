"""Run the crawler in-process against a fixture server, with test-friendly timings."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import sqlite_utils

from crawl.fetch import FetchConfig
from crawl.profile import Profile, load_profile
from crawl.spider import CrawlConfig, CrawlSummary, crawl
from tests.crawl_fixtures.ingest import fake_ingest
from tests.crawl_fixtures.server import FixtureServer

TEST_FETCH = FetchConfig(delay=0.0, concurrency=2, backoff_base=0.02, backoff_max=0.2, read_timeout=0.5,
                         connect_timeout=2.0, max_retries=2, max_bytes=200_000)


def run_crawl(server: FixtureServer, tmp_path: Path, *, profile: str | Profile = "kiemsat.vn",
              db_name: str = "x.db", fetch: dict[str, Any] | None = None, **options: Any
              ) -> tuple[CrawlSummary, sqlite_utils.Database]:
    """One crawl of ``server`` into ``tmp_path/db_name`` with the fake ingest."""
    p = load_profile(profile) if isinstance(profile, str) else profile
    db_path = str(tmp_path / db_name)
    config = CrawlConfig(db_path=db_path, sites=[p.with_base_url(server.base_url)], progress=False,
                         fetch=dataclasses.replace(TEST_FETCH, **(fetch or {})), **options)
    db = sqlite_utils.Database(db_path)
    summary = crawl(config, db=db, ingest=fake_ingest if config.ingest else None)
    return summary, db


def frontier(db: sqlite_utils.Database, kind: str = "article") -> dict[str, tuple[str, int, str | None]]:
    """{url path: (status, attempts, reason)} of the frontier's rows of ``kind``."""
    from urllib.parse import urlsplit
    rows = db.execute("SELECT url, status, attempts, reason FROM crawl_urls WHERE kind = ?", [kind]).fetchall()
    out = {}
    for url, status, attempts, reason in rows:
        parts = urlsplit(url)
        out[parts.path + ("?" + parts.query if parts.query else "")] = (status, attempts, reason)
    return out
