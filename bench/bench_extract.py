"""Extraction throughput on the gold corpus, against underthesea's NER on every sentence.

    python bench/bench_extract.py [--repeat N] [--json]

Runs thidua's extractor over ../shared/corpus/texts (and the bundled corpus/ pages) N times,
timing CPU and wall clock per article, then the baseline: underthesea ``ner()`` applied to every
sentence of the same texts (what an NER-first extractor would pay). Models are loaded before the
clock starts in both cases. Reports articles/s per core and the ratio.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _texts() -> list[str]:
    from thidua.pipeline import article_body, read_source
    texts = []
    gold = ROOT.parent / "shared" / "corpus" / "texts"
    texts += [p.read_text(encoding="utf-8") for p in sorted(gold.glob("*.txt"))]
    texts += [article_body(read_source(p)[0]) for p in sorted((ROOT / "corpus").glob("*.html"))]
    return texts


def _clock(fn, items) -> tuple[float, float]:
    c0, w0 = time.process_time(), time.perf_counter()
    for x in items:
        fn(x)
    return time.process_time() - c0, time.perf_counter() - w0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="passes over the texts for thidua (default 5)")
    ap.add_argument("--baseline-repeat", type=int, default=1, help="passes for the NER baseline (default 1)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)

    from extract import extract_text
    from underthesea import ner, sent_tokenize

    texts = _texts()
    extract_text(texts[0])          # load models and compile rules before timing
    ner("Đồng chí Nguyễn Văn Hồng phát biểu.")
    # vary the text a little each pass so no cache can serve a repeat
    items = [t + "\n" + "." * i for i in range(args.repeat) for t in texts]
    cpu, wall = _clock(extract_text, items)
    n = len(items)

    def baseline(t: str) -> None:
        for s in sent_tokenize(t):
            ner(s)
    b_items = texts * args.baseline_repeat
    b_cpu, b_wall = _clock(baseline, b_items)

    res = {
        "articles": n,
        "thidua_articles_per_cpu_s": n / cpu,
        "thidua_wall_s": wall,
        "thidua_cpu_ms_per_article": 1000 * cpu / n,
        "baseline_articles": len(b_items),
        "baseline_articles_per_cpu_s": len(b_items) / b_cpu,
        "baseline_cpu_ms_per_article": 1000 * b_cpu / len(b_items),
        "speedup_vs_ner_baseline": (n / cpu) / (len(b_items) / b_cpu),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "goal_articles_per_cpu_s": 100,
    }
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        print(f"{'run':28} {'articles':>8} {'art/s/core':>11} {'ms/article':>11}")
        print(f"{'thidua extract':28} {n:8d} {res['thidua_articles_per_cpu_s']:11.1f} {res['thidua_cpu_ms_per_article']:11.2f}")
        print(f"{'underthesea ner() baseline':28} {len(b_items):8d} {res['baseline_articles_per_cpu_s']:11.1f} "
              f"{res['baseline_cpu_ms_per_article']:11.2f}")
        print(f"speed-up over the baseline: {res['speedup_vs_ner_baseline']:.0f}x; goal >= 100 articles/s per core: "
              f"{'met' if res['thidua_articles_per_cpu_s'] >= 100 else 'MISSED'}; peak RSS {res['peak_rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
