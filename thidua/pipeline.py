"""One article through the pipeline: read (a saved page or a text) -> extract -> archive.

    article = read_source(path)            # crawl.parse for .html, plain text for .txt
    facts = extract_article(article)       # extract/ over article.text()
    ingest(db, article)                    # extract + store in one transaction
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from crawl.article import Article
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


def _extract_file(path: Path) -> tuple[Path, Extraction | None, str | None, str | None]:
    """Worker: read and extract one file (no database access here)."""
    try:
        article, raw = read_source(path)
        return path, extract_article(article), sha256(raw), None
    except SourceError as exc:
        return path, None, None, str(exc)
    except Exception as exc:  # a bug in a rule must not stop a build of thousands of files
        return path, None, None, f"{path}: extraction failed ({type(exc).__name__}: {exc})"


def build(db: sqlite_utils.Database, paths: Iterable[str | Path], *, workers: int = 1,
          on_progress=None, on_error=None) -> BuildResult:
    """Extract files (or folders of .html/.txt) into the archive.

    Extraction is per article and independent, so ``workers`` > 1 runs it in that many processes
    while this process writes to SQLite (one writer, short transactions). Files are streamed: memory
    does not grow with the number of files. ``on_progress(done)`` and ``on_error(message)`` report.
    """
    from .archive import checkpoint, refresh_leaders
    res = BuildResult()
    files = iter_paths(paths)
    if workers > 1:
        import multiprocessing as mp
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        with ctx.Pool(workers) as pool:
            results = pool.imap(_extract_file, files, chunksize=8)
            _store_all(db, results, res, on_progress, on_error)
    else:
        _store_all(db, map(_extract_file, files), res, on_progress, on_error)
    refresh_leaders(db)
    checkpoint(db)
    return res


def _store_all(db, results, res: BuildResult, on_progress, on_error, batch: int = 50) -> None:
    """Write extractions in batches of ``batch`` articles per transaction."""
    from .archive import store_many
    pending: list[tuple] = []

    def flush() -> None:
        if pending:
            store_many(db, pending)
            res.stored += len(pending)
            pending.clear()

    for done, (path, ex, raw_sha, err) in enumerate(results, 1):
        if ex is None:
            res.failed += 1
            if on_error:
                on_error(err)
        else:
            pending.append((ex.article, ex.facts, ex.body, raw_sha, None))
            if len(pending) >= batch:
                flush()
        if on_progress:
            on_progress(done)
    flush()
