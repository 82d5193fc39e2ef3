"""Quoted passages (curly “…” and straight "…", mixed in one pair too) and the slogans among them.

A quotation is a slogan when the words before it announce a movement, theme, motto, campaign
or teaching ("phong trào", "chủ đề", "phương châm", "cuộc vận động", "lời dạy"…), or when it
continues a list of slogans. Award titles, document titles and short catch-phrases are not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import award_rules

_QUOTE = re.compile(r"[“\"„«]([^“”\"«»\n]{2,400}?)[”\"»]"
                    # single quotes, curly or straight, around a phrase (not the apostrophe of "H'Hoa")
                    r"|(?:(?<=\s)|(?<=^)|(?<=\())[‘']([^‘’'\n]{2,400}?)[’'](?=[\s,.;:)!?]|$)")
# what announces a slogan, just before the opening quote
_CUE = re.compile(
    r"(?:phong\s+trào(?:\s+thi\s+đua)?(?:\s+\w+){0,3}|"
    r"(?:chủ\s+đề|phương\s+châm|khẩu\s+hiệu)(?:\s+[^.;:“”\"‘’]{0,60}?)?(?:\s+là)?|"  # "chủ đề thi đua của ngành … năm 2024 là"
    r"cuộc\s+vận\s+động(?:\s+[^.;“”\"]{0,80})?|"
    r"lời\s+(?:Bác\s+)?dạy(?:\s+[^.;“”\"]{0,80})?|"
    r"(?:Bác(?:\s+Hồ)?|Chủ\s+tịch\s+Hồ\s+Chí\s+Minh|Người)\s+(?:đã\s+)?(?:dạy|căn\s+dặn|khẳng\s+định|chỉ\s+rõ|nói)|"
    r"tinh\s+thần|thông\s+điệp|mục\s+tiêu\s+kép|đợt\s+thi\s+đua(?:\s+\w+){0,3}|phát\s+động\s+thi\s+đua|"
    r"hưởng\s+ứng|với\s+nội\s+dung|gắn\s+với)\s*[:,]?\s*$",
    re.IGNORECASE)
# words before a quote that make it something else: an award, a document, an example of conduct
_NOT = re.compile(r"(?:danh\s+hiệu|kỷ\s+niệm\s+chương|cờ(?:\s+thi\s+đua)?|bằng\s+khen|huân\s+chương|giải\s+thưởng|"
                  r"gương|về|cuốn\s+sách|sách|tác\s+phẩm|chuyên\s+mục|cuộc\s+thi|hội\s+thảo|tọa\s+đàm|"
                  r"biểu\s+hiện|tài\s+liệu|xây\s+dựng)\s*$", re.IGNORECASE)
# what may stand between two slogans of one list
_LINK = re.compile(r"^\s*(?:[,;]|và|cùng|với)?\s*(?:(?:và|cùng)\s+)?(?:gắn\s+với\s+)?(?:(?:các\s+)?phong\s+trào(?:\s+thi\s+đua)?\s*)?[,;:]?\s*$",
                   re.IGNORECASE)


@dataclass
class Quote:
    start: int      # of the quoted words, without the marks
    end: int
    text: str
    slogan: bool = False


def find_quotes(text: str) -> list[Quote]:
    out = []
    for m in _QUOTE.finditer(text):
        g = 1 if m.group(1) is not None else 2
        out.append(Quote(m.start(g), m.end(g), m.group(g)))
    return out


def _is_award(s: str) -> bool:
    return any(r.pattern.fullmatch(s.strip(" .")) for r in award_rules())


def classify_slogans(text: str, quotes: list[Quote]) -> list[Quote]:
    prev: Quote | None = None
    for q in quotes:
        inner = q.text.strip()
        words = inner.split()
        window_start = max(0, q.start - 1 - 90, prev.end + 1 if prev else 0)
        before = text[window_start:q.start - 1]
        # the window stops at a sentence boundary
        before = re.split(r"[.!?]\s+|\n", before)[-1]
        ok = False
        if len(words) >= 3 and not _is_award(inner) and not _NOT.search(before):
            if _CUE.search(before):
                ok = True
            elif prev is not None and prev.slogan and _LINK.match(text[prev.end + 1:q.start - 1]):
                ok = True
        q.slogan = ok
        prev = q
    return [q for q in quotes if q.slogan]
