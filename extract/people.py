"""Named officials with their positions and cluster roles.

A person is found by a cue ("đồng chí", "đ/c", "ông", "bà"), by a position written just before
the name ("Phó Viện trưởng VKSND tối cao Bùi Mạnh Cường"), or by a known family name followed
by a position ("Nguyễn Văn Hồng – Viện trưởng VKSND tỉnh Đồng Tháp"). Names without either are
checked with underthesea's NER. The position is read next to the name; a cluster role
("Cụm trưởng", "(Đơn vị Cụm phó)") that follows belongs to the person or to the person's unit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import canonical_province, province_pattern, surnames
from .normalize import LOWER, UPPER, fix_tones
from .roles import ROLE, ROLE_TAIL, role_of, year_of
from .spans import Spans
from .units import department_at, find_units

# a name syllable: "Hồng", and in names of ethnic minorities "A" (Vàng A Páo), "Y" (Y Khuê Niê), "H'Hoa"
_SYL = rf"[{UPPER}](?:[{LOWER}]+|'[{UPPER}][{LOWER}]+|')?"  # also "H' Luy Êban"
_NAME = re.compile(rf"(?<![\w.]){_SYL}(?:[ \t]+{_SYL}){{1,7}}")  # not inside "PGS.TS Lê Văn A"
# capitalised words that are never a syllable of a person's name
_NOT_NAME = {"Viện", "Phó", "Chánh", "Vụ", "Cục", "Bí", "Ủy", "Uỷ", "Tổng", "Thủ", "Giám", "Kiểm",
             "Thẩm", "Phòng", "Ban", "Đảng", "Cụm", "Khối", "Tỉnh", "Huyện", "Quận", "Tại", "Cùng",
             "Dự", "Sau", "Theo", "Năm", "Ngày", "Sáng", "Chiều", "Lãnh", "Tham", "Các", "Những", "Ông", "Bà",
             "Và", "Với", "Trưởng", "Huân", "Cờ", "Giấy", "Tập", "Mẹ", "Thi", "Ngành", "Bộ", "Sở", "Tòa", "Ảnh"}
# capitalised syllables that open a common noun with the next lower-case syllable ("Quyết định",
# "Trung ương", "Đoàn kết") but are ordinary name syllables otherwise ("Đỗ Văn Quyết", "Đoàn Mạnh Cường")
_COMPOUNDS = {
    "Quyết": {"định"}, "Nghị": {"quyết", "định"}, "Chỉ": {"thị"}, "Công": {"văn", "an", "đoàn", "tác", "ty"},
    "Thông": {"tư", "báo"}, "Báo": {"cáo"}, "Tạp": {"chí"}, "Kế": {"hoạch"}, "Chiến": {"sĩ"}, "Anh": {"hùng"},
    "Bằng": {"khen"}, "Đại": {"hội", "biểu", "tá", "úy", "uý", "tướng", "học", "diện"},
    "Thiếu": {"tướng", "tá", "úy", "uý"}, "Thượng": {"tướng", "tá", "úy", "uý"},
    "Trung": {"tướng", "tá", "úy", "uý", "ương", "tâm"}, "Thành": {"phố"}, "Văn": {"phòng", "bản"},
    "Đồng": {"chí"}, "Thanh": {"tra", "niên"}, "Quân": {"khu", "đội", "đoàn", "chủng"}, "Cơ": {"quan"},
    "Thường": {"trực"}, "Luật": {"sư"}, "Toàn": {"cảnh", "thể", "quốc"}, "Đoàn": {"kết", "viên", "thể"},
    "Hội": {"nghị", "đồng", "trường"}, "Chủ": {"tịch", "nhiệm", "trì", "đề"}, "Lao": {"động"},
    "Trang": {"chủ", "tin", "thông"}, "Cổng": {"thông"}, "Hiệu": {"trưởng"}, "Nhà": {"nước"},
}
_PLACE_BEFORE = re.compile(r"(?:\b(?:huyện|quận|thị\s+xã|thành\s+phố|tỉnh|xã|phường|thị\s+trấn|TP\.?)|"
                           r"\b(?:Huyện|Quận|Tỉnh|Thành|Thị)\s+(?:ủy|uỷ))\s+$")
_NEXT_LOWER = re.compile(rf"[ \t]+([{LOWER}]+)")
_RANK = r"(?:(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy|uý)\s+)"
_CUE = re.compile(rf"(?:(?<![\w/])(?:đồng\s+chí|Đồng\s+chí|ĐỒNG\s+CHÍ|đ/c|Đ/c|đ/\s*c|ông|Ông|bà|Bà)\s+{_RANK}?)$")
# the words a position starts with
POSITION = (r"(?:(?:Nguyên\s+|Quyền\s+)?(?:Phó\s+)?(?:Viện\s+trưởng|viện\s+trưởng|Chánh\s+(?:Văn\s+phòng|văn\s+phòng|Thanh\s+tra|thanh\s+tra|án)|"
            r"Vụ\s+trưởng|Cục\s+trưởng|Trưởng\s+(?:phòng|Phòng|ban|Ban|khoa|Khoa|đoàn)|Giám\s+đốc|Tổng\s+Bí\s+thư|Bí\s+thư|"
            r"Chủ\s+tịch|Thủ\s+tướng|Tổng\s+biên\s+tập|Tổng\s+Biên\s+tập|Chủ\s+nhiệm|Hiệu\s+trưởng|Bộ\s+trưởng|Thứ\s+trưởng|"
            r"Trưởng\s+Ban|Thư\s+ký|Chánh\s+Thanh\s+tra|Kiểm\s+sát\s+viên|Điều\s+tra\s+viên|Thẩm\s+phán|Chuyên\s+viên|"
            r"Ủy\s+viên|Uỷ\s+viên|Đại\s+biểu\s+Quốc\s+hội|Kế\s+toán\s+trưởng|Trưởng|Phó\s+Chủ\s+nhiệm|Tổng\s+Thư\s+ký|"
            r"Chủ\s+tịch\s+nước|Chính\s+ủy|Chính\s+uỷ)|Phó\s+(?:Chánh|Trưởng|Giám|Bí|Chủ|Thủ|Vụ|Cục)[\w\s]{0,30}?(?=\s|,))")
POSITION_RE = re.compile(POSITION)
_ROLE = re.compile(r"(?:\(\s*)?(?:đại\s+diện\s+)?(?P<via>(?:đơn\s+vị|Đơn\s+vị)\s+)?" + ROLE + ROLE_TAIL + r"\s*\)?")
# where a position stops
_TITLE_STOP = re.compile(
    r"\s+(?:phát\s+biểu|dự|chủ\s+trì|đồng\s+chủ\s+trì|trao|báo\s+cáo|đã|đang|sẽ|tặng|cùng|thông\s+qua|trình\s+bày|"
    r"nhấn\s+mạnh|quán\s+triệt|thay\s+mặt|chỉ\s+đạo|khai\s+mạc|kết\s+luận|bế\s+mạc|biểu\s+dương|giới\s+thiệu|đọc|"
    r"tham\s+dự|chụp|ghi|nhận|cho|được|là|làm|và\s+(?:các\s+)?(?:đồng\s+chí|đ/c)|và\s+đại\s+diện|với|tại|về|"
    r"lên|điều\s+hành|gửi|phụ\s+trách\s+Cụm|phụ\s+trách\s+Khối|đến|vinh\s+dự|đề\s+nghị|yêu\s+cầu|mong|khẳng\s+định|"
    r"đánh\s+giá|ghi\s+nhận|chúc\s+mừng|phân\s+tích|nêu|cho\s+biết|tiếp|hướng\s+dẫn|chủ\s+trì)\b")


@dataclass
class PersonMention:
    name: str
    start: int
    end: int
    title: str | None = None
    role: str | None = None          # the person's own cluster role
    unit_role: str | None = None     # a role the text gives the person's unit
    role_year: int | None = None
    role_span: tuple[int, int] | None = None
    unit: str | None = None          # the title's unit, as a member label
    cued: bool = False


def _trim_name(text: str, m: re.Match) -> tuple[str, int, int] | None:
    words = m.group(0).split()
    out = []
    pos = m.start()
    # "… VKSND tỉnh Quảng Ngãi Phạm Thị Kim Liên": a place glued before the name is not part of it
    pm = province_pattern().match(fix_tones(text), m.start())
    if pm and pm.end() < m.end() and canonical_province(pm.group(0)):
        skip = len(pm.group(0).split())
        if len(words) - skip >= 2:
            pos = pm.end()
            words = words[skip:]
    for i, w in enumerate(words):
        j = text.index(w, pos)
        nxt = _NEXT_LOWER.match(text, j + len(w))
        compound = nxt is not None and nxt.group(1) in _COMPOUNDS.get(w, ())
        if w in _NOT_NAME or compound:
            if not out:
                pos = j + len(w)
                continue  # "Ông Đỗ Minh Châu": a cue or title word opens the match, the name follows
            break
        out.append((w, j))
        pos = j + len(w)
        if len(out) == 4:
            break
    if len(out) < 2:
        return None
    return " ".join(w for w, _ in out), out[0][1], out[-1][1] + len(out[-1][0])


_DASH_STOP_NEXT = re.compile(rf"(?:{POSITION}|(?:đơn\s+vị|Đơn\s+vị)\s|(?:Cụm|Khối)\s+(?:trưởng|phó)|[{LOWER}])")


def _clause_end(text: str, p: int) -> int:
    """Where a position that starts at ``p`` must end: a sentence end, a semicolon, a parenthesis,
    a quote, a line break, or a dash that opens another position or role (not the dash inside
    "Thi đua - Khen thưởng" or "Bà Rịa – Vũng Tàu")."""
    for m in re.compile(r"[.;()\n“”\"]|\s*[–—-]\s*|$").finditer(text, p):
        tok = m.group(0)
        if tok.strip() in ("–", "—", "-"):
            if not (tok.startswith(" ") or tok.endswith(" ")):
                continue  # a hyphen inside a word or a code
            if _DASH_STOP_NEXT.match(text, m.end()):
                return m.start()
            continue
        if tok == "." and re.search(r"(?:TP|Tp|T\.P)$", text[max(0, m.start() - 3):m.start()]):
            continue
        return m.start()
    return len(text)


def _is_place(text: str, name: str, start: int) -> bool:
    """A province ("Kon Tum"), or a two-syllable place after a level word ("huyện Thạch Thất",
    "Quận ủy Lê Chân"); a person's three-syllable name after "tỉnh" stays a person."""
    if canonical_province(name):
        return True
    return len(name.split()) == 2 and bool(_PLACE_BEFORE.search(text, max(0, start - 20), start))


