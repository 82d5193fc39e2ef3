"""The command line: help that explains, the demo, machine-readable output."""
from __future__ import annotations

import csv
import io
import json

import pytest

from thidua.cli import cli


@pytest.mark.parametrize("command", ["extract", "build", "leaders", "members", "search", "eval", "demo", "crawl", "serve", "official", "awards", "slogans"])
def test_every_command_has_help(runner, command):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output and len(result.output) > 200


def test_archive_commands_take_db(runner):
    for command in ("build", "leaders", "members", "search", "crawl", "serve", "official", "awards", "slogans"):
        assert "--db" in runner.invoke(cli, [command, "--help"]).output


def test_demo_builds_the_bundled_corpus_and_prints_the_leaders_table(runner, tmp_path):
    result = runner.invoke(cli, ["demo", "--db", str(tmp_path / "demo.db")])
    assert result.exit_code == 0, result.output
    assert "leader_unit" in result.stdout
    assert any("Đồng Tháp" in line and line.split()[:2] == ["cum", "10"] for line in result.stdout.splitlines())


def test_leaders_as_csv_and_json_agree(runner, demo_db):
    as_json = json.loads(runner.invoke(cli, ["leaders", "--db", str(demo_db), "--json"]).stdout)
    as_csv = list(csv.DictReader(io.StringIO(runner.invoke(cli, ["leaders", "--db", str(demo_db), "--csv"]).stdout)))
    assert len(as_json) == len(as_csv) > 0
    assert [r["leader_unit"] or "" for r in as_json] == [r["leader_unit"] for r in as_csv]


def test_reading_a_missing_archive_says_how_to_make_one(runner, tmp_path):
    result = runner.invoke(cli, ["leaders", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code != 0
    assert "thidua build" in result.output


def test_official_awards_and_slogans_answer_from_the_archive_with_evidence(runner, demo_db):
    rows = json.loads(runner.invoke(cli, ["official", "Nguyễn Văn Hồng", "--db", str(demo_db), "--json"]).stdout)
    assert rows and all(r["name"] == "Nguyễn Văn Hồng" for r in rows)
    assert any(r["cluster_role"] == "leader" and r["unit"] == "Đồng Tháp" for r in rows)
    assert all(r["evidence"] == "Nguyễn Văn Hồng" for r in rows)
    got = json.loads(runner.invoke(cli, ["awards", "--db", str(demo_db), "--year", "2023", "--json"]).stdout)
    assert "Cờ thi đua của Chính phủ" in {r["award"] for r in got} and {r["year"] for r in got} == {2023}
    sl = list(csv.DictReader(io.StringIO(runner.invoke(cli, ["slogans", "--db", str(demo_db), "--csv"]).stdout)))
    assert any(r["slogan"] == "Công minh, chính trực, khách quan, thận trọng, khiêm tốn" for r in sl)
