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
                            r"(?:[^.]{0,80}\b(?:vừa\s+có\s+công\s+văn|công\s+văn|theo\s+tờ\s+trình|tờ\s+trình|vừa\s+gửi|"
                            r"ban\s+hành\s+(?:Hướng\s+dẫn|Công\s+văn|Kế\s+hoạch|Thông\s+tư|Quy\s+chế|Chỉ\s+thị)))",
                            re.IGNORECASE)
_MEETING = re.compile(r"\b(?:hội\s+nghị|lễ|đại\s+hội|cuộc\s+họp|họp|buổi\s+làm\s+việc|hội\s+thảo|tọa\s+đàm|ban\s+hành\s+quyết\s+định|"
                      r"chương\s+trình|giao\s+lưu|hội\s+thao|hội\s+thi|cuộc\s+thi|hội\s+diễn|buổi\s+gặp\s+mặt|gặp\s+mặt|"
                      r"kiểm\s+tra\s+chéo)\b",
                      re.IGNORECASE)
# a meeting that says what it is about ("Hội nghị phổ biến", "chương trình giao lưu") as opposed to a bare "Hội nghị."
_DESCRIBED_MEETING = re.compile(r"\b(?:hội\s+nghị|lễ|cuộc\s+họp|họp|chương\s+trình|buổi)\s+(?!(?:và|của|được|đã|này|tại|với|do|để|nhằm)\b)[a-zà-ỹđ\"“]|"
                                # an event of a kind not in the list, named by what it is
                                r"\b(?:tổ\s+chức|tiến\s+hành)\s+(?:chương\s+trình\s+)?(?:giao\s+lưu|hội\s+thảo|tọa\s+đàm|"
                                r"hội\s+thao|hội\s+thi|hội\s+diễn|kiểm\s+tra\s+chéo|[\"“]?hành\s+trình)\b",
                                re.IGNORECASE)
# the place in a unit where a meeting is held: "tại trụ sở / Hội trường / phòng họp (trực tuyến) VKSND tỉnh X"
_VENUE = r"(?:(?:[Tt]rụ\s+sở|[Hh]ội\s+trường|[Pp]hòng\s+họp(?:\s+trực\s+tuyến)?)\s+(?:của\s+)?)?"
_HELD_AT = re.compile(rf"\btại\s+{_VENUE}(?=(?:cơ\s+quan\s+)?{ORG}\b)")
# what may stand between a unit and its verb: "(Cụm trưởng)", "- đơn vị Khối trưởng", ", TP. Hồ Chí Minh"
_ORGANISER = re.compile(r"\s*\)?\s*(?:\([^)]*\)\s*)?(?:[-–—,]\s*(?:là\s+)?đơn\s+vị\s+(?:[Cc]ụm|[Kk]hối|[Tt]rưởng|[Pp]hó)[^,.;()]{0,70}?\s*,?\s+)?"
                        r"(?:,\s*(?:tỉnh|thành\s+phố|TP\.?)\s*[A-ZĐÀ-Ỹ][^\s,]*(?:\s+[A-ZĐÀ-Ỹ][^\s,]*){0,3}\s*)?"
                        r"(?:đã\s+|vừa\s+|long\s+trọng\s+)*(?:chủ\s+trì\s+)?"
                        # "X phối hợp với Y (đơn vị Cụm phó) tổ chức": X organised it, with Y
                        r"(?:(?:chủ\s+trì,\s+)?phối\s+hợp\s+với\s+(?:VKSND|Viện)[^.;]{0,90}?\s+)?"
                        r"(?:tổ\s+chức|ban\s+hành|diễn\s+ra|đăng\s+cai|là\s+nơi\s+(?:diễn\s+ra|tổ\s+chức)|"
                        r"là\s+đơn\s+vị\s+(?:đăng\s+cai|tổ\s+chức|chủ\s+trì))\b")


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
                if scope is text and not _in_meeting_sentence(text, m.start()):
                    continue  # deep in the text, a kind counts only where a meeting is spoken of
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
_AWAITED = re.compile(r"(?:chào\s+mừng|hướng\s+tới|tiến\s+tới|chuẩn\s+bị(?:\s+cho)?|kỷ\s+niệm|phục\s+vụ|hướng\s+dẫn|về\s+việc)"
                      r"\s+(?:\S+\s+){0,2}$",
                      re.IGNORECASE)
_DOC_SUBJECT = re.compile(r"(?:Chỉ\s+thị|Kế\s+hoạch|Hướng\s+dẫn|Công\s+văn|Quyết\s+định|Thông\s+tư|Nghị\s+quyết|Quy\s+chế|"
                          r"Tờ\s+trình)\s+(?:số\s+)?[^.;]{0,120}$")


def _in_meeting_sentence(text: str, pos: int) -> bool:
    a = max(text.rfind(". ", 0, pos), text.rfind("\n", 0, pos)) + 1
    b = min(x for x in (text.find(". ", pos), text.find("\n", pos), len(text)) if x >= 0)
    return bool(re.search(r"\b(?:hội\s+nghị|lễ|cuộc\s+họp|họp|ký\s+kết|buổi)\b", text[a:b], re.IGNORECASE))


