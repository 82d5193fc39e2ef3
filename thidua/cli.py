"""The ``thidua`` command line: extract, build, query, evaluate, crawl, demo."""
from __future__ import annotations

import csv
import io
import json
import sys
import time
from pathlib import Path

import click

from .archive import ArchiveError, open_db

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _db_option(f):
    return click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False),
                        metavar="FILE", help="The SQLite archive file.")(f)


def _open(db_path: str, create: bool = False):
    _LAST_DB[0] = db_path
    try:
        return open_db(db_path, create=create or Path(db_path).exists())
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None


def _emit(rows: list[dict], columns: list[str], as_json: bool, as_csv: bool) -> None:
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if as_csv:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
        return
    if not rows:
        click.echo("(no rows)")
        return
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())


class _Group(click.Group):
    """Errors of the archive become one clear message and exit status 1, never a traceback."""

    def invoke(self, ctx):
        import sqlite3
        try:
            return super().invoke(ctx)
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
        except sqlite3.DatabaseError as exc:
            where = _LAST_DB[0] or "the archive"
            raise click.ClickException(
                f"{where}: the archive is damaged or unreadable ({exc}); check it with "
                f"`sqlite3 {where} 'PRAGMA integrity_check'`, or build a new one with `thidua build`") from None


_LAST_DB: list[str | None] = [None]


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(package_name="thidua")
def cli():
    """thidua: an event archive of the People's Procuracy emulation news (thi đua, khen thưởng).

    \b
    Pipeline:  crawl -> extract -> archive (SQLite) -> query / dashboard
      thidua crawl kiemsat.vn --db archive.db     fetch news politely, store, extract
      thidua build corpus/ --db archive.db        extract saved pages/texts into the archive
      thidua extract page.html --format jsonl     facts of files, without an archive
      thidua leaders --db archive.db --year 2023  who led which cluster in which year
      thidua serve --db archive.db                browse it: Datasette, evidence, charts
      thidua demo                                 all of it on the bundled sample pages
    """


# ---------------------------------------------------------------------------------- extract
@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "table"]), default="jsonl", show_default=True,
              help="jsonl: one JSON object per file (the evaluation contract); json: one array; table: a summary.")
@click.option("--evidence/--no-evidence", default=False, show_default=True,
              help="Add an \"evidence\" key with the character span of every fact.")
def extract(paths, fmt, evidence):
    """Facts of saved article pages (.html) or plain texts (.txt), printed to stdout.

    One record per file, in input order, with "source" = the path as given and the keys
    event, clusters, officials, slogans, awards, dates, provinces. A file that cannot be read
    gets a record with an "error" key and a message on stderr; the exit status is then 1.
    """
    from .pipeline import SourceError, extract_article, read_source
    failed = 0
    records = []
    for path in paths:
        try:
            article, _ = read_source(path)
            ex = extract_article(article)
        except SourceError as exc:
            failed += 1
            click.echo(f"thidua extract: {exc}", err=True)
            rec = {"source": path, "error": str(exc)}
        else:
            rec = {"source": path, **ex.facts.to_record(), "url": article.url if not article.url.startswith("file:") else None,
                   "title": article.title, "published": article.published, "year": ex.facts.year}
            if evidence:
                rec["evidence"] = ex.facts.evidence()
        if fmt == "jsonl":
            click.echo(json.dumps(rec, ensure_ascii=False))
        else:
            records.append(rec)
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif fmt == "table":
        rows = []
        for r in records:
            ev = r.get("event") or {}
            rows.append({"source": r["source"], "event": ev.get("type") if ev else None, "date": ev.get("date") if ev else None,
                         "clusters": "; ".join(f"{c['kind']} {c['number']} ({c['year']}) leader={c['leader']}"
                                               for c in r.get("clusters", [])),
                         "officials": len(r.get("officials", [])), "error": r.get("error")})
        _emit(rows, ["source", "event", "date", "clusters", "officials", "error"], False, False)
    if failed:
        sys.exit(1)


# ---------------------------------------------------------------------------------- build
def build_archive(db, paths, *, workers: int = 1, quiet: bool = False, raw_dir=None) -> tuple[int, int]:
    """Extract every file (or, with ``raw_dir``, every page of the crawler's raw store) into the archive
    with progress on stderr; returns (stored, failed)."""
    from .pipeline import build as run_build, rebuild_from_raw
    t0 = time.monotonic()
    tty = sys.stderr.isatty() and not quiet
    what = "pages" if raw_dir else "files"

    def progress(done: int) -> None:
        if tty and done % 25 == 0:
            rate = done / max(time.monotonic() - t0, 1e-9)
            click.echo(f"\r{done} {what}, {rate:.0f}/s", err=True, nl=False)

    def error(msg: str) -> None:
        click.echo(f"\nthidua build: {msg}" if tty else f"thidua build: {msg}", err=True)

    if raw_dir:
        res = rebuild_from_raw(db, raw_dir, workers=workers, on_progress=progress, on_error=error)
        done = f"re-extracted from {raw_dir}: {res.stored} article(s)"
    else:
        res = run_build(db, paths, workers=workers, on_progress=progress, on_error=error)
        done = f"built: {res.stored} article(s) stored"
    if not quiet:
        click.echo(("\r" if tty else "") + f"{done}, {res.failed} failed, {time.monotonic() - t0:.1f}s", err=True)
    return res.stored, res.failed


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(exists=True), metavar="[PATH...]")
@_db_option
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="Extract in N processes (extraction is per article; one process writes the archive).")
@click.option("--from-raw", is_flag=True,
              help="Re-extract every page the crawler stored in the raw store, without fetching anything.")
