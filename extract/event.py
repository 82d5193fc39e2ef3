"""The one event an article reports: its type, the day it took place and its host unit."""
from __future__ import annotations

import re

from .dates import DateMention
from .units import ORG, find_units

# (type, pattern); the type named first in the title (or opening sentence) wins
EVENT_TYPES: list[tuple[str, re.Pattern]] = [(t, re.compile(p, re.IGNORECASE)) for t, p in [
    ("tru_bi", r"\btrù\s+bị\b"),
    ("so_ket", r"\bsơ\s+kết\b"),
    ("tong_ket", r"\btổng\s+kết\b"),
    ("giao_uoc", r"\b(?:giao\s+ước|phát\s+động\s+(?:phong\s+trào\s+)?thi\s+đua|phát\s+động(?:\s+và|,)\s+ký\s+kết)"),
    ("binh_xet", r"\b(?:bình\s+xét|suy\s+tôn)\b"),
    ("trien_khai", r"\b(?:hội\s+nghị\s+)?triển\s+khai\s+(?:công\s+tác|nhiệm\s+vụ|kế\s+hoạch\s+công\s+tác)"),
    ("dai_hoi", r"\b(?:đại\s+hội\s+thi\s+đua|hội\s+nghị\s+điển\s+hình\s+tiên\s+tiến|điển\s+hình\s+tiên\s+tiến,\s+tổng\s+kết)"),
    ("khen_thuong", r"\b(?:trao\s+(?:tặng\s+)?(?:cờ|huân\s+chương|danh\s+hiệu|bằng\s+khen|kỷ\s+niệm\s+chương|giấy\s+khen)|"
                    r"đón\s+nhận\s+(?:cờ|huân\s+chương|danh\s+hiệu)|lễ\s+trao|(?:tặng|trao)\s+kỷ\s+niệm\s+chương|"
                    r"tặng\s+thưởng\s+huân\s+chương)"),
]]
# an article about a document (a dispatch, a submission) reports no event
_DOCUMENT_NEWS = re.compile(r"^(?!(?:Thực\s+hiện|Căn\s+cứ|Triển\s+khai|Quán\s+triệt|Nhằm|Để)\b)"
                            r"(?:[^.]{0,80}\b(?:vừa\s+có\s+công\s+văn|công\s+văn|theo\s+tờ\s+trình|tờ\s+trình|vừa\s+gửi))",
                            re.IGNORECASE)
_MEETING = re.compile(r"\b(?:hội\s+nghị|lễ|đại\s+hội|cuộc\s+họp|họp|buổi\s+làm\s+việc|hội\s+thảo|tọa\s+đàm|ban\s+hành\s+quyết\s+định)\b",
                      re.IGNORECASE)
_HELD_AT = re.compile(rf"\btại\s+(?:trụ\s+sở\s+|hội\s+trường\s+|Hội\s+trường\s+|Trụ\s+sở\s+)?(?=(?:cơ\s+quan\s+)?{ORG}\b)")
_ORGANISER = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:đã\s+|vừa\s+|long\s+trọng\s+)*(?:tổ\s+chức|ban\s+hành|diễn\s+ra|đăng\s+cai|là\s+nơi\s+(?:diễn\s+ra|tổ\s+chức))\b")


_MEETING_NOUN = re.compile(r"\b(?:Hội\s+nghị|hội\s+nghị|Lễ|lễ|Đại\s+hội|đại\s+hội)\b")
_EVENT_NEAR = re.compile(r"(?:\s+\S+){0,6}?\s+(?:" + "|".join(p.pattern.replace(r"\b(?:hội\s+nghị\s+)?", "").lstrip("\\b")
                                                     for _, p in EVENT_TYPES) + ")", re.IGNORECASE)


def event_type(title: str | None, text: str) -> tuple[str | None, tuple[int, int] | None]:
    """The first event type named in the title, else the opening sentence, else anywhere."""
    scopes = []
    if title:
        scopes.append((title, text.find(title) if title in text else -1))
    body = text.strip()
    if title and body.startswith(title):
        body = body[len(title):].lstrip()
    first = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0]
    scopes.append((first, text.find(first)))
    scopes.append((text, 0))
    for scope, offset in scopes:
        if scope is title and re.match(r"\s*(?:cuộc\s+)?họp\s+(?!bình\s+xét)", scope, re.IGNORECASE):
            return "khac", (offset, offset + len(scope)) if offset >= 0 else None
        best = None
        for etype, pat in EVENT_TYPES:
            for m in pat.finditer(scope):
                if _not_this_event(scope, m.start()):
                    continue
                if best is None or m.start() < best[1]:
                    best = (etype, m.start(), m.end())
                break
        if best and scope is not text:
            # the meeting the title or opening names first decides: "Hội nghị phổ biến …; … Hội nghị
            # điển hình tiên tiến" reports the first, which is none of the kinds above
            first = next((m for m in _MEETING_NOUN.finditer(scope, 0, best[1]) if not _not_this_event(scope, m.start())), None)
            if first and first.end() <= best[1] and not _EVENT_NEAR.match(scope, first.end()):
                return "khac", (offset + first.start(), offset + first.end()) if offset >= 0 else None
        if best:
            span = (offset + best[1], offset + best[2]) if offset >= 0 else None
            return best[0], span
    return None, None


