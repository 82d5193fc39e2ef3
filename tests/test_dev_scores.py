"""The extractor's quality on the gold corpus can only go up; `thidua eval` agrees with score.py."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from thidua.cli import cli

# F1 per field on ../shared/corpus, measured; raise these when the extractor improves.
FLOOR = {
    "event_type": 0.99, "event_date": 0.99, "event_host": 0.96, "clusters": 0.99, "roles": 0.99,
    "members": 0.99, "officials": 0.99, "titles": 0.99, "slogans": 0.99, "awards": 0.99,
    "dates": 0.99, "provinces": 0.99,
}


def _eval_json(runner, gold_dir, *extra) -> dict:
    result = runner.invoke(cli, ["eval", str(gold_dir), "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_dev_set_scores_do_not_fall_below_the_pinned_floor(runner, gold_dir):
    scores = _eval_json(runner, gold_dir)["fields"]
    low = {f: round(scores[f]["f1"], 3) for f, floor in FLOOR.items() if scores[f]["f1"] < floor}
    assert not low, f"fields below their floor: {low}"


# F1 per field on five more sets annotated apart from the rules (blind first measurements, macro F1:
# tests/heldout 0.907, tests/heldout2 0.916, tests/heldout3 0.957, tests/heldout4 0.939, tests/heldout5
# 0.925), then used to generalise the rules; pinned so they can only go up.
OTHER_SETS = {
    "heldout": {"event_type": 0.99, "event_date": 0.99, "event_host": 0.99, "clusters": 0.99, "roles": 0.98,
                "members": 0.98, "officials": 0.99, "titles": 0.99, "slogans": 0.99, "awards": 0.99,
                "dates": 0.99, "provinces": 0.99},
    "heldout2": {"event_type": 0.92, "event_date": 0.98, "event_host": 0.93, "clusters": 0.96, "roles": 0.88,
                 "members": 0.96, "officials": 0.99, "titles": 0.98, "slogans": 0.99, "awards": 0.99,
                 "dates": 0.99, "provinces": 0.99},
    "heldout3": {"event_type": 0.94, "event_date": 0.99, "event_host": 0.99, "clusters": 0.92, "roles": 0.97,
                 "members": 0.90, "officials": 0.99, "titles": 0.98, "slogans": 0.99, "awards": 0.98,
                 "dates": 0.99, "provinces": 0.99},
    "heldout5": {"event_type": 0.83, "event_date": 0.94, "event_host": 0.89, "clusters": 0.98, "roles": 0.96,
                 "members": 0.92, "officials": 0.99, "titles": 0.98, "slogans": 0.99, "awards": 0.99,
                 "dates": 0.96, "provinces": 0.99},
    "heldout4": {"event_type": 0.94, "event_date": 0.99, "event_host": 0.94, "clusters": 0.99, "roles": 0.97,
                 "members": 0.98, "officials": 0.98, "titles": 0.98, "slogans": 0.99, "awards": 0.99,
                 "dates": 0.99, "provinces": 0.99},
}


@pytest.mark.parametrize("name", sorted(OTHER_SETS))
def test_other_annotated_sets_do_not_fall_below_the_pinned_floor(runner, name):
    from pathlib import Path
    scores = _eval_json(runner, Path(__file__).resolve().parent / name)["fields"]
    low = {f: round(scores[f]["f1"], 3) for f, floor in OTHER_SETS[name].items() if scores[f]["f1"] < floor}
    assert not low, f"fields below their floor: {low}"


def test_thidua_eval_matches_the_shared_scorer_on_the_same_predictions(runner, gold_dir, tmp_path):
    paths = sorted(str(p) for p in (gold_dir / "texts").glob("*.txt"))
    pred = tmp_path / "pred.jsonl"
    pred.write_text(runner.invoke(cli, ["extract", *paths]).stdout, encoding="utf-8")
    ours = _eval_json(runner, gold_dir, "--pred", str(pred))
    scorer = gold_dir.parent / "eval" / "score.py"
    theirs = json.loads(subprocess.run([sys.executable, str(scorer), str(pred), str(gold_dir), "--json"],
                                       capture_output=True, text=True, check=True).stdout)
    for field, v in theirs["fields"].items():
        for k in ("p", "r", "f1"):
            assert abs(ours["fields"][field][k] - v[k]) < 1e-9, (field, k, ours["fields"][field][k], v[k])


def test_eval_lists_misses_so_a_user_can_see_what_went_wrong(runner, gold_dir, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text(json.dumps({"source": "seed-000.txt"}) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["eval", str(gold_dir), "--pred", str(empty)])
    assert result.exit_code == 0
    assert "seed-000: missed official: Nguyễn Văn Hồng" in result.stdout
