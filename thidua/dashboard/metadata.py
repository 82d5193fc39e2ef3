"""Datasette metadata for a thidua archive: titles, descriptions (Vietnamese / English), column
notes, facets, source and licence, and the canned queries the dashboard offers.

Every canned query that returns facts keeps ``article_id``, ``start`` and ``end`` (the evidence
span in ``articles.body``) and an ``evidence`` column with the exact text; the dashboard renders
``article_id`` as a link to the article page with that span highlighted.
"""
from __future__ import annotations

from ..queries import LEADER_COLUMNS

DB_NAME = "archive"          # the Datasette database name: URLs are /archive/<table or query>
CONTEXT_CHARS = 90           # characters of context on each side of an evidence span


def evidence_sql(a: str = "a", f: str = "f") -> str:
    """SQL columns: the evidence text of fact alias ``f`` in article alias ``a``, and its context."""
    s, e = f"{f}.start", f'{f}."end"'
    return (f"substr({a}.body, {s} + 1, {e} - {s}) AS evidence, "
            f"(CASE WHEN {s} > {CONTEXT_CHARS} THEN '…' ELSE '' END) || "
            f"substr({a}.body, max(1, {s} + 1 - {CONTEXT_CHARS}), min({s}, {CONTEXT_CHARS}) + {e} - {s} + {CONTEXT_CHARS})"
            f" || (CASE WHEN length({a}.body) > {e} + {CONTEXT_CHARS} THEN '…' ELSE '' END) AS context")


def _opt(column: str, param: str, *, integer: bool = False, like: bool = False) -> str:
    """A filter that is off while the form field is empty."""
    if like:
        return f"(:{param} = '' OR {column} LIKE '%' || :{param} || '%')"
    value = f"CAST(:{param} AS INTEGER)" if integer else f":{param}"
    return f"(:{param} = '' OR {column} = {value})"


LEADERS_SQL = (
    f"SELECT {', '.join(LEADER_COLUMNS)}, article_ids FROM cluster_leaders\n"
    f"WHERE {_opt('kind', 'kind')} AND {_opt('number', 'cluster', integer=True)}\n"
    f"  AND {_opt('year', 'year', integer=True)} AND {_opt('parent', 'parent', like=True)}\n"
    "ORDER BY year, kind, parent, number"
)

MEMBERS_SQL = (
    "SELECT c.kind, c.number, c.parent, f.year, u.label AS unit, u.province, a.published,\n"
    "       f.article_id, f.start, f.\"end\", " + evidence_sql() + ", a.title AS article_title\n"
    "FROM memberships f JOIN clusters c ON c.id = f.cluster_id JOIN units u ON u.id = f.unit_id\n"
    "JOIN articles a ON a.id = f.article_id\n"
    f"WHERE {_opt('c.kind', 'kind')} AND {_opt('c.number', 'cluster', integer=True)} "
    f"AND {_opt('f.year', 'year', integer=True)}\n"
    "ORDER BY f.year, c.kind, c.parent, c.number, u.label, f.article_id"
)

OFFICIALS_SQL = (
    "SELECT o.name, f.title AS position, u.label AS unit, f.cluster_role, c.kind AS cluster_kind,\n"
    "       c.number AS cluster_number, f.year, a.published,\n"
    "       f.article_id, f.start, f.\"end\", " + evidence_sql() + ", a.title AS article_title\n"
    "FROM official_mentions f JOIN officials o ON o.id = f.official_id JOIN articles a ON a.id = f.article_id\n"
    "LEFT JOIN units u ON u.id = f.unit_id LEFT JOIN clusters c ON c.id = f.cluster_id\n"
    f"WHERE {_opt('o.name', 'name', like=True)}\n"
    "ORDER BY o.name, coalesce(a.published, ''), f.year, f.start"
)

