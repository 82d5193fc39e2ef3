"""Soak test: SIGKILL `thidua crawl` and `thidua build` at random moments, restart, check the archive.

    .venv/bin/python bench/soak.py --trials 50            # the figures in docs/reliability.md
    .venv/bin/python bench/soak.py --trials 4 --seed 1    # a quick look

Every trial (crawl and build alternate) runs the real CLI in a subprocess against one shared
archive, kills it with SIGKILL after a random delay (uniform over the length of a full run of that
kind), restarts it and lets it finish, then checks the archive:

* ``PRAGMA integrity_check`` is "ok" and ``PRAGMA foreign_key_check`` finds nothing;
* lost: an article published by the fixture site or written to a build folder so far that is not
  in ``articles`` (or a crawl URL left queued/fetched after the finishing run);
* duplicated: a URL or a body (text_sha256) stored twice, or a search index (``articles_fts``,
  ``articles_fts_fold``) holding a number of documents other than the article count (and FTS5's
  own integrity-check of both indexes against the articles' text, under "integrity");
* orphans: fact rows whose ``article_id`` has no article, events without sources, sources without
  an event.

At the end a clean archive is made from the same inputs without kills, and every article's facts
(rows per fact table) are compared with it ("fact mismatches"). Each crawl trial publishes new
articles on the local fixture site (tests/crawl_fixtures, 127.0.0.1 only) and each build trial
writes a new folder of pages and rebuilds the previous one (which replaces facts: the risky path).

Prints a table; exit status 1 if any failure count is non-zero.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FACT_TABLES = ("cluster_years", "memberships", "event_sources", "official_mentions", "slogan_mentions",
               "award_mentions", "date_mentions", "province_mentions")
THIDUA = [sys.executable, "-c", "from thidua.cli import cli; cli()"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
       "PYTHONHASHSEED": "0"}


# ------------------------------------------------------------------------------------ checks
@dataclass
class Check:
    integrity: list[str] = field(default_factory=list)   # integrity_check / foreign_key_check problems
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.integrity or self.lost or self.duplicated or self.orphans)


def check_archive(db_path: str | Path, expected_urls: set[str], *, crawl_done: bool = True) -> Check:
    """Check the archive at ``db_path`` (see the module docstring); ``expected_urls`` must all be in it."""
    out = Check()
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        if rows != ["ok"]:
            out.integrity += [f"integrity_check: {r}" for r in rows]
        out.integrity += [f"foreign_key_check: {r}" for r in con.execute("PRAGMA foreign_key_check").fetchall()]
        out.integrity += _fts_integrity(db_path)
        urls = [r[0] for r in con.execute("SELECT url FROM articles")]
        have = set(urls)
        out.lost += sorted(f"not archived: {u}" for u in expected_urls - have)
        if crawl_done and _has_table(con, "crawl_urls"):
            out.lost += [f"crawl frontier left {s}: {u}" for u, s in con.execute(
                "SELECT url, status FROM crawl_urls WHERE kind = 'article' AND status IN ('queued', 'fetched', 'failed')")]
        if len(urls) != len(have):
            out.duplicated.append(f"{len(urls) - len(have)} URL(s) stored twice")
        for sha, n in con.execute("SELECT text_sha256, count(*) FROM articles GROUP BY text_sha256 HAVING count(*) > 1"):
            out.duplicated.append(f"body {sha[:12]} stored {n} times")
        for fts in ("articles_fts", "articles_fts_fold"):  # one indexed document per article, none other
            n_fts = con.execute(f"SELECT count(*) FROM {fts}_docsize").fetchone()[0]
            if n_fts != len(urls):
                out.duplicated.append(f"{fts} indexes {n_fts} documents for {len(urls)} articles")
            stray = con.execute(f"SELECT count(*) FROM {fts}_docsize WHERE id NOT IN (SELECT id FROM articles)"
                                ).fetchone()[0]
            if stray:
                out.orphans.append(f"{stray} {fts} document(s) without an article")
        for t in FACT_TABLES:
            n = con.execute(f"SELECT count(*) FROM {t} WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
            if n:
                out.orphans.append(f"{n} {t} row(s) without an article")
        n = con.execute("SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM event_sources)").fetchone()[0]
        if n:
            out.orphans.append(f"{n} event(s) without a source")
        n = con.execute("SELECT count(*) FROM event_sources WHERE event_id NOT IN (SELECT id FROM events)").fetchone()[0]
        if n:
            out.orphans.append(f"{n} event source(s) without an event")
    finally:
        con.close()
    return out


def _fts_integrity(db_path: str | Path) -> list[str]:
    """FTS5's own check that each search index holds exactly the tokens of the articles' text (it is
    an INSERT command, so it needs a writable connection; it changes nothing)."""
    con = sqlite3.connect(db_path, timeout=30)
    try:
        problems = []
        for fts in ("articles_fts", "articles_fts_fold"):
            try:
                con.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                problems.append(f"{fts} integrity-check: {exc}")
        return problems
    finally:
        con.close()


def _has_table(con: sqlite3.Connection, name: str) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [name]).fetchone() is not None


def fact_profile(db_path: str | Path) -> dict[str, tuple]:
    """{url: (title, emulation_year, rows in each fact table)}: what a clean run must also give."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        out = {}
        for aid, url, title, year in con.execute("SELECT id, url, title, emulation_year FROM articles"):
            counts = tuple(con.execute(f"SELECT count(*) FROM {t} WHERE article_id = ?", [aid]).fetchone()[0]
                           for t in FACT_TABLES)
            out[url] = (title, year, counts)
        return out
    finally:
        con.close()


