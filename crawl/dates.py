"""Publication dates of Vietnamese news pages -> ISO 8601 in Asia/Ho_Chi_Minh (+07:00)."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")  # no DST since 1975

_DMY = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
_HM = r"(?P<H>\d{1,2})\s*[:hg]\s*(?P<M>\d{2})(?:\s*:\s*(?P<S>\d{2}))?"
_PATTERNS = [
    re.compile(_DMY + r"(?:\s*(?:[-,|]|lúc)?\s*" + _HM + r")?", re.I),
    re.compile(_HM.replace("P<", "P<t_") + r"\s*(?:[-,|]|ngày)?\s*(?:[^\d\s]+,?\s*)?" + _DMY, re.I),
    re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.I),
]
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def _format(dt: datetime | date) -> str:
    if isinstance(dt, datetime):
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=VN_TZ)
        return dt.astimezone(VN_TZ).replace(microsecond=0).isoformat()
    return dt.isoformat()


def _from_iso(text: str) -> str | None:
    m = _ISO.search(text)
    if not m:
        return None
    raw = m.group(0).replace("Z", "+00:00")
    raw = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", raw)
    try:
        if len(raw) == 10:
            return _format(date.fromisoformat(raw))
        return _format(datetime.fromisoformat(raw))
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    try:
        d = date(int(g["y"]), int(g["m"]), int(g["d"]))
    except ValueError:
        return None
    hour, minute, sec = g.get("H") or g.get("t_H"), g.get("M") or g.get("t_M"), g.get("S") or g.get("t_S")
    if hour is None:
        return _format(d)
    try:
        return _format(datetime(d.year, d.month, d.day, int(hour), int(minute), int(sec or 0)))
    except ValueError:
        return _format(d)


def parse_published(text: str | None, formats: tuple[str, ...] | list[str] = ()) -> str | None:
    """The first publication date/time in ``text`` as ISO 8601, or None.

    With a time: ``YYYY-MM-DDTHH:MM:SS+07:00`` (a time given with another offset is converted);
    with a date only: ``YYYY-MM-DD``. ``formats`` (strptime) are tried on the whole text first,
    then the usual Vietnamese forms are searched for ("13/02/2020 13:53", "13:53 13/02/2020",
    "Thứ hai, 13/02/2020 - 13:53", "ngày 13 tháng 02 năm 2020") and ISO 8601.
    """
    if not text:
        return None
    text = re.sub(r"\s+", " ", text).strip()
    cleaned = re.sub(r"\(?\s*GMT\s*[+]\s*7\s*\)?", "", text, flags=re.I).strip()
    for fmt in formats:
        try:
            dt = datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        has_time = any(c in fmt for c in ("%H", "%I", "%M"))
        return _format(dt if has_time else dt.date())
    iso = _from_iso(cleaned)
    if iso:
        return iso
    best: tuple[int, str] | None = None
    for pattern in _PATTERNS:
        m = pattern.search(cleaned)
        if m:
            value = _from_match(m)
            if value and (best is None or m.start() < best[0] or ("T" in value and "T" not in best[1] and m.start() == best[0])):
                best = (m.start(), value)
    return best[1] if best else None