AWARDS_SQL = (
    "SELECT f.year, aw.title AS award, a.title AS article_title, a.published,\n"
    "       f.article_id, f.start, f.\"end\", " + evidence_sql() + "\n"
    "FROM award_mentions f JOIN awards aw ON aw.id = f.award_id JOIN articles a ON a.id = f.article_id\n"
    f"WHERE {_opt('f.year', 'year', integer=True)} AND {_opt('aw.title', 'award', like=True)}\n"
    "ORDER BY f.year, aw.title, f.article_id, f.start"
)

SLOGANS_SQL = (
    "SELECT s.text AS slogan, f.year, count(*) AS mentions, count(DISTINCT f.article_id) AS articles,\n"
    "       group_concat(DISTINCT f.article_id) AS article_ids\n"
    "FROM slogan_mentions f JOIN slogans s ON s.id = f.slogan_id\n"
    f"WHERE {_opt('f.year', 'year', integer=True)}\n"
    "GROUP BY s.id, f.year ORDER BY f.year, mentions DESC, s.text"
)

SLOGAN_MENTIONS_SQL = (
    "SELECT s.text AS slogan, f.year, a.published, f.article_id, f.start, f.\"end\", " + evidence_sql() + "\n"
    "FROM slogan_mentions f JOIN slogans s ON s.id = f.slogan_id JOIN articles a ON a.id = f.article_id\n"
    f"WHERE {_opt('s.text', 'slogan', like=True)} AND {_opt('f.year', 'year', integer=True)}\n"
    "ORDER BY f.year, s.text, f.article_id, f.start"
)

def _search_branch(table: str) -> str:
    # each search table answers only the queries meant for it (a constant test, checked before any lookup),
    # and cuts its snippets for its 50 best hits only (not for every hit before the outer ORDER BY)
    return (f"  SELECT * FROM (SELECT rowid, rank, snippet({table}, -1, '[', ']', '…', 12) AS snippet FROM {table}\n"
            f"  WHERE thidua_fts_table(:q) = '{table}' AND {table} MATCH thidua_fts_match(:q)\n"
            f"  ORDER BY rank LIMIT 50)\n")


SEARCH_SQL = (
    "SELECT a.id AS article_id, a.published, a.site, a.title, s.snippet, a.url\n"
    "FROM (\n" + _search_branch("articles_fts") + "  UNION ALL\n" + _search_branch("articles_fts_fold") +
    ") s JOIN articles a ON a.id = s.rowid\n"
    "ORDER BY s.rank LIMIT 50"
)

EVIDENCE_SQL = (
    "SELECT a.id AS article_id, a.title, a.published, a.url, CAST(:start AS INTEGER) AS start, CAST(:end AS INTEGER) AS \"end\",\n"
    "       substr(a.body, CAST(:start AS INTEGER) + 1, CAST(:end AS INTEGER) - CAST(:start AS INTEGER)) AS evidence,\n"
    f"       substr(a.body, max(1, CAST(:start AS INTEGER) + 1 - {CONTEXT_CHARS}),\n"
    f"              CAST(:end AS INTEGER) - max(0, CAST(:start AS INTEGER) - {CONTEXT_CHARS}) + {CONTEXT_CHARS}) AS context\n"
    "FROM articles a WHERE a.id = CAST(:article_id AS INTEGER)"
)

