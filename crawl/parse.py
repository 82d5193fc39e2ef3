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
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from urllib.parse import urlsplit

import soupsieve
from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag
from bs4 import XMLParsedAsHTMLWarning
from bs4.element import CData
from soupsieve import css_types

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
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_ATTR_SPEC = re.compile(r"(.+?)@([A-Za-z_:][\w:.-]*)")


def clean_text(text: str) -> str:
    """NFC, invisible characters removed, whitespace runs collapsed to one space, stripped."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))  # re.sub: much faster than str.translate
    # str.split() splits at exactly the characters r"\s" matches (str.isspace), and faster than re.sub
    return " ".join(text.split())


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


# -- selecting ---------------------------------------------------------------------------------------
#
# A page needs ~35 CSS selects (boilerplate removal, field selectors and their generic fallbacks,
# profile signatures, captions). soupsieve's select() walks the whole tree and tries the selector
# on every element, which made selecting ~70% of a parse. Instead the tree is indexed once
# (``_TreeIndex``) by tag name, id, class and attribute name, and a selector is tried -- still by
# soupsieve, so what matches is unchanged -- only on the elements that have what its rightmost
# compound requires (``div.noidung`` -> the elements of class "noidung"). A selector that requires
# nothing more (``p``, ``.time``, ``#comments``) is answered by the index alone. Either way the
# result is the elements of ``root.select(selector)``, in the same (document) order.

_CLASS_TOKENS = re.compile("[^ \t\r\n\f]+")  # how soupsieve splits a class attribute given as a string
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _lower(name: str) -> str:
    """ASCII-only lowercasing, as soupsieve compares tag and attribute names in HTML."""
    return name.lower() if name.isascii() else name.translate(_ASCII_LOWER)


def _index_key(part: css_types.Selector) -> tuple[str, str] | None:
    """A key under which every element matching ``part`` (one selector of a comma list: its
    rightmost compound, ancestors in ``part.relation``) is indexed, or None. Like soupsieve,
    ids and classes are compared exactly, tag and attribute names ASCII-case-insensitively."""
    if part.ids:
        return ("id", part.ids[0])
    if part.classes:
        return ("class", part.classes[0])
    if part.tag is not None and part.tag.name not in (None, "*"):
        return ("tag", _lower(part.tag.name))
    for attr in part.attributes:
        if not attr.prefix and not attr.inverse:  # [a=b] needs the attribute; [a!=b] does not
            return ("attr", _lower(attr.attribute))
    return None


def _key_only(part: css_types.Selector) -> bool:
    """True when ``part`` requires nothing but its index key: a bare tag name, .class or #id."""
    if (part.attributes or part.nth or part.selectors or part.relation or part.contains
            or part.lang or part.flags):
        return False
    tag = part.tag
    if tag is None or (tag.name == "*" and tag.prefix is None):
        return len(part.ids) + len(part.classes) == 1
    return tag.prefix is None and not part.ids and not part.classes


@lru_cache(maxsize=4096)
def _compile(selector: str, namespaces: tuple[tuple[str, str], ...]
             ) -> tuple[soupsieve.SoupSieve, tuple[tuple[str, str], ...] | None, bool]:
    """The compiled selector, the index keys of its comma-separated parts (None: no key for some
    part, or ``:scope``/``&``, which depend on the select root -- use a plain select), and whether
    the keys alone decide a match (not under a default namespace, which a bare tag name must match).
    Raises soupsieve's errors for an invalid selector."""
    compiled = soupsieve.compile(selector, dict(namespaces))
    try:
        parts = list(compiled.selectors)
        if (":scope" in selector or "&" in selector or compiled.selectors.is_not
                or not all(isinstance(part, css_types.Selector) for part in parts)):
            return compiled, None, False
        keys = [_index_key(part) for part in parts]
        if None in keys:
            return compiled, None, False
        key_only = all(_key_only(part) for part in parts) and "" not in dict(namespaces)
        return compiled, tuple(dict.fromkeys(keys)), key_only
    except Exception:  # soupsieve's compiled form (not a public interface) changed: plain selects
        return compiled, None, False


def _decomposed(el: Tag) -> bool:
    # Tag.decomposed reads the flag with getattr(), which on a live tag (no flag) falls through
    # to Tag.__getattr__, i.e. a find() over the whole subtree; decompose() sets it on the instance.
    return vars(el).get("_decomposed", False)


def _below(el: Tag, root: Tag) -> bool:
    """True when ``el`` is a descendant of ``root`` and not inside a <template> below ``root``
    (soupsieve's select does not enter templates, except the root itself)."""
    node = el.parent
    while node is not None:
        if node is root:
            return True
        if _lower(node.name) == "template":
            return False
        node = node.parent
    return False


