"""Hostile and careless files: a bad row is one reject with its line, never an aborted load.

Each case runs on SQLite and on PostgreSQL (TEST_DATABASE_URL): PostgreSQL text cannot hold a
NUL, so before these checks one NUL aborted a whole load there (0 of 12 NPPES clinicians kept)
while SQLite stored it. Every string a loader reads now passes one check (ingest.storable)
before it can reach the database, and nesting deep enough to exhaust the stack is one reject.
"""

import json
from pathlib import Path

from sqlalchemy import func, select

from directory.models import Clinician, Location, Network, Organization
from tests.ingest import plan_net_copies as plan_net
from tests.ingest import roster_files as roster
from tests.ingest import test_nppes_rejects as nppes

NUL_REASON = "contains a NUL character (0x00), which the database cannot store"
TOO_DEEP = "JSON nested deeper than 100 levels"
LINE1 = "Provider First Line Business Practice Location Address"
CLEAN = (49, 22, 0, 0, 3, 0)  # the IG examples: read, inserted, updated, unchanged, out, rejected


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- NUL in CSV loaders ------------------------------------------------------------------


def test_a_nul_in_an_nppes_row_rejects_that_row_and_the_other_11_load(db, tmp_path):
    rows = nppes.edited({"1184627184": {LINE1: "12 MAIN\x00 ST"}})

    summary, rejects = nppes.load(tmp_path, nppes.encode(rows))

    assert rejects == [nppes.reject(20, LINE1, "12 MAIN\\x00 ST", NUL_REASON)]
    assert (summary.read, summary.inserted, summary.out_of_scope, summary.rejected) == (
        300,
        11,
        288,
        1,
    )
    assert len(nppes.loaded(db)) == 11 and "1184627184" not in nppes.loaded(db)


def test_a_nul_in_an_out_of_scope_nppes_row_costs_nothing(db, tmp_path):
    # The cardiologist on line 2 is parsed (the raw filter keeps unsure lines) but not kept.
    rows = nppes.edited({"1255334207": {LINE1: "\x00"}})

    summary, rejects = nppes.load(tmp_path, nppes.encode(rows))

    assert rejects == []
    assert (summary.inserted, summary.out_of_scope, summary.rejected) == (12, 288, 0)


def test_a_nul_in_a_roster_row_rejects_that_row_and_the_rest_load(db, tmp_path):
    header, rows = roster.sample_rows()
    nguyen = next(r for r in rows if r["npi"] == "1908378320")  # line 14, her only row
    nguyen["city"] = "Dorchester\x00"
    path = roster.write_roster(tmp_path / "nul.csv", header, rows)

    summary, rejects = roster.load(path, tmp_path)

    assert rejects == [
        {
            "file": "nul.csv",
            "line": "14",
            "field": "city",
            "value": "Dorchester\\x00",
            "reason": NUL_REASON,
        }
    ]
    assert (summary.read, summary.inserted, summary.out_of_scope, summary.rejected) == (
        41,
        24,
        1,
        1,
    )
    assert _count(db, Clinician) == 24


# --- Unstorable strings at any depth in FHIR resources --------------------------------------


def _deep_given_name(resource: dict) -> None:
    resource["name"][0]["given"] = ["Sam", "Ann\x00"]


def test_a_nul_deep_inside_a_plan_net_resource_rejects_that_resource(db, tmp_path):
    folder = plan_net.copy_examples(tmp_path)
    plan_net.edit(folder, "Practitioner-Counselor.json", _deep_given_name)

    summary, rejects = plan_net.load(folder, tmp_path)

    assert rejects == [
        {
            "file": "Practitioner-Counselor.json",
            "line": "1",
            "field": "Practitioner.name[0].given[1]",
            "value": "Ann\\x00",
            "reason": NUL_REASON,
        }
    ]
    # The counselor is the one clinician; networks, plans, organizations, locations all load.
    assert plan_net.counts(summary) == (49, 21, 0, 0, 3, 1)
    assert (_count(db, Clinician), _count(db, Network), _count(db, Location)) == (0, 4, 8)


