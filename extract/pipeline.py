"""The extraction pipeline: one spaCy ``Doc`` per article, small named components over it.

Each component reads the text, leaves what it found as spans in ``doc.spans[<group>]`` (character
offsets = the evidence) and raw findings in ``doc._.found``; the last component, ``relations``,
resolves the document-level facts (the year under discussion, which cluster a list or a role
belongs to, the event's date and host) into :class:`ArticleFacts`.

    article text -> tokenizer -> sentences -> dates -> quotes -> people -> places -> awards
                 -> clusters -> event -> relations -> ArticleFacts
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import awards as awards_mod
from . import clusters as clusters_mod
from . import dates as dates_mod
from . import event as event_mod
from . import people as people_mod
from . import places as places_mod
from . import quotes as quotes_mod
from .facts import ArticleFacts, Cluster, Event, Mention, Official, Span
from .normalize import clean_text
from .version import EXTRACTOR_VERSION  # noqa: F401  (re-exported)


_TOKEN = re.compile(r"\w+(?:[./-]\w+)*|[^\w\s]", re.UNICODE)
# lines that are site furniture, not article text
BOILERPLATE = re.compile(
    r"^\s*(?:leftcenterrightdel|\(\d+\)\s*Bình\s+luận|Bài\s+viết\s+chưa\s+có\s+bình\s+luận\s+nào\.?|lên\s+đầu\s+trang|"
    r"Share\s+on\s+\w+|Facebook|Print|Twitter|Zalo|Xuất\s+bản\s+thông\s+tin|Chi\s+tiết\s+bài\s+viết\s+\S+|= = =|"
    r"Tin\s+tức\s*-\s*Sự\s+kiện|Theo\s+https?://\S+)\s*$", re.IGNORECASE | re.MULTILINE)


class _Tokenizer:
    """Words and punctuation with their offsets; Vietnamese syllables stay one token each."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        # spaCy keeps the text exactly: one following space is a flag on the token, any other
        # white space becomes a token of its own, so doc.text == text and offsets agree.
        words, spaces = [], []
        pos = 0
        for m in _TOKEN.finditer(text):
            gap = text[pos:m.start()]
            if gap:
                if words and gap[0] == " ":
                    spaces[-1] = True
                    gap = gap[1:]
                if gap:
                    words.append(gap)
                    spaces.append(False)
            words.append(m.group(0))
            spaces.append(False)
            pos = m.end()
        tail = text[pos:]
        if tail:
            if words and tail[0] == " ":
                spaces[-1] = True
                tail = tail[1:]
            if tail:
                words.append(tail)
                spaces.append(False)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["text"] = text
        return doc


if not Doc.has_extension("found"):
    Doc.set_extension("found", default=None)
    Doc.set_extension("meta", default=None)
    Doc.set_extension("facts", default=None)


def _text(doc: Doc) -> str:
    """The article text (spaCy rebuilds ``doc.text`` from its tokens on every access; keep one copy)."""
    t = doc.user_data.get("text")
    if t is None:
        t = doc.user_data["text"] = doc.text
    return t


def _keep(doc: Doc, key: str, found: list, label: str, group: str | None = None) -> None:
    """Keep a component's findings in ``doc._.found[key]`` and as spans in ``doc.spans[group or key]``."""
    doc._.found[key] = found
    _add_spans(doc, group or key, [(x.start, x.end, label) for x in found])


def _add_spans(doc: Doc, group: str, spans: list[tuple[int, int, str]]) -> None:
    out = []
    for start, end, label in spans:
        sp = doc.char_span(start, end, label=label, alignment_mode="expand")
        if sp is not None:
            out.append(sp)
    doc.spans[group] = out


@Language.component("thidua_sentences")
def sentences(doc: Doc) -> Doc:
    from underthesea import sent_tokenize
    spans, pos = [], 0
    for para in re.finditer(r"[^\n]+", _text(doc)):
        for s in sent_tokenize(para.group(0)):
            i = _text(doc).find(s, pos)
            if i < 0:
                continue
            spans.append((i, i + len(s), "SENT"))
            pos = i + len(s)
    doc._.found["sentences"] = [(a, b) for a, b, _ in spans]
    _add_spans(doc, "sentences", spans)
    return doc


