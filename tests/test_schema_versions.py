"""The archive records its schema version; released versions are migrated, newer ones refused."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from thidua import archive, queries
from thidua.cli import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# every released schema version, with an archive written by that release
RELEASED = {1: FIXTURES / "archive-v1.db", 2: FIXTURES / "archive-v2.db", 3: FIXTURES / "archive-v3.db"}


def _version(path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize("version", sorted(RELEASED))
def test_an_archive_of_every_released_version_opens_at_the_current_version_and_answers(runner, tmp_path, version):
    path = tmp_path / "old.db"
    shutil.copy(RELEASED[version], path)
    assert _version(path) == version
    db = archive.open_db(path, create=False)
    assert _version(path) == archive.SCHEMA_VERSION
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = {(r["number"], r["year"]): r["leader_unit"] for r in queries.leaders(db)}
    assert rows[(10, 2023)] == "Đồng Tháp" and rows[(6, 2020)] == "Thanh Hóa"
    assert queries.search(db, "Dong Thap") and queries.search(db, "Đồng Tháp")
    for fts in ("articles_fts", "articles_fts_fold"):   # the search indexes hold every article's words
        db.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
    before = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.conn.close()
    page = Path(__file__).resolve().parent.parent / "corpus" / "wp-cum13-giao-uoc-2024.html"
    result = runner.invoke(cli, ["build", str(page), "--db", str(path)])  # and it takes new articles
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == before + 1
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_migration_step_runs_once_and_records_the_new_version(tmp_path, monkeypatch):
    path = tmp_path / "a.db"
    shutil.copy(RELEASED[1], path)
    calls = []

    def v1_to_v2(conn):
        calls.append(1)
        conn.execute("ALTER TABLE articles ADD COLUMN language TEXT DEFAULT 'vi'")

    current = archive.SCHEMA_VERSION
    archive.open_db(path).conn.close()  # to the current version first
    monkeypatch.setattr(archive, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(archive.MIGRATIONS, current, v1_to_v2)
    archive.open_db(path).conn.close()
    archive.open_db(path).conn.close()
    assert calls == [1]
    assert _version(path) == current + 1
    con = sqlite3.connect(path)
    assert con.execute("SELECT DISTINCT language FROM articles").fetchall() == [("vi",)]


def test_a_failing_migration_leaves_the_archive_unchanged_and_says_so(tmp_path, monkeypatch):
    path = tmp_path / "a.db"
    shutil.copy(RELEASED[1], path)

    def broken(conn):
        conn.execute("ALTER TABLE articles ADD COLUMN extra TEXT")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(archive.MIGRATIONS, 1, broken)
    with pytest.raises(archive.ArchiveError, match="unchanged at version 1"):
        archive.open_db(path)
    assert _version(path) == 1
    cols = [r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(articles)")]
    assert "extra" not in cols


def test_an_archive_from_a_newer_thidua_is_refused_with_what_to_do(runner, tmp_path):
    path = tmp_path / "new.db"
    shutil.copy(RELEASED[1], path)
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    before = path.read_bytes()
    result = runner.invoke(cli, ["leaders", "--db", str(path)])
    assert result.exit_code != 0
    assert "newer than this thidua" in result.output and "upgrade thidua" in result.output
    assert "Traceback" not in result.output
    assert path.read_bytes() == before


def test_an_archive_whose_schema_script_never_ran_after_its_last_migration_step_is_completed(tmp_path):
    """A process killed between a migration's last step and the schema script: version new, objects missing."""
    path = tmp_path / "a.db"
    shutil.copy(RELEASED[3], path)
    con = sqlite3.connect(path)
    con.execute("DROP TABLE articles_fts")
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(archive.SCHEMA_VERSION)])
    con.commit()
    con.close()
    db = archive.open_db(path, create=False)
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert {"articles_fts", "articles_fts_fold", "crawl_urls"} <= names
    assert queries.search(db, "Đồng Tháp") and queries.search(db, "Dong Thap")
