"""The same Plan-Net resources as a folder, a Bundle or NDJSON load the same directory."""

import json

import pytest

from ingest.plan_net import load_plan_net
from ingest.report import FileRefused, RejectReport
from tests.conftest import _empty_tables
from tests.ingest.plan_net_copies import (
    as_bundle,
    as_ndjson,
    counts,
    example_resources,
    load,
    snapshot,
)
from tests.ingest.test_plan_net import IG_COUNTS, IG_EXAMPLES


@pytest.fixture
def folder_result(db, tmp_path):
    """What loading the folder of one-resource files leaves, then an empty directory again."""
    load(IG_EXAMPLES, tmp_path)
    result = snapshot()
    db.session.remove()
    _empty_tables()
    return result


def test_bundle_loads_what_the_folder_loads(folder_result, tmp_path):
    summary, rejects = load(as_bundle(tmp_path), tmp_path)

    assert counts(summary) == IG_COUNTS
    assert rejects == []
    assert snapshot() == folder_result
    assert len(folder_result["clinicians"]) == 1


def test_ndjson_folder_loads_what_the_folder_loads(folder_result, tmp_path):
    path = as_ndjson(tmp_path)
    assert len(list(path.glob("*.ndjson"))) == 8  # one file per resource type

    summary, rejects = load(path, tmp_path)

    assert counts(summary) == IG_COUNTS
    assert rejects == []
    assert snapshot() == folder_result


def test_ndjson_reload_changes_nothing(db, tmp_path):
    path = as_ndjson(tmp_path)
    load(path, tmp_path)

    summary, _ = load(path, tmp_path)

    assert counts(summary) == (49, 0, 0, 22, 3, 0)


def test_ndjson_rejects_name_the_line(db, tmp_path):
    lines = [json.dumps(r) for r in example_resources()]
    lines[3] = lines[3][:40]  # a truncated line
    lines.insert(10, "")  # blank lines are skipped, but they are still lines
    lines.insert(20, json.dumps({"resourceType": "Patient", "id": "p1"}))
    path = tmp_path / "all.ndjson"
    path.write_text("\n".join(lines) + "\n", "utf-8")

    summary, rejects = load(path, tmp_path)

    assert [(r["file"], r["line"], r["field"]) for r in rejects] == [
        ("all.ndjson", "4", "(resource)"),
        ("all.ndjson", "21", "resourceType"),
    ]
    assert (
        rejects[0]["reason"] == "invalid JSON: Unterminated string starting at (line 1 column 39)"
    )
    assert rejects[1]["reason"] == "unknown resourceType 'Patient' for Plan-Net"
    # The truncated line was HealthcareService-HamiltonClinicServices, which nothing resolves.
    assert counts(summary) == (50, 22, 0, 0, 3, 2)


def test_bundle_rejects_name_the_entry(db, tmp_path):
    path = as_bundle(tmp_path)
    bundle = json.loads(path.read_text("utf-8"))
    bundle["entry"][0] = {"fullUrl": "urn:uuid:0"}  # Endpoint-AcmeOfCTPortalEndpoint, gone
    bundle["entry"].append({"resource": {"resourceType": "Organization", "id": "Acme"}})
    path.write_text(json.dumps(bundle), "utf-8")

    summary, rejects = load(path, tmp_path)

    assert [(r["file"], r["line"], r["field"], r["reason"]) for r in rejects] == [
        ("plan-net-bundle.json", "1", "Bundle.entry.resource", "no resource"),
        ("plan-net-bundle.json", "50", "Organization.id", "duplicate Organization/Acme: first "
         "given in plan-net-bundle.json line 23"),
    ]  # fmt: skip
    assert counts(summary) == (50, 22, 0, 0, 3, 2)


def test_invalid_bundle_file_is_one_reject(db, tmp_path):
    path = tmp_path / "bundle.json"
    path.write_text('{"resourceType": "Bundle", "entry": [', "utf-8")

    summary, rejects = load(path, tmp_path)

    assert counts(summary) == (1, 0, 0, 0, 0, 1)
    assert [(r["file"], r["line"], r["field"]) for r in rejects] == [
        ("bundle.json", "1", "(resource)")
    ]


def test_folder_without_fhir_files_is_refused(db, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.txt").write_text("not FHIR", "utf-8")

    with RejectReport(tmp_path / "rejects.csv") as report, pytest.raises(FileRefused):
        load_plan_net(empty, report)
