"""Score extracted facts against hand-made gold facts (``thidua eval DIR``).

The matching rules are those of the project's evaluation (../shared/eval/score.py): values
compared after normalisation (NFC, tone convention, case, dashes, quotes), units reduced to
(level, place), awards to a canonical key, slogans matched fuzzily (ratio >= 0.9), titles by
containment or word overlap >= 0.6, clusters by (kind, number, year); micro-averaged P/R/F1.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from extract.gazetteer import CENTRAL_CITIES, provinces
from extract.normalize import key as _key

FIELDS = ["event_type", "event_date", "event_host", "clusters", "roles", "members", "officials", "titles",
          "slogans", "awards", "dates", "provinces"]
_ALIAS = {"tp.hcm": "hồ chí minh", "tp hcm": "hồ chí minh", "hcm": "hồ chí minh", "tphcm": "hồ chí minh",
          "sài gòn": "hồ chí minh", "huế": "thừa thiên huế", "tt huế": "thừa thiên huế",
          "bà rịa vũng tàu": "bà rịa - vũng tàu", "đắc lắc": "đắk lắk", "đăk lăk": "đắk lắk",
          "đắk lăk": "đắk lắk", "đăk nông": "đắk nông"}
_ORG = r"(?:viện kiểm sát nhân dân|viện kiểm sát quân sự|viện ksnd|viện ksqs|vksnd|vksqs|viện kiểm sát|vks|viện|đơn vị)"


def norm(s: str | None) -> str:
    return re.sub(r"[\"'“”‘’«»]", "", _key(s or "")).strip(" .,;:!?()[]")


def place(s: str) -> str:
    s = re.sub(r"^(?:tỉnh|thành phố|tp\.?|t\.p\.?)\s+", "", norm(s))
    return _ALIAS.get(s, s)


_PROVINCE_KEYS = {norm(p) for p in provinces()}
_CITY_KEYS = {norm(p) for p in CENTRAL_CITIES}


def unit_key(s: str) -> tuple[str, str]:
    s = re.sub(rf"^(?:{_ORG}\s+)+", "", norm(s))
    m = re.match(r"(?:ksnd\s+)?cấp cao\s*(?:(?:tại|ở)\s*)?(.+)", s)
    if m:
        return "cấp cao", place(m.group(1))
    m = re.match(r"(huyện|quận|thị xã|thành phố|tp\.?|khu vực)\s+(.+)", s)
    if m:
        level = "thành phố" if m.group(1).startswith(("tp", "thành")) else m.group(1)
        if level == "thành phố" and place(m.group(2)) in _CITY_KEYS:
            return "tỉnh", place(m.group(2))
        return level, place(m.group(2))
    if place(s) in _PROVINCE_KEYS:
        return "tỉnh", place(s)
    if s.startswith("tỉnh "):
        return "tỉnh", place(s[5:])
    return "unit", s


def award_key(s: str) -> str:
    s = norm(s).replace("ngành ksnd", "ngành kiểm sát nhân dân").replace("vksnd", "viện kiểm sát nhân dân")
    return re.sub(r"\bcủa\s+", "", s)


def _org(s: str) -> str:
    s = norm(s)
    for form in ("viện kiểm sát nhân dân", "viện ksnd"):
        s = s.replace(form, "vksnd")
    return s


def title_ok(pred: str | None, gold: str | None) -> bool:
    if not gold:
        return True
    if not pred:
        return False
    a, b = _org(pred), _org(gold)
    if a in b or b in a:
        return True
    wa, wb = set(a.split()), set(b.split())
    return len(wa & wb) / len(wa | wb) >= 0.6


def _fuzzy(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    return a == b or SequenceMatcher(None, a, b).ratio() >= 0.9


def _pairs(pred: list, gold: list, same: Callable) -> list[tuple]:
    used, out = set(), []
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and same(p, g):
                used.add(i)
                out.append((p, g))
                break
    return out


@dataclass
class Score:
    counts: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0, 0] for f in FIELDS})
    misses: list[str] = field(default_factory=list)

    def add(self, f: str, tp: int, npred: int, ngold: int) -> None:
        c = self.counts[f]
        c[0] += tp; c[1] += npred; c[2] += ngold

    def prf(self, f: str) -> tuple[float, float, float]:
        tp, np_, ng = self.counts[f]
        p = tp / np_ if np_ else (1.0 if ng == 0 else 0.0)
        r = tp / ng if ng else (1.0 if np_ == 0 else 0.0)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def table(self) -> dict:
        out = {f: dict(zip(("p", "r", "f1"), self.prf(f))) for f in FIELDS}
        return {"fields": out, "macro_f1": sum(v["f1"] for v in out.values()) / len(FIELDS)}


def _lst(d: dict, k: str) -> list:
    v = d.get(k) or []
    return v if isinstance(v, list) else []


def _cluster_key(c: dict):
    try:
        n = c.get("number")
        return (str(c.get("kind", "")).lower(), None if n is None else int(n),
                None if c.get("year") is None else int(c["year"]))
    except (TypeError, ValueError):
        return None


def score_article(pred: dict, gold: dict, sc: Score, aid: str = "") -> None:
    miss = lambda s: sc.misses.append(f"{aid}: {s}")  # noqa: E731
    for f, keyf in (("slogans", None), ("awards", award_key), ("dates", None), ("provinces", place)):
        P = [x for x in _lst(pred, f) if isinstance(x, str)]
        G = _lst(gold, f)
        if keyf:
            P, G = list(dict.fromkeys(map(keyf, P))), list(dict.fromkeys(map(keyf, G)))
        else:
            P = list(dict.fromkeys(P))
        pairs = _pairs(P, G, _fuzzy if f == "slogans" else (lambda a, b: a == b))
        sc.add(f, len(pairs), len(P), len(G))
        got = [g for _, g in pairs]
        miss_list = [g for g in G if not any(g is x for x in got)]
        extra = [p for p in P if not any(p is x for x, _ in pairs)]
        for g in miss_list:
            miss(f"missed {f}: {g}")
        for p in extra:
            miss(f"extra {f}: {p}")
    pe = pred.get("event") if isinstance(pred.get("event"), dict) else {}
    ge = gold.get("event") or {}
    for part, keyf in (("type", norm), ("date", str), ("host", unit_key)):
        pv, gv = pe.get(part), ge.get(part)
        ok = bool(pv) and bool(gv) and keyf(str(pv)) == keyf(str(gv))
        sc.add("event_" + part, int(ok), int(bool(pv)), int(bool(gv)))
        if (pv or gv) and not ok:
            miss(f"event {part}: got {pv!r} want {gv!r}")
    P = [o for o in _lst(pred, "officials") if isinstance(o, dict) and o.get("name")]
    G = _lst(gold, "officials")
    pairs = _pairs(P, G, lambda a, b: norm(a["name"]) == norm(b["name"]))
    sc.add("officials", len(pairs), len({norm(o["name"]) for o in P}), len(G))
    for g in G:
        if not any(g is gg for _, gg in pairs):
            miss(f"missed official: {g['name']}")
    for p in P:
        if not any(p is pp for pp, _ in pairs):
            miss(f"extra official: {p['name']}")
    good = sum(1 for p, g in pairs if g.get("title") and title_ok(p.get("title"), g["title"]))
    sc.add("titles", good, sum(1 for p in P if p.get("title")), sum(1 for g in G if g.get("title")))
    for p, g in pairs:
        if g.get("title") and not title_ok(p.get("title"), g["title"]):
            miss(f"title {g['name']}: got {p.get('title')!r} want {g['title']!r}")
    P = [c for c in _lst(pred, "clusters") if isinstance(c, dict) and _cluster_key(c)]
    G = [c for c in _lst(gold, "clusters") if _cluster_key(c)]
    pk = list(dict.fromkeys(map(_cluster_key, P)))
    gk = list(map(_cluster_key, G))
    sc.add("clusters", len(set(pk) & set(gk)), len(pk), len(gk))
    for k in set(gk) - set(pk):
        miss(f"missed cluster: {k}")
    for k in set(pk) - set(gk):
        miss(f"extra cluster: {k}")
    for g in G:
        ps = [c for c in P if _cluster_key(c) == _cluster_key(g)]
        gm = {unit_key(m) for m in _lst(g, "members")}
        pm = {unit_key(m) for c in ps for m in _lst(c, "members") if isinstance(m, str)} if ps else set()
        sc.add("members", len(pm & gm), len(pm), len(gm))
        for m in gm - pm:
            miss(f"missed member {_cluster_key(g)}: {m}")
        for m in pm - gm:
            miss(f"extra member {_cluster_key(g)}: {m}")

    def roles(cs: list) -> set:
        return {_cluster_key(c) + (r, unit_key(c[r])) for c in cs for r in ("leader", "deputy")
                if isinstance(c.get(r), str) and c[r].strip()}
    pr, gr = roles(P), roles(G)
    sc.add("roles", len(pr & gr), len(pr), len(gr))
    for r in gr - pr:
        miss(f"missed role: {r}")
    for r in pr - gr:
        miss(f"extra role: {r}")


def load_gold(gold_dir: str | Path) -> dict[str, dict]:
    """<id>.json files with a "gold" key, by id."""
    out = {}
    for p in sorted(Path(gold_dir).glob("*.json")):
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        if isinstance(d, dict) and "gold" in d:
            out[p.stem] = d
    return out


def evaluate(preds: Iterable[dict], gold: dict[str, dict]) -> tuple[Score, int]:
    """Score predictions (records with "source") against gold; returns the score and how many gold
    articles had no prediction."""
    by_id = {Path(str(p.get("source", ""))).stem: p for p in preds}
    sc, missing = Score(), 0
    for aid, g in gold.items():
        p = by_id.get(aid)
        if p is None:
            missing += 1
            p = {}
        score_article(p, g["gold"], sc, aid)
    return sc, missing
