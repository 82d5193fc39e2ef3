"""The SQLite archive: idempotent builds, replaced facts, evidence, consolidation, search."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from crawl.article import Article
from thidua import archive, queries
from thidua.cli import cli
from thidua.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
FACT_TABLES = ["articles", "clusters", "cluster_years", "memberships", "events", "event_sources", "officials",
               "official_mentions", "slogans", "slogan_mentions", "awards", "award_mentions", "date_mentions",
               "province_mentions", "units"]


def _counts(db_path) -> dict:
    con = sqlite3.connect(db_path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in FACT_TABLES}
    finally:
        con.close()


def test_building_the_same_input_twice_leaves_the_same_rows(runner, tmp_path):
    db = tmp_path / "a.db"
    assert runner.invoke(cli, ["build", str(ROOT / "corpus"), "--db", str(db)]).exit_code == 0
    first = _counts(db)
    assert first["articles"] == len(list((ROOT / "corpus").glob("*.html")))
    assert runner.invoke(cli, ["build", str(ROOT / "corpus"), "--db", str(db)]).exit_code == 0
    assert _counts(db) == first


def test_reextracting_an_article_replaces_its_facts(tmp_path):
    db = archive.open_db(tmp_path / "a.db")
    a = Article(url="https://example.vn/a-1.html", title="Cụm thi đua số 6 ký kết giao ước thi đua năm 2020",
                paragraphs=["Cụm thi đua số 6 gồm VKSND các tỉnh: Thanh Hóa, Nghệ An. "
                            "VKSND tỉnh Thanh Hóa được chỉ định là Cụm trưởng; VKSND tỉnh Nghệ An là Cụm phó."])
    aid = ingest(db, a)
    assert queries.leaders(db, cluster=6)[0]["leader_unit"] == "Thanh Hóa"
    a.paragraphs = ["Cụm thi đua số 6 gồm VKSND các tỉnh: Hà Tĩnh, Quảng Bình. "
                    "VKSND tỉnh Hà Tĩnh được chỉ định là Cụm trưởng."]
    assert ingest(db, a) == aid
    rows = queries.leaders(db, cluster=6)
    assert [r["leader_unit"] for r in rows] == ["Hà Tĩnh"]
    members = {r["unit"] for r in queries.members(db, cluster=6)}
    assert members == {"Hà Tĩnh", "Quảng Bình"}


def test_every_stored_fact_carries_an_evidence_span_into_the_article_body(demo_db):
    con = sqlite3.connect(demo_db)
    checks = {
        "province_mentions": "province", "date_mentions": None, "slogan_mentions": None,
        "award_mentions": None, "official_mentions": None, "memberships": None,
    }
    seen = 0
    for table in checks:
        for body, start, end in con.execute(
                f"SELECT a.body, m.start, m.\"end\" FROM {table} m JOIN articles a ON a.id = m.article_id"):
            assert start is not None and end is not None and 0 <= start < end <= len(body), table
            seen += 1
    for body, start, end, name in con.execute(
            "SELECT a.body, m.start, m.\"end\", o.name FROM official_mentions m JOIN articles a ON a.id = m.article_id "
            "JOIN officials o ON o.id = m.official_id"):
        assert body[start:end] == name
    assert seen > 50


def test_leaders_on_the_demo_archive_match_the_hand_made_expectations(demo_db, expected):
    db = archive.open_db(demo_db, create=False)
    got = {(r["kind"], r["number"], r["year"]): r for r in queries.leaders(db)}
    want = [(c["kind"], c["number"], c["year"], c["leader"], c["deputy"]) for page in expected for c in page["clusters"]
            if c.get("leader") or c.get("deputy")]
    assert want
    for kind, number, year, leader, deputy in want:
        assert (kind, number, year) in got, (kind, number, year)
        row = got[(kind, number, year)]
        if leader:
            assert row["leader_unit"] == leader, (kind, number, year, row)
        if deputy:
            assert row["deputy_unit"] == deputy, (kind, number, year, row)


def test_cluster_10_in_2023_is_led_by_dong_thap_with_several_sources(runner, demo_db):
    result = runner.invoke(cli, ["leaders", "--db", str(demo_db), "--year", "2023", "--json"])
    assert result.exit_code == 0, result.output
    import json
    rows = json.loads(result.stdout)
    row = next(r for r in rows if r["kind"] == "cum" and r["number"] == 10)
    assert row["leader_unit"] == "Đồng Tháp"
    assert row["sources"] >= 2
    assert row["conflict"] is False


def test_conflicting_leaders_are_flagged_not_hidden(tmp_path):
    db = archive.open_db(tmp_path / "c.db")
    for i, prov in enumerate(["Long An", "Long An", "Bến Tre"]):
        ingest(db, Article(url=f"https://example.vn/c-{i}.html",
                           title="Cụm thi đua số 10 tổng kết công tác thi đua năm 2021",
                           paragraphs=[f"Cụm thi đua số 10 tổng kết năm 2021. VKSND tỉnh {prov} được chỉ định là Cụm trưởng."]))
    row = queries.leaders(db, cluster=10, year=2021)[0]
    assert row["leader_unit"] == "Long An"
    assert row["sources"] == 3
    assert row["conflict"] is True
    assert "Bến Tre (1)" in row["leader_claims"]


def test_search_with_diacritics_is_exact_and_without_them_is_tone_insensitive(tmp_path):
    db = archive.open_db(tmp_path / "s.db")
    ingest(db, Article(url="https://example.vn/s-1.html", title="Tin Hà Nội", paragraphs=["Hội nghị về thể chế."]))
    ingest(db, Article(url="https://example.vn/s-2.html", title="Tin khác", paragraphs=["Bàn về thế trận."]))
    assert [r["id"] for r in queries.search(db, "Hà Nội")] == [1]
    assert [r["id"] for r in queries.search(db, "Ha Noi")] == [1]
    assert [r["id"] for r in queries.search(db, "thể")] == [1]
    assert [r["id"] for r in queries.search(db, "thế")] == [2]
    assert sorted(r["id"] for r in queries.search(db, "the")) == [1, 2]


def test_a_word_typed_with_d_finds_it_written_with_đ(tmp_path):
    db = archive.open_db(tmp_path / "d.db")
    ingest(db, Article(url="https://example.vn/d-1.html", title="Tin Đồng Tháp",
                       paragraphs=["Đại hội thi đua yêu nước ở Đồng Tháp."]))
    ingest(db, Article(url="https://example.vn/d-2.html", title="Tin khác", paragraphs=["Dòng sông và ngọn tháp."]))
    assert [r["id"] for r in queries.search(db, "dai hoi thi dua")] == [1]
    assert sorted(r["id"] for r in queries.search(db, "dong thap")) == [1, 2]   # Đồng … Tháp / Dòng … tháp
    assert [r["id"] for r in queries.search(db, "Đồng Tháp")] == [1]
    assert "[Đồng]" in queries.search(db, "dong")[0]["snippet"] or "[Dòng]" in queries.search(db, "dong")[0]["snippet"]


def test_a_search_typed_without_diacritics_finds_đ_inside_abbreviations_and_ignores_punctuation(tmp_path):
    db = archive.open_db(tmp_path / "a.db")
    ingest(db, Article(url="https://example.vn/t-1.html", title="Tin",
                       paragraphs=["Hội đồng TĐKT và HĐND tỉnh Hà Nam họp."]))
    for typed in ("tdkt", "hdnd", "ha nam.", "Ha  Nam!", "TĐKT"):
        assert [r["id"] for r in queries.search(db, typed)] == [1], typed


def test_a_batch_that_fails_inside_sqlite_reports_its_own_error_and_leaves_no_stale_ids(tmp_path):
    from extract import extract_text
    db = archive.open_db(tmp_path / "f.db")
    db.execute("PRAGMA max_page_count = " + str(db.execute("PRAGMA page_count").fetchone()[0] + 2))
    text = "Cụm thi đua số 3 tổng kết năm 2021. " + "VKSND huyện Phú Tân là Cụm trưởng. " + "Nội dung. " * 3000
    with pytest.raises(sqlite3.DatabaseError, match="full"):   # the disk is full, and the error says so
        archive.store(db, Article(url="https://example.vn/f-1.html"), extract_text(text), body=text)
    db.execute("PRAGMA max_page_count = 1000000")
    other = "Cụm thi đua số 4 tổng kết năm 2021. VKSND huyện Chợ Mới là Cụm trưởng."
    archive.store(db, Article(url="https://example.vn/f-2.html"), extract_text(other), body=other)
    short = "Cụm thi đua số 3 tổng kết năm 2021. VKSND huyện Phú Tân là Cụm trưởng."
    archive.store(db, Article(url="https://example.vn/f-1.html"), extract_text(short), body=short)
    rows = {(r["number"], r["leader_unit"]) for r in queries.leaders(db)}
    assert rows == {(3, "huyện Phú Tân"), (4, "huyện Chợ Mới")}


def _fts_ok(db) -> None:
    for fts in ("articles_fts", "articles_fts_fold"):   # FTS5 compares each index with the articles' text
        db.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")


def test_an_article_stored_again_with_new_text_is_found_by_its_new_words_only(tmp_path):
    db = archive.open_db(tmp_path / "u.db")
    ingest(db, Article(url="https://example.vn/u.html", title="Bản nháp", paragraphs=["Hội nghị sơ kết tại Cà Mau."]))
    ingest(db, Article(url="https://example.vn/u.html", title="Bản chính thức",
                       paragraphs=["Hội nghị tổng kết tại Bạc Liêu."]))
    _fts_ok(db)
    assert queries.search(db, "Cà Mau") == [] and queries.search(db, "ca mau") == []
    assert queries.search(db, "nháp") == []
    assert [r["id"] for r in queries.search(db, "Bac Lieu")] == [1]
    assert [r["id"] for r in queries.search(db, "chính thức")] == [1]


def test_an_article_stored_twice_in_one_batch_keeps_one_copy_of_its_facts_and_index(tmp_path):
    from extract import extract_text
    db = archive.open_db(tmp_path / "b.db")
    a = Article(url="https://example.vn/b.html", title="Cụm thi đua số 6")
    first = "Cụm thi đua số 6 tổng kết năm 2020. VKSND tỉnh Thanh Hóa là Cụm trưởng. Đồng chí Lê Văn An phát biểu."
    second = "Cụm thi đua số 6 tổng kết năm 2021. VKSND tỉnh Nghệ An là Cụm trưởng."
    archive.store_many(db, [(a, extract_text(first), first, None, None), (a, extract_text(second), second, None, None)])
    _fts_ok(db)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert [(r["year"], r["leader_unit"]) for r in queries.leaders(db)] == [(2021, "Nghệ An")]
    assert db.execute("SELECT count(*) FROM official_mentions").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM event_sources)"
                      ).fetchone()[0] == 0
    assert queries.search(db, "Thanh Hóa") == [] and [r["id"] for r in queries.search(db, "Nghe An")] == [1]


def test_deleting_an_article_takes_it_out_of_search(tmp_path):
    db = archive.open_db(tmp_path / "x.db")
    ingest(db, Article(url="https://example.vn/x-1.html", title="Tin Cà Mau", paragraphs=["Hội nghị ở Cà Mau."]))
    ingest(db, Article(url="https://example.vn/x-2.html", title="Tin Cà Mau", paragraphs=["Hội nghị khác ở Cà Mau."]))
    db.execute("DELETE FROM articles WHERE id = 1")
    _fts_ok(db)
    assert [r["id"] for r in queries.search(db, "Cà Mau")] == [2]
    assert [r["id"] for r in queries.search(db, "ca mau")] == [2]


@pytest.mark.parametrize("content", [b"this is not a database at all", b"SQLite format 3\x00" + b"\x00" * 200])
def test_a_foreign_or_corrupt_file_gets_a_clear_error_not_a_traceback(runner, tmp_path, content):
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    result = runner.invoke(cli, ["leaders", "--db", str(bad)])
    assert result.exit_code != 0
    assert "bad.db" in result.output
    assert "Traceback" not in result.output
    assert bad.read_bytes() == content  # nothing overwritten


def test_another_programs_sqlite_file_is_refused(runner, tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE things(x)")
    con.commit()
    con.close()
    result = runner.invoke(cli, ["build", str(ROOT / "corpus"), "--db", str(other)])
    assert result.exit_code != 0
    assert "not a thidua archive" in result.output


def test_the_archive_records_its_schema_version_and_uses_wal(demo_db):
    con = sqlite3.connect(demo_db)
    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(archive.SCHEMA_VERSION)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_building_with_worker_processes_stores_the_same_facts_as_one_process(runner, tmp_path):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert runner.invoke(cli, ["build", str(ROOT / "corpus"), "--db", str(one)]).exit_code == 0
    assert runner.invoke(cli, ["build", str(ROOT / "corpus"), "--db", str(two), "--workers", "2"]).exit_code == 0
    assert _counts(one) == _counts(two)
    q = "SELECT kind, number, year, leader_unit, deputy_unit, sources FROM cluster_leaders ORDER BY 1, 2, 3"
    assert sqlite3.connect(one).execute(q).fetchall() == sqlite3.connect(two).execute(q).fetchall()


def test_a_bad_file_in_a_folder_is_reported_and_the_rest_is_built(runner, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(ROOT / "corpus", folder)
    (folder / "broken.txt").write_bytes(b"\x00\x00 binary junk")
    (folder / "empty.html").write_text("", encoding="utf-8")
    db = tmp_path / "b.db"
    result = runner.invoke(cli, ["build", str(folder), "--db", str(db)])
    assert result.exit_code == 1
    assert "broken.txt" in result.stderr and "empty.html" in result.stderr
    assert _counts(db)["articles"] == len(list((ROOT / "corpus").glob("*.html")))


def test_an_event_no_article_reports_any_more_is_removed_and_a_shared_one_kept(tmp_path):
    db = archive.open_db(tmp_path / "e.db")
    text = "Ngày 13/02/2020, VKSND tỉnh Thanh Hóa tổ chức Hội nghị ký kết giao ước thi đua năm 2020 của Cụm thi đua số 6."
    a = Article(url="https://example.vn/e-1.html", paragraphs=[text])
    b = Article(url="https://example.vn/e-2.html", paragraphs=[text + " Các đơn vị thống nhất nội dung."])
    ingest(db, a)
    ingest(db, b)
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 1  # one event, two reports
    assert db.execute("SELECT count(*) FROM event_sources").fetchone()[0] == 2
    a.paragraphs = ["Ngày 20/3/2020, VKSND tỉnh Nghệ An tổ chức Hội nghị sơ kết công tác năm 2020."]
    ingest(db, a)
    keys = {r[0] for r in db.execute("SELECT type || '|' || date FROM events")}
    assert keys == {"giao_uoc|2020-02-13", "so_ket|2020-03-20"}
    b.paragraphs = ["Bài viết không còn nói về hội nghị nào."]
    ingest(db, b)
    assert {r[0] for r in db.execute("SELECT type FROM events")} == {"so_ket"}


def test_leaders_are_read_from_a_fresh_table_and_never_stale(tmp_path):
    from thidua.archive import leaders_source, refresh_leaders
    db = archive.open_db(tmp_path / "l.db")
    text = "Cụm thi đua số 5 tổng kết năm 2022. VKSND tỉnh {} được chỉ định là Cụm trưởng."
    ingest(db, Article(url="https://example.vn/l-1.html", paragraphs=[text.format("Kon Tum")]))
    assert leaders_source(db) == "cluster_leaders"  # written, not refreshed: the view answers
    refresh_leaders(db)
    assert leaders_source(db) == "cluster_leaders_table"
    view = db.execute("SELECT * FROM cluster_leaders ORDER BY cluster_id, year").fetchall()
    assert db.execute("SELECT * FROM cluster_leaders_table ORDER BY cluster_id, year").fetchall() == view
    ingest(db, Article(url="https://example.vn/l-2.html", paragraphs=[text.format("Gia Lai")]))
    assert leaders_source(db) == "cluster_leaders"  # the new article makes the copy stale
    row = queries.leaders(db, cluster=5)[0]
    assert row["sources"] == 2 and row["conflict"] is True


def test_a_build_leaves_the_leaders_table_equal_to_the_view(demo_db):
    con = sqlite3.connect(demo_db)
    assert con.execute("SELECT value FROM meta WHERE key = 'leaders_fresh'").fetchone()[0] == "1"
    view = con.execute("SELECT * FROM cluster_leaders ORDER BY cluster_id, year").fetchall()
    assert view and con.execute("SELECT * FROM cluster_leaders_table ORDER BY cluster_id, year").fetchall() == view
