"""Turn the bytes of a page into text: BOM, HTTP header, <meta charset>, then detection.

A page that decodes as strict UTF-8 is taken as UTF-8 whatever it declares: Vietnamese text in a
legacy encoding (windows-1258, latin-1 mojibake) is practically never valid UTF-8, while a UTF-8
page served with a wrong ``charset=iso-8859-1`` header is common.
"""
from __future__ import annotations

import codecs
import re

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_META = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)


def charset_from_content_type(content_type: str | None) -> str | None:
    """``text/html; charset=UTF-8`` -> ``utf-8``."""
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", content_type, re.I)
    return m.group(1).lower() if m else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _try(data: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes; return (text, encoding used).

    Order: BOM; strict UTF-8; the declared charset (HTTP header, a name or a Content-Type value);
    the page's <meta charset>/http-equiv; windows-1258; latin-1 (never fails).
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = _try(data, enc)
            if text is not None:
                return text, enc
    text = _try(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    header = _codec(charset_from_content_type(declared) if declared and "=" in declared else declared)
    text = _try(data, header)
    if text is not None:
        return text, header or ""
    m = _META.search(data[:4096])
    meta = _codec(m.group(1).decode("ascii", "replace")) if m else None
    text = _try(data, meta)
    if text is not None:
        return text, meta or ""
    text = _try(data, "cp1258")
    if text is not None:
        return text, "cp1258"
    return data.decode("latin-1"), "latin-1"
