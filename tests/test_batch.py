"""`python -m batch ingest`: the loaders of `flask ingest`, in a process without the serving app."""

import multiprocessing
import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from flask.cli import ScriptInfo

import batch
from directory.extensions import db
from ingest import nppes_reading
from system_of_record import create_records_app
from tests.ingest import test_nppes_rejects as nppes

ROOT = Path(__file__).resolve().parents[1]
FLASK = (sys.executable, "-m", "flask", "--app", "app", "ingest")
BATCH = (sys.executable, "-m", "batch", "ingest")


def _empty_directory(path: Path) -> str:
    """A new SQLite file with the schema and no rows; its URL."""
    url = f"sqlite:///{path}"
    app = create_records_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return url


def _run(command: tuple, url: str, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": url, "SECRET_KEY": "x"}
    env["SEARCH_BACKEND"] = "embedded"
    return subprocess.run(
        [*command, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _rows(path: Path) -> dict[str, list[str]]:
    """Every table's rows, sorted, without the columns a clock writes."""
    with sqlite3.connect(path) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found = {}
        for table in tables:
            columns = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]
            kept = ", ".join(f'"{c}"' for c in columns if not c.endswith(("_at", "_on")))
            found[table] = sorted(map(repr, con.execute(f'SELECT {kept} FROM "{table}"')))
    return found


def test_a_load_writes_what_flask_ingest_writes(tmp_path):
    urls = {name: _empty_directory(tmp_path / f"{name}.sqlite3") for name in ("flask", "batch")}
    args = (str(nppes.SAMPLE), "--rejects", str(tmp_path / "rejects.csv"))

    by_flask = _run(FLASK, urls["flask"], "nppes", *args)
    by_batch = _run(BATCH, urls["batch"], "nppes", *args)

    assert by_batch.returncode == 0, by_batch.stderr
    assert by_batch.stdout == by_flask.stdout
    assert "read 300 · inserted 12 · updated 0 · unchanged 0 · out of scope 288" in by_batch.stdout
    flask_rows, batch_rows = _rows(tmp_path / "flask.sqlite3"), _rows(tmp_path / "batch.sqlite3")
    assert len(batch_rows["clinician"]) == 12
    assert len(batch_rows["listing_change"]) > 0
    assert batch_rows == flask_rows


def test_a_refused_file_exits_4_with_the_reason(tmp_path):
    url = _empty_directory(tmp_path / "batch.sqlite3")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")

    done = _run(BATCH, url, "nppes", str(empty), "--rejects", str(tmp_path / "rejects.csv"))

    assert done.returncode == 4
    assert done.stderr.startswith("Refused: ")


def test_too_many_rejects_exit_3_and_the_good_rows_load(tmp_path):
    url = _empty_directory(tmp_path / "batch.sqlite3")
    broken = tmp_path / "npidata_broken.csv"
    # Every row's NPI given a wrong check digit: the 12 in scope are all rejected.
    rows = nppes.edited({})
    for row in rows[1:]:
        row[0] = row[0][:-1] + str((int(row[0][-1]) + 1) % 10)
    broken.write_bytes(nppes.encode(rows))

    done = _run(BATCH, url, "nppes", str(broken), "--rejects", str(tmp_path / "rejects.csv"))

    assert done.returncode == 3
    assert "Failed: 12 of 12 rows in scope were rejected: nothing was loaded" in done.stderr
    assert (tmp_path / "rejects.csv").read_text("utf-8").count("\n") == 13  # header + 12


def test_help_lists_every_kind_and_the_exit_statuses():
    done = subprocess.run(
        [*BATCH, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: python -m batch ingest [OPTIONS] COMMAND [ARGS]...")
    for kind in ("cms-dac", "findtreatment", "hsds", "nppes", "nppes-deactivations", "roster"):
        assert f"  {kind} " in done.stdout
    assert "4 the file was refused" in " ".join(done.stdout.split())


def _early(tmp_path: Path, monkeypatch, *args: str) -> tuple[object, list[tuple[int, int]]]:
    """`batch ingest ARGS` in this process, every file big enough to read in a second process;
    (result, [(readings begun, reading processes started) when the app was built])."""
    url = _empty_directory(tmp_path / "early.sqlite3")
    monkeypatch.setattr(nppes_reading, "worth_a_child", lambda size: True)
    built, apps = [], []

    def records_app():
        # Started, not alive: the pipe takes all of a small file's rows, so its reading may
        # already have ended.
        started = [r for r in nppes_reading._begun.values() if r.child.pid is not None]
        built.append((len(nppes_reading._begun), len(started)))
        config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x", "SEARCH_BACKEND": "embedded"}
        apps.append(create_records_app(config))
        return apps[-1]

    result = CliRunner().invoke(batch.batch_cli, args, obj=ScriptInfo(create_app=records_app))
    for app in apps:
        with app.app_context():
            db.engine.dispose()
    return result, built


def test_a_big_files_reading_begins_before_the_app_is_built(tmp_path, monkeypatch):
    args = ("ingest", "nppes", str(nppes.SAMPLE), "--rejects", str(tmp_path / "rejects.csv"))
    result, built = _early(tmp_path, monkeypatch, *args)

    assert result.exit_code == 0, result.output
    assert built == [(1, 1)]  # reading in its own process while the models were imported
    assert "read 300 · inserted 12 " in result.output
    assert nppes_reading._begun == {}
    assert multiprocessing.active_children() == []


def test_a_reading_begun_for_a_file_refused_as_another_kind_is_stopped(tmp_path, monkeypatch):
    report = tmp_path / "deactivated.csv"
    report.write_text("NPI,NPPES Deactivation Date\n1184627184,01/02/2026\n", "utf-8")
    args = ("ingest", "nppes", str(report), "--rejects", str(tmp_path / "rejects.csv"))
    result, built = _early(tmp_path, monkeypatch, *args)

    assert result.exit_code == 4
    assert "looks like an NPPES deactivation report, not an NPPES file" in result.output
    assert built == [(1, 1)]
    assert nppes_reading._begun == {}
    assert multiprocessing.active_children() == []
