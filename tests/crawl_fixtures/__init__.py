"""Fixture sites and pages for the crawl tests (see server.py for the HTTP server fixture)."""
from __future__ import annotations

from pathlib import Path

PAGES = Path(__file__).resolve().parent / "pages"


def page(name: str) -> bytes:
    """The bytes of a fixture page in tests/crawl_fixtures/pages/."""
    return (PAGES / name).read_bytes()