def _title_after(text: str, end: int) -> tuple[str | None, int]:
    """The position written after a name: ", Viện trưởng VKSND tỉnh X" / " – Phó Chánh Văn phòng"."""
    m = re.compile(r"\s*(?:,|–|-|—|:|\()?\s*").match(text, end)
    p = m.end()
    if not POSITION_RE.match(text, p):
        return None, end
    clause = text[p:_clause_end(text, p)]
    parts, acc = re.split(r",\s*", clause), []
    for i, part in enumerate(parts):
        if i and not POSITION_RE.match(part):
            break
        v = _TITLE_STOP.search(" " + part)
        if v:
            part = part[:max(0, v.start() - 1)]
            acc.append(part)
            break
        acc.append(part)
    title = ", ".join(a.strip() for a in acc if a.strip())
    title = re.sub(r"[\s,–-]+$", "", title)
    return (title or None), p + len(title)


def _title_before(text: str, start: int) -> str | None:
    """A position written just before the name, in the same clause ("Viện trưởng VKSND tối cao Lê Minh Trí")."""
    seg = re.split(r"[,;:()\n“”\"]|(?<!TP)(?<!Tp)\.|\s[–-]\s", text[max(0, start - 120):start])[-1]
    seg = re.sub(r"^\s*(?:(?:các\s+)?(?:đồng\s+chí|Đồng\s+chí|đ/c|Đ/c)\s+)?", "", seg)
    m = POSITION_RE.search(seg)
    if not m:
        return None
    title = seg[m.start():].strip()
    title = re.sub(rf"\s*{_RANK}$", "", title + " ").strip()
    if not title or len(title.split()) > 14 or _TITLE_STOP.search(" " + title):
        return None
    return title


