"""Province mentions: every province or centrally-run city named in the text, canonicalised.

"Hồ Chí Minh" is a province only where the text speaks of the city (after "thành phố", "TP",
a procuracy, "tại"…), not in "Chủ tịch Hồ Chí Minh" or "phong cách Hồ Chí Minh".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import canonical_province, province_pattern
from .normalize import fix_tones
from .spans import Spans

_CITY_CUE = re.compile(r"(?:thành\s+phố|TP\.?|Tp\.?|T\.P\.?|tại|ở|VKSND|Viện\s+KSND|nhân\s+dân|cấp\s+cao|tỉnh|khu\s+vực|,|;|và)\s*$",
                       re.IGNORECASE)
_PERSON_CUE = re.compile(r"(?:Chủ\s+tịch|Bác|Bác\s+Hồ|phong\s+cách|tư\s+tưởng|đạo\s+đức|gương|lời\s+dạy|"
                         r"Đoàn|Thanh\s+niên|Cộng\s+sản|Học\s+viện|Huân\s+chương|Giải\s+thưởng|Lăng|Bảo\s+tàng|"
                         r"Nhà\s+văn\s+hóa|Quảng\s+trường|Đại\s+học)\s*$", re.IGNORECASE)


@dataclass
class ProvinceMention:
    name: str
    start: int
    end: int


def find_provinces(text: str, exclude: list[tuple[int, int]] = ()) -> list[ProvinceMention]:
    """Province mentions outside the ``exclude`` spans (person names, quoted slogans)."""
    out = []
    skip = Spans(exclude)
    for m in province_pattern().finditer(fix_tones(text)):
        if not m.group(0)[0].isupper():
            continue  # "hòa bình" (peace), not Hòa Bình
        if skip.contains(m.start()):
            continue
        name = canonical_province(m.group(0))
        if name is None:
            continue
        before = text[max(0, m.start() - 30):m.start()]
        if name == "Hồ Chí Minh" and not m.group(0).upper().startswith(("TP", "SÀI")):
            if _PERSON_CUE.search(before) or not _CITY_CUE.search(before):
                continue
        out.append(ProvinceMention(name, m.start(), m.end()))
    return out