def test_a_nul_on_an_ndjson_line_names_the_line(db, tmp_path):
    folder = plan_net.copy_examples(tmp_path / "src")
    plan_net.edit(folder, "Location-HospLoc2.json", lambda r: r["address"].update(city="Hart\x00"))
    ndjson = plan_net.as_ndjson(tmp_path, folder)

    summary, rejects = plan_net.load(ndjson, tmp_path)

    # Location.ndjson holds the locations in file-name order: HospLoc2 is the fourth line.
    assert [(r["file"], r["line"], r["field"], r["value"]) for r in rejects] == [
        ("Location.ndjson", "4", "Location.address.city", "Hart\\x00")
    ]
    assert plan_net.counts(summary) == (49, 21, 0, 0, 3, 1)


def test_a_lone_surrogate_in_a_key_or_value_is_rejected(db, tmp_path):
    folder = plan_net.copy_examples(tmp_path)
    plan_net.edit(folder, "Organization-Hospital.json", lambda r: r.update(name="Hosp\ud800"))
    plan_net.edit(folder, "Organization-BigBox.json", lambda r: r.update({"\udfffx": 1}))

    summary, rejects = plan_net.load(folder, tmp_path)

    assert [(r["file"], r["field"], r["reason"]) for r in rejects] == [
        (
            "Organization-BigBox.json",
            "Organization.\\udfffx",
            "contains a lone surrogate (U+DFFF), which is not valid text",
        ),
        (
            "Organization-Hospital.json",
            "Organization.name",
            "contains a lone surrogate (U+D800), which is not valid text",
        ),
    ]
    assert summary.rejected == 2 and _count(db, Organization) == 7


def test_a_nul_in_the_dropped_narrative_is_no_fault(db, tmp_path):
    folder = plan_net.copy_examples(tmp_path)
    plan_net.edit(
        folder, "Practitioner-Counselor.json", lambda r: r.update(text={"div": "<div>\x00</div>"})
    )

    summary, rejects = plan_net.load(folder, tmp_path)

    assert rejects == [] and plan_net.counts(summary) == CLEAN


# --- Deeply nested JSON ---------------------------------------------------------------------


def _nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def _deep_practitioner(levels: int, rid: str = "Deep") -> str:
    return f'{{"resourceType": "Practitioner", "id": "{rid}", "extension": {_nested(levels)}}}'


def test_a_50k_deep_ndjson_line_is_rejected_and_the_rest_loads(db, tmp_path):
    ndjson = plan_net.as_ndjson(tmp_path)
    with (ndjson / "Practitioner.ndjson").open("a", encoding="utf-8") as f:
        f.write(_deep_practitioner(50_000) + "\n")
        f.write(_deep_practitioner(150, "Deep150") + "\n")  # parses, but deeper than 100

    summary, rejects = plan_net.load(ndjson, tmp_path)

    assert [(r["file"], r["line"], r["field"], r["reason"]) for r in rejects] == [
        ("Practitioner.ndjson", "4", "(resource)", TOO_DEEP),
        ("Practitioner.ndjson", "5", "(resource)", TOO_DEEP),
    ]
    assert plan_net.counts(summary) == (51, 22, 0, 0, 3, 2)
    assert plan_net.only_clinician().npi == "9941339100"


def test_exactly_100_levels_load_and_101_do_not(db, tmp_path):
    ndjson = plan_net.as_ndjson(tmp_path)
    # The resource is level 1; its "extension" array level 2, so 99 nested arrays reach 100.
    with (ndjson / "Endpoint.ndjson").open("a", encoding="utf-8") as f:
        f.write(_deep_practitioner(99, "At100").replace("Practitioner", "Endpoint") + "\n")
        f.write(_deep_practitioner(100, "At101").replace("Practitioner", "Endpoint") + "\n")

    summary, rejects = plan_net.load(ndjson, tmp_path)

    assert [(r["line"], r["reason"]) for r in rejects] == [("3", TOO_DEEP)]
    assert summary.read == 51 and summary.rejected == 1


