"""Varied copies of the bundled pages and the gold texts, so a benchmark at 1k/10k articles
cannot be served by a cache.

Each variant ``i`` of a source: body paragraphs permuted (the first ones — title, dateline —
stay), day-of-month of every d/m/yyyy date shifted, common family names rotated, and a unique
sentence added ("Mã tin lưu trữ số i."). HTML variants also get a unique canonical URL, so each
one is a new article in the archive. Everything is deterministic in ``i``.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD_TEXTS = ROOT.parent / "shared" / "corpus" / "texts"
PAGES = ROOT / "corpus"

_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\b")
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng"]
_SURNAME = re.compile(r"\b(" + "|".join(SURNAMES) + r")\b")
_P = re.compile(r"(<p\b[^>]*>)(.*?)(</p>)", re.S | re.I)
_CANON = re.compile(r'<link[^>]+rel="canonical"[^>]+href="([^"]+)"', re.I)


@dataclass
class Source:
    kind: str      # "html" | "txt"
    name: str
    data: str


def html_sources() -> list[Source]:
    return [Source("html", p.stem, p.read_text(encoding="utf-8")) for p in sorted(PAGES.glob("*.html"))]


def gold_sources() -> list[Source]:
    return [Source("txt", p.stem, p.read_text(encoding="utf-8")) for p in sorted(GOLD_TEXTS.glob("*.txt"))]


def text_sources() -> list[Source]:
    """Texts the extractor reads: the gold texts plus the bodies of the bundled pages."""
    from thidua.pipeline import article_body, read_source
    out = gold_sources()
    out += [Source("txt", p.stem, article_body(read_source(p)[0])) for p in sorted(PAGES.glob("*.html"))]
    return out


def _common(s: str, i: int) -> str:
    def date(m: re.Match) -> str:
        d = (int(m.group(1)) - 1 + i) % 28 + 1
        return f"{d}/{m.group(2)}/{m.group(3)}"

    def name(m: re.Match) -> str:
        return SURNAMES[(SURNAMES.index(m.group(1)) + i) % len(SURNAMES)]
    return _SURNAME.sub(name, _DATE.sub(date, s))


def vary_text(text: str, i: int) -> str:
    rng = random.Random(i)
    lines = text.split("\n")
    keep = 0
    for k, line in enumerate(lines):          # keep the first three non-empty lines in place
        if line.strip():
            keep += 1
            if keep == 3:
                keep = k + 1
                break
    else:
        keep = len(lines)
    rest = lines[keep:]
    rng.shuffle(rest)
    out = "\n".join(lines[:keep] + rest)
    return _common(out, i).rstrip() + f"\nMã tin lưu trữ số {i}.\n"


def vary_html(page: str, i: int) -> str:
    rng = random.Random(i)
    m = _CANON.search(page)
    if m:
        url = m.group(1)
        new = url[:-5] + f"-v{i}.html" if url.endswith(".html") else url.rstrip("/") + f"-v{i}" + ("/" if url.endswith("/") else "")
        page = page.replace(url, new)
    # permute only the <p>s the parser keeps as body paragraphs (not captions, related links, footer)
    body = _body_paragraphs(page)
    ps = [p for p in _P.finditer(page) if _plain(p.group(2)) in body]
    if len(ps) > 2:
        ps = ps[1:]                            # the first body paragraph (often the lead) stays
        inner = [p.group(2) for p in ps]
        inner[-1] = inner[-1].rstrip() + f" Mã tin lưu trữ số {i}."
        rng.shuffle(inner)
        pieces, pos = [], 0
        for p, text in zip(ps, inner):
            pieces += [page[pos:p.start(2)], text]
            pos = p.end(2)
        pieces.append(page[pos:])
        page = "".join(pieces)
    return _common(page, i)


_BODY_CACHE: dict[int, frozenset] = {}


def _plain(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def _body_paragraphs(page: str) -> frozenset:
    key = hash(page.split("<body", 1)[-1][:4000])
    if key not in _BODY_CACHE:
        import html as _html
        from crawl.parse import parse_page
        art = parse_page(page.encode("utf-8"), url=None)
        _BODY_CACHE[key] = frozenset(" ".join(_html.escape(p, quote=False).split()) for p in art.paragraphs) | \
            frozenset(" ".join(p.split()) for p in art.paragraphs)
    return _BODY_CACHE[key]


def variant(src: Source, i: int) -> str:
    return vary_html(src.data, i) if src.kind == "html" else vary_text(src.data, i)


def write_dataset(out: Path, n: int, sources: list[Source], suffix: str) -> list[Path]:
    """``n`` variants of ``sources`` (round robin) as files in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        src = sources[i % len(sources)]
        p = out / f"{i:06d}-{src.name}.{suffix}"
        p.write_text(variant(src, i), encoding="utf-8")
        paths.append(p)
    return paths
