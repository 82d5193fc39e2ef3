"""The crawl frontier and fetch state, in the archive's SQLite file (DDL: schemas/crawl.sql).

Every function that changes state runs one short transaction, so a crawler killed at any moment
loses at most the request in flight, and nothing is recorded twice (URLs are primary keys).
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

import sqlite_utils

ARTICLE, LISTING, SITEMAP, FEED = "article", "listing", "sitemap", "feed"
QUEUED, FETCHED, DONE, FAILED, SKIPPED = "queued", "fetched", "done", "failed", "skipped"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def crawl_schema_sql() -> str:
    """The DDL of the crawl state tables (schemas/crawl.sql)."""
    try:
        return resources.files("schemas").joinpath("crawl.sql").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return (Path(__file__).resolve().parent.parent / "schemas" / "crawl.sql").read_text(encoding="utf-8")


def configure(db: sqlite_utils.Database, *, pragmas: bool = True) -> None:
    """The crawl tables; with ``pragmas``, also WAL journal and a 5 s busy timeout (skip them
    for a connection whose opener already chose its own, like ``thidua.archive.open_db``)."""
    if pragmas:
        db.execute("PRAGMA busy_timeout = 5000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    db.conn.executescript(crawl_schema_sql())


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """One short write transaction (BEGIN IMMEDIATE ... COMMIT), whatever the connection's
    isolation level; joins a transaction already open."""
    conn = db.conn
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def open_state(path: str | Path) -> sqlite_utils.Database:
    """Open (creating) the SQLite file with the crawl tables only (no archive schema)."""
    db = sqlite_utils.Database(str(path))
    configure(db)
    return db


@dataclass
class UrlRow:
    url: str
    site: str
    kind: str
    status: str
    attempts: int = 0
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    content_type: str | None = None
    hint_published: str | None = None
    fetched_at: str | None = None
    section: str | None = None
    reason: str | None = None

    @property
    def refreshing(self) -> bool:
        """Queued again by --refresh (it was in the archive): validate it, don't re-ingest the same body."""
        return self.reason == REFRESH


REFRESH = "refresh"
_ROW_COLUMNS = ("url, site, kind, status, attempts, etag, last_modified, sha256, content_type, hint_published,"
                " fetched_at, section, reason")


def _row(values: tuple) -> UrlRow:
    return UrlRow(*values)


def get(db: sqlite_utils.Database, url: str) -> UrlRow | None:
    cur = db.execute(f"SELECT {_ROW_COLUMNS} FROM crawl_urls WHERE url = ?", [url])
    values = cur.fetchone()
    return _row(values) if values else None


def known(db: sqlite_utils.Database, urls: Iterable[str]) -> set[str]:
    """Which of ``urls`` are already in the frontier (in any state)."""
    urls = list(dict.fromkeys(urls))
    found: set[str] = set()
    for i in range(0, len(urls), 500):
        chunk = urls[i:i + 500]
        cur = db.execute(f"SELECT url FROM crawl_urls WHERE url IN ({','.join('?' * len(chunk))})", chunk)
        found.update(r[0] for r in cur.fetchall())
    return found


def add(db: sqlite_utils.Database, entries: Iterable[tuple[str, str | None]], *, site: str, kind: str,
        section: str | None, run_id: int | None) -> list[str]:
    """Queue (url, hint_published) pairs not yet known; return the URLs that were new."""
    stamp = now_iso()
    new: list[str] = []
    with transaction(db) as conn:
        for url, hint in entries:
            cur = conn.execute(
                "INSERT OR IGNORE INTO crawl_urls (url, site, kind, status, section, hint_published, discovered_at, run_id)"
                " VALUES (?, ?, ?, 'queued', ?, ?, ?, ?)",
                [url, site, kind, section, hint, stamp, run_id])
            if cur.rowcount:
                new.append(url)
    return new


def ensure(db: sqlite_utils.Database, url: str, *, site: str, kind: str, section: str | None,
           run_id: int | None) -> UrlRow:
    """The row of a discovery URL (listing page, sitemap, feed), created if needed."""
    add(db, [(url, None)], site=site, kind=kind, section=section, run_id=run_id)
    row = get(db, url)
    assert row is not None
    return row


def update(db: sqlite_utils.Database, url: str, **fields: object) -> None:
    """Set columns of one URL's row in one transaction."""
    if not fields:
        return
    cols = ", ".join(f"{k} = ?" for k in fields)
    with transaction(db) as conn:
        conn.execute(f"UPDATE crawl_urls SET {cols} WHERE url = ?", [*fields.values(), url])


def mark_done(db: sqlite_utils.Database, pages: Iterable[tuple[str, str | None]]) -> None:
    """Mark article pages (url, published) as in the archive, all in one transaction."""
    with transaction(db) as conn:
        conn.executemany("UPDATE crawl_urls SET status = ?, published = ? WHERE url = ?",
                         [(DONE, published, url) for url, published in pages])


def count_attempt(db: sqlite_utils.Database, url: str) -> int:
    """Record that a request for ``url`` is about to be made; return the attempts so far."""
    with transaction(db) as conn:
        conn.execute("UPDATE crawl_urls SET attempts = attempts + 1 WHERE url = ?", [url])
    cur = db.execute("SELECT attempts FROM crawl_urls WHERE url = ?", [url])
    row = cur.fetchone()
    return int(row[0]) if row else 0


