#!/usr/bin/env python3
"""Self-check of the heldout5 gold files (stdlib only; no extractor is run).

usage: python3 validate.py [GOLD_DIR] [--jsonl OUT.jsonl]

Checks every <id>.json against texts/<id>.txt and against the annotation rules that can be checked
mechanically (names, slogans, dates, provinces, cluster keys ...). With --jsonl it also writes the
gold itself as a predictions file in the form ../../shared/eval/score.py reads, so that
`python3 /work/shared/eval/score.py OUT.jsonl GOLD_DIR` must print 1.000 on every field.
"""
import json, re, sys, unicodedata
from datetime import date
from pathlib import Path

TONE_FIX = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
PROVINCES = ["An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định",
             "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cần Thơ", "Cao Bằng", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
             "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
             "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng",
             "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên",
             "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
             "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Hồ Chí Minh", "Trà Vinh",
             "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái"]
# how a province may be written in a text (besides its canonical name); typos are listed per article below
VARIANTS = {"Hồ Chí Minh": ["TP.HCM", "Hồ Chí Minh"], "Thừa Thiên Huế": ["Huế"], "Bà Rịa - Vũng Tàu": ["Bà Rịa – Vũng Tàu"]}
TYPOS = {"n022": {"Vĩnh Long": "Vỉnh Long"}}
# province names that occur in a text but are deliberately NOT gold provinces (person names, things)
NOT_PROVINCE = {"n027": ["Hải Dương"],            # the person Phạm Hải Dương
                "n001": ["Hồ Chí Minh"], "n007": ["Hồ Chí Minh"], "n011": ["Hồ Chí Minh"], "n017": ["Hồ Chí Minh"],
                "n024": ["Hồ Chí Minh"], "n029": ["Hồ Chí Minh"]}   # Chủ tịch Hồ Chí Minh inside slogans / names of things
TYPES = {"tong_ket", "so_ket", "tru_bi", "giao_uoc", "binh_xet", "trien_khai", "dai_hoi", "khen_thuong", "khac", None}
CANON_AWARDS = {"Cờ thi đua của Chính phủ", "Cờ thi đua ngành Kiểm sát nhân dân", "Tập thể lao động xuất sắc",
                "Tập thể lao động tiên tiến", "Lao động tiên tiến", "Chiến sĩ thi đua cơ sở",
                "Chiến sĩ thi đua ngành Kiểm sát nhân dân", "Chiến sĩ thi đua toàn quốc", "Anh hùng Lao động",
                "Bằng khen của Thủ tướng Chính phủ", "Bằng khen của Viện trưởng VKSND tối cao",
                "Kỷ niệm chương Vì sự nghiệp Kiểm sát", "Giấy khen"}


def tn(s):
    s = unicodedata.normalize("NFC", s)
    for a, b in TONE_FIX.items():
        s = s.replace(a, b).replace(a.capitalize(), b.capitalize())
    return s


def low(s):
    return tn(s).casefold()


def date_in_text(iso, text, years_ctx):
    y, m, d = (int(x) for x in iso.split("-"))
    pats = [rf"(?<!\d)0?{d}\s*[/\-.]\s*0?{m}(?!\d)", rf"(?<!\d)0?{d}\s+tháng\s+0?{m}(?!\d)"]
    return any(re.search(p, text) for p in pats)


