"""``thidua serve``: the archive in Datasette, read-only (or immutable), with Vietnamese/English
metadata, canned queries, evidence links, an article page and a charts page (inline SVG).

The command object is :data:`serve_command`; ``thidua.cli`` registers it as ``serve``.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from .metadata import DB_NAME, build_metadata

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
PLUGIN_NAME = "thidua_dashboard"

__all__ = ["DB_NAME", "build_metadata", "make_datasette", "serve_command"]


class NotAnArchive(Exception):
    pass


def check_archive(path: str | Path, *, immutable: bool = False) -> None:
    """Raise NotAnArchive unless ``path`` is a thidua archive (opened read-only, never created)."""
    p = Path(path)
    if not p.is_file():
        raise NotAnArchive(f"{p}: no such archive; make one with `thidua build corpus/ --db {p}`")
    try:
        con = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
            version = None
            if "meta" in names:
                row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                version = int(row[0]) if row and str(row[0]).isdigit() else None
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise NotAnArchive(f"{p}: not an SQLite database ({exc})") from None
    wal = p.with_name(p.name + "-wal")
    if immutable and wal.exists() and wal.stat().st_size > 0:
        # immutable mode reads only the main file: rows still in the write-ahead log would be missing
        raise NotAnArchive(f"{p}: the archive is being written (or was not closed cleanly: {wal.name} is not "
                           "empty); serving it immutable would show stale data. Serve it without --immutable, "
                           f"or stop the writer and run `sqlite3 {p} 'PRAGMA wal_checkpoint(TRUNCATE)'`")
    from ..archive import SCHEMA_VERSION
    if version is not None and version < SCHEMA_VERSION:
        # serve never writes, so it does not upgrade; every other command that opens the archive does
        raise NotAnArchive(f"{p}: archive schema version {version}, older than this thidua's ({SCHEMA_VERSION}); "
                           f"upgrade it once with `thidua leaders --db {p}` (any thidua command that opens the "
                           f"archive upgrades it), then serve it")
    missing = {"articles", "cluster_leaders", "articles_fts", "articles_fts_fold"} - names
    if missing:
        raise NotAnArchive(f"{p}: not a thidua archive (missing {', '.join(sorted(missing))}); "
                           f"make one with `thidua build corpus/ --db {p}`")


def register_plugin() -> None:
    """Register the dashboard plugin with Datasette's plugin manager (once per process)."""
    from datasette.plugins import pm
    from . import plugin
    if pm.get_plugin(PLUGIN_NAME) is None:
        pm.register(plugin, name=PLUGIN_NAME)


def make_datasette(db_path: str | Path, *, immutable: bool = False, **settings):
    """A Datasette instance serving ``db_path`` under the name ``archive``: read-only connections
    (``?mode=ro``) that see what a crawl or build is writing, or with ``immutable`` a finished
    archive that nothing writes any more (no locking at all)."""
    from datasette.app import Datasette
    register_plugin()
    path = str(Path(db_path).resolve())
    files = {"immutables": [path]} if immutable else {"files": [path]}
    ds = Datasette(**files, metadata=build_metadata(), template_dir=str(TEMPLATES),
                   static_mounts=[("thidua-static", str(STATIC))],
                   settings={"truncate_cells_html": 300, **settings})
    (auto_name,) = [n for n, d in ds.databases.items() if d.path == path]
    db = ds.databases[auto_name]
    ds.remove_database(auto_name)
    ds.add_database(db, name=DB_NAME)
    return ds


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="The SQLite archive file (served read-only; it is never modified).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 makes the dashboard reachable from other machines.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on.")
@click.option("--immutable", is_flag=True,
              help="Serve a finished archive in Datasette's immutable mode (no locks, cached counts); the "
                   "default read-only mode also shows what a running crawl or build is adding.")
def serve_command(db_path, host, port, immutable):
    """Explore the archive in a browser: Datasette on --db FILE, read-only (never written; --immutable
    for a finished archive).

    \b
    Pages (http://HOST:PORT):
      /archive/leaders             who led which cluster in which year (also .json, .csv)
      /archive/members             cluster members by year, with evidence
      /archive/official_positions  an official's positions over time
      /archive/awards, /archive/slogans, /archive/search (full-text, the rule of `thidua search`)
      /-/thidua/charts             leadership timeline and articles per month
      /-/thidua/article/ID         an article with its evidence highlighted
    Every fact links to its article and the text span that is its evidence.
    """
    import asyncio

    import uvicorn
    try:
        check_archive(db_path, immutable=immutable)
    except NotAnArchive as exc:
        raise click.ClickException(str(exc)) from None
    ds = make_datasette(db_path, immutable=immutable)
    asyncio.run(ds.invoke_startup())
    click.echo(f"thidua dashboard: http://{host}:{port}/  (archive {db_path}, read-only; Ctrl+C to stop)", err=True)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