_TITLE_THEN_CUE = re.compile(rf"(?:^|[.;:\n]|\bcó|\blà)\s*({POSITION}[^,;.()\n“”]{{0,80}}),\s*(?:đồng\s+chí|đ/c|ông|bà)\s+$")


def _title_before_cue(text: str, start: int) -> str | None:
    """"…; Viện trưởng VKSND huyện Cần Đước, đồng chí Nguyễn Thị Bé Tư": the position opens the clause."""
    m = _TITLE_THEN_CUE.search(text[max(0, start - 140):start])
    if not m or _TITLE_STOP.search(" " + m.group(1)):
        return None
    return m.group(1).strip()


def _role_after(text: str, pos: int, limit: int = 60) -> re.Match | None:
    # "X, Trưởng phòng Y, Khối phó", "X (Cụm trưởng)", "Trưởng phòng Y Lê Văn A là Khối phó"
    m = re.compile(r"[\s,–—:-]*(?:(?:là|giữ\s+vai\s+trò)\s+)?(?:\(\s*)?").match(text, pos)
    r = _ROLE.match(text, m.start() if text[m.end() - 1:m.end()] == "(" else m.end())
    if r is None:
        r = _ROLE.match(text, m.end())
    return r if r and r.start() - pos <= limit else None


_DEPT_TITLE = re.compile(r"^(?:Phó\s+)?(?:(?:Trưởng|trưởng)\s+(?:phòng|Phòng)\s+(?P<dept>[^,]+?)(?=\s+(?:VKSND|Viện|của)\b|,|$)|"
                         r"(?P<office>Chánh\s+(?:Văn\s+phòng|văn\s+phòng))|"
                         r"Viện\s+trưởng\s+(?P<viện>Viện\s+\d{1,2})\b)")  # a department of a VKSND cấp cao


