"""Calendar dates: "28/11/2023", "Sáng ngày 16/1", "ngày 13 tháng 02 năm 2020", "11-12-2020",
"29/03/24 09:18", "Quốc khánh 2/9". A date without a year takes it from the article (resolved
at document level by :func:`resolve_years`)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .spans import Spans


@dataclass
class DateMention:
    start: int
    end: int
    day: int
    month: int
    year: int | None          # None until resolved from context
    document: bool = False    # the date of a document ("Công văn số 4800 ngày 07/11/2023")
    clock: bool = False       # followed by a time of day: a publication/update line

    @property
    def iso(self) -> str | None:
        if self.year is None:
            return None
        try:
            return dt.date(self.year, self.month, self.day).isoformat()
        except ValueError:
            return None


_FULL = re.compile(r"(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2}(?=\s+\d{1,2}:\d{2}))(?![\d/])")
_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?", re.IGNORECASE)
# a day/month without a year needs a cue before it, or it is a fraction or a score
_PARTIAL = re.compile(
    r"(?:ngày|sáng|chiều|tối|trưa|đêm|khánh|hôm|lễ|từ|đến|"
    r"phụ\s+nữ|nhà\s+giáo(?:\s+Việt\s+Nam)?|liệt\s+sĩ|lao\s+động|miền\s+Nam)"  # holidays: "Quốc tế Phụ nữ 8/3"
    r"\s+(?:ngày\s+)?(\d{1,2})[/-](\d{1,2})(?![\d/-])",
    re.IGNORECASE)
# "Công văn số 4800/VKSTC ngày", "Kế hoạch số 07 của Khối ngày" — not across a comma ("… Khối thi đua số 2
# VKSND tỉnh X, ngày 20/6/2023, Đoàn kiểm tra …": that date opens a clause of its own)
_DOC_CUE = re.compile(r"(?:\bsố[^\S\n]+[\w/.-]*\d[\w/.-]*(?:[^\S\n]+[^\s,;]+){0,4}?|\S*\d/[A-ZĐ][\w./-]*)[^\S\n]+ngày[^\S\n]*$",
                      re.IGNORECASE)
_CLOCK = re.compile(r"\s*(?:\d{1,2}:\d{2}|lúc\s+\d)")


def _valid(d: int, m: int, y: int | None = None) -> bool:
    if not (1 <= d <= 31 and 1 <= m <= 12):
        return False
    if y is not None:
        if not 1900 <= y <= 2100:
            return False
        try:
            dt.date(y, m, d)
        except ValueError:
            return False
    return True


def find_dates(text: str) -> list[DateMention]:
    out: list[DateMention] = []
    taken = Spans()

    def add(m: re.Match, d: int, mo: int, y: int | None, start: int) -> None:
        if not _valid(d, mo, y) or taken.overlaps(start, m.end()):
            return
        doc = bool(_DOC_CUE.search(text[max(0, start - 60):start]))
        clock = bool(_CLOCK.match(text, m.end()))
        out.append(DateMention(start, m.end(), d, mo, y, doc, clock))
        taken.add(start, m.end())

    for m in _FULL.finditer(text):
        y = int(m.group(4))
        if y < 100:
            y += 2000
        add(m, int(m.group(1)), int(m.group(3)), y, m.start())
    for m in _WORDS.finditer(text):
        add(m, int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None, m.start(1))
    for m in _PARTIAL.finditer(text):
        add(m, int(m.group(1)), int(m.group(2)), None, m.start(1))
    out.sort(key=lambda d: d.start)
    return out


def resolve_years(dates: list[DateMention], year: int | None, published: str | None = None,
                  years_mentioned: set[int] = frozenset()) -> None:
    """Give every year-less date the article's year.

    With a publication date: its year, or the year before for a day later in the calendar than
    the publication (unless the article discusses the publication's year: a coming holiday).
    Without: ``year`` (the year under discussion); a November/December day of an article about
    year Y that also speaks of Y-1 is from Y-1 (next year's work is launched in December).
    """
    pub = None
    if published:
        try:
            pub = dt.date.fromisoformat(published[:10])
        except ValueError:
            pub = None
    for d in dates:
        if d.year is not None:
            continue
        if pub:
            # on or before the publication day: that year; after it: a coming event of the year
            # under discussion if that is the publication's year, else the year before
            if (d.month, d.day) <= (pub.month, pub.day) or year == pub.year:
                d.year = pub.year
            else:
                d.year = pub.year - 1
        elif year is not None:
            d.year = year - 1 if d.month >= 11 and (year - 1) in years_mentioned else year
