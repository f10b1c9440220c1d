"""Admin pages: ingest runs with progress, rejects and repairs (users, organizations and the
listing queue: test_admin_account_pages.py)."""

from __future__ import annotations

import io
import threading
from pathlib import Path

from sqlalchemy import select

from console import ingest_runs
from console.ingest_runs import wait_for
from console.models import IngestRun
from directory.models import Clinician
from ingest.kinds import KINDS
from ingest.progress import beat
from ingest.report import LoadSummary

SAMPLE = Path(__file__).resolve().parents[2] / "ingest" / "samples" / "roster_sample.csv"


def _roster_with_a_bad_row() -> bytes:
    """The first three sample rows plus one whose NPI fails its check digit."""
    lines = SAMPLE.read_text("utf-8").splitlines()
    header, first = lines[0], lines[1]
    bad = first.replace("1903141871", "1903141872", 1)
    return "\n".join([header, *lines[1:4], bad]).encode() + b"\n"


def _finished(admin, response) -> IngestRun:
    assert response.status_code == 303, response.get_data(as_text=True)[-1500:]
    run_id = int(response.headers["Location"].rsplit("/", 1)[1])
    wait_for(run_id, timeout=120)
    return run_id


def test_an_uploaded_roster_loads_in_the_background_with_a_reject_report(db, admin):
    upload = (io.BytesIO(_roster_with_a_bad_row()), "roster.csv")
    response = admin.post(
        "/admin/ingest",
        data={"kind": "roster", "file": upload},
        content_type="multipart/form-data",
    )
    run_id = _finished(admin, response)
    run = db.session.get(IngestRun, run_id)
    db.session.refresh(run)
    assert run.state == "finished" and run.source_name == "roster.csv"
    assert Path(run.path).parent.name == "uploads" and Path(run.path).name != "roster.csv"
    assert run.summary["read"] == 4 and run.rows_read == 4 and run.rejected == 1
    progress = admin.get(f"/admin/ingest/{run_id}/progress").get_json()
    assert progress["state"] == "finished" and progress["rows_read"] == 4
    page = admin.get(f"/admin/ingest/{run_id}").get_data(as_text=True)
    assert "Finished" in page and "Download the reject report (1 rows)" in page
    assert "1903141872" in page
    # The first rejects name the uploaded file, not the random name it is kept under.
    assert "<td>roster.csv</td>" in page and Path(run.path).name not in page
    report = admin.get(f"/admin/ingest/{run_id}/rejects.csv")
    assert report.status_code == 200 and report.mimetype == "text/csv"
    assert report.get_data(as_text=True).startswith("file,line,field,value,reason")
    assert db.session.scalar(select(Clinician).where(Clinician.npi == "1903141871"))


def test_a_refused_file_is_reported_and_loads_nothing(db, admin):
    upload = (io.BytesIO(b"npi,last_name\n1903141871,Souza\n"), "roster.csv")
    response = admin.post(
        "/admin/ingest", data={"kind": "roster", "file": upload}, content_type="multipart/form-data"
    )
    run = db.session.get(IngestRun, _finished(admin, response))
    db.session.refresh(run)
    assert run.state == "refused" and "missing required column" in run.message
    assert "Refused: nothing was loaded" in admin.get(f"/admin/ingest/{run.id}").get_data(
        as_text=True
    )


def test_server_paths_must_stay_inside_the_allowed_folder(app, db, admin, tmp_path):
    allowed = tmp_path / "imports"
    allowed.mkdir()
    (allowed / "roster.csv").write_bytes(_roster_with_a_bad_row())
    (tmp_path / "secret.csv").write_text("npi\n")
    app.config["INGEST_ALLOWED_DIR"] = str(allowed)
    for path in ("../secret.csv", str(tmp_path / "secret.csv"), "missing.csv"):
        refused = admin.post("/admin/ingest", data={"kind": "roster", "server_path": path})
        assert refused.status_code == 400, path
    assert db.session.scalars(select(IngestRun)).all() == []
    run_id = _finished(
        admin, admin.post("/admin/ingest", data={"kind": "roster", "server_path": "roster.csv"})
    )
    run = db.session.get(IngestRun, run_id)
    db.session.refresh(run)
    assert run.state == "finished" and run.path == str((allowed / "roster.csv").resolve())


def test_an_upload_needs_a_directory_file_type(admin):
    upload = (io.BytesIO(b"MZ"), "tool.exe")
    response = admin.post(
        "/admin/ingest", data={"kind": "roster", "file": upload}, content_type="multipart/form-data"
    )
    assert response.status_code == 400 and "Upload a" in response.get_data(as_text=True)


