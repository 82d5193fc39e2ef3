"""``thidua crawl``: the click command (the thidua CLI registers ``crawl_command``)."""
from __future__ import annotations

from datetime import date, datetime

import click

from crawl.errors import CrawlError
from crawl.fetch import FetchConfig
from crawl.profile import Profile, load_profile, load_profile_file, profile_names, register_profile


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m", "%Y"):
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise click.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)", param_hint="--since")


def _refresh_archive(db_path: str) -> None:
    """After a crawl: refresh the archive's leaders table and fold its write-ahead log (thidua's archive)."""
    try:
        from thidua.archive import checkpoint, open_db, refresh_leaders
    except ImportError:  # the crawler used on its own
        return
    db = open_db(db_path)
    try:
        refresh_leaders(db)
        checkpoint(db)
    finally:
        db.conn.close()


def resolve_sites(sites: tuple[str, ...], profile_files: tuple[str, ...], base_url: str | None) -> list[Profile]:
    """Profiles to crawl from SITES, --profile files and --base-url."""
    extra = [load_profile_file(path) for path in profile_files]
    for p in extra:
        register_profile(p)
    chosen = [load_profile(name) for name in sites] if sites else list(extra)
    if not chosen:
        raise CrawlError(f"name at least one site ({', '.join(n for n in profile_names() if n != 'generic')}) "
                         f"or give --profile FILE.toml")
    chosen = list({p.name: p for p in chosen}.values())
    if base_url:
        if len(chosen) > 1:
            raise CrawlError("--base-url points one site at another origin; name a single site with it")
        chosen = [chosen[0].with_base_url(base_url)]
    for p in chosen:
        if not p.base_url:
            raise CrawlError(f"profile {p.name!r} has no base_url; give --base-url https://the-portal.example")
    return chosen


@click.command("crawl", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("sites", nargs=-1, metavar="SITE...")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False),
              help="Archive SQLite file (created if missing); the crawl state lives in it too.")
@click.option("--profile", "profile_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A site profile TOML file (a provincial portal, say); repeatable. "
                   "Without SITE, crawls the profiles given here.")
@click.option("--base-url", metavar="URL",
              help="Crawl the (single) site at another origin with the same paths: a mirror or a test "
                   "server. Only that origin is then allowed (private/loopback addresses included).")
@click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True, metavar="SECONDS",
              help="Pause between requests to one host (robots.txt Crawl-delay may ask for more).")
@click.option("--concurrency", type=click.IntRange(min=1), default=2, show_default=True, metavar="N",
              help="Requests in flight per host.")
@click.option("--global-concurrency", type=click.IntRange(min=1), default=8, show_default=True, metavar="N",
              help="Requests in flight over all hosts.")
@click.option("--max-articles", type=click.IntRange(min=1), default=None, metavar="N",
              help="Stop after N new articles.")
@click.option("--since", default=None, metavar="DATE",
              help="Skip articles published before DATE (YYYY-MM-DD); listing paging stops there too.")
@click.option("--section", "sections", multiple=True, metavar="NAME",
              help="Crawl only this listing section (its name in the profile, or a /path); repeatable. "
                   "Sitemaps and feeds are skipped.")
@click.option("--refresh", is_flag=True,
              help="Re-validate known articles with conditional GET (ETag / Last-Modified; 304 = unchanged).")
@click.option("--raw-dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Where raw responses are kept (gzip files named by sha256) [default: <db>.raw/].")
@click.option("--no-ingest", is_flag=True,
              help="Fetch and keep raw pages only; `thidua build` extracts them later.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True, metavar="SECONDS",
              help="Read timeout per request (connect timeout: 10 s).")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True, metavar="N",
              help="Retries of a request after timeouts, 429 and 5xx (exponential backoff with jitter).")
@click.option("--max-page-size", type=click.IntRange(min=1024), default=5_000_000, show_default=True,
              metavar="BYTES", help="Bigger responses are refused (recorded as skipped).")
@click.option("--progress/--no-progress", default=True, show_default=True,
              help="Live per-host progress on a terminal.")
def crawl_command(sites: tuple[str, ...], db_path: str, profile_files: tuple[str, ...], base_url: str | None,
                  delay: float, concurrency: int, global_concurrency: int, max_articles: int | None,
                  since: str | None, sections: tuple[str, ...], refresh: bool, raw_dir: str | None,
                  no_ingest: bool, timeout: float, retries: int, max_page_size: int, progress: bool) -> None:
    """Crawl SITE... (profile names such as kiemsat.vn, baovephapluat.vn, vksndtc.gov.vn, or a
    profile .toml file) into the archive DB.

    \b
    Articles are found through the site's sitemaps, feeds and listing sections. A crawl is
    incremental (a second run fetches only new articles) and resumable (kill it at any moment and
    start it again: nothing is lost or duplicated). robots.txt is obeyed.

    \b
    Examples:
      thidua crawl kiemsat.vn --db thidua.db
      thidua crawl kiemsat.vn --db x.db --base-url http://127.0.0.1:8000 --delay 0
      thidua crawl --profile vksdongthap.toml --db thidua.db --since 2023-01-01
      thidua crawl baovephapluat.vn --db thidua.db --section ban-tin-kiem-sat --max-articles 50
    """
    from crawl.spider import CrawlConfig, crawl

    try:
        profiles = resolve_sites(sites, profile_files, base_url)
        for p in profiles:
            for name in sections:
                p.section(name)
        config = CrawlConfig(
            db_path=db_path, sites=profiles, raw_dir=raw_dir, max_articles=max_articles,
            since=_parse_date(since), sections=sections, refresh=refresh, ingest=not no_ingest,
            progress=progress,
            fetch=FetchConfig(delay=delay, concurrency=concurrency, global_concurrency=global_concurrency,
                              read_timeout=timeout, max_retries=retries, max_bytes=max_page_size),
        )
        summary = crawl(config)
        if not no_ingest:
            _refresh_archive(db_path)
    except CrawlError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        raise click.ClickException("interrupted; run the same command again to resume") from None
    click.echo(summary.line())