FACTS_SQL = (
    "SELECT 'cluster' AS fact, c.kind || ' ' || ifnull(c.number, '') AS subject, f.year, f.article_id, f.start, f.\"end\"\n"
    "  FROM cluster_years f JOIN clusters c ON c.id = f.cluster_id\n"
    "UNION ALL SELECT 'leader', lu.label, f.year, f.article_id, f.leader_start, f.leader_end\n"
    "  FROM cluster_years f JOIN units lu ON lu.id = f.leader_unit_id WHERE f.leader_start IS NOT NULL\n"
    "UNION ALL SELECT 'deputy', du.label, f.year, f.article_id, f.deputy_start, f.deputy_end\n"
    "  FROM cluster_years f JOIN units du ON du.id = f.deputy_unit_id WHERE f.deputy_start IS NOT NULL\n"
    "UNION ALL SELECT 'member', u.label, f.year, f.article_id, f.start, f.\"end\"\n"
    "  FROM memberships f JOIN units u ON u.id = f.unit_id\n"
    "UNION ALL SELECT 'official', o.name || ' — ' || ifnull(f.title, ''), f.year, f.article_id, f.start, f.\"end\"\n"
    "  FROM official_mentions f JOIN officials o ON o.id = f.official_id\n"
    "UNION ALL SELECT 'award', aw.title, f.year, f.article_id, f.start, f.\"end\"\n"
    "  FROM award_mentions f JOIN awards aw ON aw.id = f.award_id\n"
    "UNION ALL SELECT 'slogan', s.text, f.year, f.article_id, f.start, f.\"end\"\n"
    "  FROM slogan_mentions f JOIN slogans s ON s.id = f.slogan_id\n"
    "UNION ALL SELECT 'date', f.date, NULL, f.article_id, f.start, f.\"end\" FROM date_mentions f\n"
    "UNION ALL SELECT 'province', f.province, NULL, f.article_id, f.start, f.\"end\" FROM province_mentions f"
)

ARTICLE_FACTS_SQL = (
    f"SELECT f.fact, f.subject, f.year, f.article_id, f.start, f.\"end\", {evidence_sql()}\n"
    f"FROM ({FACTS_SQL}) f JOIN articles a ON a.id = f.article_id\n"
    "WHERE f.article_id = CAST(:article_id AS INTEGER) ORDER BY f.start, f.fact"
)

PER_MONTH_SQL = (
    "SELECT substr(published, 1, 7) AS month, count(*) AS articles FROM articles\n"
    "WHERE published IS NOT NULL AND published != '' GROUP BY month ORDER BY month"
)

SOURCE = "Báo Bảo vệ pháp luật, Tạp chí Kiểm sát, cổng thông tin các VKSND (news of the People's Procuracy)"
LICENSE = ("Trích dẫn để nghiên cứu; bản quyền bài viết thuộc các cơ quan báo chí gốc / "
           "Quoted for research; articles remain the copyright of their publishers. Code: MIT")


def _q(title: str, description: str, sql: str, **extra) -> dict:
    return {"title": title, "description": description, "sql": sql, **extra}


def canned_queries() -> dict:
    return {
        "leaders": _q(
            "Cụm trưởng, Cụm phó theo năm / Who led which cluster in which year",
            "Đơn vị Cụm trưởng (Khối trưởng), Cụm phó, người đứng đầu, số bài nguồn, mâu thuẫn giữa các bài. "
            "/ Leader unit, deputy unit, leader person, number of source articles, and a conflict flag when "
            "articles disagree (view cluster_leaders). Để trống ô để xem tất cả / leave a field empty for all.",
            LEADERS_SQL),
        "members": _q(
            "Thành viên Cụm theo năm / Cluster members by year",
            "Mỗi dòng là một bài viết nêu đơn vị là thành viên Cụm trong năm, kèm trích dẫn. "
            "/ One row per article that lists the unit as a member, with its evidence.",
            MEMBERS_SQL),
        "official_positions": _q(
            "Chức vụ của cán bộ theo thời gian / An official's positions over time",
            "Chức danh, đơn vị, vai trò trong Cụm, năm, ngày đăng và bài nguồn. Nhập một phần tên. "
            "/ Title, unit, cluster role, year, publication date and source article. Type part of a name.",
            OFFICIALS_SQL),
        "awards": _q(
            "Khen thưởng theo năm / Awards by year",
            "Danh hiệu, hình thức khen thưởng theo năm và bài viết. / Awards and titles by year and article.",
            AWARDS_SQL),
        "slogans": _q(
            "Khẩu hiệu thi đua theo năm / Slogans and how often they appear, by year",
            "Số lần nhắc và số bài viết theo năm. / Mentions and articles per year.",
            SLOGANS_SQL),
        "slogan_mentions": _q(
            "Các lần nhắc khẩu hiệu / Every slogan mention with evidence",
            "Mỗi lần một bài viết nhắc khẩu hiệu. / Every mention of a slogan in an article.",
            SLOGAN_MENTIONS_SQL),
        "search": _q(
            "Tìm kiếm toàn văn / Full-text search",
            "Gõ có dấu để tìm đúng dấu (\"thể\" khác \"thế\"); gõ không dấu để tìm mọi dấu (\"Ha Noi\" tìm được "
            "\"Hà Nội\"). / Words typed with diacritics match exactly; without diacritics they match any tone "
            "(the rule of `thidua search`).",
            SEARCH_SQL),
        "evidence": _q(
            "Trích dẫn bằng chứng / Evidence of a fact",
            "Đoạn văn bản (article_id, start, end) mà bộ trích xuất đã đọc. "
            "/ The text span (article_id, start, end) the extractor read, with its context.",
            EVIDENCE_SQL),
        "article_facts": _q(
            "Các dữ kiện của một bài / Every fact of one article",
            "Tất cả dữ kiện trích từ một bài viết, theo vị trí. / All facts extracted from one article, in order.",
            ARTICLE_FACTS_SQL),
        "articles_per_month": _q(
            "Số bài theo tháng / Articles per month", "Dữ liệu cho biểu đồ / data of the chart.",
            PER_MONTH_SQL),
    }


