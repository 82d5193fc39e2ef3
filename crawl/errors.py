"""Errors raised by the crawl package."""
from __future__ import annotations


class CrawlError(Exception):
    """Base class of the crawl package's errors."""


class ParseError(CrawlError):
    """A page holds no article text at all (the message names the input)."""


class ProfileError(CrawlError):
    """A site profile is missing, unreadable or invalid (the message names the file)."""
