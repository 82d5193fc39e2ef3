"""Run a crawl in a subprocess with the fake ingest (for the SIGKILL test).

usage: python -m tests.crawl_fixtures.run_crawl DB BASE_URL [--delay S] [--concurrency N]
"""
from __future__ import annotations

import argparse

import sqlite_utils

from crawl.fetch import FetchConfig
from crawl.profile import load_profile
from crawl.spider import CrawlConfig, crawl
from tests.crawl_fixtures.ingest import fake_ingest


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("base_url")
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--concurrency", type=int, default=2)
    args = ap.parse_args()
    config = CrawlConfig(db_path=args.db, sites=[load_profile("kiemsat.vn").with_base_url(args.base_url)],
                         progress=False,
                         fetch=FetchConfig(delay=args.delay, concurrency=args.concurrency, backoff_base=0.05))
    summary = crawl(config, db=sqlite_utils.Database(args.db), ingest=fake_ingest)
    print(summary.line())


if __name__ == "__main__":
    main()
