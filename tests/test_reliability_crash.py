"""Crash safety: `thidua crawl` and `thidua build` (real subprocesses) killed with SIGKILL at random
moments, then restarted: the archive passes PRAGMA integrity_check, no article is lost or stored
twice, no fact is orphaned. bench/soak.py runs the same check over 50+ trials; here a few.
"""
from __future__ import annotations

import importlib.util
import random
import sqlite3
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("thidua_soak", ROOT / "bench" / "soak.py")
soak = importlib.util.module_from_spec(_spec)
sys.modules["thidua_soak"] = soak  # dataclasses look their module up
_spec.loader.exec_module(soak)


def test_crawl_and_build_killed_at_random_moments_leave_a_correct_archive(tmp_path):
    """Two trials (crawl, then build) on one archive, each SIGKILLed once and restarted."""
    # enough work that each command is still fetching, extracting and storing when the kill lands,
    # however fast the machine (start-up takes about a second)
    s = soak.Soak(tmp_path, seed=20240601, crawl_new=60, build_files=150)
    s.duration = {"crawl": 3.0, "build": 3.0}
    s.rng = FixedDelays([2.0, 2.2])
    try:
        s.run(2)
    finally:
        s.close()
    for t in s.trials:
        assert t.restart_rc == 0, t.restart_output
        assert t.check.ok, (t.kind, t.delay, t.check)
    assert all(t.killed for t in s.trials), "the kills must land while the commands run"


class FixedDelays(random.Random):
    """Kill delays from a list (the soak draws them at random; a test wants them reproducible)."""

    def __init__(self, delays):
        super().__init__(0)
        self.delays = list(delays)

    def uniform(self, a, b):
        return self.delays.pop(0)


def test_build_with_workers_killed_while_storing_loses_nothing_on_restart(tmp_path):
    folder = tmp_path / "pages"
    urls = soak.write_build_folder(folder, 1, 300)  # several seconds of work: the kill lands mid-build
    db = tmp_path / "a.db"
    args = soak.build_args(db, [folder], 2)
    assert soak.run_and_kill(args, 2.0)
    rc, out, _ = soak.run_to_end(args)
    assert rc == 0, out
    check = soak.check_archive(db, urls)
    assert check.ok, check


def test_the_checker_finds_what_it_is_meant_to_find(tmp_path):
    """bench/soak.py's checks are not vacuous: orphans, duplicates and losses are all reported."""
    folder = tmp_path / "pages"
    urls = soak.write_build_folder(folder, 1, 4)
    db = tmp_path / "a.db"
    rc, out, _ = soak.run_to_end(soak.build_args(db, [folder], 1))
    assert rc == 0, out
    assert soak.check_archive(db, urls).ok
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("INSERT INTO date_mentions(article_id, date) VALUES (9999, '2023-01-01')")
    con.execute("INSERT INTO events(event_key) VALUES ('lonely')")
    con.execute("INSERT INTO articles_fts(rowid, title, body) VALUES (4242, 'x', 'x')")
    con.commit()
    con.close()
    check = soak.check_archive(db, urls | {"https://kiemsat.vn/never.html"})
    assert any("date_mentions" in o for o in check.orphans)
    assert any("event(s) without a source" in o for o in check.orphans)
    assert any("articles_fts" in d for d in check.duplicated)
    assert any("articles_fts" in o for o in check.orphans)
    assert any("articles_fts integrity-check" in i for i in check.integrity)
    assert check.lost == ["not archived: https://kiemsat.vn/never.html"]