def _bundle_with(tmp_path: Path, *extra: str) -> Path:
    """The IG examples as a Bundle whose entry list starts with the given entries' JSON text."""
    path = plan_net.as_bundle(tmp_path)
    text = path.read_text("utf-8")
    first = '"entry": ['
    path.write_text(text.replace(first, first + "".join(e + ", " for e in extra), 1), "utf-8")
    return path


def test_a_deep_bundle_entry_is_rejected_and_the_other_entries_load(db, tmp_path):
    deep = f'{{"resource": {_deep_practitioner(50_000)}}}'
    shallow_but_too_deep = f'{{"resource": {_deep_practitioner(150, "Deep150")}}}'
    path = _bundle_with(tmp_path, shallow_but_too_deep, deep)

    summary, rejects = plan_net.load(path, tmp_path)

    assert [(r["line"], r["field"], r["reason"]) for r in rejects] == [
        ("1", "(resource)", TOO_DEEP),
        ("2", "Bundle.entry", TOO_DEEP),
    ]
    assert plan_net.counts(summary) == (51, 22, 0, 0, 3, 2)


def test_a_deep_one_resource_file_is_one_reject(db, tmp_path):
    folder = plan_net.copy_examples(tmp_path)
    (folder / "Practitioner-Deep.json").write_text(_deep_practitioner(50_000), "utf-8")

    summary, rejects = plan_net.load(folder, tmp_path)

    assert [(r["file"], r["line"], r["reason"]) for r in rejects] == [
        ("Practitioner-Deep.json", "1", TOO_DEEP)
    ]
    assert plan_net.counts(summary) == (50, 22, 0, 0, 3, 1)


# --- Byte order marks -------------------------------------------------------------------------


def test_a_bom_on_ndjson_line_1_is_stripped(db, tmp_path):
    ndjson = plan_net.as_ndjson(tmp_path)
    for path in ndjson.glob("*.ndjson"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    summary, rejects = plan_net.load(ndjson, tmp_path)

    assert rejects == [] and plan_net.counts(summary) == CLEAN


def test_a_bom_on_a_bundle_or_one_resource_file_is_stripped(db, tmp_path):
    bundle = plan_net.as_bundle(tmp_path)
    bundle.write_bytes(b"\xef\xbb\xbf" + bundle.read_bytes())
    folder = plan_net.copy_examples(tmp_path)
    counselor = folder / "Practitioner-Counselor.json"
    counselor.write_bytes(b"\xef\xbb\xbf" + counselor.read_bytes())

    from_bundle, bundle_rejects = plan_net.load(bundle, tmp_path)
    from_folder, folder_rejects = plan_net.load(folder, tmp_path)

    assert bundle_rejects == [] and plan_net.counts(from_bundle) == CLEAN
    assert folder_rejects == [] and plan_net.counts(from_folder) == (49, 0, 0, 22, 3, 0)


def test_the_bundle_splitter_keeps_strings_that_look_like_structure(tmp_path):
    from ingest.bundle_split import split_array

    text = json.dumps(
        {"resourceType": "Bundle", "note": 'entry": [ ]', "entry": [{"a": "],[{"}, [1, [2]], 3]}
    )

    shell, items = split_array(text, "entry")

    assert shell == {"resourceType": "Bundle", "note": 'entry": [ ]', "entry": []}
    assert [json.loads(item) for item in items] == [{"a": "],[{"}, [1, [2]], 3]


def test_references_to_a_resource_refused_on_reading_are_dropped_not_dangling(db, tmp_path):
    # Acme owns both networks and both plans: refusing it must not refuse them.
    folder = plan_net.copy_examples(tmp_path)
    plan_net.edit(folder, "Organization-Acme.json", lambda r: r.update(name="Acme\x00"))

    summary, rejects = plan_net.load(folder, tmp_path)

    assert [(r["file"], r["field"]) for r in rejects] == [
        ("Organization-Acme.json", "Organization.name")
    ]
    assert plan_net.counts(summary) == (49, 21, 0, 0, 3, 1)
    payers = {n.id: n.payer for n in db.session.scalars(select(Network))}
    assert len(payers) == 4 and set(payers.values()) == {None}