# ------------------------------------------------------------------------------------ inputs
def write_build_folder(folder: Path, first: int, n: int) -> set[str]:
    """``n`` article pages (kiemsat.vn layout, distinct canonical URLs) and one .txt; their URLs."""
    from tests.crawl_fixtures.sites import kiemsat_article
    folder.mkdir(parents=True, exist_ok=True)
    urls = set()
    for i in range(first, first + n - 1):
        path, _, body = kiemsat_article(i, path=f"/build/bai-{i}-{900000 + i}.html")
        (folder / f"page-{i}.html").write_bytes(body)
        urls.add("https://kiemsat.vn" + path)
    txt = folder / f"note-{first}.txt"
    txt.write_text(f"Cụm thi đua số {first % 20 + 1} tổng kết công tác thi đua năm 2023 (ghi chép {first}). "
                   f"VKSND tỉnh Đồng Tháp làm Cụm trưởng năm 2024.", encoding="utf-8")
    urls.add(txt.resolve().as_uri())
    return urls


def crawl_args(db: Path, base_url: str) -> list[str]:
    return [*THIDUA, "crawl", "kiemsat.vn", "--base-url", base_url, "--db", str(db), "--delay", "0",
            "--no-progress", "--retries", "1", "--timeout", "5"]


def build_args(db: Path, folders: list[Path], workers: int) -> list[str]:
    return [*THIDUA, "build", *map(str, folders), "--db", str(db), "--workers", str(workers)]