class _TreeIndex:
    """Every element of a soup by index key (see ``_index_key``), in document order.

    Built once per page, before any change to the tree. The parser only ever removes elements
    (``decompose``), which leaves the order of the rest as it was; removed ones are skipped.
    """

    def __init__(self, soup: BeautifulSoup) -> None:
        self.soup = soup
        self.html = not soup.is_xml  # tag names are compared case-sensitively in XML
        self.position: dict[int, int] = {}
        self.elements: dict[tuple[str, str], list[Tag]] = {}
        for el in soup.descendants:
            if isinstance(el, Tag):
                self.position[id(el)] = len(self.position)
                self._add(el)

    def _add(self, el: Tag) -> None:
        keys = [("tag", _lower(el.name))]
        if el.attrs:
            seen_id = seen_class = False
            for k, v in el.attrs.items():
                k = _lower(k)
                keys.append(("attr", k))
                # soupsieve reads the first attribute so named (lxml leaves only one anyway)
                if k == "id" and not seen_id:
                    seen_id = True
                    if isinstance(v, str):
                        keys.append(("id", v))
                elif k == "class" and not seen_class:
                    seen_class = True
                    tokens = _CLASS_TOKENS.findall(v) if isinstance(v, str) else (v or ())
                    keys.extend(("class", token) for token in tokens)
            if len(keys) > 2:
                keys = list(dict.fromkeys(keys))  # an element is listed once per key
        for key in keys:
            found = self.elements.get(key)
            if found is None:
                self.elements[key] = [el]
            else:
                found.append(el)

    def select(self, root: Tag, selector: str) -> list[Tag]:
        """``root.select(selector)``; [] for a selector soupsieve rejects (it must not crash a parse)."""
        try:
            # compiled with the namespaces Tag.select would pass
            compiled, keys, key_only = _compile(selector, tuple(root._namespaces.items()))
        except Exception:
            return []
        try:
            if keys is None or (root is not self.soup and id(root) not in self.position):
                return list(root.select(selector))
            if len(keys) == 1:
                candidates: Sequence[Tag] = self.elements.get(keys[0], ())
            else:
                merged = {id(el): el for key in keys for el in self.elements.get(key, ())}
                candidates = sorted(merged.values(), key=self.order)
            candidates = [el for el in candidates if not _decomposed(el) and _below(el, root)]
            if not candidates or (key_only and self.html):
                return candidates
            return compiled.filter(candidates)
        except Exception:
            try:    # whatever went wrong with the index, a plain select gives the same answer
                return list(root.select(selector))
            except Exception:
                return []

    def select_first(self, root: Tag, selector: str) -> Tag | None:
        found = self.select(root, selector)
        return found[0] if found else None

    def order(self, el: Tag) -> int:
        """The element's place in document order."""
        return self.position[id(el)]


@lru_cache(maxsize=4096)
def _attr_spec(spec: str) -> tuple[str, str]:
    """``"sel@attr"`` -> (``"sel"``, ``"attr"``); a plain selector -> (selector, "")."""
    m = _ATTR_SPEC.fullmatch(spec)
    return (m.group(1), m.group(2)) if m else (spec, "")


def _values(index: _TreeIndex, root: Tag, selectors: Iterable[str]) -> Iterator[str]:
    """Texts (or ``@attr`` values) of the elements matching each selector, in selector order."""
    for spec in selectors:
        sel, attr = _attr_spec(spec)
        for el in index.select(root, sel):
            value = el.get(attr) if attr else element_text(el)
            if isinstance(value, list):
                value = " ".join(value)
            if value:
                value = clean_text(value)
                if value:
                    yield value


def _first(index: _TreeIndex, root: Tag, *selector_lists: Iterable[str]) -> str | None:
    for selectors in selector_lists:
        for value in _values(index, root, selectors):
            return value
    return None


def _meta_url(index: _TreeIndex) -> str | None:
    for sel, attr in (("link[rel~=canonical]", "href"), ("meta[property='og:url']", "content")):
        el = index.select_first(index.soup, sel)
        if el and el.get(attr):
            value = str(el.get(attr)).strip()
            if urlsplit(value).scheme in ("http", "https"):
                return value
    return None


def _signature_matches(index: _TreeIndex, profile: Profile) -> bool:
    return bool(profile.signature) and all(index.select(index.soup, s) for s in profile.signature)