@Language.component("thidua_dates")
def dates(doc: Doc) -> Doc:
    _keep(doc, "dates", dates_mod.find_dates(_text(doc)), "DATE")
    return doc


@Language.component("thidua_quotes")
def quotes(doc: Doc) -> Doc:
    qs = quotes_mod.find_quotes(_text(doc))
    slogans = quotes_mod.classify_slogans(_text(doc), qs)
    doc._.found["quotes"] = qs
    _keep(doc, "slogans", slogans, "SLOGAN")
    return doc


@Language.component("thidua_people")
def people(doc: Doc) -> Doc:
    text = _text(doc)
    exclude = [(q.start, q.end) for q in doc._.found["slogans"]] + doc._.found["byline"] + _credits(text)
    bare: list = []
    found = people_mod.find_people(text, exclude, bare)
    if bare:
        known = {p.name for p in found}
        found += [p for p in _confirm_names(text, bare, doc._.found["sentences"]) if p.name not in known]
        found.sort(key=lambda p: p.start)
    _keep(doc, "people", found, "PER", group="officials")
    return doc


def _credits(text: str) -> list[tuple[int, int]]:
    """Photo credits ("(Ảnh: Lâm Viên)", "Ảnh: TL"): a name there is a photographer, not an official."""
    return [(m.start(), m.end()) for m in re.finditer(r"\b(?:Ảnh|Nguồn|Clip|Video)\s*:\s*[^)\n]{0,60}", text)]


def _confirm_names(text: str, candidates: list, sentences: list[tuple[int, int]]) -> list:
    """Keep the bare name candidates that underthesea's NER tags as persons (B-PER/I-PER). The NER
    runs only on the sentences holding a candidate, so its cost stays off the common path."""
    from underthesea import ner
    out, tagged = [], {}
    for c in candidates:
        sent = _sentence_of(sentences, c.start) or (max(0, c.start - 100), min(len(text), c.end + 100))
        if sent not in tagged:
            try:
                tagged[sent] = ner(text[sent[0]:sent[1]])
            except Exception:  # a model failure must not lose the article
                tagged[sent] = []
        per = " ".join(w for w, *_, tag in tagged[sent] if tag.endswith("PER"))
        if c.name in per:
            out.append(c)
    return out


@Language.component("thidua_places")
def places(doc: Doc) -> Doc:
    exclude = ([(p.start, p.end) for p in doc._.found["people"]] + [(q.start, q.end) for q in doc._.found["slogans"]]
               + doc._.found["byline"])
    _keep(doc, "provinces", places_mod.find_provinces(_text(doc), exclude), "PROVINCE")
    return doc


@Language.component("thidua_awards")
def awards(doc: Doc) -> Doc:
    _keep(doc, "awards", awards_mod.find_awards(_text(doc)), "AWARD")
    return doc


@Language.component("thidua_clusters")
def clusters(doc: Doc) -> Doc:
    text = _text(doc)
    known = clusters_mod.known_district_levels(text)
    _keep(doc, "clusters", clusters_mod.find_cluster_mentions(text), "CLUSTER")
    doc._.found["member_lists"] = clusters_mod.find_member_lists(text, known)
    _keep(doc, "unit_roles", clusters_mod.find_unit_roles(text), "ROLE")
    return doc


@Language.component("thidua_relations")
def relations(doc: Doc) -> Doc:
    doc._.facts = _resolve(doc)
    return doc


@lru_cache(maxsize=1)
def nlp() -> Language:
    """The pipeline, built once per process (nothing is downloaded: a blank Vietnamese model)."""
    lang = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    lang.tokenizer = _Tokenizer(lang.vocab)
    lang.max_length = 50_000_000  # no parser or statistical model runs over the whole Doc
    for name in ("thidua_sentences", "thidua_dates", "thidua_quotes", "thidua_people", "thidua_places",
                 "thidua_awards", "thidua_clusters", "thidua_relations"):
        lang.add_pipe(name)
    return lang


# ---------------------------------------------------------------------------- document level

def guess_title(text: str) -> str | None:
    """A plain text's title: an early short line without a final full stop."""
    lines = [l.strip() for l in text.split("\n") if l.strip()][:4]
    for l in lines:
        if BOILERPLATE.match(l) or re.fullmatch(r"[\d/:\s-]+", l):
            continue
        if 25 <= len(l) <= 250 and not l.endswith((".", "…", ":")) and not re.match(r"^(?:Ngày|Cập nhật)", l):
            return l
        if len(l) > 250 or l.endswith("."):
            return None
    return None