# a meeting named as something awaited or as the subject of a document is not the one reported
_AWAITED = re.compile(r"(?:chào\s+mừng|hướng\s+tới|tiến\s+tới|chuẩn\s+bị(?:\s+cho)?|kỷ\s+niệm|phục\s+vụ)\s+(?:\S+\s+){0,2}$",
                      re.IGNORECASE)
_DOC_SUBJECT = re.compile(r"(?:Chỉ\s+thị|Kế\s+hoạch|Hướng\s+dẫn|Công\s+văn|Quyết\s+định|Thông\s+tư|Nghị\s+quyết|Quy\s+chế|"
                          r"Tờ\s+trình)\s+(?:số\s+)?[^.;]{0,120}$")


def _not_this_event(scope: str, pos: int) -> bool:
    before = scope[max(0, pos - 160):pos]
    before = re.split(r"[.;!?]\s|\n", before)[-1]
    return bool(_AWAITED.search(before) or _DOC_SUBJECT.search(before))


def is_document_news(text: str, title: str | None) -> bool:
    body = text.strip()
    if title and body.startswith(title):
        body = body[len(title):].strip()
    return bool(_DOCUMENT_NEWS.match(body)) and not re.match(r"^[^.]{0,200}quyết\s+định[^.]{0,120}tặng", body, re.IGNORECASE)


def has_meeting(text: str) -> bool:
    return bool(_MEETING.search(text))


# a date that opens a clause: "Ngày 27/3/2015, …", "chiều ngày 21/02/2020 Cụm…", "Sáng 20/3, …"
_DATE_CUE = re.compile(r"(?:^|[\n.;,:]\s*|\s)(?:(?:vào\s+)?(?:buổi\s+)?(?:sáng|chiều|tối|trưa)\s+)?(?:(?:ngày|hôm)\s+)?$", re.IGNORECASE)


def event_date(text: str, dates: list[DateMention], publication: set[int]) -> DateMention | None:
    for d in dates:
        if d.document or d.clock or d.start in publication or d.iso is None:
            continue
        before = text[max(0, d.start - 40):d.start]
        cue = re.search(r"(?:(?:sáng|chiều|tối|trưa)\s+(?:ngày\s+)?|ngày\s+)$", before, re.IGNORECASE)
        if not cue:
            continue
        lead = before[:cue.start()]
        # the cue opens a clause ("Ngày 27/3/2015, …") or closes a report of the meeting ("… đăng cai
        # ngày 13 tháng 02 năm 2020", "… vào ngày 29/3/2024"); not "Tin hoạt động … ngày 10/3",
        # not a future "sẽ được tổ chức vào ngày …"
        ls = max(text.rfind(".", 0, d.start), text.rfind("\n", 0, d.start)) + 1
        sentence = text[ls:d.end + 160]
        held = re.search(r"(?:vào|đăng\s+cai|diễn\s+ra|tổ\s+chức|khai\s+mạc)\s*$", lead, re.IGNORECASE) and _MEETING.search(sentence)
        if re.search(r"(?:^|[\n.;,:)–-])\s*$", lead) or held:
            if re.search(r"\bsẽ\b", sentence[:d.start - ls + 80]):
                continue
            return d
    return None


def event_host(text: str, sentence: tuple[int, int] | None) -> tuple[str, tuple[int, int]] | None:
    """"tại (trụ sở) VKSND tỉnh X" near the event, else the unit that organised it ("VKSND tỉnh X tổ chức")."""
    lo, hi = sentence if sentence else (0, min(len(text), 600))
    # the sentence and the one after it ("Hội nghị được tổ chức tại trụ sở VKSND tỉnh X.")
    nxt = re.search(r"[.!?](?:\s|$)", text[hi:hi + 300])
    hi = hi + (nxt.end() if nxt else 0)
    window = text[lo:hi]
    for m in _HELD_AT.finditer(window):
        for u in find_units(window, m.end(), m.end() + 120):
            if u.start == m.end() or window[m.end():u.start].strip().lower() in ("cơ quan",):
                return u.label, (lo + u.start, lo + u.end)
    for u in find_units(window):
        if _ORGANISER.match(window, u.end):
            return u.label, (lo + u.start, lo + u.end)
    return None
