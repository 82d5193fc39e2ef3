"""Text normalisation shared by every extraction rule.

Vietnamese text arrives in two Unicode forms (NFC/NFD) and two tone-mark conventions
("Thanh Hoá" / "Thanh Hóa"). The extractor reads NFC text with the new-style convention;
``fold`` strips diacritics for lookups that must survive a user typing without them.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# old-style tone placement -> the convention used in the gazetteers ("hoà" -> "hòa")
_TONE_FIX = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
             "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
# only at the end of a syllable ("hoà", "Thanh Hoá"), never inside one ("toàn") nor after "q" ("quý")
_TONE_RE = re.compile(r"(?<![qQ])(?:" + "|".join(sorted({*_TONE_FIX, *(k.capitalize() for k in _TONE_FIX)}))
                      + r")(?![a-zà-ỹđ])")
# Vietnamese letters by case (a range like À-Ỹ would mix both cases)
UPPER = "A-ZÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬĐÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
LOWER = "a-zàáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ"
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SOFT_WRAP = re.compile(rf"(?<=[{LOWER},])\n(?=[{LOWER}\d])")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")


@lru_cache(maxsize=16)
def fix_tones(s: str) -> str:
    """Move tone marks to the gazetteers' convention; keeps the string's length."""
    def repl(m: re.Match) -> str:
        k = m.group(0)
        v = _TONE_FIX.get(k.lower(), k)
        return v.capitalize() if k[0].isupper() else v
    return _TONE_RE.sub(repl, s)


def clean_text(s: str) -> str:
    """The text the extractor reads: NFC, no zero-width characters, no NBSP, Unix newlines."""
    s = unicodedata.normalize("NFC", s)
    s = _ZERO_WIDTH.sub("", s)
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    # a line wrapped inside a sentence ("Viện kiểm\nsát nhân dân") is one line
    return _SOFT_WRAP.sub(" ", s)


def key(s: str) -> str:
    """A comparison key: NFC, one tone convention, casefolded, one kind of dash, single spaces."""
    s = fix_tones(unicodedata.normalize("NFC", s or ""))
    s = _DASHES.sub("-", s.casefold())
    s = re.sub(r"\s*-\s*", " - ", s)
    return re.sub(r"\s+", " ", s).strip(" .,;:!?()[]\"'“”")


def _fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {c: None for c in range(0x300, 0x370)}  # combining marks
    for c in range(0xC0, 0x2000):
        base = "".join(ch for ch in unicodedata.normalize("NFD", chr(c)) if unicodedata.category(ch) != "Mn")
        if base != chr(c) and base.isascii():
            table[c] = base
    table[ord("đ")], table[ord("Đ")] = "d", "D"
    return table


_FOLD = _fold_table()


def fold(s: str) -> str:
    """Strip diacritics ("Hà Nội" -> "ha noi") for accent-insensitive search."""
    return key(s).translate(_FOLD)
