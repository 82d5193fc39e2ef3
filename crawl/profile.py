"""Site profiles: everything site-specific, as data (one TOML file per site).

A profile names a site's hosts and base URL, its listing sections and how they page, the regex of
its article URLs, its sitemaps and feeds, and the CSS selectors that parse its article pages.
The bundled profiles live in ``crawl/profiles/*.toml``; a user adds a site with a TOML file of the
same shape (``thidua crawl --profile my-site.toml``), no code needed.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import soupsieve

from crawl.errors import ProfileError
from crawl.profiles import bundled_profile_paths


@dataclass(frozen=True)
class Section:
    """A listing section: its short name and its path on the site (page 1 of the listing)."""

    name: str
    path: str


@dataclass(frozen=True)
class Listing:
    """How a listing page is read and paged.

    ``item``: CSS selector of one listed article ("" = any link on the page); ``link``: selector
    of the article link inside an item; ``date``: selector of the item's date ("" = none);
    ``page_url``: template of page N >= 2 with ``{path}`` (the section path) and ``{page}``.
    """

    item: str = ""
    link: str = "a[href]"
    date: str = ""
    page_url: str = "{path}?page={page}"
    max_pages: int = 1000


@dataclass(frozen=True)
class Selectors:
    """CSS selectors and text rules that turn an article page into an ``Article``.

    Each selector list is tried in order; the first that yields text wins. A selector may end
    in ``@attr`` to read an attribute instead of the text (``time[datetime]@datetime``).
    ``drop_text``: paragraphs dropped when equal to one (case-insensitive); ``stop_text``: the
    article ends at a paragraph starting with one; ``strip_text``/``strip_regex``: removed
    anywhere; ``lead_strip``: regexes removed from the start of the lead; ``byline``: regex a
    short last paragraph must fully match to become the author; ``caption_after_image``: a short
    paragraph right after an image-only one is a caption.
    """

    title: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    published_formats: tuple[str, ...] = ("%d/%m/%Y %H:%M", "%d/%m/%Y")
    author: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    paragraph: str = "p"
    captions: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    drop_text: tuple[str, ...] = ()
    stop_text: tuple[str, ...] = ()
    strip_text: tuple[str, ...] = ()
    strip_regex: tuple[str, ...] = ()
    lead_strip: tuple[str, ...] = ()
    byline: str = ""
    caption_after_image: bool = False


@dataclass(frozen=True)
class Profile:
    """One site's profile. ``generic`` profiles (Liferay, WordPress) have no hosts of their own."""

    name: str
    hosts: tuple[str, ...] = ()
    base_url: str = ""
    article_url: str = ""
    sections: tuple[Section, ...] = ()
    listing: Listing = field(default_factory=Listing)
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    signature: tuple[str, ...] = ()
    parse: Selectors = field(default_factory=Selectors)
    generic: bool = False
    description: str = ""
    source: str = ""
    aliases: tuple[str, ...] = ()  # the original hosts, after with_base_url(): their URLs are moved

    @property
    def base_netloc(self) -> str:
        return urlsplit(self.base_url).netloc.lower() if self.base_url else ""

    def matches_host(self, netloc: str) -> bool:
        """True when ``netloc`` ("host" or "host:port") is one of the profile's hosts.

        A host pattern with a port ("127.0.0.1:8080", set by ``--base-url``) must match host and
        port; one without ("kiemsat.vn", "vks*.gov.vn") matches the host on any port.
        """
        netloc = _norm_netloc(netloc)
        host = _split_host(netloc)
        for pattern in self.hosts:
            pattern = pattern.lower()
            if ":" in pattern.rsplit("]", 1)[-1]:
                if netloc == _norm_netloc(pattern):
                    return True
            elif fnmatch.fnmatchcase(host, pattern):
                return True
        return False

    def localize(self, url: str) -> str:
        """A URL on one of the original hosts (``aliases``) moved to the ``--base-url`` origin."""
        if not self.aliases:
            return url
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if any(fnmatch.fnmatchcase(host, a) for a in self.aliases) and not self.matches_host(parts.netloc):
            base = urlsplit(self.base_url)
            return urlunsplit((base.scheme, base.netloc, parts.path or "/", parts.query, ""))
        return url

    def is_article_url(self, url: str) -> bool:
        """True when ``url``'s path matches the profile's article URL regex."""
        if not self.article_url:
            return False
        parts = urlsplit(url)
        target = parts.path + ("?" + parts.query if parts.query else "")
        return re.search(self.article_url, target) is not None

    def section(self, name: str) -> Section:
        """The section called ``name`` (or whose path is ``name``); a path not listed makes a new one."""
        for s in self.sections:
            if name in (s.name, s.path, s.path.strip("/")):
                return s
        if name.startswith("/"):
            return Section(name=name.strip("/") or name, path=name)
        known = ", ".join(s.name for s in self.sections) or "none"
        raise ProfileError(f"profile {self.name!r} has no section {name!r} (known: {known}); "
                           f"give a path starting with '/' to crawl another listing")

    def with_base_url(self, base_url: str) -> Profile:
        """The same profile pointed at another origin (a mirror, a test server).

        The host allow-list becomes the new origin's host only.
        """
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ProfileError(f"--base-url {base_url!r} is not an http(s) URL")
        netloc = _norm_netloc(parts.netloc, parts.scheme)
        origin = f"{parts.scheme}://{netloc}"
        host_pattern = netloc if parts.port else parts.hostname.lower()
        return dataclasses.replace(self, base_url=origin, hosts=(host_pattern,),
                                   aliases=tuple(dict.fromkeys((*self.aliases, *self.hosts))))


