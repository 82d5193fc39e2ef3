"""The Article: what the crawler's page parsers hand to the extractor and the archive."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    """One news post, parsed from a page (or read from a plain-text file).

    ``text()`` is the exact string the extractor reads; every evidence span stored in the
    archive is a character offset into it, so the archive stores that string too.
    """

    url: str | None = None
    site: str | None = None
    title: str | None = None
    lead: str | None = None
    published: str | None = None  # ISO 8601, Asia/Ho_Chi_Minh offset (+07:00) when a time is known
    author: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)  # picture captions, kept apart from the prose

    def text(self) -> str:
        parts = [p for p in (self.title, self.lead) if p]
        parts.extend(p for p in self.paragraphs if p)
        parts.extend(c for c in self.captions if c)
        return "\n\n".join(parts)
