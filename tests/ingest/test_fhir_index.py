"""The first pass keeps where each NDJSON resource starts, not the resource; the second reads it."""

import json

import pytest

from ingest.fhir_files import NdjsonLines
from ingest.plan_net import read_index
from ingest.report import FileRefused, LoadSummary, RejectReport


def practitioner(rid: str, family: str) -> dict:
    return {
        "resourceType": "Practitioner",
        "id": rid,
        "name": [{"family": family}],
        "text": {"status": "generated", "div": "<div>narrative</div>"},
    }


def write_ndjson(path, resources, blank_after_first=True):
    lines = [json.dumps(r) for r in resources]
    if blank_after_first:
        lines.insert(1, "   ")  # a blank line is skipped, and moves every later offset
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def index_of(path, tmp_path):
    with RejectReport(tmp_path / "rejects.csv") as report:
        return read_index(path, report, LoadSummary())


def test_ndjson_resources_are_read_again_as_the_first_pass_read_them(tmp_path):
    given = [practitioner(f"p{i}", f"Family {i}") for i in range(3)]
    index = index_of(write_ndjson(tmp_path / "Practitioner.ndjson", given), tmp_path)
    try:
        found = list(index.of_type("Practitioner"))
        assert [item.kept for item in found] == [None, None, None]
        assert [item.line for item in found] == [1, 3, 4]
        assert [item.resource["name"][0]["family"] for item in found] == [
            "Family 0",
            "Family 1",
            "Family 2",
        ]
        assert all("text" not in item.resource for item in found)  # narrative dropped again
        assert found[1].resource is found[1].resource  # recent ones stay parsed
    finally:
        index.close()


def test_bundle_resources_are_kept_parsed(tmp_path):
    bundle = {
        "resourceType": "Bundle",
        "entry": [{"resource": practitioner("b1", "Bundled")}],
    }
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    index = index_of(path, tmp_path)

    (item,) = index.of_type("Practitioner")
    assert item.kept is not None and item.at is None
    assert item.resource["name"][0]["family"] == "Bundled"


def test_only_the_most_recently_read_stay_parsed(tmp_path):
    path = write_ndjson(
        tmp_path / "p.ndjson", [practitioner(f"p{i}", "F") for i in range(3)], False
    )
    offsets = [0]
    for line in path.read_bytes().splitlines(keepends=True)[:-1]:
        offsets.append(offsets[-1] + len(line))
    lines = NdjsonLines(keep=2)
    try:
        first = lines.resource((path, offsets[0]), "Practitioner", "p0")
        second = lines.resource((path, offsets[1]), "Practitioner", "p1")
        assert lines.resource((path, offsets[0]), "Practitioner", "p0") is first
        lines.resource((path, offsets[2]), "Practitioner", "p2")  # p1 is the oldest: dropped
        assert lines.resource((path, offsets[0]), "Practitioner", "p0") is first
        again = lines.resource((path, offsets[1]), "Practitioner", "p1")
        assert again == second and again is not second  # parsed anew from its line
    finally:
        lines.close()


def test_a_file_changed_between_the_passes_is_refused(tmp_path):
    path = write_ndjson(tmp_path / "Practitioner.ndjson", [practitioner("p0", "A")], False)
    index = index_of(path, tmp_path)
    (item,) = index.of_type("Practitioner")
    write_ndjson(path, [practitioner("other", "B")], False)
    try:
        with pytest.raises(FileRefused, match="changed while it was loading"):
            _ = item.resource
    finally:
        index.close()