def test_progress_is_read_live_while_the_loader_runs(db, admin, monkeypatch):
    started, release = threading.Event(), threading.Event()

    class SlowKind:
        name = "roster"

        def load(self, path, report, batch_size):
            summary = LoadSummary(read=7)
            beat()  # as the batcher does after each batch: progress goes to the database
            started.set()
            release.wait(60)
            summary.read = 9
            return summary

    monkeypatch.setattr(ingest_runs, "get_kind", lambda name: SlowKind())
    upload = (io.BytesIO(b"x"), "roster.csv")
    response = admin.post(
        "/admin/ingest", data={"kind": "roster", "file": upload}, content_type="multipart/form-data"
    )
    run_id = int(response.headers["Location"].rsplit("/", 1)[1])
    try:
        assert started.wait(60)
        progress = admin.get(f"/admin/ingest/{run_id}/progress").get_json()
        assert (progress["state"], progress["rows_read"]) == ("running", 7)
        assert "7 rows read so far" in admin.get(f"/admin/ingest/{run_id}").get_data(as_text=True)
        again = admin.post(
            "/admin/ingest",
            data={"kind": "roster", "file": (io.BytesIO(b"x"), "r.csv")},
            content_type="multipart/form-data",
        )
        assert again.status_code == 400 and "Another load is running" in again.get_data(
            as_text=True
        )
    finally:
        release.set()
        wait_for(run_id, timeout=60)
    final = admin.get(f"/admin/ingest/{run_id}/progress").get_json()
    assert (final["state"], final["rows_read"], final["summary"]["read"]) == ("finished", 9, 9)


def test_the_kind_choices_come_from_the_registry(admin):
    page = admin.get("/admin/ingest").get_data(as_text=True)

    assert [kind.name for kind in KINDS] == [
        "nppes",
        "nppes-deactivations",
        "plan-net",
        "roster",
        "cms-dac",
        "hsds",
        "findtreatment",
    ]
    for kind in KINDS:
        assert f'name="kind" value="{kind.name}"' in page and str(kind.label) in page
    assert 'accept=".csv,.json,.jsonl,.ndjson,.txt"' in page


def test_a_file_of_another_kind_is_refused_with_the_kind_it_looks_like(db, admin):
    upload = (io.BytesIO(SAMPLE.read_bytes()), "plans.csv")
    response = admin.post(
        "/admin/ingest", data={"kind": "nppes", "file": upload}, content_type="multipart/form-data"
    )

    run = db.session.get(IngestRun, _finished(admin, response))
    db.session.refresh(run)
    assert run.state == "refused" and run.lease is None
    assert "this looks like a plan roster file, not an NPPES file" in run.message
    assert db.session.scalar(select(Clinician).where(Clinician.npi == "1903141871")) is None


def test_a_load_that_rejects_most_rows_is_reported_as_such(db, admin):
    lines = SAMPLE.read_text("utf-8").splitlines()
    bad = [line.replace(",MA,", ",ZZ,", 1) for line in lines[1:4]]  # no such state
    upload = (io.BytesIO("\n".join([lines[0], *bad, lines[4]]).encode() + b"\n"), "r.csv")
    response = admin.post(
        "/admin/ingest", data={"kind": "roster", "file": upload}, content_type="multipart/form-data"
    )

    run = db.session.get(IngestRun, _finished(admin, response))
    db.session.refresh(run)
    assert (run.state, run.rejected, run.summary["read"]) == ("too_many_rejects", 3, 4)
    assert run.message == "3 of 4 rows in scope were rejected, more than the 50% allowed"
    page = admin.get(f"/admin/ingest/{run.id}").get_data(as_text=True)
    assert "Finished, but too many rows were rejected" in page


def test_repairs_are_counted_and_downloadable(db, admin):
    lines = SAMPLE.read_text("utf-8").splitlines()
    header, first = lines[0], lines[1]
    zip_at = header.split(",").index("zip")
    cells = first.split(",")
    before = cells[zip_at]
    cells[zip_at] = before.lstrip("0")
    upload = (io.BytesIO(f"{header}\n{','.join(cells)}\n".encode()), "r.csv")
    response = admin.post(
        "/admin/ingest", data={"kind": "roster", "file": upload}, content_type="multipart/form-data"
    )

    run = db.session.get(IngestRun, _finished(admin, response))
    db.session.refresh(run)
    assert (run.state, run.repaired, run.summary["repaired"]) == ("finished", 1, 1)
    page = admin.get(f"/admin/ingest/{run.id}").get_data(as_text=True)
    assert "Download the repairs report (1 rows)" in page
    report = admin.get(f"/admin/ingest/{run.id}/repairs.csv").get_data(as_text=True)
    assert report.splitlines()[1].endswith(
        f"{cells[zip_at]},{before},4 digits: the leading zero(s) a spreadsheet drops restored"
    )
