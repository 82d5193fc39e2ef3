"""The SQLite archive: open it, store an article with its facts, in one transaction.

The schema lives in schemas/archive.sql; this module applies it, records the schema version,
and writes facts so that storing the same article again leaves the same rows.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from dataclasses import dataclass, field
from importlib import resources
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from crawl.article import Article
from crawl.state import crawl_schema_sql
from extract.facts import ArticleFacts
from extract.version import EXTRACTOR_VERSION
from extract.gazetteer import provinces

SCHEMA_VERSION = 4


class ArchiveError(Exception):
    """The archive file cannot be used; the message says why and what to do."""


def schema_sql() -> str:
    return resources.files("schemas").joinpath("archive.sql").read_text(encoding="utf-8")


def schema_statements() -> list[str]:
    """schemas/archive.sql cut into its statements (a migration step runs the ones it needs)."""
    statements, current = [], ""
    for line in schema_sql().splitlines(keepends=True):
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """v2 computes the cluster_leaders view without correlated subqueries (8x faster at 10k articles);
    the view is dropped here and created anew from schemas/archive.sql."""
    conn.execute("DROP VIEW IF EXISTS cluster_leaders")


# version -> the step that upgrades an archive of that version to the next one. A schema change adds a
# step, bumps SCHEMA_VERSION, and keeps an archive of every released version in tests/fixtures under
# test; schemas/archive.sql always describes the newest version (its CREATE … IF NOT EXISTS statements
# then add what a step dropped or did not create).
def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """v3 adds cluster_leaders_table (created by schemas/archive.sql); until it is filled, readers use the view."""
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('leaders_fresh', '0')")


def _v3_to_v4(conn: sqlite3.Connection) -> None:
    """v4 replaces the one search table that kept its own copy of every text (exact and folded columns) by
    two token-only indexes over articles (exact and folded): the archive writes 2-3x faster and is smaller."""
    conn.execute("DROP TABLE IF EXISTS articles_fts")
    for statement in schema_statements():
        if "articles_fts" in statement.split("(", 1)[0]:   # the new search tables and their triggers
            conn.execute(statement)
    for fts in ("articles_fts", "articles_fts_fold"):
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def _migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Bring an archive from ``version`` to SCHEMA_VERSION, each step in its own transaction."""
    for v in range(version, SCHEMA_VERSION):
        step = MIGRATIONS.get(v)
        if step is None:
            raise ArchiveError(f"{path}: archive schema version {v} cannot be upgraded to {SCHEMA_VERSION} by this "
                               f"thidua; build a new archive (`thidua build PATH --db NEW.db`, or `thidua build "
                               f"--from-raw --db NEW.db --raw-dir {path}.raw` for a crawled archive)")
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(v + 1)])
            conn.execute("COMMIT")
        except Exception as exc:
            conn.execute("ROLLBACK")
            raise ArchiveError(f"{path}: upgrading the archive from schema version {v} to {v + 1} failed ({exc}); "
                               f"the archive is unchanged at version {v}") from exc


def open_db(path: str | Path, *, create: bool = True) -> sqlite_utils.Database:
    """Open (and if needed create) the archive at ``path``: WAL, busy timeout, schema applied, an
    archive of an older schema version migrated, a newer or foreign file refused with ArchiveError."""
    path = Path(path)
    if not create and not path.exists():
        raise ArchiveError(f"{path}: no such archive (build one with `thidua build PATH --db {path}`)")
    if path.exists() and path.is_dir():
        raise ArchiveError(f"{path}: is a directory, not an SQLite archive")
    if path.exists() and path.stat().st_size > 0:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise ArchiveError(f"{path}: not an SQLite database (is it the right file?)")
    conn = None
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        db = sqlite_utils.Database(conn)
        db.execute("PRAGMA busy_timeout=30000")
        schema_rows = db.execute("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')").fetchall()
        names = {name for name, kind in schema_rows if kind == "table"}
        if "meta" not in names and {"articles", "cluster_years"} <= names:
            # thidua's tables without a version: an archive from before schema versions
            raise ArchiveError(f"{path}: a thidua archive from before schema versions (version 0), which this "
                               f"thidua cannot upgrade; build a new archive (`thidua build PATH --db NEW.db`, or "
                               f"`thidua build --from-raw --db NEW.db --raw-dir {path}.raw` for a crawled archive)")
        if names and "meta" not in names:
            raise ArchiveError(f"{path}: an SQLite file, but not a thidua archive (tables: "
                               f"{', '.join(sorted(names)[:5])}); give --db a new file name")
        version = SCHEMA_VERSION
        if "meta" in names:
            row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row and str(row[0]).isdigit() else 0
            if version > SCHEMA_VERSION:
                raise ArchiveError(f"{path}: archive schema version {version} is newer than this thidua "
                                   f"(schema {SCHEMA_VERSION}); upgrade thidua (pip install -U thidua)")
        # only a file known to be ours is switched to WAL (a refused file is left byte for byte as it was)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA synchronous=NORMAL")
        if version < SCHEMA_VERSION:
            _migrate(conn, path, version)
        # the schema script also runs when an object of it is missing (a process killed between a migration's
        # last step and this script leaves the version new and the schema short)
        # (read before any migration step: an archive that needed none has the same schema now)
        short = (version == SCHEMA_VERSION and bool(names)
                 and not _SCHEMA_OBJECTS <= {name for name, _ in schema_rows})
        if create or version < SCHEMA_VERSION or not names or short:
            # one transaction: a process opening the file meanwhile sees no schema or all of it. The crawler's
            # tables come with it, so a first crawl does not change the schema under a running reader (whose
            # search table would then fail to open)
            db.conn.executescript("BEGIN IMMEDIATE;\n" + schema_sql() + "\n" + crawl_schema_sql())
            try:
                db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
                db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('created_at', ?)", [_now()])
                _seed_provinces(db)
                if short:   # search indexes made anew here: fill them from the articles
                    for fts in ("articles_fts", "articles_fts_fold"):
                        db.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return db
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise ArchiveError(f"{path}: cannot be read as an SQLite archive ({exc})") from exc
    except ArchiveError:
        if conn is not None:
            conn.close()
        raise


