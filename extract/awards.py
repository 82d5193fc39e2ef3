"""Award and honour titles, canonicalised through the one table in data/awards.tsv."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import award_rules, award_title
from .normalize import fix_tones
from .spans import Spans

_BARE_FLAG = re.compile(r"cờ\s+thi\s+đua\b(?!\s+(?:của\s+)?(?:chính\s+phủ|ngành|bộ|viện|vksnd|ủy|uỷ))", re.IGNORECASE)
_BARE_CERTIFICATE = re.compile(r"bằng\s+khen\b(?!\s+(?:của\s+)?(?:thủ|viện|chủ|ủy|uỷ|ubnd|bộ))", re.IGNORECASE)
_GOV = re.compile(r"(?:chính\s+phủ|thủ\s+tướng)", re.IGNORECASE)
_SECTOR = re.compile(r"(?:vksnd\s+tối\s+cao|viện\s+kiểm\s+sát\s+nhân\s+dân\s+tối\s+cao|viện\s+trưởng|ngành)", re.IGNORECASE)


@dataclass
class AwardMention:
    title: str
    start: int
    end: int


def find_awards(text: str) -> list[AwardMention]:
    ftext = fix_tones(text)
    out: list[AwardMention] = []
    taken = Spans()
    for rule in award_rules():
        for m in rule.pattern.finditer(ftext):
            if taken.overlaps(m.start(), m.end()):
                continue
            out.append(AwardMention(award_title(rule, m), m.start(), m.end()))
            taken.add(m.start(), m.end())
    # a bare "Cờ thi đua": whose flag it is follows from who gives or is asked to give it
    for m in _BARE_FLAG.finditer(ftext):
        if taken.contains(m.start()):
            continue
        before = ftext[max(0, m.start() - 80):m.start()]
        before = re.split(r"[.!?]\s", before)[-1]
        if _GOV.search(before):
            out.append(AwardMention("Cờ thi đua của Chính phủ", m.start(), m.end()))
        elif _SECTOR.search(before):
            out.append(AwardMention("Cờ thi đua ngành Kiểm sát nhân dân", m.start(), m.end()))
    # "được Thủ tướng Chính phủ tặng Bằng khen": a bare certificate of merit takes its giver
    for m in _BARE_CERTIFICATE.finditer(ftext):
        if taken.contains(m.start()):
            continue
        before = re.split(r"[.!?;]\s", ftext[max(0, m.start() - 80):m.start()])[-1]
        if re.search(r"thủ\s+tướng", before, re.IGNORECASE):
            out.append(AwardMention("Bằng khen của Thủ tướng Chính phủ", m.start(), m.end()))
        elif re.search(r"viện\s+trưởng\s+(?:vksnd|viện\s+kiểm\s+sát\s+nhân\s+dân)\s+tối\s+cao", before, re.IGNORECASE):
            out.append(AwardMention("Bằng khen của Viện trưởng VKSND tối cao", m.start(), m.end()))
    out.sort(key=lambda a: a.start)
    return out
