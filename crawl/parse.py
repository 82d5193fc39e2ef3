"""Parse one article page (HTML bytes or text) into an ``Article``.

The profile is the one given, else the one owning the URL's host, else the one owning the page's
canonical/og:url host, else the first whose markup signature matches, else the generic fallback
(largest block of <p>s, <title>/<h1>, meta description, meta article:published_time). Each field
falls back to the generic profile's selectors when the site's own find nothing.
"""
from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag
from bs4 import XMLParsedAsHTMLWarning
from bs4.element import CData

from crawl.article import Article
from crawl.charset import decode_html
from crawl.dates import parse_published
from crawl.errors import ParseError
from crawl.profile import Profile, Selectors, all_profiles, load_profile, profile_for_url

BLOCK_TAGS = frozenset("""
address article aside blockquote body center dd details dialog div dl dt fieldset figcaption figure footer
form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul
""".split())
_SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction, CData)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_WS = re.compile(r"\s+")
_ATTR_SPEC = re.compile(r"(.+?)@([A-Za-z_:][\w:.-]*)")


def clean_text(text: str) -> str:
    """NFC, invisible characters removed, whitespace runs collapsed to one space, stripped."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return _WS.sub(" ", text).strip()


def _walk(el: Tag, out: list[str]) -> None:
    for child in el.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, _SKIP_STRINGS):
                out.append(str(child))
        elif isinstance(child, Tag):
            if child.name == "br" or child.name in BLOCK_TAGS:
                out.append(" ")
                _walk(child, out)
                out.append(" ")
            else:
                _walk(child, out)


def element_text(el: Tag) -> str:
    """An element's text, inline markup joined as is, block boundaries and <br> as spaces."""
    out: list[str] = []
    _walk(el, out)
    return clean_text("".join(out))


def block_texts(el: Tag) -> list[str]:
    """An element's text split at block boundaries and <br>s (for bodies without <p>s)."""
    chunks: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = clean_text("".join(buf))
        buf.clear()
        if text:
            chunks.append(text)

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _SKIP_STRINGS):
                    buf.append(str(child))
            elif isinstance(child, Tag):
                if child.name == "br":
                    flush()
                elif child.name in BLOCK_TAGS:
                    flush()
                    walk(child)
                    flush()
                else:
                    walk(child)

    walk(el)
    flush()
    return chunks


def _select(root: Tag, selector: str) -> list[Tag]:
    try:
        return root.select(selector)
    except Exception:  # a selector soupsieve rejects must not crash a parse
        return []


def _values(root: Tag, selectors: Iterable[str]) -> Iterator[str]:
    """Texts (or ``@attr`` values) of the elements matching each selector, in selector order."""
    for spec in selectors:
        m = _ATTR_SPEC.fullmatch(spec)
        sel, attr = (m.group(1), m.group(2)) if m else (spec, "")
        for el in _select(root, sel):
            value = el.get(attr) if attr else element_text(el)
            if isinstance(value, list):
                value = " ".join(value)
            if value and clean_text(value):
                yield clean_text(value)


def _first(root: Tag, *selector_lists: Iterable[str]) -> str | None:
    for selectors in selector_lists:
        for value in _values(root, selectors):
            return value
    return None


def _meta_url(soup: BeautifulSoup) -> str | None:
    for sel, attr in (("link[rel~=canonical]", "href"), ("meta[property='og:url']", "content")):
        el = soup.select_one(sel)
        if el and el.get(attr):
            value = str(el.get(attr)).strip()
            if urlsplit(value).scheme in ("http", "https"):
                return value
    return None


def _signature_matches(soup: BeautifulSoup, profile: Profile) -> bool:
    return bool(profile.signature) and all(_select(soup, s)[:1] for s in profile.signature)


def choose_profile(soup: BeautifulSoup, url: str | None = None) -> Profile:
    """The profile for a page: by URL host, canonical/og:url host, markup signature, else generic."""
    for candidate in (url, _meta_url(soup)):
        if candidate:
            found = profile_for_url(candidate)
            if found:
                return found
    for profile in all_profiles():
        if profile.name != "generic" and _signature_matches(soup, profile):
            return profile
    return generic_profile()


def generic_profile() -> Profile:
    return load_profile("generic")


