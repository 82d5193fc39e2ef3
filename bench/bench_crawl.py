"""Crawl throughput against a local fixture server (kiemsat.vn structure), delay 0.

    PYTHONPATH=. .venv/bin/python bench/bench_crawl.py [--articles 300] [--modes fetch,parse,ingest]

The server runs in its own process so the CPU time measured (``time.process_time`` of this
process) is the crawler's alone. Modes:
  fetch   fetch + raw store + crawl state (``--no-ingest``)
  parse   + parse_page of every article (ingest stand-in that only stores the parsed article)
  ingest  + the real thidua.pipeline.ingest (extraction and archive writes), if available
Reported per mode: requests, article pages, wall seconds, requests/s, article pages/s, and CPU
milliseconds per request.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _serve(n_articles: int, per_page: int, conn) -> None:  # runs in the server process
    from tests.crawl_fixtures.server import FixtureServer
    from tests.crawl_fixtures.sites import kiemsat_site

    server = FixtureServer(kiemsat_site(n_articles=n_articles, per_page=per_page, sitemap_share=0.5))
    conn.send(server.base_url)
    conn.recv()  # until told to stop
    server.close()


def _parse_only(db, article, *, raw_sha256: str, fetched_at: str) -> None:
    with db.conn:
        db.conn.execute("CREATE TABLE IF NOT EXISTS bench_articles (url TEXT PRIMARY KEY, text TEXT)")
        db.conn.execute("INSERT OR REPLACE INTO bench_articles VALUES (?, ?)", [article.url, article.text()])


def run_mode(mode: str, base_url: str, concurrency: int) -> dict[str, float | int | str]:
    import sqlite_utils

    from crawl.fetch import FetchConfig
    from crawl.profile import load_profile
    from crawl.spider import CrawlConfig, crawl

    tmp = Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    db_path = str(tmp / "bench.db")
    config = CrawlConfig(db_path=db_path, sites=[load_profile("kiemsat.vn").with_base_url(base_url)],
                         ingest=mode != "fetch", progress=False,
                         fetch=FetchConfig(delay=0.0, concurrency=concurrency, global_concurrency=max(8, concurrency)))
    if mode == "ingest":
        from crawl.spider import open_archive
        db = open_archive(db_path, ingest=True)
        ingest = None
    else:
        db = sqlite_utils.Database(db_path)
        ingest = _parse_only if mode == "parse" else None
    cpu0, wall0 = time.process_time(), time.perf_counter()
    summary = crawl(config, db=db, ingest=ingest)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    articles = summary.new_articles
    return {"mode": mode, "requests": summary.requests, "articles": articles, "wall_s": round(wall, 2),
            "requests_per_s": round(summary.requests / wall, 1), "articles_per_s": round(articles / wall, 1),
            "cpu_ms_per_request": round(1000 * cpu / max(1, summary.requests), 2),
            "cpu_ms_per_article": round(1000 * cpu / max(1, articles), 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--per-page", type=int, default=20)
    ap.add_argument("--concurrency", type=int, default=2)
    ap.add_argument("--modes", default="fetch,parse,ingest")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_serve, args=(args.articles, args.per_page, child), daemon=True)
    proc.start()
    base_url = parent.recv()
    results = []
    try:
        for mode in args.modes.split(","):
            if mode == "ingest":
                try:
                    import thidua.pipeline  # noqa: F401
                except ImportError:
                    print("ingest: thidua.pipeline not available, skipped", file=sys.stderr)
                    continue
            results.append(run_mode(mode, base_url, args.concurrency))
    finally:
        parent.send("stop")
        proc.join(timeout=5)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    cols = ["mode", "requests", "articles", "wall_s", "requests_per_s", "articles_per_s", "cpu_ms_per_request",
            "cpu_ms_per_article"]
    print("  ".join(f"{c:>18}" for c in cols))
    for r in results:
        print("  ".join(f"{r[c]!s:>18}" for c in cols))


if __name__ == "__main__":
    main()
