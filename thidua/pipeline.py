"""One article through the pipeline: read (a saved page or a text) -> extract -> archive.

    article = read_source(path)            # crawl.parse for .html, plain text for .txt
    facts = extract_article(article)       # extract/ over article.text()
    ingest(db, article)                    # extract + store in one transaction
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Optional
from pathlib import Path

import sqlite_utils

from crawl.article import Article
from crawl.state import UrlRow
from extract.facts import ArticleFacts
from extract.normalize import clean_text

from .archive import store

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text"}


class SourceError(Exception):
    """An input file that cannot be read or parsed; the message names the file."""


def read_source(path: str | Path) -> tuple[Article, bytes]:
    """An Article from a saved page (.html) or a plain text (.txt), and the raw bytes."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory (use `thidua build DIR` for folders)") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror})") from None
    suffix = p.suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and raw.lstrip()[:15].lower().startswith((b"<!doctype", b"<html"))):
        from crawl import ParseError, parse_page
        try:
            article = parse_page(raw, url=None)
        except ParseError as exc:
            raise SourceError(f"{path}: {exc}") from None
        if not article.url:
            article.url = p.resolve().as_uri()
        return article, raw
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("cp1258")
        except UnicodeDecodeError:
            raise SourceError(f"{path}: not UTF-8 text (save it as UTF-8 and try again)") from None
    if "\x00" in text:
        raise SourceError(f"{path}: looks like a binary file, not a text or an HTML page")
    if not text.strip():
        raise SourceError(f"{path}: empty file")
    return Article(url=p.resolve().as_uri(), site="text", paragraphs=[text]), raw


def article_body(article: Article) -> str:
    """The text the extractor reads and the archive stores (evidence offsets index into it)."""
    return clean_text(article.text())


@dataclass
class Extraction:
    article: Article
    body: str
    facts: ArticleFacts


def extract_article(article: Article) -> Extraction:
    from extract.pipeline import run  # loads the NLP models on first use
    body = article_body(article)
    doc = run(body, title=article.title, published=article.published)
    return Extraction(article, body, doc._.facts)


def ingest(db: sqlite_utils.Database, article: Article, *, raw_sha256: str | None = None,
           fetched_at: str | None = None) -> int:
    """Extract ``article`` and store it with its facts (idempotent by URL). Returns the article id."""
    ex = extract_article(article)
    return store(db, article, ex.facts, body=ex.body, raw_sha256=raw_sha256, fetched_at=fetched_at)


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the .html/.txt files inside folders named (sorted, recursively)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in HTML_SUFFIXES | TEXT_SUFFIXES)
        else:
            yield p


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass
class BuildResult:
    stored: int = 0
    failed: int = 0


# Worker results: (Extraction or None, raw sha256, fetched_at, error message or None, source), the
# source being the file or the crawled URL
Result = tuple[Optional[Extraction], Optional[str], Optional[str], Optional[str], str]


def _extract_file(path: Path) -> Result:
    """Worker: read and extract one file (no database access here)."""
    try:
        article, raw = read_source(path)
        return extract_article(article), sha256(raw), None, None, str(path)
    except SourceError as exc:
        return None, None, None, str(exc), str(path)
    except Exception as exc:  # a bug in a rule must not stop a build of thousands of files
        return None, None, None, f"{path}: extraction failed ({type(exc).__name__}: {exc})", str(path)


def _extract_stored(job: tuple[str, UrlRow]) -> Result:
    """Worker: parse one page of the crawler's raw store again and extract it (no database access)."""
    from crawl import state
    from crawl.rebuild import parse_stored
    raw_dir, row = job
    try:
        page = parse_stored(raw_dir, row)
        if page.article is None:
            return None, row.sha256, None, f"{row.url}: {page.error}", row.url
        return extract_article(page.article), row.sha256, row.fetched_at or state.now_iso(), None, row.url
    except Exception as exc:  # one bad page must not stop a rebuild of thousands
        return None, row.sha256, None, f"{row.url}: re-extraction failed ({type(exc).__name__}: {exc})", row.url


def _run(db, worker, jobs: Iterable, workers: int, on_progress, on_error, after_batch=None) -> BuildResult:
    """``worker`` over ``jobs`` in ``workers`` processes (extraction is per article and independent),
    this process writing the results to SQLite in batches (one writer)."""
    from .archive import checkpoint, refresh_leaders
    res = BuildResult()
    if workers > 1:
        import multiprocessing as mp
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        with ctx.Pool(workers) as pool:
            _store_all(db, pool.imap(worker, jobs, chunksize=8), res, on_progress, on_error, after_batch)
    else:
        _store_all(db, map(worker, jobs), res, on_progress, on_error, after_batch)
    refresh_leaders(db)
    checkpoint(db)
    return res


def build(db: sqlite_utils.Database, paths: Iterable[str | Path], *, workers: int = 1,
          on_progress=None, on_error=None) -> BuildResult:
    """Extract files (or folders of .html/.txt) into the archive.

    ``workers`` > 1 extracts in that many processes while this one writes. Files are streamed: memory
    does not grow with the number of files. ``on_progress(done)`` and ``on_error(message)`` report.
    """
    return _run(db, _extract_file, iter_paths(paths), workers, on_progress, on_error)


def rebuild_from_raw(db: sqlite_utils.Database, raw_dir: str | Path, *, workers: int = 1, sites=None,
                     on_progress=None, on_error=None) -> BuildResult:
    """Re-extract every article page the crawler kept in the raw store, without fetching (after an
    extractor upgrade), in ``workers`` processes like :func:`build`; each page re-stored is marked
    done in the crawl state (a page an interrupted crawl left "fetched" too)."""
    from crawl import state
    rows = state.fetched_pages(db, sites)
    return _run(db, _extract_stored, ((str(raw_dir), r) for r in rows), workers, on_progress, on_error,
                after_batch=lambda done: state.mark_done(db, [(url, a.published) for url, (a, *_) in done]))


# a build commits every BATCH articles (the archive writes several times faster in big batches: one
# search-index segment per batch) or every BATCH_SECONDS, so readers see progress and a killed build
# redoes at most that much work
BATCH, BATCH_SECONDS = 500, 2.0


def _store_all(db, results: Iterable[Result], res: BuildResult, on_progress, on_error, after_batch=None,
               batch: int = BATCH, seconds: float = BATCH_SECONDS) -> None:
    """Write extractions in batches (one transaction each); after each, ``after_batch`` gets the
    (source, stored item) pairs."""
    from .archive import store_many
    pending: list[tuple] = []
    sources: list[str] = []
    started = time.monotonic()

    def flush() -> None:
        nonlocal started
        if pending:
            store_many(db, pending)
            if after_batch:
                after_batch(list(zip(sources, pending)))
            res.stored += len(pending)
            pending.clear()
            sources.clear()
        started = time.monotonic()

    for done, (ex, raw_sha, fetched_at, err, source) in enumerate(results, 1):
        if ex is None:
            res.failed += 1
            if on_error:
                on_error(err)
        else:
            pending.append((ex.article, ex.facts, ex.body, raw_sha, fetched_at))
            sources.append(source)
            if len(pending) >= batch or time.monotonic() - started >= seconds:
                flush()
        if on_progress:
            on_progress(done)
    flush()
