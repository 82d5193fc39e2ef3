"""Bad arguments and files: a missing file, a folder of mixed junk, a corrupt, truncated or foreign
SQLite file, an archive of another schema version. Each gets a clear message and a non-zero exit,
never a traceback; archives of every released schema version open (migrated when needed).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from thidua.archive import SCHEMA_VERSION, ArchiveError, open_db
from thidua.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PAGE = CORPUS / "liferay-cum10-tong-ket-2023.html"
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}

def invoke(*args: str):
    """Run the CLI in-process; the result, after checking it ended by itself (no uncaught exception)."""
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback
        tb = "".join(traceback.format_exception(result.exception))
        pytest.fail(f"thidua {' '.join(args)} raised instead of explaining:\n{tb}")
    assert "Traceback" not in result.output
    return result


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """The real command in a subprocess (what a user sees on the terminal)."""
    return subprocess.run([sys.executable, "-c", "from thidua.cli import cli; cli()", *args], cwd=ROOT, env=ENV,
                          capture_output=True, text=True, timeout=120)


def assert_clear_failure(result, *must_mention: str) -> str:
    out = result.output if hasattr(result, "output") else result.stdout + result.stderr
    code = result.exit_code if hasattr(result, "exit_code") else result.returncode
    assert code != 0, out
    assert "Traceback" not in out, out
    for word in must_mention:
        assert word in out, f"the message should mention {word!r}: {out}"
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A small, closed archive (two pages)."""
    db = tmp_path_factory.mktemp("built") / "a.db"
    result = invoke("build", str(PAGE), str(CORPUS / "wp-cum13-giao-uoc-2024.html"), "--db", str(db))
    assert result.exit_code == 0, result.output
    return db


READERS = [("leaders",), ("members",), ("search", "Đồng Tháp")]


# ------------------------------------------------------------------------------------ input files
def test_a_missing_input_file_is_named_and_exits_non_zero(tmp_path):
    out = assert_clear_failure(invoke("build", str(tmp_path / "nope.html"), "--db", str(tmp_path / "a.db")), "nope.html")
    out = assert_clear_failure(invoke("extract", str(tmp_path / "nope.html")), "nope.html")
    assert "no such file" in out


