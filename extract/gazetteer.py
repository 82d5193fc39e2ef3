"""The gazetteers: provinces (before and after the 2025 merger), award titles, family names.

Each table lives in one data file under ``extract/data``; this module loads them once and
compiles the regular expressions the extraction rules use.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .normalize import fix_tones, key


def _data(name: str) -> str:
    return resources.files("extract.data").joinpath(name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Province:
    name: str              # canonical pre-2025 name ("Thừa Thiên Huế")
    kind: str              # "tỉnh" or "thành phố" (centrally-run city)
    name_2025: str         # the unit it belongs to from 1 July 2025 (Resolution 202/2025/QH15)
    kind_2025: str
    variants: tuple[str, ...]


@lru_cache(maxsize=1)
def provinces() -> dict[str, Province]:
    """Canonical name -> Province, for the 63 pre-2025 provinces and centrally-run cities."""
    out = {}
    for row in csv.DictReader(_data("provinces.csv").splitlines()):
        variants = tuple(v for v in row["variants"].split("|") if v)
        out[row["province"]] = Province(row["province"], row["kind"], row["province_2025"],
                                        row["kind_2025"], variants)
    return out


CENTRAL_CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ")


def is_central_city(surface: str) -> bool:
    """Whether "thành phố <surface>" is a province-level city: one of the five, or a city that became
    centrally-run by the 2025 reorganisation under that very name ("thành phố Huế")."""
    name = canonical_province(surface)
    if name in CENTRAL_CITIES:
        return True
    p = provinces().get(name) if name else None
    return bool(p and p.kind_2025 == "thành phố" and key(p.name_2025) == key(surface))


@lru_cache(maxsize=1)
def _province_index() -> tuple[dict[str, str], re.Pattern]:
    index: dict[str, str] = {}
    for p in provinces().values():
        for form in (p.name, *p.variants):
            index[key(form)] = p.name
    forms = sorted({fix_tones(f) for p in provinces().values() for f in (p.name, *p.variants)},
                   key=len, reverse=True)
    alts = "|".join(re.escape(f).replace(r"\ ", r"\s+").replace(r"\-", r"\s*[-–—]\s*") for f in forms)
    pattern = re.compile(rf"(?<![\w.])(?:{alts})(?![\w])", re.IGNORECASE)
    return index, pattern


def province_pattern() -> re.Pattern:
    """Matches any province name or variant (search ``fix_tones(text)``; offsets are kept)."""
    return _province_index()[1]


def canonical_province(s: str) -> str | None:
    """"Thanh Hoá" -> "Thanh Hóa"; "TP.HCM" -> "Hồ Chí Minh"; None when not a province."""
    k = key(s)
    k = re.sub(r"^(?:tỉnh|thành phố|tp\.?)\s+", "", k)
    return _province_index()[0].get(k)


@dataclass(frozen=True)
class AwardRule:
    canonical: str
    pattern: re.Pattern


@lru_cache(maxsize=1)
def award_rules() -> tuple[AwardRule, ...]:
    rules = []
    for line in _data("awards.tsv").splitlines():
        if not line or line.startswith("#") or line.startswith("canonical\t"):
            continue
        canonical, pattern = line.split("\t")
        rules.append(AwardRule(canonical, re.compile(pattern, re.IGNORECASE)))
    return tuple(rules)


_RANKS = {"nhất": "Nhất", "nhì": "Nhì", "ba": "Ba", "i": "Nhất", "ii": "Nhì", "iii": "Ba"}


def award_title(rule: AwardRule, m: re.Match) -> str:
    if rule.canonical == "*":
        t = re.sub(r"\s+", " ", m.group(0)).strip()
        return t[0].upper() + t[1:]
    if "{rank}" in rule.canonical:
        return rule.canonical.format(rank=_RANKS[m.group("rank").lower()])
    return rule.canonical


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    return frozenset(l.strip() for l in _data("surnames.txt").splitlines()
                     if l.strip() and not l.startswith("#"))