def _norm_netloc(netloc: str, scheme: str = "") -> str:
    netloc = netloc.lower().rstrip(".").split("@")[-1]
    if scheme == "http" and netloc.endswith(":80"):
        netloc = netloc[:-3]
    elif scheme == "https" and netloc.endswith(":443"):
        netloc = netloc[:-4]
    return netloc


def _split_host(netloc: str) -> str:
    if netloc.startswith("["):
        return netloc[1:].split("]", 1)[0]
    return netloc.split(":", 1)[0].rstrip(".")


def _tuple(value: Any, key: str, source: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ProfileError(f"{source}: {key} must be a string or a list of strings")


def _check_regex(pattern: str, key: str, source: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ProfileError(f"{source}: {key} is not a valid regex: {exc}") from exc


_ATTR_SPEC = re.compile(r"(.+?)@([A-Za-z_:][\w:.-]*)")


def _check_css(spec: str, key: str, source: str) -> None:
    m = _ATTR_SPEC.fullmatch(spec)
    selector = m.group(1) if m else spec
    try:
        soupsieve.compile(selector)
    except Exception as exc:  # soupsieve raises SelectorSyntaxError and friends
        raise ProfileError(f"{source}: {key} has an invalid CSS selector {spec!r}: {exc}") from exc


def profile_from_dict(data: dict[str, Any], source: str = "<dict>") -> Profile:
    """Build a Profile from parsed TOML data, checking types and regexes."""
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise ProfileError(f"{source}: a profile needs a non-empty 'name'")
    p = data.get("parse", {}) or {}
    lst = data.get("listing", {}) or {}
    sel_kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(Selectors):
        if f.name not in p:
            continue
        if f.name == "caption_after_image":
            sel_kwargs[f.name] = bool(p[f.name])
        elif f.name in ("paragraph", "byline"):
            if not isinstance(p[f.name], str):
                raise ProfileError(f"{source}: parse.{f.name} must be a string")
            sel_kwargs[f.name] = p[f.name]
        else:
            sel_kwargs[f.name] = _tuple(p[f.name], f"parse.{f.name}", source)
    unknown = set(p) - {f.name for f in dataclasses.fields(Selectors)}
    if unknown:
        raise ProfileError(f"{source}: unknown keys in [parse]: {', '.join(sorted(unknown))}")
    selectors = Selectors(**sel_kwargs)
    for key in ("title", "lead", "published", "author", "body", "captions", "drop"):
        for spec in getattr(selectors, key):
            _check_css(spec, f"parse.{key}", source)
    _check_css(selectors.paragraph or "p", "parse.paragraph", source)
    for pattern in (*selectors.strip_regex, *selectors.lead_strip, selectors.byline):
        _check_regex(pattern, "parse regex", source)
    for spec in _tuple(data.get("signature"), "signature", source):
        _check_css(spec, "signature", source)
    for key in ("item", "link", "date"):
        if lst.get(key):
            _check_css(str(lst[key]), f"listing.{key}", source)
    listing = Listing(
        item=str(lst.get("item", "")),
        link=str(lst.get("link", "a[href]")),
        date=str(lst.get("date", "")),
        page_url=str(lst.get("page_url", "{path}?page={page}")),
        max_pages=int(lst.get("max_pages", 1000)),
    )
    sections = []
    for s in data.get("sections", []) or []:
        if not isinstance(s, dict) or not isinstance(s.get("path"), str):
            raise ProfileError(f"{source}: each [[sections]] needs a 'path'")
        sections.append(Section(name=str(s.get("name") or s["path"].strip("/")), path=s["path"]))
    article_url = str(data.get("article_url", ""))
    _check_regex(article_url, "article_url", source)
    base_url = str(data.get("base_url", "")).rstrip("/")
    hosts = _tuple(data.get("hosts"), "hosts", source)
    if not hosts and base_url:
        hosts = (urlsplit(base_url).hostname or "",)
    return Profile(
        name=data["name"],
        hosts=tuple(h.lower() for h in hosts if h),
        base_url=base_url,
        article_url=article_url,
        sections=tuple(sections),
        listing=listing,
        sitemaps=_tuple(data.get("sitemaps"), "sitemaps", source),
        feeds=_tuple(data.get("feeds"), "feeds", source),
        signature=_tuple(data.get("signature"), "signature", source),
        parse=selectors,
        generic=bool(data.get("generic", False)),
        description=str(data.get("description", "")),
        source=source,
    )


def load_profile_file(path: str | Path) -> Profile:
    """Load one profile from a TOML file."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ProfileError(f"cannot read profile {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"profile {path} is not valid TOML: {exc}") from exc
    return profile_from_dict(data, source=str(path))


@lru_cache(maxsize=1)
def bundled_profiles() -> tuple[Profile, ...]:
    """The profiles shipped with thidua: site profiles first, then the generic ones."""
    profiles = [load_profile_file(p) for p in bundled_profile_paths()]
    order = {"kiemsat.vn": 0, "baovephapluat.vn": 1, "vksndtc.gov.vn": 2, "generic": 99}
    return tuple(sorted(profiles, key=lambda p: (p.generic, order.get(p.name, 50), p.name)))


_user_profiles: list[Profile] = []


def register_profile(profile: Profile) -> None:
    """Make a (user) profile known to ``profile_for_url`` and ``all_profiles``; it wins over bundled ones."""
    _user_profiles[:] = [p for p in _user_profiles if p.name != profile.name]
    _user_profiles.insert(0, profile)


def all_profiles() -> tuple[Profile, ...]:
    """Registered user profiles, then the bundled ones (a user profile hides a bundled one of the same name)."""
    names = {p.name for p in _user_profiles}
    return (*_user_profiles, *(p for p in bundled_profiles() if p.name not in names))


def profile_names() -> list[str]:
    return [p.name for p in all_profiles()]


def load_profile(name_or_path: str | Path) -> Profile:
    """A profile by name (``kiemsat.vn``, ``kiemsat``, ``liferay``...) or from a TOML file path."""
    text = str(name_or_path)
    path = Path(text)
    if text.endswith(".toml") or path.is_file():
        if not path.is_file():
            raise ProfileError(f"profile file {text} does not exist")
        return load_profile_file(path)
    wanted = text.lower().removeprefix("https://").removeprefix("http://").strip("/")
    for p in all_profiles():
        stem = Path(p.source).stem if p.source else ""
        if wanted in (p.name.lower(), stem.lower()) or p.matches_host(wanted):
            return p
    raise ProfileError(f"unknown site profile {text!r}; known: {', '.join(profile_names())} "
                       f"(or give a profile .toml file)")


def profile_for_url(url: str, profiles: tuple[Profile, ...] | list[Profile] | None = None) -> Profile | None:
    """The profile whose hosts include ``url``'s host, or None."""
    netloc = urlsplit(url).netloc
    if not netloc:
        return None
    for p in profiles if profiles is not None else all_profiles():
        if p.matches_host(netloc):
            return p
    return None
