"""A stand-in for thidua.pipeline.ingest used by crawler tests: one upsert per article URL,
one transaction, idempotent by URL (the contract of the real one), plus a call log."""
from __future__ import annotations

import sqlite_utils

from crawl.article import Article


def fake_ingest(db: sqlite_utils.Database, article: Article, *, raw_sha256: str, fetched_at: str) -> None:
    with db.conn:
        db.conn.execute(
            "CREATE TABLE IF NOT EXISTS test_articles (url TEXT PRIMARY KEY, site TEXT, title TEXT, "
            "published TEXT, text TEXT, raw_sha256 TEXT, fetched_at TEXT)")
        db.conn.execute("CREATE TABLE IF NOT EXISTS test_ingest_log (url TEXT)")
        db.conn.execute(
            "INSERT INTO test_articles VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
            "title = excluded.title, text = excluded.text, raw_sha256 = excluded.raw_sha256, fetched_at = excluded.fetched_at",
            [article.url, article.site, article.title, article.published, article.text(), raw_sha256, fetched_at])
        db.conn.execute("INSERT INTO test_ingest_log VALUES (?)", [article.url])


def articles(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(url, title) of the ingested articles; [] when none."""
    if "test_articles" not in db.table_names():
        return []
    return [(r[0], r[1]) for r in db.execute("SELECT url, title FROM test_articles ORDER BY url").fetchall()]
