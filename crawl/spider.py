"""The crawler: discovery (sitemaps, feeds, listing sections) and article fetching, per site,
incremental and resumable, with all state in the archive's SQLite file (crawl/state.py).

An article goes queued -> (fetch, raw body stored) fetched -> (parsed, ingested) done, each step
its own transaction; a run killed anywhere resumes without loss or duplicates: queued ones are
fetched, fetched ones are ingested from the raw store, and ingest is idempotent by URL.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from typing import Any, Protocol

import sqlite_utils

from crawl import rawstore, state
from crawl.article import Article
from crawl.errors import CrawlError, ParseError
from crawl.feeds import parse_feed
from crawl.fetch import FAILED, NOT_MODIFIED, OK, SKIPPED, FetchConfig, Fetcher, FetchResult, netloc_of
from crawl.listing import listing_page_url, parse_listing
from crawl.parse import parse_page
from crawl.profile import Profile, Section
from crawl.sitemaps import parse_sitemap

SITEMAP_MAX_BYTES = 50_000_000  # the sitemap protocol's own limit (uncompressed)
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


def normalize_url(url: str) -> str:
    """Fragment dropped, scheme and host lower-cased, default port and empty path made canonical."""
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    if (parts.scheme.lower(), netloc.rsplit(":", 1)[-1]) in (("http", "80"), ("https", "443")):
        netloc = netloc.rsplit(":", 1)[0]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


class IngestFn(Protocol):
    def __call__(self, db: sqlite_utils.Database, article: Article, *, raw_sha256: str, fetched_at: str) -> Any: ...


@dataclass
class CrawlConfig:
    """What to crawl and how. ``sites`` are profiles already pointed at their origin."""

    db_path: str
    sites: list[Profile]
    raw_dir: str | None = None
    max_articles: int | None = None
    since: date | None = None
    sections: tuple[str, ...] = ()
    refresh: bool = False
    ingest: bool = True              # False: fetch and keep raw pages only (`thidua build` parses later)
    progress: bool = True
    max_attempts: int = 10           # requests per URL over all runs before a failed URL is left alone
    max_sitemap_depth: int = 3
    fetch: FetchConfig = field(default_factory=FetchConfig)

    @property
    def raw_path(self) -> Path:
        return Path(self.raw_dir) if self.raw_dir else rawstore.default_raw_dir(self.db_path)


@dataclass
class SiteCounts:
    discovered: int = 0
    new_articles: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    listing_pages: int = 0


@dataclass
class CrawlSummary:
    outcome: str = "finished"        # finished | max-articles | interrupted
    requests: int = 0
    new_articles: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    resumed: int = 0                 # fetched by an earlier, interrupted run and ingested now
    elapsed: float = 0.0
    sites: dict[str, SiteCounts] = field(default_factory=dict)

    def line(self) -> str:
        rate = self.requests / self.elapsed if self.elapsed > 0 else 0.0
        return (f"crawl {self.outcome}: {self.requests} requests, {self.new_articles} new articles, "
                f"{self.unchanged} unchanged, {self.failed} failed, {self.skipped} skipped"
                + (f", {self.resumed} resumed" if self.resumed else "")
                + f" in {self.elapsed:.1f} s ({rate:.1f} req/s)")


def _default_ingest() -> IngestFn:
    try:
        from thidua.pipeline import ingest  # type: ignore[import-not-found]
    except ImportError as exc:
        raise CrawlError("thidua.pipeline.ingest is not available; crawl with --no-ingest to fetch only") from exc
    return ingest  # type: ignore[no-any-return]


def open_archive(db_path: str, *, ingest: bool) -> sqlite_utils.Database:
    """The archive, opened (and its schema created) by ``thidua.archive.open_db``, plus the
    crawl tables. Without thidua (the crawler used alone) only ``--no-ingest`` works."""
    try:
        from thidua.archive import open_db  # type: ignore[import-not-found]
    except ImportError as exc:
        if ingest:
            raise CrawlError("thidua.archive is not available; crawl with --no-ingest to fetch only") from exc
        db = sqlite_utils.Database(db_path)
        state.configure(db)
        return db
    try:
        db = open_db(db_path)
    except Exception as exc:  # thidua.archive.ArchiveError: the message says what is wrong
        raise CrawlError(str(exc)) from exc
    state.configure(db, pragmas=False)
    return db


class Spider:
    """One crawl run over ``config.sites``."""

    def __init__(self, config: CrawlConfig, db: sqlite_utils.Database, ingest: IngestFn | None,
                 on_event: Callable[[str, str, str], None] | None = None) -> None:
        self.config = config
        self.db = db
        self.ingest_fn = ingest
        self.on_event = on_event or (lambda site, what, detail: None)
        self.summary = CrawlSummary(sites={p.name: SiteCounts() for p in config.sites})
        self.run_id = 0
        self.stop = asyncio.Event()
        self.claimed = 0              # articles started under --max-articles
        self.work = {p.name: asyncio.Event() for p in config.sites}
        self.discovering = {p.name: True for p in config.sites}
        self.in_flight: dict[str, set[str]] = {p.name: set() for p in config.sites}
        private_ok = {p.base_netloc for p in config.sites if p.base_url} | {
            netloc_of(p.base_url).split(":")[0] for p in config.sites if p.base_url}
        self.fetcher = Fetcher(config.fetch, allowed=self._allowed, private_ok=private_ok,
                               on_request=self._on_request)
        self.raw_dir = config.raw_path
        self.since = config.since.isoformat() if config.since else None

    # -- helpers ------------------------------------------------------------------------------

    def _allowed(self, netloc: str) -> bool:
        return any(p.matches_host(netloc) for p in self.config.sites)

    def _on_request(self, url: str) -> None:
        self.summary.requests += 1

    def _count_attempt(self, url: str) -> None:
        state.count_attempt(self.db, url)

    def _before_since(self, when: str | None) -> bool:
        return bool(self.since and when and when[:10] < self.since)

    def _article_links(self, profile: Profile, links: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        out = []
        seen: set[str] = set()
        for url, hint in links:
            url = normalize_url(profile.localize(url.strip()))
            if url in seen or not profile.matches_host(netloc_of(url)) or not profile.is_article_url(url):
                continue
            seen.add(url)
            out.append((url, hint))
        return out

    def _queue(self, profile: Profile, links: list[tuple[str, str | None]], section: str) -> tuple[int, int]:
        """Queue article links (not before --since); return (links on the page, new ones)."""
        keep = [(u, h) for u, h in links if not self._before_since(h)]
        new = state.add(self.db, keep, site=profile.name, kind=state.ARTICLE, section=section, run_id=self.run_id)
        if new:
            self.summary.sites[profile.name].discovered += len(new)
            self.work[profile.name].set()
        return len(links), len(new)

    def _max_reached(self) -> bool:
        m = self.config.max_articles
        return m is not None and self.summary.new_articles >= m

    async def _fetch_meta(self, profile: Profile, url: str, kind: str, section: str,
                          conditional: bool, max_bytes: int | None = None) -> FetchResult:
        """Fetch a discovery page (listing, sitemap, feed), keeping its state row."""
        row = state.ensure(self.db, url, site=profile.name, kind=kind, section=section, run_id=self.run_id)
        result = await self.fetcher.fetch(url, etag=row.etag if conditional else None,
                                          last_modified=row.last_modified if conditional else None,
                                          max_bytes=max_bytes, on_attempt=self._count_attempt)
        fields: dict[str, object] = {"http_status": result.status, "run_id": self.run_id, "reason": result.reason,
                                     "fetched_at": state.now_iso() if result.status else None}
        if result.outcome == OK:
            fields.update(status=state.DONE, etag=result.headers.get("etag"),
                          last_modified=result.headers.get("last-modified"),
                          content_type=result.content_type)
        elif result.outcome == NOT_MODIFIED:
            fields.update(status=state.DONE)
        else:
            fields.update(status=state.FAILED if result.outcome == FAILED else state.SKIPPED)
            self.on_event(profile.name, "error", f"{url}: {result.reason}")
        state.update(self.db, url, **fields)
        return result

    # -- discovery ------------------------------------------------------------------------------

    async def discover(self, profile: Profile) -> None:
        try:
            robots = await self.fetcher.robots(profile.base_url + "/")
            if not self.config.sections:
                sitemap_urls = [profile.localize(u) if u.startswith("http") else profile.base_url + u
                                for u in (*profile.sitemaps, *robots.sitemaps)]
                for url in dict.fromkeys(sitemap_urls):
                    if self.stop.is_set():
                        return
                    if profile.matches_host(netloc_of(url)):
                        await self._sitemap(profile, url, depth=0)
                for feed in profile.feeds:
                    if self.stop.is_set():
                        return
                    await self._feed(profile, profile.localize(feed) if feed.startswith("http") else profile.base_url + feed)
            sections = ([profile.section(name) for name in self.config.sections]
                        if self.config.sections else list(profile.sections))
            for section in sections:
                if self.stop.is_set():
                    return
                await self._walk_section(profile, section)
        finally:
            self.discovering[profile.name] = False
            self.work[profile.name].set()

    async def _sitemap(self, profile: Profile, url: str, depth: int) -> None:
        # a top-level sitemap is read every run: an unchanged index (304) says nothing about its
        # children; the children themselves are revalidated with their ETag / Last-Modified
        result = await self._fetch_meta(profile, url, state.SITEMAP, "sitemap", conditional=depth > 0,
                                        max_bytes=max(SITEMAP_MAX_BYTES, self.config.fetch.max_bytes))
        if result.outcome != OK:
            return
        sitemap = parse_sitemap(result.body)
        self._queue(profile, self._article_links(profile, sitemap.urls), "sitemap")
        if depth < self.config.max_sitemap_depth:
            for child in sitemap.children:
                child = profile.localize(child)
                if self.stop.is_set():
                    return
                if profile.matches_host(netloc_of(child)):
                    await self._sitemap(profile, child, depth + 1)

    async def _feed(self, profile: Profile, url: str) -> None:
        result = await self._fetch_meta(profile, url, state.FEED, "feed", conditional=True)
        if result.outcome == OK:
            self._queue(profile, self._article_links(profile, parse_feed(result.body)), "feed")

    async def _walk_section(self, profile: Profile, section: Section) -> None:
        """Page through a section. The first walk goes to the last page (resuming where an
        interrupted one stopped); later walks stop at the first page holding only known articles."""
        st = state.section_state(self.db, profile.name, section.name)
        floor = st.head_page or 1
        page = 1
        backfill = False
        counts = self.summary.sites[profile.name]
        while not self.stop.is_set():
            if page > profile.listing.max_pages:
                st.complete, st.head_page = True, None
                break
            url = listing_page_url(profile, section.path, page)
            result = await self._fetch_meta(profile, url, state.LISTING, section.name, conditional=False)
            counts.listing_pages += 1
            if result.outcome != OK:
                if result.status in (404, 410) and page > 1:
                    st.complete, st.head_page = True, None  # ran past the last page
                break  # a failing listing page: try again next run
            links = parse_listing(profile, result.body, result.final_url or url, result.content_type)
            articles = self._article_links(profile, links)
            if not articles:
                st.complete, st.head_page = True, None
                break
            _, new = self._queue(profile, articles, section.name)
            self.on_event(profile.name, "listing", f"{section.name} page {page}: {new} new")
            if self.since and all(h and h[:10] < self.since for _, h in articles):
                break  # everything further down is older than --since
            if new == 0 and page >= floor:
                if st.complete:
                    st.head_page = None
                    break
                if page + 1 < st.next_page - 1 and not backfill:
                    st.head_page = None
                    backfill = True
                    page = st.next_page - 1  # jump back to the unfinished walk (one page of overlap)
                    state.save_section(self.db, profile.name, section.name, st)
                    continue
            if not st.complete and (backfill or page >= st.next_page - 1):
                backfill = True
                st.next_page = max(st.next_page, page + 1)
            else:
                st.head_page = max(st.head_page or 0, page + 1)
            state.save_section(self.db, profile.name, section.name, st)
            page += 1
        state.save_section(self.db, profile.name, section.name, st)

    # -- articles -------------------------------------------------------------------------------

    async def worker(self, profile: Profile) -> None:
        name = profile.name
        while not self.stop.is_set():
            rows = state.next_queued(self.db, [name], exclude=self.in_flight[name], limit=1)
            if not rows:
                if not self.discovering[name] and not self.in_flight[name]:
                    return
                self.work[name].clear()
                try:
                    await asyncio.wait_for(self.work[name].wait(), timeout=0.2)
                except asyncio.TimeoutError:
                    pass
                continue
            if self.config.max_articles is not None and self.claimed >= self.config.max_articles:
                if not self.in_flight[name]:
                    self.stop.set()
                    return
                await asyncio.sleep(0.05)
                continue
            row = rows[0]
            self.in_flight[name].add(row.url)
            self.claimed += 1
            new_before = self.summary.new_articles
            try:
                await self.fetch_article(profile, row)
            finally:
                self.in_flight[name].discard(row.url)
                if self.summary.new_articles == new_before:
                    self.claimed -= 1
                self.work[name].set()
            if self._max_reached():
                self.stop.set()

    async def fetch_article(self, profile: Profile, row: state.UrlRow) -> None:
        counts = self.summary.sites[profile.name]
        # validators only for an article already in the archive: a 304 must not hide a page
        # whose ingest failed last time
        result = await self.fetcher.fetch(row.url, etag=row.etag if row.refreshing else None,
                                          last_modified=row.last_modified if row.refreshing else None,
                                          on_attempt=self._count_attempt)
        stamp = state.now_iso()
        if result.outcome == NOT_MODIFIED:
            state.update(self.db, row.url, status=state.DONE, http_status=304, fetched_at=stamp, reason=None,
                         run_id=self.run_id)
            self.summary.unchanged += 1
            counts.unchanged += 1
            return
        if result.outcome in (FAILED, SKIPPED):
            state.update(self.db, row.url, status=state.FAILED if result.outcome == FAILED else state.SKIPPED,
                         reason=result.reason, http_status=result.status, run_id=self.run_id)
            self._bump(counts, result.outcome)
            self.on_event(profile.name, "error" if result.outcome == FAILED else "skip", f"{row.url}: {result.reason}")
            return
        ctype = (result.content_type or "").split(";")[0].strip().lower()
        if ctype and not ctype.startswith(HTML_TYPES):
            state.update(self.db, row.url, status=state.SKIPPED, reason=f"not an HTML page ({ctype})",
                         http_status=result.status, run_id=self.run_id)
            self._bump(counts, SKIPPED)
            return
        sha = rawstore.put(self.raw_dir, result.body)
        unchanged = row.refreshing and row.sha256 == sha
        state.update(self.db, row.url, status=state.DONE if unchanged else state.FETCHED, sha256=sha,
                     http_status=result.status, final_url=result.final_url if result.final_url != row.url else None,
                     etag=result.headers.get("etag"), last_modified=result.headers.get("last-modified"),
                     content_type=result.content_type, fetched_at=stamp, reason=None, run_id=self.run_id)
        if unchanged:
            self.summary.unchanged += 1
            counts.unchanged += 1
            return
        self.ingest_row(profile, row.url, result.final_url or row.url, result.body, sha, stamp, result.content_type)

    def _bump(self, counts: SiteCounts, outcome: str) -> None:
        if outcome == FAILED:
            self.summary.failed += 1
            counts.failed += 1
        else:
            self.summary.skipped += 1
            counts.skipped += 1

    def ingest_row(self, profile: Profile, url: str, page_url: str, body: bytes, sha: str, fetched_at: str,
                   content_type: str | None) -> bool:
        """Parse a stored body and put the article in the archive; record the outcome."""
        counts = self.summary.sites[profile.name]
        if not self.config.ingest:
            # fetch-only: the body stays "fetched" (raw stored) until a crawl or build ingests it
            self.summary.new_articles += 1
            counts.new_articles += 1
            return True
        try:
            article = parse_page(body, page_url, profile=profile, content_type=content_type)
        except ParseError as exc:
            state.update(self.db, url, status=state.SKIPPED, reason=f"no article text: {exc}", run_id=self.run_id)
            self._bump(counts, SKIPPED)
            return False
        if self._before_since(article.published):
            state.update(self.db, url, status=state.SKIPPED, reason=f"published {article.published}, before --since",
                         published=article.published, run_id=self.run_id)
            self._bump(counts, SKIPPED)
            return False
        try:
            assert self.ingest_fn is not None
            self.ingest_fn(self.db, article, raw_sha256=sha, fetched_at=fetched_at)
        except Exception as exc:  # one bad article must not stop the crawl
            state.update(self.db, url, status=state.FAILED, reason=f"ingest: {type(exc).__name__}: {exc}",
                         run_id=self.run_id)
            self._bump(counts, FAILED)
            self.on_event(profile.name, "error", f"{url}: ingest failed: {exc}")
            return False
        state.update(self.db, url, status=state.DONE, published=article.published, run_id=self.run_id)
        self.summary.new_articles += 1
        counts.new_articles += 1
        return True

    def resume_fetched(self) -> None:
        """Ingest the articles an interrupted run fetched but did not ingest (no new request)."""
        if not self.config.ingest:
            return
        by_name = {p.name: p for p in self.config.sites}
        for row in state.pending_ingest(self.db, by_name):
            if row.sha256 is None or not rawstore.has(self.raw_dir, row.sha256):
                state.update(self.db, row.url, status=state.QUEUED)
                continue
            body = rawstore.get(self.raw_dir, row.sha256)
            if self.ingest_row(by_name[row.site], row.url, row.url, body, row.sha256,
                               row.fetched_at or state.now_iso(), row.content_type):
                self.summary.resumed += 1

    # -- the run --------------------------------------------------------------------------------

    async def run(self) -> CrawlSummary:
        started = time.monotonic()
        names = [p.name for p in self.config.sites]
        options = {k: v for k, v in asdict(self.config).items() if k not in ("sites", "fetch")}
        options["base_urls"] = {p.name: p.base_url for p in self.config.sites}
        self.run_id = state.start_run(self.db, names, options)
        outcome = "interrupted"
        try:
            state.requeue(self.db, names, statuses=[state.FAILED], max_attempts=self.config.max_attempts)
            if self.config.refresh:
                state.requeue(self.db, names, statuses=[state.DONE], reason=state.REFRESH)
            rawstore.remove_stale_temp_files(self.raw_dir)
            self.resume_fetched()
            async with self.fetcher:
                tasks = [asyncio.create_task(self.discover(p)) for p in self.config.sites]
                for p in self.config.sites:
                    tasks += [asyncio.create_task(self.worker(p)) for _ in range(max(1, self.config.fetch.concurrency))]
                display = None
                if self.config.progress:
                    from crawl.progress import start_progress
                    display = start_progress(self)
                try:
                    await asyncio.gather(*tasks)
                finally:
                    if display is not None:
                        await display.close()
                    for t in tasks:
                        t.cancel()
                    await asyncio.gather(*tasks, return_exceptions=True)
            outcome = "max-articles" if self._max_reached() else "finished"
        finally:
            self.summary.outcome = outcome
            self.summary.elapsed = time.monotonic() - started
            state.finish_run(self.db, self.run_id, requests=self.summary.requests,
                             new_articles=self.summary.new_articles,
                             errors=self.summary.failed, outcome=outcome)
        return self.summary


async def crawl_async(config: CrawlConfig, *, db: sqlite_utils.Database | None = None,
                      ingest: IngestFn | None = None,
                      on_event: Callable[[str, str, str], None] | None = None,
                      spider_hook: Callable[[Spider], None] | None = None) -> CrawlSummary:
    """Run one crawl (see ``crawl``)."""
    if db is None:
        db = open_archive(config.db_path, ingest=config.ingest)
    else:
        state.configure(db)
    if config.ingest and ingest is None:
        ingest = _default_ingest()
    spider = Spider(config, db, ingest, on_event)
    if spider_hook:
        spider_hook(spider)
    return await spider.run()


def crawl(config: CrawlConfig, *, db: sqlite_utils.Database | None = None, ingest: IngestFn | None = None,
          on_event: Callable[[str, str, str], None] | None = None) -> CrawlSummary:
    """Crawl ``config.sites`` into the archive at ``config.db_path``; return the run's summary.

    ``ingest`` defaults to ``thidua.pipeline.ingest``; ``db`` to ``thidua.archive.open_db``.
    """
    return asyncio.run(crawl_async(config, db=db, ingest=ingest, on_event=on_event))
