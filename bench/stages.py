"""One benchmark stage in this process (bench/run.py starts each in a fresh subprocess, so the
peak RSS reported is the stage's own).

    python bench/stages.py read|parse|extract|write|ner DIR [--limit N] [--extractions FILE]

Inputs are files written by bench/run.py (varied copies of the corpora); reading them is not
timed except in ``read``. Each call is timed with time.process_time / perf_counter around the
measured function only. Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import pickle
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    def __init__(self) -> None:
        self.cpu = self.wall = 0.0
        self.n = 0

    def __call__(self, fn, *a, **kw):
        c0, w0 = time.process_time(), time.perf_counter()
        r = fn(*a, **kw)
        self.cpu += time.process_time() - c0
        self.wall += time.perf_counter() - w0
        self.n += 1
        return r


def _files(d: Path, suffix: str, limit: int | None) -> list[Path]:
    files = sorted(d.glob(f"*.{suffix}"))
    return files[:limit] if limit else files


def stage_read(d: Path, limit: int | None) -> Clock:
    clock = Clock()
    for p in _files(d, "txt", limit):
        clock(lambda: p.read_bytes().decode("utf-8"))
    return clock


def stage_parse(d: Path, limit: int | None) -> Clock:
    from crawl.parse import parse_page
    files = _files(d, "html", limit)
    parse_page(files[0].read_bytes(), url=None)        # import/compile everything before timing
    clock = Clock()
    for p in files:
        raw = p.read_bytes()
        clock(parse_page, raw, url=None)
    return clock


def stage_extract(d: Path, limit: int | None) -> Clock:
    from extract import extract_text
    files = _files(d, "txt", limit)
    # load every model before the clock (underthesea's NER is loaded lazily, on the first article
    # with a bare name candidate: ~3 s once per process)
    from underthesea import ner
    ner("Đồng chí Nguyễn Văn Hồng phát biểu.")
    extract_text("Cụm thi đua số 1 tổng kết năm 2023. Đồng chí Nguyễn Văn An phát biểu.")
    clock = Clock()
    for p in files:
        text = p.read_text(encoding="utf-8")
        clock(extract_text, text)
    return clock


def stage_ner(d: Path, limit: int | None) -> Clock:
    from underthesea import ner, sent_tokenize
    files = _files(d, "txt", limit)
    ner("Đồng chí Nguyễn Văn Hồng phát biểu.")

    def baseline(t: str) -> None:
        for s in sent_tokenize(t):
            ner(s)
    clock = Clock()
    for p in files:
        clock(baseline, p.read_text(encoding="utf-8"))
    return clock


def variant_extraction(base: list, i: int):
    """Article ``i`` for the archive: a precomputed extraction with a unique url and body."""
    import copy
    ex = base[i % len(base)]
    art = copy.copy(ex.article)
    art.url = f"{ex.article.url}#bench-{i}"
    return art, ex.facts, ex.body + f" Mã tin lưu trữ số {i}."


def stage_write(n: int, extractions: Path, batch: int) -> Clock:
    """store_many() of ``batch`` articles per call (a build's batches; 1: a crawl's one per transaction)."""
    from thidua.archive import checkpoint, open_db, store_many
    base = pickle.loads(extractions.read_bytes())
    tmp = Path(tempfile.mkdtemp(prefix="bench-write-"))
    db = open_db(tmp / "write.db")
    clock = Clock()
    for k in range(0, n, batch):
        items = [(*variant_extraction(base, i), None, None) for i in range(k, min(n, k + batch))]
        clock(store_many, db, items)
    clock.n = n
    checkpoint(db)
    db.conn.close()
    for f in tmp.iterdir():
        f.unlink()
    tmp.rmdir()
    return clock


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=["read", "parse", "extract", "write", "ner"])
    ap.add_argument("dir", type=Path, help="dataset folder (txt/, html/)")
    ap.add_argument("--limit", type=int, default=None, help="first N files only")
    ap.add_argument("--n", type=int, default=None, help="write: articles to store")
    ap.add_argument("--extractions", type=Path, default=None, help="write: pickled precomputed extractions")
    ap.add_argument("--batch", type=int, default=None, help="write: articles per transaction (default: a build's)")
    args = ap.parse_args(argv)
    rss0 = rss_mb()
    if args.stage == "read":
        clock = stage_read(args.dir / "txt", args.limit)
    elif args.stage == "parse":
        clock = stage_parse(args.dir / "html", args.limit)
    elif args.stage == "extract":
        clock = stage_extract(args.dir / "txt", args.limit)
    elif args.stage == "ner":
        clock = stage_ner(args.dir / "txt", args.limit)
    else:
        from thidua.pipeline import BATCH
        clock = stage_write(args.n, args.extractions, args.batch or BATCH)
    print(json.dumps({"stage": args.stage, "articles": clock.n, "cpu_s": clock.cpu, "wall_s": clock.wall,
                      "articles_per_s": clock.n / clock.wall if clock.wall else None,
                      "articles_per_cpu_s": clock.n / clock.cpu if clock.cpu else None,
                      "cpu_ms_per_article": 1000 * clock.cpu / clock.n if clock.n else None,
                      "peak_rss_mb": rss_mb(), "start_rss_mb": rss0}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