def _remove(root: Tag, selectors: Iterable[str]) -> None:
    for sel in selectors:
        for el in _select(root, sel):
            if el is not root:
                el.decompose()


def _largest_block(root: Tag, paragraph: str) -> Tag | None:
    """The element whose direct <p> children hold the most text."""
    scores: dict[int, tuple[int, Tag]] = {}
    for p in _select(root, paragraph):
        parent = p.parent
        if not isinstance(parent, Tag):
            continue
        n = len(element_text(p))
        key = id(parent)
        prev = scores.get(key, (0, parent))[0]
        scores[key] = (prev + n, parent)
    if not scores:
        return None
    return max(scores.values(), key=lambda item: item[0])[1]


class _Rules:
    """A profile's text rules, compiled."""

    def __init__(self, sel: Selectors, fallback: Selectors) -> None:
        self.drop_text = {t.casefold() for t in (*sel.drop_text, *fallback.drop_text)}
        self.stop_text = tuple(t.casefold() for t in sel.stop_text)
        self.strip_text = tuple(dict.fromkeys((*sel.strip_text, *fallback.strip_text)))
        self.strip_regex = [re.compile(r) for r in sel.strip_regex]
        self.lead_strip = [re.compile(r, re.I) for r in sel.lead_strip]
        self.byline = re.compile(sel.byline) if sel.byline else None

    def clean(self, text: str) -> str:
        for s in self.strip_text:
            text = text.replace(s, " ")
        for r in self.strip_regex:
            text = r.sub("", text)
        return clean_text(text)

    def dropped(self, text: str) -> bool:
        return text.casefold() in self.drop_text or not any(c.isalnum() for c in text)

    def stops(self, text: str) -> bool:
        folded = text.casefold()
        return any(folded.startswith(s) for s in self.stop_text)


def _paragraphs(body: Tag, paragraph: str) -> list[str]:
    """Texts of the innermost elements matching ``paragraph``; block split if they miss most text."""
    matched = _select(body, paragraph)
    matched_ids = {id(el) for el in matched}
    leaves = [el for el in matched
              if not any(id(d) in matched_ids for d in el.find_all(True))]
    texts = [element_text(el) for el in leaves]
    total = len(element_text(body))
    covered = sum(len(t) for t in texts)
    if total and covered < 0.6 * total:
        return block_texts(body)
    return texts


def _image_only(el: Tag | None) -> bool:
    return isinstance(el, Tag) and el.find("img") is not None and not element_text(el)


def _captions_after_images(body: Tag, paragraph: str) -> list[Tag]:
    """Short blocks right after an image-only block (the usual unmarked picture caption)."""
    found = []
    for el in _select(body, paragraph):
        if el.find("img") is not None:
            continue
        prev = el.find_previous_sibling(True)
        if prev is None or not _image_only(prev):
            continue
        text = element_text(el)
        if 0 < len(text) <= 300:
            found.append(el)
    return found


def _take_captions(body: Tag, selectors: Iterable[str], rules: _Rules, after_images: str = "") -> list[str]:
    taken: list[Tag] = []
    candidates = [el for sel in selectors for el in _select(body, sel)]
    if after_images:
        candidates += _captions_after_images(body, after_images)
    for el in candidates:
        if not any(el is t or t in el.parents for t in taken):
            taken.append(el)
    # document order
    order = {id(el): i for i, el in enumerate(body.find_all(True))}
    taken.sort(key=lambda el: order.get(id(el), 0))
    captions = []
    for el in taken:
        text = rules.clean(element_text(el))
        el.decompose()
        if text and not rules.dropped(text):
            captions.append(text)
    return captions


