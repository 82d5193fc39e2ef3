"""extract: Vietnamese emulation-news article -> facts with evidence spans.

    from extract import extract_text
    facts = extract_text(text)          # ArticleFacts
    facts.to_record()                   # the JSON contract of `thidua extract --format jsonl`
"""
from .facts import ArticleFacts, Cluster, Event, Mention, Official, Span
from .pipeline import EXTRACTOR_VERSION, extract_text, nlp, run

__all__ = ["ArticleFacts", "Cluster", "Event", "Mention", "Official", "Span", "EXTRACTOR_VERSION",
           "extract_text", "nlp", "run"]