def title_unit(title: str | None, *, owner: bool = True) -> str | None:
    """The unit a position belongs to, as a member label. With ``owner`` the unit the person heads
    or serves in ("Trưởng phòng 11 VKSND thành phố Hải Phòng" -> "Phòng 11"); without, the last
    procuracy named in it ("Chánh Văn phòng Viện KSND tỉnh Đồng Tháp" -> "Đồng Tháp")."""
    if not title:
        return None
    t = re.sub(r"\bV[A-Z]SND\b", "VKSND", title)
    units = find_units(t)
    if owner:
        m = _DEPT_TITLE.match(t)
        if m and m.group("dept"):
            d = department_at("Phòng " + m.group("dept"), 0)
            if d:
                return d.label
        if m and m.group("office"):
            return "Văn phòng"
        if m and m.group("viện"):
            return m.group("viện")
        return units[0].label if units else None
    return units[-1].label if units else None


def find_people(text: str, exclude: list[tuple[int, int]] = (), bare: list | None = None) -> list[PersonMention]:
    """Every person mention with the position and role written next to it. Candidates that only
    look like a name (a family name and capitalised syllables, no cue, no position) go to ``bare``."""
    sn = surnames()
    skip = Spans(exclude)
    out: list[PersonMention] = []
    for m in _NAME.finditer(text):
        trimmed = _trim_name(text, m)
        if not trimmed:
            continue
        name, s, e = trimmed
        if skip.contains(s) or _is_place(text, name, s):
            continue
        before = text[max(0, s - 40):s]
        cued = bool(_CUE.search(before))
        t_after, t_end = _title_after(text, e)
        t_before = _title_before_cue(text, s) if cued else _title_before(text, s)
        first = name.split()[0]
        if not cued and first not in sn:
            continue
        if not (cued or t_after or t_before):
            if bare is not None:
                bare.append(PersonMention(name, s, e))
            continue  # a bare capitalised phrase: left to the NER check (pipeline.people)
        title = t_after or t_before
        pm = PersonMention(name, s, e, title=title, cued=cued)
        pm.unit = title_unit(title)
        r = _role_after(text, t_end if t_after else e)
        if r is None:
            # "Là đơn vị Khối trưởng Khối thi đua năm 2024, đồng chí X – Trưởng phòng 11"
            sent = re.split(r"[.!?\n]\s*", text[max(0, s - 120):s])[-1]
            rb = re.search(r"(?:Là|là|Thay\s+mặt|thay\s+mặt)\s+(?:đơn\s+vị\s+)?" + ROLE + r"(?:[^,]*?năm\s+(?P<year>\d{4}))?", sent)
            if rb:
                pm.role = role_of(rb)[0]
                pm.unit_role = pm.role
                pm.role_year = year_of(rb)
                pm.role_span = (s - len(sent) + rb.start(), s - len(sent) + rb.end())
        else:
            role = role_of(r)[0]
            between = text[t_end if t_after else e:r.start()]
            via_unit = bool(r.group("via")) or "(" in text[t_end if t_after else e:r.end()] or bool(
                re.search(r"\b(?:là|giữ\s+vai\s+trò)\s*$", between))
            pm.unit_role = role
            # a role given to the unit is the person's own only if the person heads that unit
            org_unit = title_unit(title, owner=False)
            head = bool(title) and bool(re.match(r"Viện\s+trưởng" if org_unit else r"(?:Trưởng|Vụ\s+trưởng|Cục\s+trưởng|Chánh)",
                                                 title or ""))
            pm.role = role if (not via_unit or head) else None
            if via_unit:
                # "(Cụm trưởng)" after "… VKSND tỉnh X" speaks of the unit X
                pm.unit = title_unit(title, owner=False) or pm.unit
            pm.role_year = year_of(r)
            pm.role_span = (r.start(), r.end())
        out.append(pm)
    return _with_lists(text, out, exclude)


