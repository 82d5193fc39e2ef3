"""extract: Vietnamese emulation-news article -> facts with evidence spans.

    from extract import extract_text
    facts = extract_text(text)          # ArticleFacts
    facts.to_record()                   # the JSON contract of `thidua extract --format jsonl`

The NLP models (spaCy, underthesea) load on first use, so importing the package stays cheap.
"""
from .facts import ArticleFacts, Cluster, Event, Mention, Official, Span
from .version import EXTRACTOR_VERSION

__all__ = ["ArticleFacts", "Cluster", "Event", "Mention", "Official", "Span", "EXTRACTOR_VERSION",
           "extract_text", "nlp", "run"]


def __getattr__(name: str):
    if name in ("extract_text", "nlp", "run"):
        from . import pipeline
        return getattr(pipeline, name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
