"""The extractor's version, stored with every article it extracted (articles.extractor_version).
Raise it when a rule change alters facts, so an archive shows which articles an older extractor read."""
EXTRACTOR_VERSION = "0.3.0"
