"""thidua at scale: the whole `thidua build` pipeline, and an archive of 100k articles.

    python bench/bench_scale.py prep OUT.pkl [--variants 5]
        precompute extractions of varied copies of every source (pickled, for `archive` and the
        write stage of bench/run.py)
    python bench/bench_scale.py build DIR --workers N
        `thidua build DIR --db TMP --workers N` in a subprocess: wall time, CPU of the whole
        process tree, peak RSS of the largest process
    python bench/bench_scale.py archive DB --size 100000 --extractions OUT.pkl [--budget 900]
        write SIZE varied articles through thidua.archive.store_many in the batches a build writes
        (stops at the time budget and says so), then time queries.leaders, the `thidua leaders` CLI
        and queries.search
    python bench/bench_scale.py rebuild DB --size 100000 --workers 2
        make a crawled archive of SIZE pages (varied copies of the bundled pages in a raw store, the
        crawl state a crawl leaves), then time `thidua build --from-raw --workers N` on it: wall
        time, CPU of the process tree, peak RSS of the largest process

Each prints one JSON object. bench/run.py drives all of them.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SEARCHES = [("Cụm thi đua", True), ("Đồng Tháp", True), ("giao ước thi đua", True),
            ("cum thi dua", False), ("Dong Thap", False), ("giao uoc thi dua", False)]


def thidua_exe() -> list[str]:
    exe = Path(sys.executable).with_name("thidua")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "thidua.cli"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- prep
def prep(out: Path, variants: int) -> dict:
    from corpus_gen import gold_sources, html_sources, vary_html, vary_text

    from crawl.article import Article
    from crawl.parse import parse_page
    from thidua.pipeline import extract_article
    exs = []
    for k in range(variants):
        for s in html_sources():
            exs.append(extract_article(parse_page(vary_html(s.data, 1000 + k).encode("utf-8"), url=None)))
        for s in gold_sources():
            art = Article(url=f"file:///bench/{s.name}-v{k}.txt", site="text",
                          paragraphs=[vary_text(s.data, 1000 + k)])
            exs.append(extract_article(art))
    out.write_bytes(pickle.dumps(exs))
    return {"extractions": len(exs), "file": str(out)}


# ---------------------------------------------------------------- build
def build(d: Path, workers: int) -> dict:
    n = sum(1 for _ in d.iterdir())
    tmp = Path(tempfile.mkdtemp(prefix="bench-build-"))
    db = tmp / "build.db"
    w0 = time.perf_counter()
    proc = subprocess.Popen(thidua_exe() + ["build", str(d), "--db", str(db), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - w0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace")
    stored = None
    try:
        import sqlite3
        stored = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    except Exception:
        pass
    size = sum(f.stat().st_size for f in tmp.iterdir())
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()
    cpu = ru.ru_utime + ru.ru_stime
    return {"workers": workers, "files": n, "stored": stored, "exit": proc.returncode, "wall_s": wall,
            "articles_per_s": n / wall, "cpu_s": cpu, "cpu_ms_per_article": 1000 * cpu / n,
            "peak_rss_mb": ru.ru_maxrss / 1024, "db_mb": size / 2**20, "stderr_tail": err[-500:]}


# ---------------------------------------------------------------- archive
def _varied(base: list, i: int):
    """Article i: a precomputed extraction with a unique url and body, its clusters moved to one
    of 25 numbers and 12 emulation years so the archive has a realistic spread of cluster-years."""
    from stages import variant_extraction
    art, facts, body = variant_extraction(base, i)
    shift, year = i // len(base), 2014 + (i * 7919) % 12
    facts = copy.deepcopy(facts)
    for c in facts.clusters:
        if c.number is not None:
            c.number = (c.number + shift) % 25 + 1
        c.year = year
    facts.year = year
    return art, facts, body


def _latency(fn, runs: int, budget_s: float) -> dict:
    t_end = time.perf_counter() + budget_s
    fn()   # warm the page cache and the statement cache
    times = []
    # at least 3 timed runs, then until `runs` or the budget (a slow query gets fewer runs, reported)
    while len(times) < runs and (len(times) < 3 or time.perf_counter() < t_end):
        t0 = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - t0))
    times.sort()
    return {"runs": len(times), "p50_ms": statistics.median(times),
            "p95_ms": times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))], "max_ms": times[-1]}


def archive(db_path: Path, size: int, extractions: Path, budget: float, query_runs: int,
            query_budget: float) -> dict:
    from thidua import queries
    from thidua.archive import checkpoint, open_db, refresh_leaders, store_many
    from thidua.pipeline import BATCH
    base = pickle.loads(extractions.read_bytes())
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    db = open_db(db_path)
    chunk = max(BATCH, min(5000, size // 20) // BATCH * BATCH)
    curve, store_wall, store_cpu = [], 0.0, 0.0
    t_start = time.perf_counter()
    written, stopped = 0, False
    while written < size:
        c0, w_chunk = time.process_time(), 0.0
        for k in range(written, min(size, written + chunk), BATCH):
            items = [(*_varied(base, i), None, None) for i in range(k, min(size, written + chunk, k + BATCH))]
            w0 = time.perf_counter()
            store_many(db, items)
            w_chunk += time.perf_counter() - w0
        n = min(size, written + chunk) - written
        written += n
        store_wall += w_chunk
        store_cpu += time.process_time() - c0
        curve.append({"articles": written, "store_per_s": n / w_chunk, "store_ms": 1000 * w_chunk / n})
        if time.perf_counter() - t_start > budget and written < size:
            stopped = True
            break
    w0 = time.perf_counter()
    refresh_leaders(db)     # as every build and crawl does at its end
    refresh_s = time.perf_counter() - w0
    checkpoint(db)
    build_s = time.perf_counter() - t_start
    disk = sum(Path(str(db_path) + s).stat().st_size for s in ("", "-wal", "-shm") if Path(str(db_path) + s).exists())
    db.conn.close()

    rdb = open_db(db_path, create=False)
    counts = {t: rdb.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "cluster_years", "events", "event_sources", "official_mentions")}
    groups = len(queries.leaders(rdb))
    lead = _latency(lambda: queries.leaders(rdb), query_runs, query_budget)
    lead_year = _latency(lambda: queries.leaders(rdb, year=2023), query_runs, query_budget)
    search = {}
    for q, diacritics in SEARCHES:
        r = _latency(lambda q=q: queries.search(rdb, q), query_runs, query_budget / 3)
        r["hits_first_page"] = len(queries.search(rdb, q))
        r["diacritics"] = diacritics
        search[q] = r
    rdb.conn.close()
    w0 = time.perf_counter()
    cli = subprocess.run(thidua_exe() + ["leaders", "--db", str(db_path)], capture_output=True)
    cli_s = time.perf_counter() - w0
    w0 = time.perf_counter()
    subprocess.run(thidua_exe() + ["--help"], capture_output=True)
    cli_startup_s = time.perf_counter() - w0
    return {"requested": size, "articles": written, "stopped_at_budget": stopped, "budget_s": budget,
            "build_s": build_s, "refresh_leaders_s": refresh_s, "store_wall_s": store_wall, "store_cpu_s": store_cpu,
            "store_per_s": written / store_wall, "store_curve": curve, "disk_mb": disk / 2**20,
            "rows": counts, "leader_rows": groups, "leaders": lead, "leaders_year_2023": lead_year,
            "search": search, "cli_leaders_s": cli_s, "cli_leaders_exit": cli.returncode,
            "cli_startup_s": cli_startup_s, "peak_rss_mb": rss_mb()}


# ---------------------------------------------------------------- rebuild from the raw store
def rebuild(db_path: Path, size: int, workers: int) -> dict:
    import sqlite3

    from corpus_gen import html_sources, vary_html

    from crawl import rawstore
    from thidua.archive import open_db
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    raw = rawstore.default_raw_dir(db_path)
    if raw.exists():
        import shutil
        shutil.rmtree(raw)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    open_db(db_path).conn.close()
    # the crawl a rebuild starts from: every page in the raw store, its crawl_urls row done
    t0 = time.perf_counter()
    sources, rows, stamp = html_sources(), [], "2026-11-25T00:00:00+00:00"
    for i in range(size):
        src = sources[i % len(sources)]
        sha = rawstore.put(raw, vary_html(src.data, i).encode("utf-8"))
        rows.append((f"https://bench.invalid/{i:06d}-{src.name}", "bench", "article", "done", sha,
                     "text/html; charset=utf-8", stamp, stamp))
    con = sqlite3.connect(db_path)
    with con:
        con.executemany("INSERT INTO crawl_urls (url, site, kind, status, sha256, content_type, fetched_at, "
                        "discovered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.close()
    prep_s = time.perf_counter() - t0
    raw_mb = sum(f.stat().st_size for f in raw.rglob("*") if f.is_file()) / 2**20
    w0 = time.perf_counter()
    proc = subprocess.Popen(thidua_exe() + ["build", "--from-raw", "--db", str(db_path), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - w0
    err = proc.stderr.read().decode("utf-8", "replace")
    con = sqlite3.connect(db_path)
    stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    done = con.execute("SELECT count(*) FROM crawl_urls WHERE status = 'done'").fetchone()[0]
    con.close()
    disk = sum(Path(str(db_path) + s).stat().st_size for s in ("", "-wal", "-shm") if Path(str(db_path) + s).exists())
    cpu = ru.ru_utime + ru.ru_stime
    return {"pages": size, "workers": workers, "stored": stored, "done": done,
            "exit": os.waitstatus_to_exitcode(status), "prep_s": prep_s, "raw_mb": raw_mb, "wall_s": wall,
            "articles_per_s": size / wall, "minutes_per_100k": 100_000 / (size / wall) / 60, "cpu_s": cpu,
            "cpu_ms_per_article": 1000 * cpu / size, "peak_rss_mb": ru.ru_maxrss / 1024, "db_mb": disk / 2**20,
            "stderr_tail": err[-300:]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prep")
    p.add_argument("out", type=Path)
    p.add_argument("--variants", type=int, default=5)
    p = sub.add_parser("build")
    p.add_argument("dir", type=Path)
    p.add_argument("--workers", type=int, default=1)
    p = sub.add_parser("archive")
    p.add_argument("db", type=Path)
    p.add_argument("--size", type=int, default=100_000)
    p.add_argument("--extractions", type=Path, required=True)
    p.add_argument("--budget", type=float, default=900, help="seconds of writing before stopping (default 900)")
    p.add_argument("--query-runs", type=int, default=50)
    p.add_argument("--query-budget", type=float, default=60, help="seconds per query kind, after 5 runs")
    p = sub.add_parser("rebuild")
    p.add_argument("db", type=Path)
    p.add_argument("--size", type=int, default=100_000)
    p.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    if args.cmd == "prep":
        res = prep(args.out, args.variants)
    elif args.cmd == "build":
        res = build(args.dir, args.workers)
    elif args.cmd == "rebuild":
        res = rebuild(args.db, args.size, args.workers)
    else:
        res = archive(args.db, args.size, args.extractions, args.budget, args.query_runs, args.query_budget)
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
