"""How the texts name a cluster role: "Cụm trưởng", "Khối phó", "trưởng cụm", "Trưởng Cụm thi đua",
"Phó Cụm", "Phó Cụm trưởng" (a deputy, not a leader). One pattern for every rule that reads roles."""
from __future__ import annotations

import re

# named groups: dep (a "Phó" before "Cụm trưởng"), k1/r1 ("Cụm trưởng"), r2/k2 ("trưởng cụm")
ROLE = (r"(?P<dep>[Pp]hó\s+(?=[Cc]ụm\s+trưởng|[Kk]hối\s+trưởng))?"
        r"(?:(?P<k1>[Cc]ụm|[Kk]hối)\s+(?P<r1>trưởng|phó)\b|(?P<r2>[Tt]rưởng|[Pp]hó)\s+(?P<k2>[Cc]ụm|[Kk]hối)\b)")
# what may follow a role: its cluster and its year ("Cụm phó Cụm thi đua số 9 năm 2024")
ROLE_TAIL = (r"(?:\s+(?:[Cc]ụm|[Kk]hối)(?:\s+(?:thi\s+đua|Thi\s+đua))?(?:\s+(?:số|thứ))?\s*(?:\d+|[IVX]+\b))?"
             r"(?:\s+(?:của\s+|cho\s+)?năm\s+(?P<year>\d{4}))?")


def role_of(m: re.Match) -> tuple[str, str]:
    """("leader" | "deputy", "cum" | "khoi") of a match of a pattern built on ROLE."""
    word = (m.group("r1") or m.group("r2")).lower()
    kind = (m.group("k1") or m.group("k2")).lower()
    role = "deputy" if (m.group("dep") or word == "phó") else "leader"
    return role, ("cum" if kind == "cụm" else "khoi")


def year_of(m: re.Match) -> int | None:
    y = m.groupdict().get("year")
    return int(y) if y else None