def run_to_end(args: list[str], timeout: float = 300) -> tuple[int, str, float]:
    t0 = time.monotonic()
    p = subprocess.run(args, cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr, time.monotonic() - t0


def run_and_kill(args: list[str], after: float) -> bool:
    """Start ``args``; SIGKILL it (and its worker processes) after ``after`` s; True if it was killed."""
    p = subprocess.Popen(args, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    try:
        p.wait(timeout=after)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)  # its own session: the build's worker processes die with it
        p.wait()
        return True


# ------------------------------------------------------------------------------------ the soak
@dataclass
class Trial:
    n: int
    kind: str
    delay: float
    killed: bool
    check: Check
    restart_rc: int
    restart_output: str


@dataclass
class Soak:
    workdir: Path
    seed: int = 0
    crawl_new: int = 6          # articles published on the site before each crawl trial
    build_files: int = 12       # files in each build trial's new folder
    verbose: bool = False
    trials: list[Trial] = field(default_factory=list)
    expected: set[str] = field(default_factory=set)
    folders: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        from tests.crawl_fixtures.server import FixtureServer
        from tests.crawl_fixtures.sites import Route, kiemsat_site
        self.rng = random.Random(self.seed)
        self.db = self.workdir / "soak.db"
        self.site = kiemsat_site(n_articles=self.crawl_new, per_page=4, sitemap_share=0.3)
        self._slow_articles()
        self.server = FixtureServer(self.site)
        self.duration = {"crawl": 4.0, "build": 4.0}
        self._Route = Route

    def _slow_articles(self) -> None:
        # a little latency per article, so a crawl spends its time fetching and ingesting, not starting
        for path in self.site.articles:
            self.site.routes[path].sleep = 0.03

    def close(self) -> None:
        self.server.close()

    def crawl_urls(self) -> set[str]:
        return {"https://kiemsat.vn" + p for p in self.site.articles}

    def trial(self, n: int, kind: str) -> Trial:
        from tests.crawl_fixtures.sites import add_kiemsat_articles
        if kind == "crawl":
            if n > 1:
                add_kiemsat_articles(self.site, self.crawl_new, per_page=4)
                self._slow_articles()
            args = crawl_args(self.db, self.server.base_url)
            new_urls = self.crawl_urls()
        else:
            folder = self.workdir / f"build-{n:03d}"
            new_urls = write_build_folder(folder, 1000 * n, self.build_files)
            self.folders.append(folder)
            workers = 2 if self.rng.random() < 0.5 else 1
            args = build_args(self.db, self.folders[-2:], workers)  # the new folder and the previous one again
        delay = self.rng.uniform(0.0, self.duration[kind])
        killed = run_and_kill(args, delay)
        rc, output, took = run_to_end(args)
        # a restart does what the killed run left: its length bounds the next kill delay
        self.duration[kind] = max(took, 1.0) if n > 2 else max(self.duration[kind], took)
        self.expected |= new_urls
        check = check_archive(self.db, self.expected)
        if rc != 0:
            check.lost.append(f"restart exited {rc}: {output.strip()[-500:]}")
        t = Trial(n, kind, delay, killed, check, rc, output)
        self.trials.append(t)
        if self.verbose:
            print(f"trial {n:3d} {kind:5s} kill at {delay:5.2f}s {'killed' if killed else 'finished first'}"
                  f" -> {'ok' if check.ok else check}", file=sys.stderr, flush=True)
        return t

    def run(self, trials: int) -> None:
        for n in range(1, trials + 1):
            self.trial(n, "crawl" if n % 2 else "build")

    def compare_with_clean_run(self) -> list[str]:
        """Same inputs, no kills, a fresh archive: every article's facts must be the same."""
        clean = self.workdir / "clean.db"
        rc, out, _ = run_to_end(crawl_args(clean, self.server.base_url))
        problems = [] if rc == 0 else [f"clean crawl exited {rc}: {out[-300:]}"]
        if self.folders:
            rc, out, _ = run_to_end(build_args(clean, self.folders, 1))
            problems += [] if rc == 0 else [f"clean build exited {rc}: {out[-300:]}"]
        soaked, ref = fact_profile(self.db), fact_profile(clean)
        for url in sorted(set(soaked) | set(ref)):
            if soaked.get(url) != ref.get(url):
                problems.append(f"{url}: soaked {soaked.get(url)} != clean {ref.get(url)}")
        return problems


def report(soak: Soak, mismatches: list[str]) -> int:
    rows = [("trials", len(soak.trials)),
            ("crawl trials", sum(t.kind == "crawl" for t in soak.trials)),
            ("build trials", sum(t.kind == "build" for t in soak.trials)),
            ("kills (SIGKILL while running)", sum(t.killed for t in soak.trials)),
            ("integrity failures", sum(bool(t.check.integrity) for t in soak.trials)),
            ("lost", sum(len(t.check.lost) for t in soak.trials)),
            ("duplicated", sum(len(t.check.duplicated) for t in soak.trials)),
            ("orphans", sum(len(t.check.orphans) for t in soak.trials)),
            ("fact mismatches vs a clean run", len(mismatches)),
            ("articles in the archive", len(soak.expected))]
    width = max(len(k) for k, _ in rows)
    print(f"{'figure'.ljust(width)}  value")
    print(f"{'-' * width}  -----")
    for k, v in rows:
        print(f"{k.ljust(width)}  {v}")
    bad = [t for t in soak.trials if not t.check.ok]
    for t in bad[:10]:
        print(f"\ntrial {t.n} ({t.kind}, kill at {t.delay:.2f}s):", *(t.check.integrity + t.check.lost
              + t.check.duplicated + t.check.orphans)[:10], sep="\n  ")
    for m in mismatches[:10]:
        print("fact mismatch:", m)
    failures = sum(v for k, v in rows[4:9])
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", metavar="DIR", help="Work in DIR and keep it (default: a temporary folder).")
    ap.add_argument("-v", "--verbose", action="store_true", help="One line per trial on stderr.")
    args = ap.parse_args(argv)
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="thidua-soak-"))
    workdir.mkdir(parents=True, exist_ok=True)
    soak = Soak(workdir, seed=args.seed, verbose=args.verbose)
    t0 = time.monotonic()
    try:
        soak.run(args.trials)
        mismatches = soak.compare_with_clean_run()
    finally:
        soak.close()
    status = report(soak, mismatches)
    print(f"\n{time.monotonic() - t0:.0f} s, seed {args.seed}, work dir {workdir}")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
