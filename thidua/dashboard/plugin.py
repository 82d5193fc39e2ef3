"""The dashboard's Datasette plugin, registered in-process by ``thidua serve``.

* ``thidua_fts_table(text)`` and ``thidua_fts_match(text)``: SQL functions that turn the words a user
  typed into the search table and FTS5 MATCH expression of :func:`thidua.queries.fts_query`
  (diacritics → articles_fts, none → articles_fts_fold);
* ``render_cell``: ``article_id`` / ``article_ids`` become links to the article page, with the
  evidence span (``start``/``end`` of the same row) highlighted;
* routes ``/-/thidua/article/<id>`` (the article, escaped, with the evidence marked and all its
  facts) and ``/-/thidua/charts`` (leadership timeline, articles per month: inline SVG, no CDN).
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from datasette import Response, hookimpl
from markupsafe import Markup

from ..queries import fts_query
from .metadata import DB_NAME, FACTS_SQL

SENTENCE_END = re.compile(r"[.!?…;\n]")


def _fts(text, part: int):
    """The search table (part 0) or MATCH expression (part 1) of ``thidua search``; no table and an
    empty phrase (matches nothing) for no words."""
    try:
        return fts_query(str(text or ""))[part]
    except ValueError:      # an empty search box, or no word characters at all
        return ("", '""')[part]


@hookimpl
def prepare_connection(conn):
    conn.create_function("thidua_fts_table", 1, lambda text: _fts(text, 0), deterministic=True)
    conn.create_function("thidua_fts_match", 1, lambda text: _fts(text, 1), deterministic=True)


def article_url(article_id, start=None, end=None) -> str:
    url = f"/-/thidua/article/{int(article_id)}"
    if start is not None and end is not None:
        url += "?" + urlencode({"start": int(start), "end": int(end)}) + "#evidence"
    return url


@hookimpl
def render_cell(row, value, column, table, database):
    if database != DB_NAME or value in (None, ""):
        return None
    if column == "article_id" or (column == "id" and table == "articles"):
        keys = row.keys() if hasattr(row, "keys") else []
        start = row["start"] if "start" in keys else None
        end = row["end"] if "end" in keys else None
        try:
            href = article_url(value, start, end)
        except (TypeError, ValueError):
            return None
        return Markup('<a class="thidua-article" href="{}">{}</a>').format(href, value)
    if column == "article_ids":
        links = [Markup('<a class="thidua-article" href="{}">{}</a>').format(article_url(v), v)
                 for v in str(value).split(",") if v.strip().isdigit()]
        return Markup(", ").join(links) if links else None
    return None


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path("/-/thidua/charts"), "label": "Biểu đồ / Charts"},
            {"href": datasette.urls.path(f"/{DB_NAME}/leaders"), "label": "Cụm trưởng / Leaders"},
            {"href": datasette.urls.path(f"/{DB_NAME}/search"), "label": "Tìm kiếm / Search"}]


def _sentence_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to the sentence(s) around it."""
    s = start
    while s > 0 and not SENTENCE_END.match(body[s - 1]):
        s -= 1
    e = end
    while e < len(body) and not SENTENCE_END.match(body[e]):
        e += 1
    if e < len(body) and body[e] != "\n":
        e += 1
    return s, e


def _int(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


async def article_page(datasette, request):
    article_id = _int(request.url_vars["id"])
    db = datasette.get_database(DB_NAME)
    rows = (await db.execute("SELECT id, url, site, title, lead, published, author, emulation_year, body "
                             "FROM articles WHERE id = ?", [article_id])).rows
    if not rows:
        return Response.html("<h1>404</h1><p>Không có bài này / no such article</p>", status=404)
    art = dict(rows[0])
    body = art["body"]
    start, end = _int(request.args.get("start")), _int(request.args.get("end"))
    evidence = None
    if start is not None and end is not None and 0 <= start <= end <= len(body):
        s, e = _sentence_bounds(body, start, end)
        evidence = {"start": start, "end": end, "text": body[start:end], "sentence": body[s:e].strip(),
                    "before": body[:start], "after": body[end:]}
    facts = (await db.execute(
        f"SELECT fact, subject, year, start, \"end\" FROM ({FACTS_SQL}) WHERE article_id = ? "
        "AND start IS NOT NULL ORDER BY start, fact", [article_id])).rows
    facts = [dict(f, text=body[f["start"]:f["end"]], href=article_url(article_id, f["start"], f["end"]))
             for f in facts]
    return Response.html(await datasette.render_template(
        "thidua_article.html", {"article": art, "evidence": evidence, "facts": facts, "db_name": DB_NAME},
        request=request))


async def charts_page(datasette, request):
    return Response.html(await datasette.render_template(
        "thidua_charts.html", {"db_name": DB_NAME, "db_path": datasette.urls.database(DB_NAME)}, request=request))


@hookimpl
def register_routes():
    return [(r"^/-/thidua/article/(?P<id>\d+)$", article_page),
            (r"^/-/thidua/charts$", charts_page)]