def meeting_kind_named(text: str) -> bool:
    """Whether the text says what kind of meeting it reports (else the type stays unknown)."""
    return bool(_DESCRIBED_MEETING.search(text))


def _not_this_event(scope: str, pos: int) -> bool:
    before = scope[max(0, pos - 160):pos]
    before = re.split(r"[.;!?]\s|\n", before)[-1]
    return bool(_AWAITED.search(before) or _DOC_SUBJECT.search(before))


def is_document_news(text: str, title: str | None) -> bool:
    """An article about a document (a dispatch, a submission), not about a meeting."""
    if title and (_MEETING.search(title) or any(p.search(title) and not _not_this_event(title, p.search(title).start())
                                                for _, p in EVENT_TYPES[:6])):
        return False
    # the first paragraph of prose, past title, date and update lines
    body = next((l.strip() for l in text.split("\n") if len(l.strip()) >= 60 and l.strip() != (title or "")), "")
    body = re.sub(r"^\([^)\s]{1,40}\)\s*[-–—]\s*", "", body)  # the lead marker "(kiemsat.vn) - "
    return bool(_DOCUMENT_NEWS.match(body)) and not re.match(r"^[^.]{0,200}quyết\s+định[^.]{0,120}tặng", body, re.IGNORECASE)


def has_meeting(text: str) -> bool:
    return bool(_MEETING.search(text))


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


_CLUSTER_BEFORE = re.compile(r"(?:Cụm|Khối)\s+thi\s+đua(?:\s+số)?\s+\S+\s*(?:[-–—,]\s*)?(?:thuộc\s+|của\s+)?$")
_HELD_IN_PLACE = re.compile(r"\btại\s+(?=(?:tỉnh|thành\s+phố|TP\.?)\s)")
_HELD_ANYWHERE = re.compile(rf"\b(?:được\s+)?(?:tổ\s+chức|diễn\s+ra)\s+tại\s+{_VENUE}(?={ORG}\b)")


def _organisers(text: str, lo: int, hi: int):
    """Units and departments in text[lo:hi] followed by the verb of organising."""
    from .units import department_at
    window = text[lo:hi]
    found = list(find_units(window))
    for m in re.finditer(r"(?<![\w])(?:Phòng|Văn\s+phòng|Vụ|Cục)\s", window):
        d = department_at(window, m.start())
        if d:
            found.append(d)
    for u in sorted(found, key=lambda u: u.start):
        if _CLUSTER_BEFORE.search(window[max(0, u.start - 40):u.start]):
            continue  # "Cụm thi đua số 1 thuộc VKSND tỉnh X tổ chức": the cluster organised, X runs it
        if _ORGANISER.match(window, u.end):
            yield u


def event_host(text: str, sentence: tuple[int, int] | None) -> tuple[str, tuple[int, int]] | None:
    """"tại (trụ sở) VKSND tỉnh X" near the event, else the unit that organised it ("VKSND tỉnh X tổ
    chức"), else "Hội nghị được tổ chức tại VKSND …" anywhere."""
    from .gazetteer import canonical_province, province_pattern
    from .normalize import fix_tones
    lo, hi = sentence if sentence else (0, min(len(text), 600))
    # the sentence and the one after it ("Hội nghị được tổ chức tại trụ sở VKSND tỉnh X.")
    nxt = re.search(r"[.!?](?:\s|$)", text[hi:hi + 300])
    hi = hi + (nxt.end() if nxt else 0)
    window = text[lo:hi]
    for m in _HELD_AT.finditer(window):
        for u in find_units(window, m.end(), m.end() + 120):
            if u.start == m.end() or window[m.end():u.start].strip().lower() in ("cơ quan",):
                return u.label, (lo + u.start, lo + u.end)
    for u in _organisers(text, lo, hi):
        return u.label, (lo + u.start, lo + u.end)
    for m in _HELD_IN_PLACE.finditer(window):
        lv = re.match(r"(?:tỉnh|thành\s+phố|TP\.?)\s+", window[m.end():])
        pm = province_pattern().match(fix_tones(window), m.end() + lv.end())
        name = canonical_province(pm.group(0)) if pm else None
        # "tại tỉnh X", "tại thành phố Hà Nội", and "tại thành phố Hưng Yên" (the provincial capital
        # named after its province, where the provincial procuracy sits)
        if name and pm.end() - m.end() - lv.end() == len(pm.group(0)) and not re.match(r"\s+[A-ZĐ]", window[pm.end():]):
            return name, (lo + pm.start(), lo + pm.end())
    for m in _HELD_ANYWHERE.finditer(text):
        for u in find_units(text, m.end(), m.end() + 120):
            if u.start == m.end():
                return u.label, (u.start, u.end)
    return None
