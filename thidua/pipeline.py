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
from extract import ArticleFacts, run
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
