"""Questions the archive answers; the CLI and the dashboard both ask through these functions."""
from __future__ import annotations

import re
import unicodedata

import sqlite_utils

from extract.normalize import fold

LEADER_COLUMNS = ["kind", "number", "parent", "year", "leader_unit", "deputy_unit", "leader_person", "sources",
                  "conflict", "leader_claims", "deputy_claims"]


def leaders(db: sqlite_utils.Database, *, kind: str | None = None, cluster: int | None = None,
            year: int | None = None, parent: str | None = None) -> list[dict]:
    """Who led which cluster in which year (view ``cluster_leaders``), one row per cluster and year."""
    where, params = [], []
    if kind:
        where.append("kind = ?"); params.append(kind)
    if cluster is not None:
        where.append("number = ?"); params.append(cluster)
    if year is not None:
        where.append("year = ?"); params.append(year)
    if parent:
        where.append("parent LIKE ?"); params.append(f"%{parent}%")
    from .archive import leaders_source
    sql = f"SELECT {', '.join(LEADER_COLUMNS)} FROM {leaders_source(db)}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY year, kind, parent, number"
    rows = [dict(zip(LEADER_COLUMNS, r)) for r in db.execute(sql, params).fetchall()]
    for r in rows:
        r["conflict"] = bool(r["conflict"])
    return rows


def members(db: sqlite_utils.Database, *, kind: str | None = None, cluster: int | None = None,
            year: int | None = None) -> list[dict]:
    """Members of clusters by year, with how many articles name each."""
    where, params = [], []
    for col, val in (("c.kind", kind), ("c.number", cluster), ("m.year", year)):
        if val is not None:
            where.append(f"{col} = ?"); params.append(val)
    sql = ("SELECT c.kind, c.number, c.parent, m.year, u.label AS unit, count(DISTINCT m.article_id) AS sources "
           "FROM memberships m JOIN clusters c ON c.id = m.cluster_id JOIN units u ON u.id = m.unit_id")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " GROUP BY c.id, m.year, u.id ORDER BY m.year, c.kind, c.number, u.label"
    cols = ["kind", "number", "parent", "year", "unit", "sources"]
    return [dict(zip(cols, r)) for r in db.execute(sql, params).fetchall()]


def _has_diacritics(words: list[str]) -> bool:
    return any(fold(w) != w.casefold() for w in words)


# a folded word asks for đ in place of each of its first _MAX_D d's ("tdkt": TĐKT, "hdnd": HĐND, "dong": Đồng)
_MAX_D = 3


def _spellings(word: str) -> list[str]:
    """The spellings of a folded word in the folded index, which keeps "đ" apart from "d"."""
    out = [""]
    seen_d = 0
    for ch in word:
        if ch == "d" and seen_d < _MAX_D:
            seen_d += 1
            out = [w + c for w in out for c in ("d", "đ")]
        else:
            out = [w + ch for w in out]
    return out


def fts_query(text: str) -> tuple[str, str]:
    """(search table, MATCH expression) for a user's words, all of which must occur. Typed with
    diacritics: articles_fts, where "thể" never finds "thế"; typed without: articles_fts_fold, where
    "Ha Noi" finds "Hà Nội". That index keeps "đ" (SQLite strips marks, and đ is a letter of its
    own), so a word typed with a d also asks for đ there ("dong" → Đồng, "tdkt" → TĐKT)."""
    words = re.findall(r"\w+", unicodedata.normalize("NFC", text))
    if not words:
        raise ValueError("the search needs at least one word")
    if _has_diacritics(words):
        return "articles_fts", " ".join(f'"{w}"' for w in words)
    terms = []
    for w in (fold(w) for w in words):
        spellings = _spellings(w)
        terms.append("(" + " OR ".join(f'"{v}"' for v in spellings) + ")" if len(spellings) > 1 else f'"{w}"')
    return "articles_fts_fold", " AND ".join(terms)


def search(db: sqlite_utils.Database, text: str, *, limit: int = 20) -> list[dict]:
    """Articles with all the words, best first, each with a snippet of its best column."""
    table, match = fts_query(text)
    sql = (f"SELECT a.id, a.url, a.title, a.published, snippet({table}, -1, '[', ']', '…', 12) AS snippet "
           f"FROM {table} JOIN articles a ON a.id = {table}.rowid WHERE {table} MATCH ? ORDER BY rank LIMIT ?")
    cols = ["id", "url", "title", "published", "snippet"]
    return [dict(zip(cols, r)) for r in db.execute(sql, [match, limit]).fetchall()]
