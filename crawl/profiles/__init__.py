"""Bundled site profiles: one TOML file per site (shipped as package data).

Everything site-specific (hosts, listing URLs and paging, article URL pattern, sitemaps, feeds and
the parse selectors) lives in these files; ``crawl.profile`` loads them.
"""
from __future__ import annotations

from pathlib import Path

PROFILE_DIR = Path(__file__).resolve().parent


def bundled_profile_paths() -> list[Path]:
    """The bundled ``*.toml`` profile files, sorted by name."""
    return sorted(PROFILE_DIR.glob("*.toml"))
