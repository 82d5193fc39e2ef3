"""What the extractor returns: facts with their evidence spans.

``ArticleFacts.to_record()`` gives the output contract of ``thidua extract --format jsonl``
(../shared/corpus/README.md, schemas/article_facts.schema.json); the ``evidence`` key adds
the character spans every fact was read from.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Span:
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Event:
    type: str | None = None
    date: str | None = None
    host: str | None = None
    evidence: Span | None = None


@dataclass
class Cluster:
    kind: str                  # "cum" | "khoi"
    number: int | None
    year: int | None
    parent: str | None = None
    members: list[str] = field(default_factory=list)
    leader: str | None = None
    deputy: str | None = None
    evidence: Span | None = None
    member_evidence: dict[str, Span] = field(default_factory=dict)
    leader_evidence: Span | None = None
    deputy_evidence: Span | None = None

    @property
    def key(self) -> tuple:
        return (self.kind, self.number, self.year)


@dataclass
class Official:
    name: str
    title: str | None = None
    cluster_role: str | None = None   # "leader" | "deputy" | None
    unit: str | None = None           # the unit of the title, as a member label ("Đồng Tháp")
    evidence: Span | None = None


@dataclass
class Mention:
    value: str
    evidence: Span


@dataclass
class ArticleFacts:
    event: Event | None = None
    clusters: list[Cluster] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    slogans: list[Mention] = field(default_factory=list)
    awards: list[Mention] = field(default_factory=list)
    dates: list[Mention] = field(default_factory=list)
    provinces: list[Mention] = field(default_factory=list)
    year: int | None = None           # the emulation year the article is about

    def to_record(self) -> dict:
        """The contract's keys, values only (no evidence)."""
        ev = None
        if self.event is not None:
            ev = {"type": self.event.type, "date": self.event.date, "host": self.event.host}
        return {
            "event": ev,
            "clusters": [{"kind": c.kind, "number": c.number, "year": c.year, "parent": c.parent,
                          "members": list(c.members), "leader": c.leader, "deputy": c.deputy}
                         for c in self.clusters],
            "officials": [{"name": o.name, "title": o.title, "cluster_role": o.cluster_role}
                          for o in self.officials],
            "slogans": _unique(m.value for m in self.slogans),
            "awards": _unique(m.value for m in self.awards),
            "dates": sorted(_unique(m.value for m in self.dates)),
            "provinces": _unique(m.value for m in self.provinces),
        }

    def evidence(self) -> dict:
        """Where each fact was read: character spans into the article text."""
        def sp(s: Span | None):
            return s.as_dict() if s else None
        return {
            "event": sp(self.event.evidence) if self.event else None,
            "clusters": [{"key": [c.kind, c.number, c.year], "mention": sp(c.evidence),
                          "leader": sp(c.leader_evidence), "deputy": sp(c.deputy_evidence),
                          "members": {k: sp(v) for k, v in c.member_evidence.items()}}
                         for c in self.clusters],
            "officials": [{"name": o.name, "span": sp(o.evidence)} for o in self.officials],
            "slogans": [{"value": m.value, "span": sp(m.evidence)} for m in self.slogans],
            "awards": [{"value": m.value, "span": sp(m.evidence)} for m in self.awards],
            "dates": [{"value": m.value, "span": sp(m.evidence)} for m in self.dates],
            "provinces": [{"value": m.value, "span": sp(m.evidence)} for m in self.provinces],
        }


def _unique(values) -> list:
    return list(dict.fromkeys(values))


__all__ = ["ArticleFacts", "Cluster", "Event", "Mention", "Official", "Span", "asdict"]
