"""Emulation clusters and blocs: their mentions, member lists and the units that lead them.

"Cụm thi đua số 10", "Khối thi đua số II", "Cụm số 4", "Cụm thi đua 8", "Khối 2", and the
unnumbered "Khối thi đua cấp phòng" / "Cụm thi đua các đơn vị cấp huyện". Members come from lists
("gồm", "bao gồm", "các đơn vị", "(gồm …)", "Cụm thi đua 8, VKSND các tỉnh …"); leaders and deputies
from statements about units ("VKSND tỉnh Thanh Hóa được chỉ định là Cụm trưởng", "Viện KSND tỉnh
Đồng Tháp (đơn vị Cụm trưởng năm 2023)", "Khối trưởng … là đơn vị Văn phòng tổng hợp").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import canonical_province, is_central_city, province_pattern
from .normalize import LOWER, UPPER, fix_tones
from .roles import ROLE, ROLE_TAIL, role_of, year_of
from .units import INSTITUTION, ORG, ORG_RE, Unit, department_at, find_units, level_word, place_name, unit_at

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
          "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15, "XVI": 16, "XVII": 17, "XVIII": 18, "XIX": 19, "XX": 20}
_KIND = {"cụm": "cum", "khối": "khoi"}
MENTION = re.compile(
    r"(?<![\w])(Cụm|Khối|cụm|khối|CỤM|KHỐI)\s+(?:(?:thi\s+đua|Thi\s+đua|THI\s+ĐUA)\s+)?(?:(?:số|Số|SỐ)\s+)?"
    r"(\d{1,2}|[IVX]{1,5})(?![\w/.,]\d)\b")
_NAMED = re.compile(
    r"(?<![\w])(Cụm|Khối|cụm|khối)\s+(?:thi\s+đua|Thi\s+đua)\s+"
    r"(cấp\s+(?:phòng|huyện|tỉnh)|(?:VKSND|Viện\s+KSND|Viện\s+kiểm\s+sát\s+nhân\s+dân)\s+cấp\s+(?:huyện|tỉnh)|"
    r"(?:VKSND\s+)?các\s+(?:phòng|đơn\s+vị|VKSND|VKSQS|Viện|tỉnh|huyện)[^,.;()]{0,40}|VKSN\w*\s*$)")
_NAMED_SHORT = re.compile(r"(?<![\w])(Khối|khối)\s+các\s+phòng(?:\s+nghiệp\s+vụ)?\b")  # "Khối các phòng nghiệp vụ"
_FORMED = re.compile(r"thành\s+0?1\s+(Cụm|Khối)\s+thi\s+đua", re.IGNORECASE)
# "Cụm thi đua số 10 năm 2023", "Cụm thi đua số 1 thuộc VKSND tỉnh năm 2023"
_YEAR_AFTER = re.compile(rf"(?:\s+(?:thuộc|của)\s+(?:VKSND|Viện\s+KSND)\s+(?:tỉnh|thành\s+phố)(?:\s+[{UPPER}]\w*){{0,3}})?"
                         r"\s+năm\s+(\d{4})")


@dataclass
class ClusterMention:
    kind: str
    number: int | None
    start: int
    end: int
    year: int | None = None       # a year written right after the mention ("Cụm thi đua số 10 năm 2023")
    role_context: bool = False    # the mention follows "Cụm trưởng" / "Khối phó" (a role, not a new entry)


def find_cluster_mentions(text: str) -> list[ClusterMention]:
    out = []
    for m in MENTION.finditer(text):
        raw = m.group(2)
        # "Cụm 1" needs the word "thi đua" or "số", else it may be a bare count ("cụm 2 xã")
        if "thi" not in m.group(0).lower() and "số" not in m.group(0).lower():
            before = text[max(0, m.start() - 40):m.start()].lower()
            if not re.search(r"(?:thi\s+đua|cụm|khối)", before) and not re.search(r"\bkhối\s+\d", m.group(0).lower()):
                continue
        num = int(raw) if raw.isdigit() else _ROMAN.get(raw)
        if num is None or num == 0:
            continue
        y = _YEAR_AFTER.match(text, m.end())
        before = text[max(0, m.start() - 30):m.start()]
        role_ctx = bool(re.search(r"(?:Cụm|Khối|cụm|khối)\s+(?:trưởng|phó)[,\s]*$", before))
        out.append(ClusterMention(_KIND[m.group(1).lower()], num, m.start(), m.end(),
                                  int(y.group(1)) if y else None, role_ctx))
    for m in _NAMED.finditer(text):
        out.append(ClusterMention(_KIND[m.group(1).lower()], None, m.start(), m.end()))
    named = {m.start() for m in _NAMED.finditer(text)}
    for m in _NAMED_SHORT.finditer(text):
        if m.start() not in named:
            out.append(ClusterMention("khoi", None, m.start(), m.end()))
    for m in _FORMED.finditer(text):
        out.append(ClusterMention(_KIND[m.group(1).lower()], None, m.start(1), m.end()))
    out.sort(key=lambda c: c.start)
    return out


# ---------------------------------------------------------------- member lists
_LIST_TRIGGER = re.compile(
    r"(?:\b(?:bao\s+gồm|gồm\s+có|gồm|có)\s+\d+\s+(?:đơn\s+vị(?:\s+thành\s+viên)?|thành\s+viên|tỉnh|phòng)\s*(?:là\b|:)|"
    r"\b(?:bao\s+gồm|gồm\s+có|gồm)\b|thành\s+viên(?:\s+còn\s+lại)?(?:\s+trong\s+(?:Cụm|Khối))?\s+(?:gồm|là)\b|"
    r"với\s+sự\s+tham\s+gia\s+của|(?:tỉnh|đơn\s+vị)?\s*thành\s+viên\s*:|"
    # who attended a cluster's meeting: "đại diện lãnh đạo VKSND các tỉnh A, B", "điểm cầu VKSND các tỉnh …"
    r"(?:đại\s+diện\s+(?:lãnh\s+đạo\s+)?(?:Văn\s+phòng\s+)?|kết\s+nối\s+với\s+(?:các\s+)?điểm\s+cầu\s+)"
    r"(?=(?:VKSND|Viện\s+KSND|Viện\s+kiểm\s+sát\s+nhân\s+dân)\s+(?:\d+\s+)?(?:các\s+tỉnh|thành\s+phố|tỉnh)\b)|"
    r"(?<=,)\s*(?=(?:VKSND|Viện\s+KSND|Viện\s+kiểm\s+sát\s+nhân\s+dân)\s+(?:\d+\s+)?các\s+tỉnh)|"
    rf"các\s+đơn\s+vị\s+(?={ORG}\s)|các\s+đơn\s+vị\s*:)",
    re.IGNORECASE)
_UNIT_HEAD = re.compile(rf"^(?:các\s+)?(?:{ORG}|{INSTITUTION}|Vụ|Cục|Phòng|Văn\s+phòng|Thanh\s+tra|Cơ\s+quan|Viện\s+\d|huyện|quận|"
                        r"thị\s+xã|thành\s+phố|tỉnh)\b",
                        re.IGNORECASE)


@dataclass
class MemberList:
    start: int
    end: int
    units: list[Unit]
    aliases: dict[str, str]  # "Phòng 7" -> the department's full name, from "(Phòng 7)" in the list
    # who attended, not said to be the members: they are, if the cluster's leader or deputy is among them
    attendance: bool = False


def _split_items(body: str, offset: int) -> list[tuple[str, int]]:
    """Items of a list: split on commas and semicolons outside parentheses, and on "và" where
    both sides name units ("Cục Kế hoạch - Tài chính và Thanh tra VKSND tối cao", "Chơn Thành và
    Hớn Quản"), not inside a name ("Vụ Pháp chế và Quản lý khoa học")."""
    items, depth, last = [], 0, 0
    for i, ch in enumerate(body):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in ",;\n" and depth == 0:
            items.append((body[last:i], offset + last))
            last = i + 1
    items.append((body[last:], offset + last))
    # "Phòng Thực hành quyền công tố và kiểm sát điều tra án hình sự về kinh tế, chức vụ": a piece that
    # names no unit continues the department before it
    merged: list[tuple[str, int]] = []
    for item, pos in items:
        piece = _ENUM.sub("", item).strip()
        if (merged and piece and not _UNIT_HEAD.match(piece) and re.match(rf"[{LOWER}]", piece)
                and _DEPT.match(_ENUM.sub("", merged[-1][0]).strip())):
            prev, ppos = merged[-1]
            merged[-1] = (body[ppos - offset:pos - offset + len(item)], ppos)
        else:
            merged.append((item, pos))
    out = []
    for item, pos in merged:
        parts = re.split(r"\s+và\s+", item)
        heads = [bool(_UNIT_HEAD.match(p.strip())) for p in parts]
        bare = [bool(re.match(rf"[{UPPER}\d]", p.strip())) for p in parts]
        dept = bool(_DEPT.match(_ENUM.sub("", parts[0]).strip()))
        split = len(parts) > 1 and (all(heads[1:]) if dept else all(h or b for h, b in zip(heads, bare)))
        if split:
            q = 0
            for part in parts:
                j = item.index(part, q)
                out.append((part, pos + j))
                q = j + len(part)
        else:
            out.append((item, pos))
    return out


# a department (or an institution: "Trường Đào tạo" begins one whose name holds a comma)
_DEPT = re.compile(rf"(?:Vụ|Cục|Phòng|Văn\s+phòng|Thanh\s+tra|Cơ\s+quan|Viện\s+\d|{INSTITUTION}|Trường\s+Đào\s+tạo)\b")
_ENUM = re.compile(r"^\s*(?:\d{1,2}[.)]|[-–•+*])\s+")  # "1. ", "- ", "• " before an item of a list
_ALIAS = re.compile(r"\(\s*((?:Phòng|Vụ|Cục)\s+\d+)\s*\)")
_HEADER = re.compile(rf"^\s*:?\s*(?:\d+\s+)?(?:(?:{ORG})\s+)?(?:các\s+|\d+\s+)?((?:(?:huyện|quận|thị\s+xã|thành\s+phố|tỉnh|đơn\s+vị|phòng)\s*,?\s*)+)"
                     r"(?:[^:,;.]{0,40})?:\s*",
                     re.IGNORECASE)
_ITEM_PREFIX = re.compile(rf"^[\s:]*(?:(?:\d{{1,2}}[.)]|[-–•+*])\s+)?(?:(?:Lãnh\s+đạo|lãnh\s+đạo|đại\s+diện)\s+)?"
                          rf"(?:(?:{ORG})\s*:?\s+)?(?:các\s+|\d+\s+(?:đơn\s+vị|tỉnh|phòng)\s*:?\s*)?",
                          re.IGNORECASE)


def parse_member_list(text: str, start: int, end: int, known: dict[str, str],
                      aliases: dict[str, str] | None = None) -> list[Unit]:
    """Units in the list text[start:end]. A bare place name takes the level in force ("các huyện
    A, B và thị xã C"), else the level the article writes it with elsewhere (``known``), else
    "huyện"; a header of several levels ("các huyện, thị xã, thành phố: …") sets none."""
    aliases = {} if aliases is None else aliases
    body = text[start:end]
    level: str | None = None
    h = _HEADER.match(body)
    if h:
        words = [level_word(w) for w in re.findall(r"huyện|quận|thị\s+xã|thành\s+phố|tỉnh", h.group(1), re.IGNORECASE)]
        level = words[0] if len(words) == 1 else ("*" if words else None)
        start, body = start + h.end(), body[h.end():]
    units: list[Unit] = []
    head = None  # the head word of the last department listed ("Phòng 1, 2, 3 và 4")
    for item, pos in _split_items(body, start):
        alias = _ALIAS.search(item)
        raw = re.sub(r"\s*\([^)]*\)", "", item).rstrip(" .")
        lead = _ITEM_PREFIX.match(raw)
        core = raw[lead.end():]
        p0 = pos + (len(item) - len(item.lstrip()))
        if not core.strip():
            continue
        # a military procuracy ("VKSQS Quân khu 4", "Quân đoàn 34")
        mil = unit_at("VKSQS " + core, len("VKSQS")) if re.match(r"(?:Quân\s+khu|Quân\s+đoàn|Quân\s+chủng|Binh\s+chủng|QK)\b", core) else None
        if mil is not None:
            units.append(Unit(mil.label, mil.level, p0, p0 + len(item.strip())))
            continue
        # a regional procuracy ("VKSQS khu vực 41", "VKSND khu vực 3")
        kv = re.fullmatch(r"khu\s+vực\s+(\d{1,3})", core.strip(), re.IGNORECASE)
        if kv:
            units.append(Unit(f"khu vực {kv.group(1)}", "khu vực", p0, p0 + len(item.strip())))
            continue
        # "Phòng 1, 2, 3 và 4": a bare number continues the department head before it
        if head and re.fullmatch(r"\d{1,2}(?:\s+(?:của|thuộc)\s.*)?", core.strip()):
            core = f"{head} {core.strip()}"
        # a department of a procuracy
        if _DEPT.match(core):
            dep = department_at(core, 0)
            whole = re.split(r"\s+(?:của|thuộc|trực\s+thuộc)\s+(?:VKSND|Viện)|\s+[-–]\s+(?=[a-zà-ỹđ])", core.strip())[0]
            if re.search(r"\b(?:VKSND|Viện\s+KSND)\s+tối\s+cao$", core):
                label = core.strip()
            elif dep and len(whole.split()) > len(dep.label.split()) and len(whole.split()) <= 20:
                label = whole  # a long name with lower-case words and "và" in it
            else:
                label = dep.label if dep else None
            if label:
                units.append(Unit(label, "phòng", p0, p0 + len(item.strip())))
                head = label.split()[0] if label.split()[0] in ("Phòng", "Vụ", "Cục") else None
                if alias:
                    aliases[alias.group(1)] = label
            continue
        # an item that is just a province ("Hà Tỉnh" with its misspelt capital T is not the level "tỉnh")
        pm0 = province_pattern().fullmatch(fix_tones(core.strip()))
        if pm0 and canonical_province(pm0.group(0)) and level in (None, "tỉnh", "cấp cao", "*"):
            name = canonical_province(pm0.group(0))
            label = f"VKSND cấp cao tại {name}" if level == "cấp cao" else name
            units.append(Unit(label, "cấp cao" if level == "cấp cao" else "tỉnh", p0, p0 + len(item.strip())))
            continue
        # an explicit level word inside the item sets the level for what follows
        lv = re.search(r"(?<![\w])(huyện|quận|thị\s+xã|thành\s+phố|TP\.?|Tp\.?|tỉnh|cấp\s+cao)(?:\s+(?:tại|ở))?\s*", core, re.IGNORECASE)
        name_from = core
        if lv:
            new = "cấp cao" if "cao" in lv.group(1) else level_word(lv.group(1))
            # "VKSND cấp cao tại Hà Nội, Đà Nẵng và Tp. Hồ Chí Minh": the city names the court's seat
            if not (level == "cấp cao" and new == "thành phố"):
                level = new
            name_from = core[lv.end():]
            # "các huyện miền núi Nam Trà My, …": a description between the level and the names
            name_from = re.sub(r"^(?:miền\s+núi|vùng\s+cao|biên\s+giới|ven\s+biển|đồng\s+bằng)\s+", "", name_from)
        whole = province_pattern().match(fix_tones(core))
        if whole and canonical_province(whole.group(0)) and whole.group(0)[:2].upper() == "TP":
            name_from = core  # "TP.HCM" is one name, not the level "TP." and a place "HCM"
        fcore = fix_tones(name_from)
        provs = [m for m in province_pattern().finditer(fcore) if m.group(0)[0].isupper()]
        city = provs and is_central_city(provs[0].group(0))
        if provs and (level in (None, "tỉnh", "cấp cao", "*") or (level == "thành phố" and city)):
            for m in provs:
                name = canonical_province(m.group(0))
                label = f"VKSND cấp cao tại {name}" if level == "cấp cao" else name
                units.append(Unit(label, "cấp cao" if level == "cấp cao" else "tỉnh", p0, p0 + len(item.strip())))
            continue
        nm = place_name(name_from, 0) if re.match(rf"[{UPPER}\d]", name_from) else None
        if not nm or level in (None, "tỉnh", "cấp cao"):
            continue
        lvl = known.get(nm[0]) or (level if level != "*" else "huyện")
        units.append(Unit(f"{lvl} {nm[0]}", lvl, p0, p0 + len(item.strip())))
    return units


# who attended, told as the members of the cluster: "lãnh đạo VKSND các tỉnh A, B, C – các đơn vị thành viên
# còn lại của Cụm", "lãnh đạo Vụ 1, Vụ 2 … - 6 đơn vị thành viên của Khối", "… cùng các đơn vị khác trong Cụm"
_ATTENDING = re.compile(r"\blãnh\s+đạo\s+(?:(?:và|cùng)\s+[^,;.:]{0,40}?\s+của\s+)?"
                        rf"(?=(?:{ORG}|Vụ|Cục|Phòng)\s|Viện\s+\d)", re.IGNORECASE)
_MEMBERS_BACK = re.compile(r"\s*[-–,]\s*(?:(?:\d+|các)\s+)?đơn\s+vị\s+(?:thành\s+viên\s+)?(?:còn\s+lại\s+|khác\s+)?"
                           r"(?:của|trong|thuộc)\s+(?:Cụm|Khối)\b|\s*,?\s*cùng\s+các\s+đơn\s+vị\s+(?:khác\s+)?"
                           r"(?:trong|của|thuộc)\s+(?:Cụm|Khối)\b", re.IGNORECASE)


def _attendance_lists(text: str, known: dict[str, str]) -> list[MemberList]:
    out = []
    for m in _ATTENDING.finditer(text):
        end = _list_end(text, m.end(), False)
        back = _MEMBERS_BACK.search(text, m.end(), min(len(text), end + 80))
        said = back is not None and text.find(".", end, back.start()) < 0
        if said:
            end = min(end, back.start())
        units = parse_member_list(text, m.end(), end, known)
        if len(units) > (0 if said else 1):
            out.append(MemberList(m.start(), end, units, {}, attendance=not said))
    return out


# a unit that tops its cluster's emulation is one of its members: "VKSND huyện X - đơn vị dẫn đầu Cụm thi đua số 1"
_LEADS = re.compile(r"\s*(?:[-–,]\s*|\s+là\s+)(?:đơn\s+vị\s+)?dẫn\s+đầu\s+(?:phong\s+trào\s+thi\s+đua\s+(?:của\s+|trong\s+)?)?"
                    r"(?:Cụm|Khối)\b")


def _leading_units(text: str) -> list[MemberList]:
    out = []
    for m in re.finditer(r"dẫn\s+đầu\s", text):   # rare: look for the unit only around one
        out += [MemberList(u.start, u.end, [u], {}) for u in find_units(text, max(0, m.start() - 120), m.start())
                if (lead := _LEADS.match(text, u.end)) and lead.end() > m.start()]
    return out


def find_member_lists(text: str, known: dict[str, str]) -> list[MemberList]:
    """Lists of members: after a trigger word that follows a cluster mention in the same sentence, lists
    of who attended that the text calls the cluster's members, and the unit said to top the cluster."""
    out = _attendance_lists(text, known) + _leading_units(text)
    for m in _LIST_TRIGGER.finditer(text):
        before = re.split(r"[.!?]\s|\n", text[max(0, m.start() - 160):m.start()])[-1]
        # a list in a sentence that does not speak of the cluster: who attended, perhaps the members
        attendance = not re.search(r"(?:Cụm|Khối|cụm|khối|thành\s+viên|đơn\s+vị)", before + m.group(0))
        start = m.end()
        in_paren = before.rstrip().endswith("(") or "(" in before[-12:]
        end = _list_end(text, start, in_paren)
        aliases: dict[str, str] = {}
        units = parse_member_list(text, start, end, known, aliases)
        if len(units) > attendance:
            out.append(MemberList(m.start(), end, units, aliases, attendance=attendance))
    return sorted(out, key=lambda ml: ml.start)


def _list_end(text: str, start: int, in_paren: bool) -> int:
    # "gồm 6 đơn vị:\n1. VKSND thành phố Bảo Lộc;\n2. …": the list runs over its enumerated lines
    enum = re.compile(r"[ \t]*\n[ \t]*(?:\d{1,2}[.)]|[-–•+*])[ \t]+[^\n]*")
    m = enum.match(text, start)
    if m:
        end = m.end()
        while (m := enum.match(text, end)) is not None:
            end = m.end()
        return end
    depth = 0
    i = start
    limit = min(len(text), start + 600)
    while i < limit:
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i
            depth -= 1
        elif ch == "\n" or (ch == "." and (i + 1 == len(text) or text[i + 1].isspace())
                            and not re.search(r"(?:Tp|TP|T\.P)$", text[max(0, i - 3):i])):
            return i
        elif depth == 0 and _LIST_STOP.match(text, i):
            return i
        elif ch == ";" and depth == 0 and re.match(r"\s*(?:Cụm|Khối)\b", text[i + 1:i + 8]):
            return i  # "…; Cụm thi đua số 2 gồm …": the next cluster's list
        elif (ch == ";" and depth == 0 and re.match(rf"\s*[{LOWER}]", text[i + 1:i + 4])
              and not re.match(r"\s*(?:huyện|quận|thị\s+xã|thành\s+phố|tỉnh|các)\b", text[i + 1:i + 16])):
            return i  # "…, Quảng Trị và Thừa Thiên Huế; lãnh đạo Văn phòng …": the list is over
        i += 1
    return limit


_LIST_STOP = re.compile(r",?\s+(?:vừa|đã|tổ\s+chức|cùng\s+với|cùng|đồng\s+chí|tham\s+dự|nhằm|để|"
                        r"được|là|làm|tiến\s+hành|thống\s+nhất|ký|phát\s+động|trong\s+đó|năm\s+\d{4})\b")


def known_district_levels(text: str) -> dict[str, str]:
    """Place name -> level as the article writes it elsewhere ("thị xã Bình Long")."""
    out: dict[str, str] = {}
    for m in re.finditer(r"(?<![\w])(huyện|quận|thị\s+xã|thành\s+phố|TP\.?|Tp\.?)\s+", text, re.IGNORECASE):
        nm = place_name(text, m.end())
        if nm and not canonical_province(nm[0]):
            out.setdefault(nm[0], level_word(m.group(1)))
    return out


# ---------------------------------------------------------------- roles of units
# "UNIT được chỉ định là Cụm trưởng", "UNIT được Cụm bầu chọn làm Cụm trưởng", "; UNIT là Cụm phó",
# "UNIT nhận bàn giao nhiệm vụ Cụm trưởng", "UNIT - đơn vị trưởng cụm", "UNIT, đơn vị Cụm trưởng năm 2023,"
_UNIT_IS_ROLE = re.compile(
    r"^[^.;]{0,50}?(?:\b(?:là|làm|giữ(?:\s+vai\s+trò|\s+chức)?|đảm\s+(?:nhận|nhiệm)(?:\s+vai\s+trò)?|"
    r"nhận(?:\s+bàn\s+giao)?(?:\s+vai\s+trò|\s+nhiệm\s+vụ)|tiếp\s+nhận(?:\s+nhiệm\s+vụ)?|(?:với|trong)\s+vai\s+trò(?:\s+là)?)"
    r"|,\s*(?:là\s+)?(?=đơn\s+vị)|^\s*[-–—:]\s*(?:là\s+)?)\s*(?:đơn\s+vị\s+)?" + ROLE + ROLE_TAIL)
# "UNIT (đơn vị Cụm trưởng năm 2023)" / "UNIT (Cụm trưởng)"
_UNIT_PAREN_ROLE = re.compile(r"^\s*\(\s*(?:đơn\s+vị\s+|Đơn\s+vị\s+)?" + ROLE + ROLE_TAIL + r"\s*\)")
# "Cụm trưởng là VKSND tỉnh X", "đơn vị Cụm trưởng (VKSND tỉnh X)", "Cụm trưởng năm 2022 sẽ do VKSND tỉnh X đảm nhiệm"
_ROLE_IS_UNIT = re.compile(ROLE + r"(?:\s+(?:Cụm|Khối)\s+thi\s+đua[^.;,()]{0,60}?)?(?:\s+(?:của\s+|cho\s+)?năm\s+(?P<year>\d{4}))?"
                           r"\s*(?:\s(?:là|gồm)\s|:|\(|\s(?:sẽ\s+)?(?:do|thuộc\s+về)\s)\s*(?:đơn\s+vị\s+)?")


@dataclass
class UnitRole:
    role: str            # leader | deputy
    kind: str            # cum | khoi
    unit: str            # member label
    year: int | None
    start: int
    end: int


def _unit_or_dept(text: str, pos: int) -> Unit | None:
    m = re.compile(rf"\s*(?:({ORG})\s+)?").match(text, pos)
    if m.group(1):
        return unit_at(text, m.end())
    return department_at(text, m.end())


_DEPT_START = re.compile(rf"(?<![\w])(?:(?:Văn\s+phòng|Phòng|Vụ|Cục|Thanh\s+tra|Cơ\s+quan\s+điều\s+tra)\s|{INSTITUTION}|Viện\s+\d)")


def find_unit_roles(text: str) -> list[UnitRole]:
    out: list[UnitRole] = []
    units = find_units(text)
    depts = [d for d in (department_at(text, m.start()) for m in _DEPT_START.finditer(text)) if d is not None]
    for u in sorted(units + depts, key=lambda x: x.start):
        tail = text[u.end:u.end + 120]
        r = _UNIT_PAREN_ROLE.match(tail) or _UNIT_IS_ROLE.match(tail)
        # the statement must not pass another unit on its way to the role ("A, Cụm trưởng và … B, Cụm phó")
        role_at = min(x for x in (r.start("k1"), r.start("r2"), r.start("dep")) if x >= 0) if r else 0
        if r and (ORG_RE.search(tail, 0, role_at) or _DEPT_START.search(tail, 0, role_at)):
            r = None
        if r:
            role, kind = role_of(r)
            out.append(UnitRole(role, kind, u.label, year_of(r), u.start, u.end + r.end()))
    for r in _ROLE_IS_UNIT.finditer(text):
        u = _unit_or_dept(text, r.end())
        if u is not None:
            role, kind = role_of(r)
            out.append(UnitRole(role, kind, u.label, year_of(r), r.start(), u.end))
    # "là đơn vị Cụm phó Cụm thi đua số 10 năm 2024, VKSND tỉnh X đã …": the role told before its unit
    for r in _ROLE_THEN_UNIT.finditer(text):
        u = unit_at(text, r.end())
        if u is not None:
            role, kind = role_of(r)
            out.append(UnitRole(role, kind, u.label, year_of(r), r.start(), u.end))
    # "…; năm 2019 được các đơn vị bạn bầu làm Cụm phó": a clause without a subject speaks of the unit
    # the article is about (the first procuracy it names, other than the VKSND tối cao)
    subject = next((u for u in units if u.level != "tối cao"), None)
    for r in _SUBJECTLESS_ROLE.finditer(text):
        if subject is not None and subject.start < r.start() and not any(o.start <= r.start("k1") < o.end or
                                                                         o.start <= r.start() < o.end for o in out):
            role, kind = role_of(r)
            out.append(UnitRole(role, kind, subject.label, year_of(r), r.start("verb"), r.end()))
    return out


_ROLE_THEN_UNIT = re.compile(r"(?:^|[;.]\s+)(?:[Ll]à\s+)?(?:đơn\s+vị\s+)" + ROLE + ROLE_TAIL + rf"\s*,\s*(?={ORG}\s)")
_SUBJECTLESS_ROLE = re.compile(r"(?:^|[;:]\s*|[.!?]\s+|,\s+)(?:(?:năm|Năm)\s+\d{4}\s*,?\s+)?(?:(?:đơn\s+vị|Đơn\s+vị)\s+)?"
                               r"(?P<verb>(?:đã\s+)?được\s+(?:[^.;,]{0,50}?\s)?(?:bầu|suy\s+tôn|chỉ\s+định|phân\s+công|giao)"
                               r"\s+(?:làm|là)\s+)" + ROLE + ROLE_TAIL)