def test_a_folder_of_mixed_junk_stores_the_good_files_and_names_each_bad_one(tmp_path):
    junk = tmp_path / "junk"
    (junk / "sub.html").mkdir(parents=True)            # a folder named like a page
    (junk / "deep" / "deeper").mkdir(parents=True)
    shutil.copy(PAGE, junk / "deep" / "deeper" / "good.html")
    shutil.copy(CORPUS / "wp-cum13-giao-uoc-2024.html", junk / "good2.HTML")
    (junk / "empty.html").write_bytes(b"")
    (junk / "blank.txt").write_text("   \n\n", encoding="utf-8")
    (junk / "nul.txt").write_bytes(b"Cum thi dua\x00\x00\x00")
    (junk / "utf16.txt").write_bytes(b"\xff\xfe" + "Cụm thi đua số 3".encode("utf-16-le"))
    (junk / "latin.txt").write_bytes(b"C\xf4ng t\xe1c thi \xf0ua n\xe3m 2023")  # legacy 8-bit
    (junk / "nothing.html").write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    (junk / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))   # not .html/.txt: ignored
    (junk / "archive.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)   # ignored too
    (junk / "dangling.html").symlink_to(tmp_path / "gone.html")
    db = tmp_path / "a.db"
    result = invoke("build", str(junk), "--db", str(db))
    out = assert_clear_failure(result)
    assert result.exit_code == 1
    for bad in ("empty.html", "blank.txt", "nul.txt", "nothing.html"):
        assert bad in out, f"{bad} should be named: {out}"
    con = sqlite3.connect(db)
    urls = {u for (u,) in con.execute("SELECT url FROM articles")}
    con.close()
    good = {open_db_url(junk / "deep" / "deeper" / "good.html"), open_db_url(junk / "good2.HTML")}
    assert good <= urls, urls  # the good pages are in, whatever the junk did


def test_extract_reports_each_bad_file_and_still_extracts_the_good_ones(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01")
    result = invoke("extract", str(PAGE), str(bad), str(tmp_path), "--format", "jsonl")
    assert result.exit_code == 1
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    assert len(lines) == 3
    assert '"error"' not in lines[0] and '"error"' in lines[1] and '"error"' in lines[2]


def open_db_url(path: Path) -> str:
    from thidua.pipeline import read_source
    return read_source(path)[0].url


# ------------------------------------------------------------------------------------ archive files
@pytest.mark.parametrize("command", [("build", str(PAGE)), *READERS])
def test_a_text_file_given_as_the_archive_is_refused(tmp_path, command):
    db = tmp_path / "notes.db"
    db.write_text("these are my notes, not an archive\n", encoding="utf-8")
    assert_clear_failure(invoke(*command, "--db", str(db)), "notes.db", "SQLite")
    assert db.read_text(encoding="utf-8") == "these are my notes, not an archive\n"  # untouched


@pytest.mark.parametrize("command", [("build", str(PAGE)), *READERS])
def test_a_directory_given_as_the_archive_is_refused(tmp_path, command):
    assert_clear_failure(invoke(*command, "--db", str(tmp_path)))


@pytest.mark.parametrize("command", [("build", str(PAGE)), *READERS])
def test_a_foreign_sqlite_file_is_refused_and_left_untouched(tmp_path, command):
    db = tmp_path / "shop.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO customers(name) VALUES ('An')")
    con.commit()
    con.close()
    before = db.read_bytes()
    assert_clear_failure(invoke(*command, "--db", str(db)), "shop.db", "not a thidua archive")
    assert db.read_bytes() == before


def test_a_foreign_sqlite_file_is_refused_by_crawl(tmp_path):
    db = tmp_path / "shop.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    con.close()
    assert_clear_failure(invoke("crawl", "kiemsat.vn", "--base-url", "http://127.0.0.1:9", "--db", str(db),
                                "--no-progress", "--delay", "0"), "not a thidua archive")


@pytest.mark.parametrize("command", [("build", str(PAGE)), *READERS])
def test_a_truncated_archive_is_refused(built, tmp_path, command):
    db = tmp_path / "trunc.db"
    db.write_bytes(built.read_bytes()[:5000])
    assert_clear_failure(invoke(*command, "--db", str(db)), "trunc.db")


@pytest.mark.parametrize("command", [("build", str(PAGE)), *READERS])
def test_an_archive_with_a_garbage_header_is_refused(built, tmp_path, command):
    data = bytearray(built.read_bytes())
    data[16:100] = b"\xee" * 84
    db = tmp_path / "garbled.db"
    db.write_bytes(bytes(data))
    assert_clear_failure(invoke(*command, "--db", str(db)), "garbled.db")


def _corrupt_table_pages(src: Path, dst: Path, table: str) -> None:
    """A copy of ``src`` whose ``table`` b-tree root page is overwritten: the header is fine, the
    damage shows only when that table is read (what a disk error or a bad copy does)."""
    shutil.copy(src, dst)
    con = sqlite3.connect(dst)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    con.close()
    data = bytearray(dst.read_bytes())
    start = (root - 1) * page_size
    data[start:start + page_size] = b"\xff" * page_size
    dst.write_bytes(bytes(data))


@pytest.mark.parametrize("command", READERS)
def test_an_archive_damaged_inside_gives_a_message_not_a_traceback(built, tmp_path, command):
    db = tmp_path / "damaged.db"
    # damage what each command reads (leaders: the refreshed copy of the cluster_leaders view)
    table = {"leaders": "cluster_leaders_table", "members": "memberships", "search": "articles_fts_data"}[command[0]]
    _corrupt_table_pages(built, db, table)
    assert_clear_failure(invoke(*command, "--db", str(db)), "damaged.db")


def test_an_empty_file_as_the_archive_becomes_an_empty_archive(tmp_path):
    db = tmp_path / "empty.db"
    db.touch()
    result = invoke("leaders", "--db", str(db))
    assert result.exit_code == 0 and "(no rows)" in result.output


def test_a_missing_archive_for_a_query_says_how_to_make_one_and_creates_nothing(tmp_path):
    db = tmp_path / "none.db"
    for command in READERS:
        assert_clear_failure(invoke(*command, "--db", str(db)), "thidua build")
    assert not db.exists()


def test_bad_options_are_usage_errors(tmp_path):
    db = str(tmp_path / "a.db")
    for args in [("build", "--db", db), ("build", str(PAGE), "--db", db, "--workers", "0"),
                 ("leaders", "--db", db, "--year", "two thousand"), ("crawl", "--db", db),
                 ("crawl", "nosuchsite.example", "--db", db), ("crawl", "kiemsat.vn", "--db", db, "--since", "yesterday"),
                 ("crawl", "kiemsat.vn", "--db", db, "--base-url", "ftp://127.0.0.1/"),
                 ("crawl", "--profile", str(PAGE), "--db", db), ("serve", "--db", db, "--port", "99999")]:
        result = invoke(*args)
        assert result.exit_code in (1, 2), (args, result.output)
        assert "Error" in result.output, (args, result.output)


def test_serve_refuses_bad_archives_with_a_message(built, tmp_path):
    text = tmp_path / "t.db"
    text.write_text("x", encoding="utf-8")
    for db in (tmp_path / "none.db", text):
        assert_clear_failure(invoke("serve", "--db", str(db)), db.name)


def test_what_a_user_sees_in_a_real_terminal_is_one_line_not_a_traceback(tmp_path):
    db = tmp_path / "notes.db"
    db.write_text("not an archive", encoding="utf-8")
    p = run_cli("leaders", "--db", str(db))
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert p.stderr.strip().splitlines()[-1].startswith("Error: ")


# ------------------------------------------------------------------------------------ schema versions
# (archives of every released version: tests/test_schema_versions.py)
def test_the_archive_records_its_schema_version(built):
    con = sqlite3.connect(built)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    con.close()


@pytest.mark.parametrize("command", [("build", str(PAGE)), *READERS])
def test_an_archive_of_a_newer_schema_is_refused_unchanged_with_what_to_do(built, tmp_path, command):
    db = tmp_path / "future.db"
    shutil.copy(built, db)
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.commit()
    con.close()
    before = db.read_bytes()
    out = assert_clear_failure(invoke(*command, "--db", str(db)), "future.db", str(SCHEMA_VERSION + 1))
    assert "upgrade" in out.lower()
    assert db.read_bytes() == before


@pytest.mark.parametrize("value", ["", "abc", "1.0", "-3"])
def test_an_unreadable_schema_version_is_a_clear_error_or_is_repaired(built, tmp_path, value):
    db = tmp_path / "odd.db"
    shutil.copy(built, db)
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [value])
    con.commit()
    con.close()
    try:
        open_db(db).conn.close()
    except ArchiveError as exc:
        assert "odd.db" in str(exc)
    result = invoke("leaders", "--db", str(db))
    assert "Traceback" not in result.output


def test_an_archive_from_before_schema_versioning_is_recognised(built, tmp_path):
    db = tmp_path / "old.db"
    shutil.copy(built, db)
    con = sqlite3.connect(db)
    con.execute("DROP TABLE meta")
    con.commit()
    con.close()
    try:
        archive = open_db(db)
    except ArchiveError as exc:
        assert "not a thidua archive" not in str(exc)
        assert "version" in str(exc) or "thidua build" in str(exc)
    else:
        assert archive.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        assert archive.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
