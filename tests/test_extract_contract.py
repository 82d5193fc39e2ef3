"""`thidua extract --format jsonl` keeps the contract outside evaluators rely on."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from thidua.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schemas" / "article_facts.schema.json").read_text(encoding="utf-8"))
KEYS = {"event", "clusters", "officials", "slogans", "awards", "dates", "provinces"}


def _records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_every_gold_text_gives_one_schema_valid_record_in_input_order(runner, gold_dir):
    paths = sorted(str(p) for p in (gold_dir / "texts").glob("*.txt"))
    result = runner.invoke(cli, ["extract", *paths, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    recs = _records(result.stdout)
    assert [r["source"] for r in recs] == paths
    for r in recs:
        jsonschema.validate(r, SCHEMA)
        assert KEYS <= r.keys()


def test_html_pages_are_parsed_before_extraction(runner):
    pages = sorted(str(p) for p in (ROOT / "corpus").glob("*.html"))
    result = runner.invoke(cli, ["extract", *pages, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    for r in _records(result.stdout):
        jsonschema.validate(r, SCHEMA)
        assert r["title"], r["source"]
        # page furniture never reaches the facts
        assert not any("Bình luận" in (o["title"] or "") for o in r["officials"])


def test_unreadable_file_gets_error_record_and_nonzero_exit_but_others_still_processed(runner, tmp_path, gold_dir):
    good = str(next((gold_dir / "texts").glob("*.txt")))
    binary = tmp_path / "junk.txt"
    binary.write_bytes(b"\x00\x01\x02 not text")
    missing = str(tmp_path / "missing.txt")
    result = runner.invoke(cli, ["extract", missing, str(binary), good, "--format", "jsonl"])
    assert result.exit_code == 1
    recs = _records(result.stdout)
    assert [r["source"] for r in recs] == [missing, str(binary), good]
    assert "error" in recs[0] and "no such file" in recs[0]["error"]
    assert "error" in recs[1]
    assert "error" not in recs[2]
    for r in recs:
        jsonschema.validate(r, SCHEMA)
    assert "missing.txt" in result.stderr


def test_evidence_spans_point_at_the_text_they_came_from(gold_dir):
    from crawl.article import Article
    from thidua.pipeline import extract_article
    text = (gold_dir / "texts" / "seed-000.txt").read_text(encoding="utf-8")
    ex = extract_article(Article(url="file:x", paragraphs=[text]))
    ev = ex.facts.evidence()
    spans = [d["span"] for k in ("slogans", "awards", "dates", "provinces", "officials") for d in ev[k]]
    assert spans, "no evidence at all"
    for s in spans:
        assert ex.body[s["start"]:s["end"]] == s["text"]
    for o in ev["officials"]:
        assert o["span"]["text"] == o["name"]


def test_installed_console_script_runs_the_same_contract(gold_dir):
    exe = Path(sys.executable).parent / "thidua"
    if not exe.exists():
        pytest.fail("the thidua console script is not installed in this environment")
    path = str(gold_dir / "texts" / "seed-004.txt")
    out = subprocess.run([str(exe), "extract", path], capture_output=True, text=True, check=True).stdout
    rec = _records(out)[0]
    jsonschema.validate(rec, SCHEMA)
    assert rec["source"] == path


def test_bundled_pages_give_the_hand_made_clusters_roles_and_events(expected):
    from thidua.pipeline import extract_article, read_source
    problems = []
    for page in expected:
        article, _ = read_source(ROOT / "corpus" / page["file"])
        rec = extract_article(article).facts.to_record()
        got = {(c["kind"], c["number"], c["year"]): (c["leader"], c["deputy"]) for c in rec["clusters"]}
        want = {(c["kind"], c["number"], c["year"]): (c.get("leader"), c.get("deputy")) for c in page["clusters"]}
        if got != want:
            problems.append((page["file"], "clusters", got, want))
        ev = rec["event"] or {}
        wev = page.get("event") or {}
        if (ev.get("type"), ev.get("date")) != (wev.get("type"), wev.get("date")):
            problems.append((page["file"], "event", ev, wev))
    assert not problems, problems
