"""robots.txt: which paths thidua may fetch on a host, and the Crawl-delay it asks for.

Follows RFC 9309: a 4xx robots.txt (404...) allows everything; a 5xx or unreachable one
disallows everything for this run (the host may be in trouble); a redirect is followed by the
fetcher. Rules for the ``thidua`` product token win over ``*``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

ROBOTS_TOKEN = "thidua"


@dataclass
class Robots:
    """The parsed rules of one origin."""

    origin: str
    parser: RobotFileParser | None = None  # None: allow_all / disallow_all decides
    allow_all: bool = False
    disallow_all: bool = False
    note: str = ""
    sitemaps: list[str] = field(default_factory=list)

    def allowed(self, url: str) -> bool:
        if self.disallow_all:
            return False
        if self.allow_all or self.parser is None:
            return True
        return self.parser.can_fetch(ROBOTS_TOKEN, url)

    def crawl_delay(self) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(ROBOTS_TOKEN)
        if delay is None:
            return None
        try:
            return max(0.0, float(delay))
        except (TypeError, ValueError):
            return None


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def parse_robots(origin: str, text: str) -> Robots:
    """Rules from the text of a robots.txt (fractional Crawl-delay values are kept)."""
    parser = RobotFileParser()
    lines = text.splitlines()
    parser.parse(lines)
    robots = Robots(origin=origin, parser=parser)
    robots.sitemaps = list(parser.site_maps() or [])
    # urllib.robotparser only accepts integer Crawl-delay; read fractional ones ourselves.
    _fractional_delay(robots, lines)
    return robots


def _fractional_delay(robots: Robots, lines: list[str]) -> None:
    agents: list[str] = []
    in_rules = False
    found: dict[str, float] = {}
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
        elif key == "crawl-delay":
            in_rules = True
            try:
                seconds = float(value)
            except ValueError:
                continue
            for agent in agents:
                found.setdefault(agent, seconds)
        elif key in ("allow", "disallow"):
            in_rules = True
    delay = next((v for a, v in found.items() if a != "*" and a in ROBOTS_TOKEN), found.get("*"))
    if delay is not None:
        robots.parser.crawl_delay = lambda useragent, _d=delay: _d  # type: ignore[union-attr,method-assign]


def robots_from_status(origin: str, status: int | None, text: str | None) -> Robots:
    """Rules from the outcome of fetching robots.txt (status None = unreachable)."""
    if status is not None and 200 <= status < 300 and text is not None:
        return parse_robots(origin, text)
    if status is not None and 400 <= status < 500:
        return Robots(origin=origin, allow_all=True, note=f"robots.txt HTTP {status}: all allowed")
    return Robots(origin=origin, disallow_all=True,
                  note=f"robots.txt {'HTTP ' + str(status) if status else 'unreachable'}: nothing allowed this run")
