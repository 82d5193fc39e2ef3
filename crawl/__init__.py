"""thidua's crawler: site profiles, page parsing and (later) the polite incremental crawler."""
from __future__ import annotations

from crawl.article import Article
from crawl.errors import CrawlError, ParseError, ProfileError
from crawl.parse import parse_page
from crawl.profile import Profile, all_profiles, load_profile, profile_for_url, register_profile


def crawl(config: "CrawlConfig", **kwargs: object) -> "CrawlSummary":  # noqa: F821
    """Run a crawl (see ``crawl.spider.crawl``); imported lazily to keep ``import crawl`` light."""
    from crawl.spider import crawl as _crawl

    return _crawl(config, **kwargs)  # type: ignore[arg-type]

__all__ = [
    "Article",
    "CrawlError",
    "ParseError",
    "Profile",
    "ProfileError",
    "all_profiles",
    "crawl",
    "load_profile",
    "parse_page",
    "profile_for_url",
    "register_profile",
]
