"""Concurrency: `thidua crawl` and `thidua build` writing one archive at the same time, and readers
(queries, the dashboard) reading it meanwhile, without "database is locked" and without lost writes.
"""
from __future__ import annotations

import importlib.util
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path


from tests.crawl_fixtures.server import serve  # noqa: F401  (pytest fixture)
from tests.crawl_fixtures.sites import kiemsat_site

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("thidua_soak", ROOT / "bench" / "soak.py")
soak = importlib.util.module_from_spec(_spec)
sys.modules["thidua_soak"] = soak
_spec.loader.exec_module(soak)


def _popen(args):
    return subprocess.Popen(args, cwd=ROOT, env=soak.ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _reader(db: Path, stop: threading.Event, errors: list[str], counts: list[int]) -> None:
    """Query the archive over and over, as `thidua leaders` / `search` and the dashboard do."""
    while not stop.is_set():
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
            try:
                counts.append(con.execute("SELECT count(*) FROM articles").fetchone()[0])
                con.execute("SELECT * FROM cluster_leaders").fetchall()
                con.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'Cụm'").fetchall()
            finally:
                con.close()
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc) and "unable to open" not in str(exc):  # before the first writer
                errors.append(str(exc))
        time.sleep(0.02)


def test_crawl_and_builds_write_one_archive_at_once_while_it_is_read(serve, tmp_path):
    site = kiemsat_site(n_articles=16, per_page=4)
    for path in site.articles:
        site.routes[path].sleep = 0.05
    server = serve(site)
    db = tmp_path / "shared.db"
    f1, f2 = tmp_path / "one", tmp_path / "two"
    expected = soak.write_build_folder(f1, 100, 25) | soak.write_build_folder(f2, 200, 25)
    expected |= {"https://kiemsat.vn" + p for p in site.articles}
    stop, errors, counts = threading.Event(), [], []
    reader = threading.Thread(target=_reader, args=(db, stop, errors, counts), daemon=True)
    reader.start()
    procs = [_popen(soak.crawl_args(db, server.base_url)),
             _popen(soak.build_args(db, [f1], 1)),
             _popen(soak.build_args(db, [f2, f1], 2))]  # f1 twice at once: the same URLs written concurrently
    outputs = [p.communicate(timeout=180)[0] for p in procs]
    stop.set()
    reader.join()
    for p, out in zip(procs, outputs):
        assert p.returncode == 0, out
        assert "locked" not in out and "busy" not in out, out
    assert errors == []
    assert counts and counts == sorted(counts), "readers never see the article count go down"
    check = soak.check_archive(db, expected)
    assert check.ok, check


def test_two_processes_opening_a_new_archive_at_the_same_moment_both_succeed(tmp_path):
    """The schema is created once, whoever comes first; the other waits instead of failing."""
    db = tmp_path / "new.db"
    code = ("import sys, time; from thidua.archive import open_db; t = float(sys.argv[1]);"
            "time.sleep(max(0, t - time.time())); d = open_db(sys.argv[2]); print('ok')")
    start = time.time() + 2.5
    procs = [subprocess.Popen([sys.executable, "-c", code, str(start), str(db)], cwd=ROOT, env=soak.ENV,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(4)]
    outs = [p.communicate(timeout=60)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, outs
    con = sqlite3.connect(db)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_the_dashboard_reads_an_archive_while_it_is_being_written(tmp_path):
    from thidua.dashboard import check_archive, make_datasette
    import asyncio
    db = tmp_path / "live.db"
    folder = tmp_path / "pages"
    soak.write_build_folder(folder, 1, 4)
    rc, out, _ = soak.run_to_end(soak.build_args(db, [folder], 1))
    assert rc == 0, out
    from thidua.archive import open_db
    writer = open_db(db)  # a crawl in progress: its connection keeps the write-ahead log
    writer.execute("CREATE TABLE IF NOT EXISTS _probe(x)")
    writer.execute("INSERT INTO _probe VALUES (1)")
    check_archive(db)  # must not refuse
    ds = make_datasette(db)

    async def count() -> int:
        resp = await ds.client.get("/archive.json?sql=select+count(*)+as+n+from+articles&_shape=array")
        return resp.json()[0]["n"]

    async def scenario() -> tuple[int, int]:
        await ds.invoke_startup()
        before = await count()
        more = tmp_path / "more"
        soak.write_build_folder(more, 50, 3)
        rc, out, _ = soak.run_to_end(soak.build_args(db, [more], 1))
        assert rc == 0, out
        return before, await count()

    before, after = asyncio.run(scenario())
    writer.conn.close()
    assert after == before + 3
