"""thidua: an event archive of Vietnam's People's Procuracy emulation news.

The pipeline reads left to right: ``crawl`` (fetch and parse pages) -> ``extract`` (facts with
evidence spans) -> ``thidua.archive`` (SQLite) -> ``thidua.queries`` (CLI and dashboard).
"""
from .archive import ArchiveError, open_db, store
from .pipeline import SourceError, extract_article, ingest, read_source
from .queries import leaders, members, search

__all__ = ["ArchiveError", "SourceError", "extract_article", "ingest", "leaders", "members", "open_db",
           "read_source", "search", "store"]