def _cols(**cols: str) -> dict:
    return dict(cols)


def build_metadata() -> dict:
    """The metadata dict for ``Datasette(metadata=...)``."""
    tables = {
        "articles": {
            "title": "Bài viết / Articles",
            "description": "Một dòng cho mỗi bài báo đã trích xuất. / One row per extracted news article.",
            "facets": ["site", "emulation_year"],
            "sort_desc": "published",
            "label_column": "title",
            "columns": _cols(
                url="Địa chỉ gốc của bài / canonical URL of the article",
                site="Nguồn (hồ sơ trang) / source site profile",
                title="Tiêu đề / title", lead="Sapo / lead paragraph",
                published="Ngày đăng (ISO 8601) / publication date",
                author="Tác giả / author",
                body="Văn bản mà bộ trích xuất đã đọc; vị trí bằng chứng tính theo ký tự trong cột này "
                     "/ the text the extractor read; evidence offsets index into it",
                emulation_year="Năm thi đua mà bài nói đến / the emulation year the article is about",
                raw_sha256="sha256 của trang gốc / of the raw page", text_sha256="sha256 của body / of body",
                fetched_at="Thời điểm tải / fetched at", extracted_at="Thời điểm trích xuất / extracted at",
                extractor_version="Phiên bản bộ trích xuất / extractor version"),
        },
        "cluster_leaders": {
            "title": "Cụm trưởng theo năm / Cluster leaders by year",
            "description": "Tổng hợp mọi bài viết: đơn vị được nhiều bài nêu nhất; conflict = 1 khi các bài mâu "
                           "thuẫn. / Consolidated over every article: the unit most articles name; conflict = 1 "
                           "when articles disagree.",
            "facets": ["year", "kind", "parent"],
            "columns": _cols(
                kind="cum = Cụm thi đua (cluster), khoi = Khối thi đua (bloc)",
                number="Số Cụm/Khối / cluster or bloc number",
                parent="Hệ thống thi đua của ai / who runs the system (VKSND tối cao, VKSND tỉnh …)",
                year="Năm thi đua / emulation year",
                leader_unit="Đơn vị Cụm trưởng / leader unit", deputy_unit="Đơn vị Cụm phó / deputy unit",
                leader_person="Người đứng đầu đơn vị Cụm trưởng / leader person",
                sources="Số bài nguồn / number of source articles",
                conflict="1 khi các bài nêu khác nhau / 1 when articles disagree",
                leader_claims="Các đơn vị được nêu là Cụm trưởng (số bài) / every leader claim (articles)",
                deputy_claims="Các đơn vị được nêu là Cụm phó (số bài) / every deputy claim (articles)",
                article_ids="Các bài nguồn / source articles"),
        },
        "cluster_years": {"title": "Tuyên bố về Cụm theo năm / Cluster statements", "facets": ["year", "cluster_id"],
                          "description": "Một bài viết nói về một Cụm trong một năm. / One article's statement "
                                         "about a cluster in a year."},
        "memberships": {"title": "Thành viên Cụm / Memberships", "facets": ["year", "cluster_id"],
                        "description": "Đơn vị U là thành viên Cụm C năm Y, theo bài A. / Unit U is a member of "
                                       "cluster C in year Y, says article A."},
        "clusters": {"title": "Cụm, Khối thi đua / Emulation clusters and blocs", "facets": ["kind", "parent"]},
        "units": {"title": "Đơn vị / Procuracy units", "label_column": "label", "facets": ["level", "province"]},
        "provinces": {"title": "Tỉnh, thành / Provinces (before and after the 2025 merger)", "label_column": "name",
                      "facets": ["kind", "name_2025"]},
        "province_mentions": {"title": "Tỉnh được nhắc / Province mentions", "facets": ["province"]},
        "officials": {"title": "Cán bộ / Officials", "label_column": "name"},
        "official_mentions": {"title": "Chức vụ được nêu / Official mentions", "facets": ["year", "cluster_role"]},
        "awards": {"title": "Danh hiệu, khen thưởng / Awards", "label_column": "title"},
        "award_mentions": {"title": "Khen thưởng được nêu / Award mentions", "facets": ["year", "award_id"]},
        "slogans": {"title": "Khẩu hiệu / Slogans", "label_column": "text"},
        "slogan_mentions": {"title": "Khẩu hiệu được nêu / Slogan mentions", "facets": ["year", "slogan_id"]},
        "events": {"title": "Sự kiện / Events", "facets": ["type", "year", "cluster_id"]},
        "event_sources": {"title": "Nguồn của sự kiện / Event sources"},
        "date_mentions": {"title": "Ngày được nêu / Date mentions"},
        "meta": {"hidden": True},
    }
    for name in [f"{t}{part}" for t in ("articles_fts", "articles_fts_fold")
                 for part in ("", "_data", "_idx", "_content", "_docsize", "_config")]:
        tables[name] = {"hidden": True}
    return {
        "title": "thidua — Lưu trữ thi đua, khen thưởng ngành Kiểm sát / Procuracy emulation archive",
        "description_html": (
            "<p>Sự kiện thi đua, khen thưởng của Viện kiểm sát nhân dân trích từ tin tức: Cụm trưởng, thành viên "
            "Cụm, cán bộ, danh hiệu, khẩu hiệu — mỗi dữ kiện dẫn về bài viết và đoạn văn làm bằng chứng.</p>"
            "<p>Emulation and award events of the People's Procuracy of Vietnam extracted from news: cluster "
            "leaders, members, officials, awards, slogans — every fact links to its article and the sentence "
            "that is its evidence.</p>"
            f'<p><a href="/{DB_NAME}/leaders">Cụm trưởng / leaders</a> · <a href="/{DB_NAME}/members">members</a> · '
            f'<a href="/{DB_NAME}/official_positions">officials</a> · <a href="/{DB_NAME}/awards">awards</a> · '
            f'<a href="/{DB_NAME}/slogans">slogans</a> · <a href="/{DB_NAME}/search">search / tìm kiếm</a> · '
            '<a href="/-/thidua/charts">biểu đồ / charts</a></p>'),
        "source": SOURCE,
        "license": LICENSE,
        "about": "thidua",
        "databases": {
            DB_NAME: {
                "title": "Lưu trữ / Archive",
                "description": "Cơ sở dữ liệu SQLite do `thidua build` / `thidua crawl` tạo, chỉ đọc. "
                               "/ The SQLite archive built by thidua, served read-only (immutable).",
                "source": SOURCE,
                "license": LICENSE,
                "tables": tables,
                "queries": canned_queries(),
            }
        },
    }
