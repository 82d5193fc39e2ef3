"""Procuracy units named in text: "VKSND tỉnh Đồng Tháp", "Viện KSND huyện Phú Tân",
"VKSND cấp cao tại Đà Nẵng", "VKSQS Quân khu 4", "Phòng 11", "Văn phòng tổng hợp".

A unit is reduced to the label the output contract uses for members, leaders and hosts:
the bare province name for a provincial procuracy, "huyện X" / "thị xã X" / "thành phố X"
for district-level units, "VKSND cấp cao tại X", "VKSND tối cao", "VKSQS ..." and the
department's own name for departments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import canonical_province, is_central_city, province_pattern, surnames
from .normalize import LOWER, UPPER, fix_tones

# "VKSND cấp cao 1/2/3": the three high-level procuracies by their seat
_HIGH_COURT_SEATS = {"1": "Hà Nội", "2": "Đà Nẵng", "3": "Hồ Chí Minh"}
# the organisation word that opens a unit mention
ORG = (r"(?:Viện\s+kiểm\s+sát\s+nhân\s+dân|Viện\s+kiểm\s+sát\s+quân\s+sự|Viện\s+KSND|Viện\s+KSQS|"
       r"VKSND|VKSQS|V[A-Z]SND|VKS\s+quân\s+sự|Viện\s+kiểm\s+sát|VKS)")
ORG_RE = re.compile(ORG, re.IGNORECASE)
LEVELS = r"(?:huyện|quận|thị\s+xã|thành\s+phố|TP\.?|Tp\.?|T\.P\.?|tỉnh|khu\s+vực)"
_LEVEL_NAME = {"huyện": "huyện", "quận": "quận", "thị xã": "thị xã", "thành phố": "thành phố",
               "tp": "thành phố", "t.p": "thành phố", "tỉnh": "tỉnh", "khu vực": "khu vực"}
# lower-case words that never continue a place name
_STOP_LOWER = {"và", "đã", "là", "được", "có", "cùng", "tổ", "vừa", "tại", "với", "đến", "trong", "của",
               "thuộc", "gồm", "làm", "các", "cụm", "khối", "phát", "chủ", "dự", "tham", "năm", "ký", "đồng"}
# the press and schools of the VKSND tối cao, members of its blocs under their own names
INSTITUTION = (r"(?:Báo\s+Bảo\s+vệ\s+pháp\s+luật|Tạp\s+chí\s+Kiểm\s+sát|Trường\s+Đại\s+học\s+Kiểm\s+sát(?:\s+Hà\s+Nội)?|"
               r"Trường\s+Đào\s+tạo,\s+bồi\s+dưỡng\s+nghiệp\s+vụ\s+kiểm\s+sát(?:\s+tại\s+(?:Thành\s+phố|TP\.?)\s*Hồ\s+Chí\s+Minh)?|"
               r"Viện\s+Khoa\s+học\s+kiểm\s+sát)")
_INSTITUTION_RE = re.compile(INSTITUTION)
# a syllable that starts with a capital letter (or a number, for "Quận 12", "Phòng 11")
# (and "M'gar", "H'leo": Central Highlands names with an apostrophe)
_CAP = rf"(?:[{UPPER}][{LOWER}]*(?:['’][{UPPER}{LOWER}][{LOWER}]*)?|\d+)"
_DEPT_HEAD = (r"(?:Văn\s+phòng(?:\s+tổng\s+hợp)?|Phòng(?:\s+(?:\d+[A-Z]?(?![\w])|[A-ZĐ][\wÀ-ỹ]*(?:\s*[-–]\s*[\wÀ-ỹ]+|\s+[\wÀ-ỹ]+){0,6}))?|"
              r"Vụ\s+(?:\d+|[A-ZĐ][\wÀ-ỹ]*(?:\s*[-–]\s*[\wÀ-ỹ]+|\s+[\wÀ-ỹ-]+){0,8})|Cục\s+(?:\d+|[A-ZĐ][\wÀ-ỹ]*(?:\s+[\wÀ-ỹ-]+){0,8})|"
              r"Thanh\s+tra(?:\s*[-–]\s*Khiếu\s+tố)?|Cơ\s+quan\s+điều\s+tra(?:\s+(?:VKSND|Viện\s+KSND)\s+tối\s+cao)?|"
              r"Viện\s+\d{1,2}\b)")  # "Viện 2": a department of a VKSND cấp cao


@dataclass(frozen=True)
class Unit:
    label: str   # the contract's form: "Đồng Tháp", "huyện Phú Tân", "VKSND tối cao", "Phòng 11"
    level: str   # "tỉnh", "huyện", "thị xã", "thành phố", "quận", "cấp cao", "tối cao", "quân sự", "phòng", "khu vực"
    start: int
    end: int

    @property
    def province(self) -> str | None:
        return self.label if self.level == "tỉnh" else None


def level_word(s: str) -> str:
    k = re.sub(r"\s+", " ", s.strip().lower()).rstrip(".")
    return _LEVEL_NAME.get(k, k)


def place_name(text: str, pos: int) -> tuple[str, int] | None:
    """A capitalised place name starting at ``pos`` ("Phú Tân", "Tân châu", "12")."""
    m = re.compile(rf"{_CAP}(?:\s+{_CAP}){{0,3}}").match(text, pos)
    if not m:
        return None
    words = m.group(0).split()
    # stop before an organisation or title word glued to the name ("Hớn Quản Viện trưởng")
    cut = len(words)
    for i, w in enumerate(words):
        title_word = w in ("Chánh", "Đồng") and re.match(r"\s+(?:Văn|văn|Thanh|thanh|án|chí)\b", text[text.find(w, pos) + len(w):])
        if i and (w in ("Viện", "VKSND", "Cụm", "Khối", "Phó", "Trưởng") or title_word or w.isupper() and len(w) > 2):
            cut = i
            break
    words = words[:cut]
    # the end on the real text (white space between words may be several characters)
    end = pos
    for w in words:
        j = text.index(w, end)
        end = j + len(w)
    name = " ".join(words)
    # "Tân châu": one capitalised syllable followed by a lower-case one that is not a function word
    if len(words) == 1 and not words[0].isdigit():
        m2 = re.compile(rf"\s+([{LOWER}]+)\b").match(text, end)
        if m2 and m2.group(1) not in _STOP_LOWER and len(m2.group(1)) > 1:
            name = f"{words[0]} {m2.group(1).capitalize()}"
            end = m2.end(1)
    return (name, end) if name else None


def unit_at(text: str, pos: int, default_level: str | None = None) -> Unit | None:
    """Read one unit mention starting at ``pos`` (after an organisation word, or a bare name)."""
    ftext = fix_tones(text)
    m = re.compile(r"\s*(?:(?:các|\d+)\s+)?").match(text, pos)
    p = m.end()
    m = re.compile(r"tối\s+cao", re.IGNORECASE).match(text, p)
    if m:
        return Unit("VKSND tối cao", "tối cao", pos, m.end())
    m = re.compile(r"cấp\s+cao\s*(?:(?:tại|ở)\s+)?(?:(?:TP\.?|Tp\.?|thành\s+phố|Thành\s+phố)\s*)?", re.IGNORECASE).match(text, p)
    if m:
        pm = province_pattern().match(ftext, m.end())
        if pm:
            return Unit(f"VKSND cấp cao tại {canonical_province(pm.group(0))}", "cấp cao", pos, pm.end())
        n = re.compile(r"\d").match(text, m.end())
        if n:
            city = _HIGH_COURT_SEATS.get(n.group(0))
            if city:
                return Unit(f"VKSND cấp cao tại {city}", "cấp cao", pos, n.end())
        return None
    m = re.compile(r"(?:Trung\s+ương|TW)\b").match(text, p)
    if m:
        return Unit("VKSQS Trung ương", "quân sự", pos, m.end())
    # "Quân khu 4", "Quân chủng Hải quân", "Quân chủng Phòng không - Không quân", "Bộ đội Biên phòng"
    m = re.compile(r"(Quân\s+khu|quân\s+khu|QK|Quân\s+đoàn|quân\s+đoàn|Quân\s+chủng|Binh\s+chủng|Bộ\s+đội)\s*"
                   r"(\d+|[A-ZĐ]\w*(?:(?:\s+|\s*[-–]\s*)(?:[A-ZĐ]\w*|quân\b|không\b)){0,4})").match(text, p)
    if m:
        force = re.sub(r"\s+", " ", m.group(1)).capitalize().replace("Qk", "Quân khu")
        return Unit(f"VKSQS {force} {m.group(2).strip()}", "quân sự", pos, m.end())
    m = re.compile(rf"({LEVELS})\s+", re.IGNORECASE).match(text, p)
    level = level_word(m.group(1)) if m else None
    q = m.end() if m else p
    pm = province_pattern().match(ftext, q)
    if pm and (level in (None, "tỉnh") or (level == "thành phố" and is_central_city(pm.group(0)))):
        return Unit(canonical_province(pm.group(0)), "tỉnh", pos, pm.end())
    if level == "khu vực":
        n = re.compile(r"\d+").match(text, q)
        return Unit(f"khu vực {n.group(0)}", "khu vực", pos, n.end()) if n else None
    if level in (None, "tỉnh"):
        if level is None and default_level:
            level = default_level
        else:
            return None
    name = place_name(text, q)
    if not name:
        return None
    return Unit(f"{level} {name[0]}", level, pos, name[1])


_UNIT_START = re.compile(rf"{ORG}\b", re.IGNORECASE)


def find_units(text: str, start: int = 0, end: int | None = None) -> list[Unit]:
    """Every unit mention introduced by an organisation word in text[start:end]."""
    end = len(text) if end is None else end
    out = []
    for m in _UNIT_START.finditer(text, start, end):
        u = unit_at(text, m.end())
        if u and u.end <= end:
            out.append(Unit(u.label, u.level, m.start(), u.end))
    return out


def department_at(text: str, pos: int) -> Unit | None:
    """A department named at ``pos``: "Phòng 11", "Văn phòng tổng hợp", "Vụ 16", "Thanh tra – Khiếu tố"."""
    inst = _INSTITUTION_RE.match(text, pos)
    if inst:
        return Unit(inst.group(0), "phòng", pos, inst.end())
    m = re.compile(_DEPT_HEAD).match(text, pos)
    if not m:
        return None
    label = m.group(0)
    # a department name ends before a parenthesis, a comma-like break or a unit suffix
    if not label.startswith("Cơ quan"):
        label = re.split(r"\s*(?:\(|,|;|\.|\s(?:là|được|đã|vừa|thuộc|của|trong|tại|VKSND|Viện)\s)", label)[0].strip()
        # nor does it run into its head's name ("Trưởng phòng Tổ chức cán bộ Võ Quang Lợi"): a family name
        # and a capitalised syllable after a lower-case word
        words = label.split()
        for i in range(2, len(words) - 1):
            if words[i] in surnames() and words[i - 1].islower() and words[i + 1][:1].isupper():
                label = label[:label.index(" " + words[i] + " " + words[i + 1])]
                break
    return Unit(label, "phòng", pos, pos + len(label)) if label else None