def parse_soup(soup: BeautifulSoup, url: str | None, profile: Profile, *, source: str = "page") -> Article:
    """Parse an already-built soup with a given profile (the soup is modified)."""
    generic = generic_profile().parse
    sel = profile.parse
    rules = _Rules(sel, generic)
    _remove(soup, ("script", "style", "noscript", "template", "svg"))

    canonical = _meta_url(soup)
    title = _first(soup, sel.title, generic.title)
    title = rules.clean(title) if title else None
    lead = _first(soup, sel.lead) if sel.lead else None
    if lead is None and (profile.name == "generic" or not sel.lead):
        lead = _first(soup, generic.lead)
    if lead:
        for r in rules.lead_strip:
            lead = r.sub("", lead)
        lead = rules.clean(lead) or None
    published = None
    for value in _values(soup, (*sel.published, *generic.published)):
        published = parse_published(value, sel.published_formats)
        if published:
            break
    author = _first(soup, sel.author) if sel.author else None
    author = rules.clean(author) if author else None

    body = None
    for spec in sel.body:
        found = _select(soup, spec)
        if found:
            body = found[0]
            break
    if body is None:
        _remove(soup, generic.drop)
        body = _largest_block(soup, sel.paragraph or "p") or soup.body or soup
    captions = _take_captions(body, (*sel.captions, *generic.captions[:2]), rules,
                              sel.paragraph or "p" if sel.caption_after_image else "")
    _remove(body, (*sel.drop, *(generic.drop if profile.name == "generic" else ())))

    paragraphs: list[str] = []
    seen_title_or_lead = {t.casefold() for t in (title, lead, author) if t}
    for raw in _paragraphs(body, sel.paragraph or "p"):
        text = rules.clean(raw)
        if not text:
            continue
        if rules.stops(text):
            break
        if _SEPARATOR.match(text):
            paragraphs.append(text)  # consumed by _lead_before_separator below
            continue
        if rules.dropped(text) or text.casefold() in seen_title_or_lead:
            continue
        paragraphs.append(text)

    # Liferay-style "lead ... = = =": the paragraphs before a separator near the top are the lead.
    lead_above, paragraphs = _lead_before_separator(paragraphs, title)
    lead = lead or lead_above
    if not author and rules.byline and paragraphs:
        last = paragraphs[-1]
        if len(last) <= 80 and not last.endswith((".", ":", ";", "!", "?")) and rules.byline.fullmatch(last):
            author = last
            paragraphs = paragraphs[:-1]

    if not (title or lead or paragraphs):
        raise ParseError(f"no article text found in {source}")
    if not title and paragraphs and len(paragraphs[0]) < 200:
        title = paragraphs.pop(0)
    return Article(
        url=canonical or url,
        site=profile.name,
        title=title or None,
        lead=lead or None,
        published=published,
        author=author or None,
        paragraphs=paragraphs,
        captions=captions,
    )


_SEPARATOR = re.compile(r"^(?:=\s*){3,}$|^(?:-\s*){3,}$|^(?:\*\s*){3,}$")


def _lead_before_separator(paragraphs: list[str], title: str | None) -> tuple[str | None, list[str]]:
    for i, text in enumerate(paragraphs[:4]):
        if _SEPARATOR.match(text):
            before = [p for p in paragraphs[:i] if not title or p.casefold() != title.casefold()]
            return (" ".join(before) or None), paragraphs[i + 1:]
    return None, [p for p in paragraphs if not _SEPARATOR.match(p)]


def parse_page(
    html: bytes | str,
    url: str | None = None,
    profile: Profile | None = None,
    *,
    content_type: str | None = None,
) -> Article:
    """Parse an article page into an ``Article``.

    ``html``: the page (bytes are decoded by BOM, then strict UTF-8, then ``content_type``'s
    charset, ``<meta charset>``, windows-1258, latin-1). ``url``: where it came from (chooses the
    profile; the page's canonical URL wins for ``Article.url``). ``profile``: force a profile.
    Raises ``ParseError`` (naming the input) only when the page holds no text at all.
    """
    source = url or "page"
    if isinstance(html, (bytes, bytearray, memoryview)):
        text, _ = decode_html(bytes(html), content_type)
    elif isinstance(html, str):
        text = html
    else:
        raise TypeError(f"parse_page wants bytes or str, not {type(html).__name__}")
    if not text.strip():
        raise ParseError(f"{source} is empty")
    try:
        with warnings.catch_warnings():
            # an XHTML page or a stray "<?xml ...?>" is still read as HTML, without a warning on stderr
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml copes with almost anything; be safe anyway
        raise ParseError(f"cannot parse {source} as HTML: {exc}") from exc
    if profile is None:
        profile = choose_profile(soup, url)
    return parse_soup(soup, url, profile, source=source)