# "các đồng chí Phó Viện trưởng VKSND tỉnh: A, B", "các Phó Viện trưởng A, B và C": one position, several names
_LIST_HEAD = re.compile(rf"(?:các\s+)?(?:đồng\s+chí|đ/c)\s+({POSITION}[^:;.\n]{{0,60}}?)\s*:\s*|"
                        rf"\bcác\s+({POSITION}(?:\s+(?:VKSND|Viện\s+KSND|tỉnh|huyện|thành\s+phố)(?:\s+[{UPPER}][{LOWER}]*)*)?)\s+(?=[{UPPER}])")


def _with_lists(text: str, found: list[PersonMention], exclude) -> list[PersonMention]:
    """"các đồng chí Phó Viện trưởng VKSND tỉnh: đồng chí A, đồng chí B" — one position, several names."""
    sn = surnames()
    skip = Spans(exclude)
    have = {(p.start, p.end) for p in found}
    for h in _LIST_HEAD.finditer(text):
        title = (h.group(1) or h.group(2)).strip()
        stop = re.compile(r"[.;\n]|$").search(text, h.end())
        for m in _NAME.finditer(text, h.end(), stop.start()):
            trimmed = _trim_name(text, m)
            if not trimmed:
                continue
            name, s, e = trimmed
            if h.group(2) and name.split()[0] not in sn and not _CUE.search(text[max(0, s - 20):s]):
                continue  # after "các đồng chí <position>:" every name is cued; after "các <position>" not
            hit = next((p for p in found if p.start == s), None)
            if hit is not None:
                if not hit.title:
                    hit.title, hit.unit = title, title_unit(title)
                continue
            if (s, e) not in have and not skip.contains(s) and not _is_place(text, name, s):
                found.append(PersonMention(name, s, e, title=title, unit=title_unit(title), cued=True))
    found.sort(key=lambda p: p.start)
    return found
