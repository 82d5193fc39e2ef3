"""thidua's benchmark suite: every stage, the whole pipeline, the archive at 100k, the crawler.

    python bench/run.py                         # sizes 1000,10000, archive 100000
    python bench/run.py --quick                 # smoke run, about 1-2 minutes
    python bench/run.py --sizes 1000 --archive-size 20000 --json bench.json

What it measures (each stage in a fresh subprocess, so peak RSS is that stage's own):
  * inputs: the bundled pages (corpus/*.html) and the gold texts (../shared/corpus/texts) plus the
    bodies of the pages, replicated to each size as varied copies (bench/corpus_gen.py: permuted
    paragraphs, shifted dates, rotated family names, a unique sentence, unique URLs);
  * stages: read (plain read of the texts: the floor), HTML parse (crawl.parse.parse_page),
    extraction (extract.extract_text), archive write (thidua.archive.store_many of precomputed
    extractions into a fresh file, in the batches a build writes; and one article per transaction,
    as a crawl writes) -- articles/s, CPU ms per article, peak RSS;
  * baseline: underthesea ner() on every sentence, on a sample;
  * pipeline: `thidua build DIR --workers 1|2` over the replicated files;
  * archive: ARCHIVE_SIZE articles written through store_many(), size on disk, queries.leaders and
    queries.search p50/p95, `thidua leaders` end to end (bench/bench_scale.py);
  * rebuild: a crawled archive of REBUILD_SIZE pages in a raw store, then `thidua build --from-raw
    --workers 2` on it, timed end to end (bench/bench_scale.py rebuild);
  * crawl: bench/bench_crawl.py against the local fixture server, delay 0;
  * goals, met or missed.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

GOALS = {
    "extract_per_core": 100,        # articles/s per core
    "write_per_s": 2000,            # articles/s
    "rebuild_100k_min": 30,         # minutes on 2 cores
    "leaders_ms": 10,               # at 100k articles
    "peak_rss_mb": 1024,
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def child(args: list[str], timeout: float | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def stage(name: str, data: Path, **kw) -> dict:
    args = [str(HERE / "stages.py"), name, str(data)]
    for k, v in kw.items():
        if v is not None:
            args += [f"--{k}", str(v)]
    return child(args)


def make_dataset(root: Path, n: int) -> Path:
    from corpus_gen import html_sources, text_sources, variant, write_dataset
    d = root / f"data-{n}"
    texts, pages = text_sources(), html_sources()
    write_dataset(d / "txt", n, texts, "txt")
    write_dataset(d / "html", n, pages, "html")
    # the pipeline's input: the mix a build would see (gold texts as .txt, pages as .html)
    mixed = [s for s in texts if s.name.startswith(("r", "seed"))] + pages
    (d / "mixed").mkdir()
    for i in range(n):
        s = mixed[i % len(mixed)]
        (d / "mixed" / f"{i:06d}-{s.name}.{s.kind}").write_text(variant(s, i), encoding="utf-8")
    return d


def fmt(x, spec: str = ".1f") -> str:
    return "-" if x is None else format(x, spec)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=None, help="articles per stage run, comma-separated (default 1000,10000)")
    ap.add_argument("--archive-size", type=int, default=None, help="articles in the archive test (default 100000)")
    ap.add_argument("--archive-budget", type=float, default=None,
                    help="seconds of archive writing before stopping at the size reached (default 1200)")
    ap.add_argument("--rebuild-size", type=int, default=None,
                    help="pages in the raw store for `build --from-raw --workers 2` (default 100000)")
    ap.add_argument("--ner-sample", type=int, default=None, help="articles for the NER baseline (default 50)")
    ap.add_argument("--crawl-articles", type=int, default=None, help="fixture-site articles to crawl (default 300)")
    ap.add_argument("--workers", default="1,2", help="worker counts for `thidua build` (default 1,2)")
    ap.add_argument("--quick", action="store_true", help="small sizes for a smoke run (~1-2 minutes)")
    ap.add_argument("--json", type=Path, default=None, help="write every figure to this JSON file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    ap.add_argument("--report", type=Path, default=None, help="only print the table of an earlier --json file")
    args = ap.parse_args(argv)
    if args.report:
        res = json.loads(args.report.read_text(encoding="utf-8"))
        evaluate(res, res.get("archive", {}).get("requested", 100_000))
        report(res)
        return 0
    q = args.quick
    sizes = [int(s) for s in (args.sizes or ("200" if q else "1000,10000")).split(",")]
    archive_size = args.archive_size or (5000 if q else 100_000)
    archive_budget = args.archive_budget or (60 if q else 1200)
    rebuild_size = args.rebuild_size or (300 if q else 100_000)
    ner_sample = args.ner_sample or (8 if q else 50)
    crawl_articles = args.crawl_articles or (60 if q else 300)
    workers = [int(w) for w in args.workers.split(",")]

    t_suite = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    res: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                             "platform": platform.platform(), "loadavg_start": os.getloadavg()},
                 "command": " ".join([Path(sys.executable).name, "bench/run.py", *(argv if argv is not None else sys.argv[1:])]),
                 "sizes": sizes, "stages": {}, "build": {}, "goals": {}}
    try:
        log("preparing extractions for the write stage and the archive ...")
        ex_file = tmp / "extractions.pkl"
        res["prep"] = child([str(HERE / "bench_scale.py"), "prep", str(ex_file), "--variants", "2" if q else "5"])
        for n in sizes:
            log(f"[{n}] writing {n} varied texts, pages and build inputs ...")
            d = make_dataset(tmp, n)
            st = res["stages"][str(n)] = {}
            for name in ("read", "parse", "extract"):
                log(f"[{n}] stage {name} ...")
                st[name] = stage(name, d)
            log(f"[{n}] stage write ...")
            st["write"] = stage("write", d, n=n, extractions=ex_file)
            log(f"[{n}] stage write, one article per transaction ...")
            st["write1"] = stage("write", d, n=min(n, 2000), extractions=ex_file, batch=1)
            b = res["build"][str(n)] = {}
            for w in workers:
                log(f"[{n}] thidua build --workers {w} ...")
                b[str(w)] = child([str(HERE / "bench_scale.py"), "build", str(d / "mixed"), "--workers", str(w)])
            if not args.keep:
                shutil.rmtree(d)
        log(f"NER baseline on {ner_sample} articles ...")
        d = make_dataset(tmp, ner_sample)
        res["ner_baseline"] = stage("ner", d)
        res["ner_baseline_read"] = stage("read", d)
        log(f"archive of {archive_size} articles (budget {archive_budget:.0f} s of writing) ...")
        res["archive"] = child([str(HERE / "bench_scale.py"), "archive", str(tmp / "archive.db"), "--size",
                                str(archive_size), "--extractions", str(ex_file), "--budget", str(archive_budget),
                                "--query-budget", "10" if q else "60"])
        log(f"rebuild from a raw store of {rebuild_size} pages, 2 workers ...")
        res["rebuild"] = child([str(HERE / "bench_scale.py"), "rebuild", str(tmp / "rebuild.db"), "--size",
                                str(rebuild_size), "--workers", "2"])
        log(f"crawl of {crawl_articles} fixture articles ...")
        r = subprocess.run([sys.executable, str(HERE / "bench_crawl.py"), "--articles", str(crawl_articles), "--json"],
                           capture_output=True, text=True, cwd=ROOT,
                           env=dict(os.environ, PYTHONPATH=str(ROOT)))
        res["crawl"] = json.loads(r.stdout) if r.returncode == 0 else {"error": r.stderr[-1000:]}
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            log(f"kept {tmp}")
    res["suite_wall_s"] = time.perf_counter() - t_suite
    res["machine"]["loadavg_end"] = os.getloadavg()
    if args.json:   # the raw figures first, so a failing report loses nothing
        args.json.write_text(json.dumps(res, indent=2, ensure_ascii=False), encoding="utf-8")
    evaluate(res, archive_size)
    report(res)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2, ensure_ascii=False), encoding="utf-8")
        log(f"wrote {args.json}")
    return 0


def evaluate(res: dict, archive_size: int) -> None:
    big = str(max(res["sizes"]))
    st = res["stages"][big]
    g = res["goals"]
    per_core = st["extract"]["articles_per_cpu_s"]
    g["extraction >= 100 articles/s per core"] = {"value": per_core, "met": per_core >= GOALS["extract_per_core"],
                                                  "at": f"{big} articles"}
    w = st["write"]["articles_per_s"]
    g["archive write >= 2,000 articles/s"] = {"value": w, "met": w >= GOALS["write_per_s"],
                                              "at": f"{big} articles into a fresh file"}
    a = res["archive"]
    r = res["rebuild"]
    g["100k rebuild from the raw store < 30 min on 2 cores"] = {
        "value": r["minutes_per_100k"], "met": r["exit"] == 0 and r["minutes_per_100k"] < GOALS["rebuild_100k_min"],
        "at": f"`thidua build --from-raw --workers 2` of {r['pages']} pages" +
              ("" if r["pages"] >= 100_000 else ", scaled to 100k")}
    lat = a["leaders"]["p95_ms"]
    g["thidua leaders < 10 ms at 100k (p95)"] = {"value": lat, "met": lat < GOALS["leaders_ms"],
                                                 "at": f"{a['articles']} articles"}
    peaks = [s["peak_rss_mb"] for size in res["stages"].values() for s in size.values()]
    peaks += [b["peak_rss_mb"] for size in res["build"].values() for b in size.values()]
    peaks += [a["peak_rss_mb"], r["peak_rss_mb"], res["ner_baseline"]["peak_rss_mb"]]
    g["peak memory < 1 GB at any size"] = {"value": max(peaks), "met": max(peaks) < GOALS["peak_rss_mb"]}


def report(res: dict) -> None:
    out = []
    p = out.append
    p(f"thidua benchmarks — {res['machine']['cpus']} CPUs, Python {res['machine']['python']}; "
      f"suite {res['suite_wall_s'] / 60:.1f} min" +
      (f"; load average {res['machine']['loadavg_start'][0]:.1f} at start, {res['machine']['loadavg_end'][0]:.1f} at end"
       if "loadavg_end" in res["machine"] else ""))
    if res["machine"].get("loadavg_end", [0])[0] > res["machine"]["cpus"]:
        p("  note: other processes were competing for the CPUs; wall-clock rates are pessimistic, CPU ms/article less so")
    p("")
    p(f"{'stage':34} {'articles':>8} {'art/s':>9} {'art/CPU-s':>10} {'CPU ms/art':>11} {'peak RSS MB':>12}")
    for n, st in res["stages"].items():
        for name, label in (("read", "read texts (floor)"), ("parse", "HTML parse (parse_page)"),
                            ("extract", "extraction (extract_text)"), ("write", "archive write (store_many)"),
                            ("write1", "archive write, 1 per transaction")):
            s = st.get(name)
            if s is None:       # a report of an older run
                continue
            p(f"{label + ' @' + n:34} {s['articles']:8d} {fmt(s['articles_per_s']):>9} "
              f"{fmt(s['articles_per_cpu_s']):>10} {fmt(s['cpu_ms_per_article'], '.3f'):>11} {fmt(s['peak_rss_mb'], '.0f'):>12}")
        for w, b in res["build"][n].items():
            p(f"{'thidua build --workers ' + w + ' @' + n:34} {b['files']:8d} {fmt(b['articles_per_s']):>9} "
              f"{'':>10} {fmt(b['cpu_ms_per_article'], '.3f'):>11} {fmt(b['peak_rss_mb'], '.0f'):>12}")
    nb = res["ner_baseline"]
    p(f"{'underthesea ner() baseline':34} {nb['articles']:8d} {fmt(nb['articles_per_s']):>9} "
      f"{fmt(nb['articles_per_cpu_s']):>10} {fmt(nb['cpu_ms_per_article'], '.3f'):>11} {fmt(nb['peak_rss_mb'], '.0f'):>12}")
    big = str(max(res["sizes"]))
    st = res["stages"][big]
    ex = st["extract"]["cpu_ms_per_article"]
    p("")
    p(f"ratios @{big}: extraction is {nb['cpu_ms_per_article'] / ex:.0f}x faster than the NER baseline "
      f"(CPU per article) and {ex / st['read']['cpu_ms_per_article']:.0f}x the plain-read floor; "
      f"parse+extract+write {(st['parse']['cpu_ms_per_article'] + ex + st['write']['cpu_ms_per_article']):.1f} ms/article "
      f"= {(st['parse']['cpu_ms_per_article'] + ex + st['write']['cpu_ms_per_article']) / st['read']['cpu_ms_per_article']:.0f}x the floor, "
      f"{nb['cpu_ms_per_article'] / (st['parse']['cpu_ms_per_article'] + ex + st['write']['cpu_ms_per_article']):.0f}x faster than NER alone")
    a = res["archive"]
    p("")
    stop = f" (stopped at the {a['budget_s']:.0f} s budget, {a['requested']} requested)" if a["stopped_at_budget"] else ""
    p(f"archive: {a['articles']} articles{stop}: built in {a['build_s']:.0f} s "
      f"({a['store_per_s']:.0f} articles/s through store_many overall), {a['disk_mb']:.0f} MB on disk, {a['leader_rows']} leader rows")
    if "refresh_leaders_s" in a:
        p(f"  refresh_leaders() at the end (copy of the cluster_leaders view, as build and crawl do): "
          f"{a['refresh_leaders_s']:.2f} s")
    curve = a["store_curve"]
    pts = [curve[0]] + curve[len(curve) // 2:len(curve) // 2 + 1] + [curve[-1]]
    p("  write time per article as the archive grows: " +
      ", ".join(f"{c['store_ms']:.2f} ms @{c['articles']}" for c in pts))
    p(f"  queries.leaders():           p50 {a['leaders']['p50_ms']:.1f} ms  p95 {a['leaders']['p95_ms']:.1f} ms  ({a['leaders']['runs']} runs)")
    p(f"  queries.leaders(year=2023):  p50 {a['leaders_year_2023']['p50_ms']:.1f} ms  p95 {a['leaders_year_2023']['p95_ms']:.1f} ms  ({a['leaders_year_2023']['runs']} runs)")
    p(f"  `thidua leaders` end to end: {1000 * a['cli_leaders_s']:.0f} ms (of which ~{1000 * a['cli_startup_s']:.0f} ms "
      f"is `thidua --help`, i.e. interpreter + imports)")
    for qtext, r in a["search"].items():
        p(f"  search {qtext!r:22} {'diacritics' if r['diacritics'] else 'folded':10}  p50 {r['p50_ms']:.1f} ms  "
          f"p95 {r['p95_ms']:.1f} ms  ({r['runs']} runs, {r['hits_first_page']} hits on page 1)")
    r = res.get("rebuild")
    if r:
        p("")
        p(f"rebuild: `thidua build --from-raw --workers {r['workers']}` of {r['pages']} pages ({r['raw_mb']:.0f} MB raw store, "
          f"made in {r['prep_s']:.0f} s): {r['wall_s'] / 60:.1f} min, {r['articles_per_s']:.1f} articles/s, "
          f"{r['cpu_ms_per_article']:.1f} CPU ms/article (all processes), peak RSS {r['peak_rss_mb']:.0f} MB, "
          f"{r['stored']} stored, {r['db_mb']:.0f} MB archive")
    p("")
    if isinstance(res.get("crawl"), list):
        p("crawl (fixture server, delay 0):")
        for c in res["crawl"]:
            p(f"  {c['mode']:7} {c['articles']:5d} pages  {c['articles_per_s']:7.1f} pages/s  "
              f"{c['cpu_ms_per_article']:6.2f} CPU ms/page  ({c['requests']} requests)")
    else:
        p(f"crawl: failed: {res.get('crawl')}")
    p("")
    p("goals:")
    for name, g in res["goals"].items():
        extra = ""
        at = f" (measured at {g['at']})" if g.get("at") else ""
        p(f"  {'met   ' if g['met'] else 'MISSED'} {name}: {g['value']:.1f}{extra}{at}")
    print("\n".join(out))
    res["table"] = "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