def _publication(text: str, dates: list[dates_mod.DateMention]) -> dates_mod.DateMention | None:
    """A date on its own line near the top ("13/02/2020 13:53", "Ngày đăng tin: 18/05/2015")."""
    head = text[:600]
    for d in dates:
        if d.start >= len(head):
            break
        ls = text.rfind("\n", 0, d.start) + 1
        le = text.find("\n", d.end)
        le = len(text) if le < 0 else le
        line = text[ls:le]
        rest = (line[:d.start - ls] + line[d.end - ls:]).strip()
        if d.clock or re.fullmatch(r"(?:(?:Ngày\s+đăng(?:\s+tin)?|Cập\s+nhật(?:\s+lúc)?|Đăng\s+ngày|Ngày)\s*:?\s*)?"
                                   r"(?:\d{1,2}:\d{2}\s*,?\s*)?(?:Thứ\s+\w+,?\s*)?(?:\|.*)?(?:\(GMT\+7\))?[\s|]*", rest):
            return d
    return None


def _byline(text: str) -> list[tuple[int, int]]:
    """The author line that closes an article ("Minh Triết - Văn phòng tổng hợp", "P.V", "TG")."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()
             and not BOILERPLATE.match(m.group(0))]
    if not lines:
        return []
    s, e = lines[-1]
    line = text[s:e].strip()
    if len(line) <= 60 and not line.endswith((".", ":", ";")) and len(line.split()) <= 10:
        return [(s, e)]
    return []


_STRONG_YEAR = re.compile(r"\b(?:tổng\s+kết|sơ\s+kết|trù\s+bị|giao\s+ước|ký\s+kết|phát\s+động|bình\s+xét|suy\s+tôn)\b"
                          r"[^.;\n]{0,90}?\bnăm\s+(\d{4})", re.IGNORECASE)
_WEAK_YEAR = re.compile(r"\b(?:thi\s+đua|công\s+tác|nhiệm\s+vụ|triển\s+khai)\b[^.;\n]{0,40}?\bnăm\s+(\d{4})", re.IGNORECASE)


def article_year(text: str, title: str | None, unit_roles, dates) -> int | None:
    """The emulation year the article is about."""
    if title:
        m = _STRONG_YEAR.search(title) or _WEAK_YEAR.search(title)
        if m:
            return int(m.group(1))
    m = _STRONG_YEAR.search(text)
    if m:
        return int(m.group(1))
    years = [r.year for r in unit_roles if r.year]
    m = re.search(r"(?:^|[.\n]\s*)Năm\s+(\d{4}),[^.]{0,120}\b(?:Cụm|Khối)\s+(?:trưởng|phó)", text)
    if m:
        return int(m.group(1))
    # the year of the first dated thing that is not a document (the meeting, the publication), past
    # historical dates ("kỷ niệm 60 năm Ngày thành lập ngành (26/7/1960 - 26/7/2020)")
    latest = max((int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)), default=0)
    first = next((d.year for d in dates if d.year and not d.document and d.year >= latest - 5), None)
    if first:
        return first
    if years:   # a role's year: often the next year's, elected at this year's meeting
        return years[0]
    m = _WEAK_YEAR.search(text)
    if m:
        return int(m.group(1))
    all_years = Counter(int(y) for y in re.findall(r"\bnăm\s+(\d{4})\b", text))
    if all_years:
        return all_years.most_common(1)[0][0]
    full = [d.year for d in dates if d.year]
    return full[0] if full else None


# a clause that opens with its year: "Năm 2022, …", "…; năm 2024, VKSND quận X là Cụm trưởng", "Cũng trong năm
# 2022, …", "năm 2017 VKSND tỉnh X được Cụm … suy tôn"
_YEAR_WORD = re.compile(r"(?:^|[,;:]\s*)(?:[Cc]ũng\s+)?(?:[Tt]rong\s+)?[Nn]ăm\s+(\d{4})"
                        r"(?:\s*,|\s+(?=(?:VKSND|Viện|[Đđ]ơn\s+vị|được|Phòng|Vụ|Cục|Văn\s+phòng)\s))|"
                        r"\b[Nn]ăm\s+(\d{4})\s*,\s*(?=(?:VKSND|Viện\s+KSND|[Đđ]ơn\s+vị)\s)")  # "… ghi nhận năm 2022, VKSND …"


def _sentence_years(text: str, sent: tuple[int, int]) -> set[int]:
    """The years the clauses of a sentence open with ("năm 2022, đơn vị là Cụm trưởng …")."""
    a, b = sent
    return {int(m.group(1) or m.group(2)) for m in _YEAR_WORD.finditer(text[a:b].strip())}


def _sentence_of(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    """The sentence (start, end) holding ``pos``; sentences are sorted and disjoint."""
    i = bisect_right(sentences, (pos, float("inf"))) - 1
    if i >= 0 and sentences[i][0] <= pos < sentences[i][1]:
        return sentences[i]
    return None


def _span(text: str, a: int, b: int) -> Span:
    return Span(a, b, text[a:b])


_PARENT_AFTER = re.compile(r"\s*(?:[-–—,]\s*)?(?:(?:trực\s+)?thuộc\s+|của\s+)?(?:(?:VKSND|Viện\s+KSND|Viện\s+kiểm\s+sát\s+nhân\s+dân)\s+|"
                           r"ngành\s+[Kk]iểm\s+sát\s+)", re.IGNORECASE)


def _parent(text: str, c: Cluster, mention_end: int, provinces_found) -> str | None:
    """Who runs the cluster system: "VKSND tối cao" for clusters of provinces, "VKSND tỉnh X" for
    clusters of districts or departments of X (named after the mention, else the article's province)."""
    from .gazetteer import provinces as all_provinces
    from .units import find_units, unit_at

    def of(prov: str) -> str:
        return f"VKSND {all_provinces()[prov].kind} {prov}"

    m = _PARENT_AFTER.match(text, mention_end)
    if m:
        rest = text[m.end():m.end() + 60]
        if re.match(r"(?:nhân\s+dân|tối\s+cao|KSND)\b", rest):
            return "VKSND tối cao"
        u = unit_at(text, m.end())
        if u is not None and u.level == "tỉnh":
            return of(u.label)
    local = any(re.match(r"(?:huyện|quận|thị xã|thành phố|khu vực|Phòng|Văn phòng|Vụ|Cục|Thanh tra)\b", x) for x in c.members)
    if local and not any(x.startswith("Vụ ") or x.startswith("Cục ") or "tối cao" in x for x in c.members):
        counts = Counter(u.label for u in find_units(text) if u.level == "tỉnh")
        if not counts:
            counts = Counter(p.name for p in provinces_found)
        return of(counts.most_common(1)[0][0]) if counts else None
    if c.members or c.number is not None:
        return "VKSND tối cao"
    return None


def _resolve(doc: Doc) -> ArticleFacts:
    text = _text(doc)
    f = doc._.found
    meta = doc._.meta or {}
    title = meta.get("title") or guess_title(text)
    facts = ArticleFacts()

    # dates: the publication line, then the year under discussion for year-less dates
    pub = _publication(text, f["dates"])
    published = meta.get("published") or (pub.iso if pub else None)
    year = article_year(text, title, f["unit_roles"], f["dates"])
    facts.year = year
    # year-less dates: the year under discussion, else that of the first full date
    fallback_year = year if year is not None else next((d.year for d in f["dates"] if d.year), None)
    mentioned = {int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)}
    dates_mod.resolve_years(f["dates"], fallback_year, published, mentioned)
    facts.dates = [Mention(d.iso, _span(text, d.start, d.end)) for d in f["dates"] if d.iso]

    # provinces, slogans, awards
    facts.provinces = [Mention(p.name, _span(text, p.start, p.end)) for p in f["provinces"]]
    facts.slogans = [Mention(q.text.strip(), _span(text, q.start, q.end)) for q in f["slogans"]]
    facts.awards = [Mention(a.title, _span(text, a.start, a.end)) for a in f["awards"]]

    # officials: one per name, the best position among the mentions
    by_name: dict[str, list] = {}
    for p in f["people"]:
        by_name.setdefault(p.name, []).append(p)
    for name, ms in by_name.items():
        titled = [m.title for m in ms if m.title]
        with_org = [t for t in titled if re.search(r"VKS|Viện|Vụ|Cục|Phòng|phòng|Quốc hội|Chính phủ|Bộ|tỉnh|Trung ương", t)]
        pool = with_org or titled
        title_ = min(pool, key=len) if pool else None
        title_ = re.sub(r"\bV[A-Z]SND\b", "VKSND", title_) if title_ else None
        role = next((m.role for m in ms if m.role), None)
        unit = next((m.unit for m in ms if m.unit), None)
        facts.officials.append(Official(name, title_, role, unit, _span(text, ms[0].start, ms[0].end)))

    # clusters: one entry per (kind, number, year)
    entries: dict[tuple, Cluster] = {}
    mentions = f["clusters"]
    numbered = {m.kind for m in mentions if m.number is not None}

    def entry(kind: str, number: int | None, y: int | None, span=None) -> Cluster:
        k = (kind, number, y)
        if k not in entries:
            entries[k] = Cluster(kind, number, y, evidence=span)
        return entries[k]

    def said_year(pos: int) -> int | None:
        """The one year the sentence at ``pos`` speaks of, when it is not the article's ("năm 2022, đơn
        vị là Cụm trưởng Cụm thi đua số 12" in an article of 2023)."""
        sent = _sentence_of(f["sentences"], pos)
        ys = _sentence_years(text, sent) if sent else set()
        return next(iter(ys)) if len(ys) == 1 else None

    def mention_year(m) -> int | None:
        return (m.year if (m.year and not m.role_context) else None) or said_year(m.start) or year

    main: dict[str, tuple] = {}
    for m in mentions:
        if m.number is None and m.kind in numbered:
            continue
        y = mention_year(m)
        entry(m.kind, m.number, y, _span(text, m.start, m.end))
        main.setdefault(m.kind, (m.kind, m.number, y))
    # the main cluster of each kind: the one mentioned most
    counts = Counter((m.kind, m.number) for m in mentions if not (m.number is None and m.kind in numbered))
    for kind in list(main):
        best = max((k for k in counts if k[0] == kind), key=lambda k: counts[k])
        main[kind] = (best[0], best[1], year if (kind, best[1], year) in entries else main[kind][2])

    def cluster_for(pos: int, kind: str | None) -> Cluster | None:
        """The cluster a statement at ``pos`` speaks of: one named in its sentence, else the main one."""
        sent = _sentence_of(f["sentences"], pos) or (max(0, pos - 200), pos + 1)
        near = [m for m in mentions if sent[0] <= m.start <= pos + 200 and m.start < sent[1] + 1
                and (kind is None or m.kind == kind) and not (m.number is None and m.kind in numbered)]
        before = [m for m in near if m.start <= pos]
        pick = before[-1] if before else (near[0] if near else None)
        if pick is not None:
            return entries.get((pick.kind, pick.number, mention_year(pick)))
        kinds = [kind] if kind else list(main)
        for k in kinds:
            if k in main:
                return entries.get(main[k])
        return None

    # member lists
    aliases = {k: v for ml in f["member_lists"] for k, v in ml.aliases.items()}
    for ml in f["member_lists"]:
        c = cluster_for(ml.start, None)
        if c is None or ml.attendance:
            continue
        for u in ml.units:
            if u.label not in c.members:
                c.members.append(u.label)
                c.member_evidence[u.label] = _span(text, u.start, u.end)

    # roles: statements about units, and people whose unit holds a role
    roles = [(r.role, r.kind, r.unit, r.year, r.start, r.end) for r in f["unit_roles"]]
    # "suy tôn X làm Cụm trưởng năm 2024, Y làm Cụm phó": a role without a year takes the year
    # another role of the same sentence states
    for i, (role, kind, unit, ry, a, b) in enumerate(roles):
        if ry is None:
            sent = _sentence_of(f["sentences"], a)
            sib = next((r[3] for r in roles if r[3] and sent and sent[0] <= r[4] < sent[1]), None)
            ry = sib or said_year(a)
            if ry:
                roles[i] = (role, kind, unit, ry, a, b)
    for p in f["people"]:
        if p.unit_role and p.unit and p.role_span:
            span_text = text[p.role_span[0]:p.role_span[1]].lower()
            kind = "khoi" if "khối" in span_text else "cum"
            roles.append((p.unit_role, kind, p.unit, p.role_year, p.role_span[0], p.role_span[1]))
    for role, kind, unit, ry, a, b in roles:
        c = cluster_for(a, kind)
        if c is None:
            if kind in numbered:
                continue
            c = entry(kind, None, year)
        if ry and ry != c.year:
            c = entry(c.kind, c.number, ry, c.evidence)
        # a department named by its code ("Phòng 7") or its head's title ("Văn phòng") is the member
        # whose full name the article gives
        unit = aliases.get(unit, unit)
        label = next((m for m in c.members if m != unit and m.startswith(unit + " ")), unit)
        if role == "leader" and c.leader is None:
            c.leader, c.leader_evidence = label, _span(text, a, b)
        elif role == "deputy" and c.deputy is None:
            c.deputy, c.deputy_evidence = label, _span(text, a, b)

    # who attended a cluster's meeting, among them its leader or deputy: the members
    for ml in f["member_lists"]:
        c = cluster_for(ml.start, None) if ml.attendance else None
        if c is not None and {u.label for u in ml.units} & {c.leader, c.deputy}:
            for u in ml.units:
                if u.label not in c.members:
                    c.members.append(u.label)
                    c.member_evidence[u.label] = _span(text, u.start, u.end)
    for c in entries.values():
        for who, ev in ((c.leader, c.leader_evidence), (c.deputy, c.deputy_evidence)):
            # the leader is a member, except in an extra entry for another year that holds only the role
            alone = not any(k[:2] == (c.kind, c.number) and k[2] != c.year for k in entries)
            if who and who not in c.members and (c.members or c.year == year or alone):
                c.members.append(who)
                if ev:
                    c.member_evidence[who] = ev
    mention_end = {(m.kind, m.number): m.end for m in mentions}
    for c in entries.values():
        c.parent = _parent(text, c, mention_end.get((c.kind, c.number), 0), f["provinces"])
    # an unnumbered bloc beside a province's own blocs belongs to that province too
    local = next((c.parent for c in entries.values() if c.parent and c.parent != "VKSND tối cao"), None)
    for c in entries.values():
        if c.parent is None and c.number is None and local:
            c.parent = local
    facts.clusters = list(entries.values())

    # the event
    facts.event = _event(text, title, f, published)
    return facts