def main(argv):
    gold_dir = Path(argv[1]) if len(argv) > 1 and not argv[1].startswith("--") else Path(__file__).parent
    out = argv[argv.index("--jsonl") + 1] if "--jsonl" in argv else None
    errors, lines = [], []
    files = sorted(gold_dir.glob("*.json"))
    for fp in files:
        a = json.loads(fp.read_text(encoding="utf-8"))
        i, t, g = a["id"], a["text"], a["gold"]
        E = lambda msg: errors.append(f"{i}: {msg}")
        if fp.stem != i:
            E("file name != id")
        txt = (gold_dir / "texts" / f"{i}.txt").read_text(encoding="utf-8")
        if txt != t:
            E("text differs from texts/<id>.txt")
        if not 900 <= len(t) <= 2500:
            E(f"length {len(t)} outside 900-2500")
        if a.get("title") and a["title"] not in t:
            E("title not in text")
        if set(g) != {"event", "clusters", "officials", "slogans", "awards", "dates", "provinces"}:
            E(f"gold keys {sorted(g)}")
        ev = g["event"]
        if ev is not None:
            if set(ev) != {"type", "date", "host"} or ev["type"] not in TYPES:
                E(f"bad event {ev}")
            if ev["date"] and ev["date"] not in g["dates"]:
                E("event date not among dates")
        lt = low(t)
        # officials
        seen = set()
        for o in g["officials"]:
            if set(o) != {"name", "title", "cluster_role"}:
                E(f"official keys {o}")
            n = o["name"]
            if low(n) not in lt:
                E(f"official name not in text: {n}")
            if not 2 <= len(n.split()) <= 4:
                E(f"name length: {n}")
            if low(n) in seen:
                E(f"duplicate official {n}")
            seen.add(low(n))
            if o["title"] and low(o["title"]).split()[0] not in lt:
                E(f"title word not in text: {o['title']}")
            if o["cluster_role"] not in (None, "leader", "deputy"):
                E(f"bad role {o}")
        # slogans verbatim
        for s in g["slogans"]:
            if s not in t:
                E(f"slogan not verbatim in text: {s}")
            if not re.search(r"[“\"]" + re.escape(s) + r"[”\"]", t):
                E(f"slogan not inside quotes: {s}")
        # awards: canonical or written in the text
        for aw in g["awards"]:
            if aw not in CANON_AWARDS and low(aw) not in lt:
                E(f"award neither canonical nor in text: {aw}")
        if len(set(map(low, g["awards"]))) != len(g["awards"]):
            E("duplicate awards")
        # dates
        ds = g["dates"]
        if ds != sorted(set(ds)):
            E("dates not sorted/unique")
        for d in ds:
            date.fromisoformat(d)
            if not date_in_text(d, t, None):
                E(f"date not found in text: {d}")
        # provinces
        for p in g["provinces"]:
            if p not in PROVINCES:
                E(f"non-canonical province {p}")
            forms = [p] + VARIANTS.get(p, []) + ([TYPOS[i][p]] if p in TYPOS.get(i, {}) else [])
            if not any(low(f) in lt for f in forms):
                E(f"province not in text: {p}")
        if len(set(g["provinces"])) != len(g["provinces"]):
            E("duplicate provinces")
        for p in PROVINCES:
            forms = [p] + VARIANTS.get(p, []) + list(TYPOS.get(i, {}).values() if p in TYPOS.get(i, {}) else [])
            if p not in g["provinces"] and p not in NOT_PROVINCE.get(i, []) and any(low(f) in lt for f in forms):
                E(f"province in text but not in gold: {p}")
        # clusters
        keys = set()
        for c in g["clusters"]:
            if set(c) != {"kind", "number", "year", "parent", "members", "leader", "deputy"} or c["kind"] not in ("cum", "khoi"):
                E(f"cluster keys {c}")
            k = (c["kind"], c["number"], c["year"])
            if k in keys:
                E(f"duplicate cluster key {k}")
            keys.add(k)
            if c["members"]:
                for r in ("leader", "deputy"):
                    if c[r] and c[r] not in c["members"]:
                        E(f"{r} {c[r]} not a member of {k}")
                if len(set(c["members"])) != len(c["members"]):
                    E(f"duplicate members in {k}")
        roles = {o["cluster_role"] for o in g["officials"]} - {None}
        for r in roles:
            if not any(c[r] for c in g["clusters"]):
                E(f"an official is {r} but no cluster has a {r}")
        pred = {"source": f"texts/{i}.txt"}
        pred.update(g)
        lines.append(json.dumps(pred, ensure_ascii=False))
    if out:
        Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(files)} files checked, {len(errors)} problems")
    for e in errors:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