@click.option("--raw-dir", type=click.Path(file_okay=False), metavar="DIR",
              help="The crawler's raw store (default: <db>.raw/ beside the archive).")
def build(paths, db_path, workers, from_raw, raw_dir):
    """Extract saved pages/texts (files or folders) into the archive --db FILE; with --from-raw,
    re-extract the crawled pages kept in the raw store (after an extractor upgrade).

    Idempotent: building the same input twice leaves the same rows; an article already in the
    archive (same URL) has its facts replaced in one transaction. A file that cannot be read is
    reported on stderr and the exit status is 1; the other files are still stored.
    """
    if not paths and not from_raw:
        raise click.UsageError("give files or folders to build from, or --from-raw")
    db = _open(db_path, create=True)
    failed = 0
    if paths:
        failed += build_archive(db, paths, workers=workers)[1]
    if from_raw:
        from crawl.rawstore import default_raw_dir
        folder = raw_dir or default_raw_dir(db_path)
        failed += build_archive(db, [], workers=workers, raw_dir=folder)[1]
    if failed:
        sys.exit(1)


# ---------------------------------------------------------------------------------- queries
@cli.command(context_settings=CONTEXT)
@_db_option
@click.option("--kind", type=click.Choice(["cum", "khoi"]), help="Clusters (cum) or blocs (khoi).")
@click.option("--cluster", type=int, metavar="N", help="Only cluster/bloc number N.")
@click.option("--year", type=int, metavar="Y", help="Only emulation year Y.")
@click.option("--parent", metavar="TEXT", help='Only systems whose parent contains TEXT ("tối cao", "Bình Phước").')
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
def leaders(db_path, kind, cluster, year, parent, as_json, as_csv):
    """Who led which cluster in which year: leader unit (Cụm trưởng), deputy (Cụm phó), leader
    person, number of source articles; "conflict" when articles name different units."""
    from .queries import LEADER_COLUMNS, leaders as q
    rows = q(_open(db_path), kind=kind, cluster=cluster, year=year, parent=parent)
    _emit(rows, LEADER_COLUMNS if (as_json or as_csv) else LEADER_COLUMNS[:9], as_json, as_csv)


@cli.command(context_settings=CONTEXT)
@_db_option
@click.option("--kind", type=click.Choice(["cum", "khoi"]))
@click.option("--cluster", type=int, metavar="N")
@click.option("--year", type=int, metavar="Y")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
def members(db_path, kind, cluster, year, as_json, as_csv):
    """Members of each cluster by year, with the number of articles that list them."""
    from .queries import members as q
    rows = q(_open(db_path), kind=kind, cluster=cluster, year=year)
    _emit(rows, ["kind", "number", "parent", "year", "unit", "sources"], as_json, as_csv)


@cli.command(context_settings=CONTEXT)
@click.argument("text")
@_db_option
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
def search(text, db_path, limit, as_json, as_csv):
    """Full-text search of article titles and bodies. Words typed with diacritics match exactly
    ("thể" is not "thế"); typed without, they match any tone ("Ha Noi" finds "Hà Nội")."""
    from .queries import search as q
    try:
        rows = q(_open(db_path), text, limit=limit)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    _emit(rows, ["id", "published", "title", "snippet", "url"], as_json, as_csv)


def _canned(db_path: str, sql_name: str, params: dict, columns: list[str], as_json: bool, as_csv: bool) -> None:
    """Run one of the dashboard's canned queries, so the CLI and the dashboard give the same answers."""
    from .dashboard import metadata
    db = _open(db_path)
    cur = db.execute(getattr(metadata, sql_name), params)
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r)) for r in cur.fetchall()]
    _emit(rows, names if (as_json or as_csv) else columns, as_json, as_csv)


@cli.command(context_settings=CONTEXT)
@click.argument("name")
@_db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
def official(name, db_path, as_json, as_csv):
    """An official's positions over time: title, unit, cluster role, year, date and source article
    (NAME may be part of a name: "Nguyễn Văn Hồng", "Hồng")."""
    _canned(db_path, "OFFICIALS_SQL", {"name": name},
            ["name", "position", "unit", "cluster_role", "year", "published", "article_id", "evidence"], as_json, as_csv)