def _event(text: str, title: str | None, f: dict, published: str | None) -> Event | None:
    if event_mod.is_document_news(text, title):
        return None
    etype, span = event_mod.event_type(title, text)
    if etype is None and not event_mod.has_meeting(text):
        return None
    pub_starts = {d.start for d in f["dates"] if d.clock}
    pub = _publication(text, f["dates"])
    if pub:
        pub_starts.add(pub.start)
    d = event_mod.event_date(text, f["dates"], pub_starts)
    if d is None and etype == "khen_thuong":
        d = next((x for x in f["dates"] if x.document and re.search(r"Quyết\s+định", text[max(0, x.start - 60):x.start])), None)
    sent = _sentence_of(f["sentences"], d.start) if d else None
    if sent is None and span:
        sent = _sentence_of(f["sentences"], span[0])
    host = event_mod.event_host(text, sent)
    if host is None and sent is None:
        host = event_mod.event_host(text, None)
    if etype is None and d is None and host is None:
        return Event(None, None, None, None)
    ev_span = _span(text, *span) if span else None
    if etype is None and (d or host) and event_mod.meeting_kind_named(text[sent[0]:sent[1]] if sent else text[:600]):
        etype = "khac"  # a meeting of a kind not in the list ("Hội nghị phổ biến", "giao lưu thể thao")
    return Event(etype, d.iso if d else None, host[0] if host else None, ev_span)


def run(text: str, *, title: str | None = None, published: str | None = None) -> Doc:
    """Run the pipeline; ``doc._.facts`` holds the :class:`ArticleFacts`."""
    text = clean_text(text)
    lang = nlp()
    doc = lang.make_doc(text)
    doc._.found = {"byline": _byline(text)}
    doc._.meta = {"title": title, "published": published}
    for _, proc in lang.pipeline:
        doc = proc(doc)
    return doc


def extract_text(text: str, *, title: str | None = None, published: str | None = None) -> ArticleFacts:
    return run(text, title=title, published=published)._.facts