def choose_profile(soup: BeautifulSoup, url: str | None = None, *, index: _TreeIndex | None = None) -> Profile:
    """The profile for a page: by URL host, canonical/og:url host, markup signature, else generic.

    ``index``: the soup's ``_TreeIndex`` when the caller has one (``parse_page``).
    """
    if index is None:
        index = _TreeIndex(soup)
    if url:
        found = profile_for_url(url)
        if found:
            return found
    meta_url = _meta_url(index)
    if meta_url:
        found = profile_for_url(meta_url)
        if found:
            return found
    for profile in all_profiles():
        if profile.name != "generic" and _signature_matches(index, profile):
            return profile
    return generic_profile()


def generic_profile() -> Profile:
    return load_profile("generic")


def _remove(index: _TreeIndex, root: Tag, selectors: Iterable[str]) -> None:
    for sel in selectors:
        for el in index.select(root, sel):
            if el is not root:
                el.decompose()


def _largest_block(index: _TreeIndex, root: Tag, paragraph: str) -> Tag | None:
    """The element whose direct <p> children hold the most text."""
    scores: dict[int, tuple[int, Tag]] = {}
    for p in index.select(root, paragraph):
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


def _paragraphs(index: _TreeIndex, body: Tag, paragraph: str) -> list[str]:
    """Texts of the innermost elements matching ``paragraph``; block split if they miss most text."""
    matched = index.select(body, paragraph)
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


def _captions_after_images(index: _TreeIndex, body: Tag, paragraph: str) -> list[Tag]:
    """Short blocks right after an image-only block (the usual unmarked picture caption)."""
    found = []
    for el in index.select(body, paragraph):
        if el.find("img") is not None:
            continue
        prev = el.find_previous_sibling(True)
        if prev is None or not _image_only(prev):
            continue
        text = element_text(el)
        if 0 < len(text) <= 300:
            found.append(el)
    return found


def _take_captions(index: _TreeIndex, body: Tag, selectors: Iterable[str], rules: _Rules,
                   after_images: str = "") -> list[str]:
    taken: list[Tag] = []
    candidates = [el for sel in selectors for el in index.select(body, sel)]
    if after_images:
        candidates += _captions_after_images(index, body, after_images)
    for el in candidates:
        if not any(el is t or t in el.parents for t in taken):
            taken.append(el)
    taken.sort(key=index.order)  # document order
    captions = []
    for el in taken:
        text = rules.clean(element_text(el))
        el.decompose()
        if text and not rules.dropped(text):
            captions.append(text)
    return captions


def parse_soup(soup: BeautifulSoup, url: str | None, profile: Profile, *, source: str = "page",
               index: _TreeIndex | None = None) -> Article:
    """Parse an already-built soup with a given profile (the soup is modified).

    ``index``: the soup's ``_TreeIndex`` when the caller has one (``parse_page``), built before
    any change to the soup.
    """
    if index is None:
        index = _TreeIndex(soup)
    generic = generic_profile().parse
    sel = profile.parse
    rules = _Rules(sel, generic)
    _remove(index, soup, ("script", "style", "noscript", "template", "svg"))

    canonical = _meta_url(index)
    title = _first(index, soup, sel.title, generic.title)
    title = rules.clean(title) if title else None
    lead = _first(index, soup, sel.lead) if sel.lead else None
    if lead is None and (profile.name == "generic" or not sel.lead):
        lead = _first(index, soup, generic.lead)
    if lead:
        for r in rules.lead_strip:
            lead = r.sub("", lead)
        lead = rules.clean(lead) or None
    published = None
    for value in _values(index, soup, (*sel.published, *generic.published)):
        published = parse_published(value, sel.published_formats)
        if published:
            break
    author = _first(index, soup, sel.author) if sel.author else None
    author = rules.clean(author) if author else None

    body = None
    for spec in sel.body:
        body = index.select_first(soup, spec)
        if body is not None:
            break
    if body is None:
        _remove(index, soup, generic.drop)
        body = _largest_block(index, soup, sel.paragraph or "p") or soup.body or soup
    captions = _take_captions(index, body, (*sel.captions, *generic.captions[:2]), rules,
                              sel.paragraph or "p" if sel.caption_after_image else "")
    _remove(index, body, (*sel.drop, *(generic.drop if profile.name == "generic" else ())))

    paragraphs: list[str] = []
    seen_title_or_lead = {t.casefold() for t in (title, lead, author) if t}
    for raw in _paragraphs(index, body, sel.paragraph or "p"):
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
    index = _TreeIndex(soup)
    if profile is None:
        profile = choose_profile(soup, url, index=index)
    return parse_soup(soup, url, profile, source=source, index=index)