_SCHEMA_OBJECTS = {"articles", "articles_fts", "articles_fts_fold", "cluster_leaders", "cluster_leaders_table",
                   "crawl_urls", "meta"}


def refresh_leaders(db: sqlite_utils.Database) -> None:
    """Copy the cluster_leaders view into cluster_leaders_table and mark it fresh (one transaction)."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM cluster_leaders_table")
        conn.execute("INSERT INTO cluster_leaders_table SELECT * FROM cluster_leaders")
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('leaders_fresh', '1')")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def leaders_source(db: sqlite_utils.Database) -> str:
    """Where to read who led which cluster: the table when it is a fresh copy of the view, else the view."""
    row = db.execute("SELECT value FROM meta WHERE key = 'leaders_fresh'").fetchone()
    return "cluster_leaders_table" if row and row[0] == "1" else "cluster_leaders"


def checkpoint(db: sqlite_utils.Database) -> None:
    """Fold the write-ahead log into the main file (so a read-only, immutable reader sees every row)."""
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError:
        pass  # another connection is busy; the next writer will checkpoint


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _seed_provinces(db: sqlite_utils.Database) -> None:
    if db.execute("SELECT count(*) FROM provinces").fetchone()[0] == len(provinces()):
        return
    for p in provinces().values():
        db.execute("INSERT OR REPLACE INTO provinces(name, kind, name_2025, kind_2025) VALUES (?, ?, ?, ?)",
                   [p.name, p.kind, p.name_2025, p.kind_2025])


def _ids(db) -> dict:
    """Ids of dictionary rows (units, clusters, officials, slogans, awards), which are never deleted
    or renumbered, cached per connection; cleared when a transaction rolls back."""
    cache = getattr(db, "_thidua_ids", None)
    if cache is None:
        cache = db._thidua_ids = {}
    return cache


def _id(db, sql_select: str, sql_insert: str, params: list, *, cache: bool = True) -> int:
    k = (sql_select, *params)
    ids = _ids(db)
    if cache and k in ids:
        return ids[k]
    row = db.execute(sql_select, params).fetchone()
    value = row[0] if row else db.execute(sql_insert, params).lastrowid
    if cache:
        ids[k] = value
    return value


def _unit_level(label: str) -> str:
    for prefix, level in (("VKSND cấp cao", "cấp cao"), ("VKSND tối cao", "tối cao"), ("VKSQS", "quân sự"),
                          ("huyện ", "huyện"), ("quận ", "quận"), ("thị xã ", "thị xã"),
                          ("thành phố ", "thành phố"), ("khu vực ", "khu vực")):
        if label.startswith(prefix):
            return level
    return "tỉnh" if label in provinces() else "phòng"


def unit_id(db, label: str | None) -> int | None:
    if not label:
        return None
    ids = _ids(db)
    if ("unit", label) in ids:
        return ids[("unit", label)]
    level = _unit_level(label)
    province = label if level == "tỉnh" else None
    row = db.execute("SELECT id FROM units WHERE label = ?", [label]).fetchone()
    value = row[0] if row else db.execute("INSERT INTO units(label, level, province) VALUES (?, ?, ?)",
                                          [label, level, province]).lastrowid
    ids[("unit", label)] = value
    return value


def cluster_id(db, kind: str, number: int | None, parent: str | None) -> int:
    parent = parent or ""
    row = db.execute("SELECT id FROM clusters WHERE kind = ? AND ifnull(number, -1) = ifnull(?, -1) AND parent = ?",
                     [kind, number, parent]).fetchone()
    if row:
        return row[0]
    if not parent and number is not None:
        # an article that does not say who runs the cluster joins the one cluster of that number, if only one
        rows = db.execute("SELECT id FROM clusters WHERE kind = ? AND number = ?", [kind, number]).fetchall()
        if len(rows) == 1:
            return rows[0][0]
    return db.execute("INSERT INTO clusters(kind, number, parent) VALUES (?, ?, ?)", [kind, number, parent]).lastrowid


_FACT_TABLES = ("cluster_years", "memberships", "event_sources", "official_mentions", "slogan_mentions",
                "award_mentions", "date_mentions", "province_mentions")

# fact rows are collected for a whole batch and written with one executemany per table
_INSERT = {
    "cluster_years": "INSERT INTO cluster_years(article_id, cluster_id, year, leader_unit_id, deputy_unit_id, start, "
                     "\"end\", leader_start, leader_end, deputy_start, deputy_end) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "memberships": "INSERT INTO memberships(article_id, cluster_id, year, unit_id, start, \"end\") VALUES (?,?,?,?,?,?)",
    "official_mentions": "INSERT INTO official_mentions(article_id, official_id, title, unit_id, cluster_role, "
                         "cluster_id, year, start, \"end\") VALUES (?,?,?,?,?,?,?,?,?)",
    "slogan_mentions": "INSERT INTO slogan_mentions(article_id, slogan_id, year, start, \"end\") VALUES (?,?,?,?,?)",
    "award_mentions": "INSERT INTO award_mentions(article_id, award_id, year, start, \"end\") VALUES (?,?,?,?,?)",
    "date_mentions": "INSERT INTO date_mentions(article_id, date, start, \"end\") VALUES (?,?,?,?)",
    "province_mentions": "INSERT INTO province_mentions(article_id, province, start, \"end\") VALUES (?,?,?,?)",
    "event_sources": "INSERT OR REPLACE INTO event_sources(event_id, article_id, start, \"end\") VALUES (?,?,?,?)",
}
_ARTICLE_COLUMNS = ("url", "site", "title", "lead", "published", "author", "body", "raw_sha256", "text_sha256",
                    "emulation_year", "fetched_at", "extracted_at", "extractor_version")


def store(db: sqlite_utils.Database, article: Article, facts: ArticleFacts, *, body: str,
          raw_sha256: str | None = None, fetched_at: str | None = None) -> int:
    """Upsert ``article`` and replace its facts, all in one transaction. Returns the article id."""
    return store_many(db, [(article, facts, body, raw_sha256, fetched_at)])[0]


def store_many(db: sqlite_utils.Database, items: list[tuple]) -> list[int]:
    """Store several (article, facts, body, raw_sha256, fetched_at) in one transaction (a build writes
    in batches: one commit per batch, not per article). Each article's facts are replaced whole; if
    anything fails, nothing of the batch is written."""
    for article, *_ in items:
        if not article.url:
            raise ValueError("an article needs a url (or file:<path>) to be stored")
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        batch = _Batch(extracted_at=_now())
        ids = [_store_one(db, batch, *item) for item in items]
        for table, rows in batch.rows.items():
            conn.executemany(_INSERT[table], rows)
        for eid in batch.old_events:  # an event no article reports any more is gone
            conn.execute("DELETE FROM events WHERE id = ? AND NOT EXISTS (SELECT 1 FROM event_sources WHERE "
                         "event_id = ?)", [eid, eid])
        _index(conn, batch.new_ids)  # the new articles at once (an updated one: by trigger)
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('leaders_fresh', '0')")
        conn.execute("COMMIT")
        return ids
    except BaseException:
        try:
            if conn.in_transaction:  # SQLite may have rolled back already (a full disk)
                conn.execute("ROLLBACK")
        finally:
            _ids(db).clear()    # ids inserted in this batch are gone
        raise


def _index(conn: sqlite3.Connection, ids: list[int]) -> None:
    """Add the articles ``ids`` to both search indexes (one statement per index: far cheaper than a
    row at a time)."""
    if ids:
        listed = ",".join(str(int(i)) for i in ids)
        for fts in ("articles_fts", "articles_fts_fold"):
            conn.execute(f"INSERT INTO {fts}(rowid, title, body) SELECT id, title, body FROM articles "
                         f"WHERE id IN ({listed})")


@dataclass
class _Batch:
    """What store_many() writes at the end of its transaction."""
    extracted_at: str
    rows: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t in _INSERT})
    new_ids: list[int] = field(default_factory=list)
    old_events: list[int] = field(default_factory=list)


def _store_one(db, batch: _Batch, article: Article, facts: ArticleFacts, body: str, raw_sha256: str | None,
               fetched_at: str | None) -> int:
    conn = db.conn
    url = article.url
    values = (url, article.site, article.title, article.lead, article.published, article.author, body, raw_sha256,
              hashlib.sha256(body.encode("utf-8")).hexdigest(), facts.year, fetched_at, batch.extracted_at,
              EXTRACTOR_VERSION)
    row = conn.execute("SELECT id FROM articles WHERE url = ?", [url]).fetchone()
    if row:
        aid = row[0]
        if aid in batch.new_ids:  # inserted earlier in this batch: indexed now, so the update trigger finds it
            batch.new_ids.remove(aid)
            _index(conn, [aid])
        cols = ", ".join(f"{k} = ?" for k in _ARTICLE_COLUMNS[1:])
        conn.execute(f"UPDATE articles SET {cols} WHERE id = ?", [*values[1:], aid])
        batch.old_events += [r[0] for r in conn.execute("SELECT event_id FROM event_sources WHERE article_id = ?",
                                                        [aid])]
        for t in _FACT_TABLES:
            conn.execute(f"DELETE FROM {t} WHERE article_id = ?", [aid])
        # an article stored twice in one batch: its first facts are not written either
        for t, rows in batch.rows.items():
            key = 1 if t == "event_sources" else 0
            if t == "event_sources":
                batch.old_events += [r[0] for r in rows if r[1] == aid]
            rows[:] = [r for r in rows if r[key] != aid]
    else:
        aid = conn.execute(f"INSERT INTO articles({', '.join(_ARTICLE_COLUMNS)}) "
                           f"VALUES ({', '.join('?' * len(values))})", values).lastrowid
        batch.new_ids.append(aid)
    _store_facts(db, batch.rows, aid, facts)
    return aid


def _store_facts(db, rows: dict[str, list[tuple]], aid: int, facts: ArticleFacts) -> None:
    cids = {}
    for c in facts.clusters:
        cid = cluster_id(db, c.kind, c.number, c.parent)
        cids[(c.kind, c.number, c.year)] = cid
        ev, le, de = c.evidence, c.leader_evidence, c.deputy_evidence
        rows["cluster_years"].append(
            (aid, cid, c.year, unit_id(db, c.leader), unit_id(db, c.deputy), ev and ev.start, ev and ev.end,
             le and le.start, le and le.end, de and de.start, de and de.end))
        for m in c.members:
            sp = c.member_evidence.get(m)
            rows["memberships"].append((aid, cid, c.year, unit_id(db, m), sp and sp.start, sp and sp.end))
    for o in facts.officials:
        oid = _id(db, "SELECT id FROM officials WHERE name = ?", "INSERT INTO officials(name) VALUES (?)", [o.name])
        cl = None
        if o.cluster_role and o.unit:
            cl = next((c for c in facts.clusters if o.unit in (c.leader, c.deputy)), None)
        rows["official_mentions"].append(
            (aid, oid, o.title, unit_id(db, o.unit), o.cluster_role, cids.get(cl.key) if cl else None,
             cl.year if cl else facts.year, o.evidence and o.evidence.start, o.evidence and o.evidence.end))
    for m in facts.slogans:
        sid = _id(db, "SELECT id FROM slogans WHERE text = ?", "INSERT INTO slogans(text) VALUES (?)", [m.value])
        rows["slogan_mentions"].append((aid, sid, facts.year, m.evidence.start, m.evidence.end))
    for m in facts.awards:
        wid = _id(db, "SELECT id FROM awards WHERE title = ?", "INSERT INTO awards(title) VALUES (?)", [m.value])
        rows["award_mentions"].append((aid, wid, facts.year, m.evidence.start, m.evidence.end))
    rows["date_mentions"] += [(aid, m.value, m.evidence.start, m.evidence.end) for m in facts.dates]
    rows["province_mentions"] += [(aid, m.value, m.evidence.start, m.evidence.end) for m in facts.provinces]
    e = facts.event
    if e is not None and (e.type or e.date or e.host):
        main = facts.clusters[0] if facts.clusters else None
        key = "|".join([e.type or "", e.date or str(facts.year or ""),
                        f"{main.kind}{main.number}" if main else "", e.host or ""])
        eid = _id(db, "SELECT id FROM events WHERE event_key = ?", "INSERT INTO events(event_key) VALUES (?)", [key],
                  cache=False)  # events without sources are deleted
        db.conn.execute("UPDATE events SET type = ?, date = ?, year = ?, host_unit_id = ?, cluster_id = ? WHERE id = ?",
                        [e.type, e.date, int(e.date[:4]) if e.date else facts.year, unit_id(db, e.host),
                         cids.get(main.key) if main else None, eid])
        rows["event_sources"].append((eid, aid, e.evidence and e.evidence.start, e.evidence and e.evidence.end))