def next_queued(db: sqlite_utils.Database, sites: Iterable[str], *, exclude: Iterable[str] = (),
                limit: int = 50) -> list[UrlRow]:
    """Queued articles of ``sites``, oldest discovered first (``exclude``: ones being worked on)."""
    sites = list(sites)
    exclude = list(exclude)
    sql = (f"SELECT {_ROW_COLUMNS} FROM crawl_urls WHERE kind = 'article' AND status = 'queued'"
           f" AND site IN ({','.join('?' * len(sites))})")
    params: list[object] = [*sites]
    if exclude:
        sql += f" AND url NOT IN ({','.join('?' * len(exclude))})"
        params += exclude
    sql += " ORDER BY rowid LIMIT ?"
    params.append(limit)
    return [_row(r) for r in db.execute(sql, params).fetchall()]


def pending_ingest(db: sqlite_utils.Database, sites: Iterable[str]) -> list[UrlRow]:
    """Articles fetched (raw body stored) but not yet in the archive: a run was killed in between."""
    sites = list(sites)
    sql = (f"SELECT {_ROW_COLUMNS} FROM crawl_urls WHERE kind = 'article' AND status = 'fetched'"
           f" AND site IN ({','.join('?' * len(sites))}) ORDER BY rowid")
    return [_row(r) for r in db.execute(sql, sites).fetchall()]


def requeue(db: sqlite_utils.Database, sites: Iterable[str], *, statuses: Iterable[str],
            max_attempts: int | None = None, reason: str | None = None) -> int:
    """Put articles in ``statuses`` back in the queue (failed ones under ``max_attempts``);
    ``reason`` (else the old one is kept) says why: ``REFRESH`` for --refresh."""
    sites, statuses = list(sites), list(statuses)
    sql = (f"UPDATE crawl_urls SET status = 'queued', reason = coalesce(?, reason) WHERE kind = 'article'"
           f" AND site IN ({','.join('?' * len(sites))}) AND status IN ({','.join('?' * len(statuses))})")
    params: list[object] = [reason, *sites, *statuses]
    if max_attempts is not None:
        sql += " AND attempts < ?"
        params.append(max_attempts)
    with transaction(db) as conn:
        return conn.execute(sql, params).rowcount


def counts(db: sqlite_utils.Database, site: str | None = None) -> dict[tuple[str, str], int]:
    """{(kind, status): n} over the frontier (of one site)."""
    sql = "SELECT kind, status, count(*) FROM crawl_urls"
    params: list[object] = []
    if site:
        sql += " WHERE site = ?"
        params.append(site)
    sql += " GROUP BY kind, status"
    return {(k, s): n for k, s, n in db.execute(sql, params).fetchall()}


@dataclass
class SectionState:
    complete: bool = False
    next_page: int = 1
    head_page: int | None = None


def section_state(db: sqlite_utils.Database, site: str, section: str) -> SectionState:
    cur = db.execute("SELECT complete, next_page, head_page FROM crawl_sections WHERE site = ? AND section = ?",
                     [site, section])
    row = cur.fetchone()
    return SectionState(bool(row[0]), int(row[1]), row[2]) if row else SectionState()


def save_section(db: sqlite_utils.Database, site: str, section: str, st: SectionState) -> None:
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO crawl_sections (site, section, complete, next_page, head_page, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site, section) DO UPDATE SET complete = excluded.complete,"
            " next_page = excluded.next_page, head_page = excluded.head_page, updated_at = excluded.updated_at",
            [site, section, int(st.complete), st.next_page, st.head_page, now_iso()])


def start_run(db: sqlite_utils.Database, sites: Iterable[str], options: dict[str, object]) -> int:
    with transaction(db) as conn:
        cur = conn.execute("INSERT INTO crawl_runs (started_at, sites, options) VALUES (?, ?, ?)",
                              [now_iso(), " ".join(sites), json.dumps(options, default=str, ensure_ascii=False)])
    return int(cur.lastrowid or 0)


def finish_run(db: sqlite_utils.Database, run_id: int, *, requests: int, new_articles: int, errors: int,
               outcome: str) -> None:
    with transaction(db) as conn:
        conn.execute(
            "UPDATE crawl_runs SET finished_at = ?, requests = ?, new_articles = ?, errors = ?, outcome = ? WHERE id = ?",
            [now_iso(), requests, new_articles, errors, outcome, run_id])


def fetched_pages(db: sqlite_utils.Database, sites: Iterable[str] | None = None) -> list[UrlRow]:
    """Article pages with a stored raw body (done or fetched, and those skipped for having no
    text: tomorrow's parser may find some), for re-extraction without fetching."""
    sql = (f"SELECT {_ROW_COLUMNS} FROM crawl_urls WHERE kind = 'article' AND sha256 IS NOT NULL"
           " AND (status IN ('done', 'fetched') OR (status = 'skipped' AND reason LIKE 'no article text%'))")
    params: list[object] = []
    if sites:
        sites = list(sites)
        sql += f" AND site IN ({','.join('?' * len(sites))})"
        params += sites
    try:
        return [_row(r) for r in db.execute(sql + " ORDER BY rowid", params).fetchall()]
    except sqlite3.OperationalError:  # no crawl tables in this file
        return []
