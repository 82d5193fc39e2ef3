"""Shared fixtures: the gold corpus beside the checkout, the bundled sample pages, a built archive."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "corpus"


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    if not (GOLD / "texts").is_dir():
        pytest.fail(f"the gold corpus is expected at {GOLD} (../shared beside the checkout)")
    return GOLD


@pytest.fixture(scope="session")
def expected() -> list[dict]:
    return json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """An archive built from the bundled corpus/ with `thidua build`."""
    from thidua.cli import cli
    db = tmp_path_factory.mktemp("archive") / "demo.db"
    result = CliRunner().invoke(cli, ["build", str(CORPUS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db