@cli.command(context_settings=CONTEXT)
@_db_option
@click.option("--year", default="", metavar="Y", help="Only emulation year Y.")
@click.option("--award", default="", metavar="TEXT", help="Only award titles containing TEXT.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
def awards(db_path, year, award, as_json, as_csv):
    """Awards and honour titles given or proposed, by year, with the article and evidence."""
    _canned(db_path, "AWARDS_SQL", {"year": str(year), "award": award},
            ["year", "award", "published", "article_id", "evidence"], as_json, as_csv)


@cli.command(context_settings=CONTEXT)
@_db_option
@click.option("--year", default="", metavar="Y", help="Only emulation year Y.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV.")
def slogans(db_path, year, as_json, as_csv):
    """Slogans (movements, themes, mottos) and how often each appears, by year."""
    _canned(db_path, "SLOGANS_SQL", {"year": str(year)}, ["year", "mentions", "articles", "slogan"], as_json, as_csv)


# ---------------------------------------------------------------------------------- eval
@cli.command("eval", context_settings=CONTEXT)
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False), metavar="DIR")
@click.option("--pred", type=click.Path(exists=True, dir_okay=False), metavar="FILE.jsonl",
              help="Score these predictions instead of running the extractor on DIR/texts/<id>.txt.")
@click.option("--misses/--no-misses", default=True, show_default=True, help="List every miss.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_(gold_dir, pred, misses, as_json):
    """Precision/recall/F1 per field against annotated articles in DIR (<id>.json files with a
    "gold" key, the format of ../shared/corpus); the same matching rules as its score.py."""
    from .evaluate import FIELDS, evaluate, load_gold
    from .pipeline import extract_article
    from crawl.article import Article
    gold = load_gold(gold_dir)
    if not gold:
        raise click.ClickException(f"{gold_dir}: no <id>.json file with a \"gold\" key")
    if pred:
        preds = [json.loads(l) for l in open(pred, encoding="utf-8") if l.strip()]
    else:
        preds = []
        for aid, g in gold.items():
            txt = Path(gold_dir) / "texts" / f"{aid}.txt"
            text = txt.read_text(encoding="utf-8") if txt.exists() else g.get("text", "")
            rec = extract_article(Article(url=f"file:{aid}", paragraphs=[text])).facts.to_record()
            preds.append({"source": f"{aid}.txt", **rec})
    sc, missing = evaluate(preds, gold)
    table = sc.table()
    if as_json:
        click.echo(json.dumps({**table, "articles": len(gold), "missing": missing}, ensure_ascii=False))
        return
    if misses:
        for m in sc.misses:
            click.echo(m)
        click.echo()
    click.echo(f"{'field':11} {'P':>6} {'R':>6} {'F1':>6}   (tp/pred/gold)")
    for f in FIELDS:
        p, r, f1 = sc.prf(f)
        tp, np_, ng = sc.counts[f]
        click.echo(f"{f:11} {p:6.3f} {r:6.3f} {f1:6.3f}   ({tp}/{np_}/{ng})")
    click.echo(f"macro_f1 {table['macro_f1']:.3f} over {len(gold)} articles ({missing} without a prediction)")


# ---------------------------------------------------------------------------------- demo
def bundled_corpus() -> Path:
    here = Path(__file__).resolve().parent.parent / "corpus"
    if here.is_dir():
        return here
    raise click.ClickException("the bundled corpus/ folder is not here (run from a checkout of thidua)")


@cli.command(context_settings=CONTEXT)
@click.option("--db", "db_path", default="thidua-demo.db", show_default=True, type=click.Path(dir_okay=False),
              metavar="FILE", help="Where to build the demo archive.")
def demo(db_path):
    """Build an archive from the bundled sample pages in corpus/ and print the leaders table."""
    corpus = bundled_corpus()
    db = _open(db_path, create=True)
    click.echo(f"building {db_path} from {corpus} …", err=True)
    build_archive(db, [corpus])
    from .queries import LEADER_COLUMNS, leaders as q
    click.echo()
    click.echo("Who led which emulation cluster in which year (thidua leaders):")
    _emit(q(db), LEADER_COLUMNS[:9], False, False)
    click.echo()
    click.echo(f"Archive: {db_path}  — try `thidua leaders --db {db_path} --year 2023`, "
               f"`thidua search \"Dong Thap\" --db {db_path}`", err=True)


def _register_commands() -> None:
    from crawl.cli import crawl_command

    from .dashboard import serve_command
    cli.add_command(crawl_command, "crawl")
    cli.add_command(serve_command, "serve")


_register_commands()


def main() -> None:  # pragma: no cover
    cli()
