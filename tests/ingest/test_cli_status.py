"""`flask ingest`: the exit status says how the load went, and a file of another kind is named."""

import json

import pytest

from ingest.kinds import KINDS, get_kind, kind_names, looks_like, upload_suffixes
from ingest.report import LoadSummary
from tests.ingest import plan_net_copies as plan_net
from tests.ingest import roster_files as roster
from tests.ingest import test_nppes_rejects as nppes
from tests.ingest.test_nppes import IN_SCOPE

NPPES_ORGS = nppes.SAMPLE.with_name("npidata_organizations_40.csv")


def _bad_npi(npi: str) -> str:
    return npi[:-1] + str((int(npi[-1]) + 1) % 10)


def _nppes_with_bad_npis(tmp_path, count: int):
    """The NPPES sample with `count` of its 12 in-scope clinicians given a wrong check digit."""
    chosen = sorted(IN_SCOPE)[:count]
    path = tmp_path / "npidata_broken.csv"
    path.write_bytes(nppes.encode(nppes.edited({n: {"NPI": _bad_npi(n)} for n in chosen})))
    return path


def _ingest(runner, tmp_path, kind: str, path, *options: str):
    rejects = tmp_path / "rejects.csv"
    return runner.invoke(args=["ingest", kind, str(path), "--rejects", str(rejects), *options])


@pytest.mark.parametrize(
    ("bad", "options", "status"),
    [
        (0, (), 0),
        (6, (), 0),  # exactly half of the 12 in scope: not more than the default 0.5
        (7, (), 3),
        (12, (), 3),  # every row in scope rejected
        (12, ("--max-reject-rate", "1"), 3),  # every row rejected fails whatever the rate
        (1, ("--max-reject-rate", "0"), 3),
        (11, ("--max-reject-rate", "0.95"), 0),
    ],
)
def test_the_exit_status_counts_rejects_among_the_rows_in_scope(
    runner, db, tmp_path, bad, options, status
):
    result = _ingest(runner, tmp_path, "nppes", _nppes_with_bad_npis(tmp_path, bad), *options)

    assert result.exit_code == status, result.output
    assert f"inserted {12 - bad} " in result.output  # the good rows load either way


def test_the_failure_says_how_many_were_rejected(runner, db, tmp_path):
    every = _ingest(runner, tmp_path, "nppes", _nppes_with_bad_npis(tmp_path, 12))
    most = _ingest(runner, tmp_path, "nppes", _nppes_with_bad_npis(tmp_path, 7))

    assert "Failed: 12 of 12 rows in scope were rejected: nothing was loaded" in every.output
    assert "Failed: 7 of 12 rows in scope were rejected, more than the 50% allowed" in most.output


def test_a_file_with_nothing_in_scope_loads_with_status_0(runner, db, tmp_path):
    result = _ingest(runner, tmp_path, "nppes", NPPES_ORGS)

    assert result.exit_code == 0, result.output
    assert "read 40 · inserted 0 · updated 0 · unchanged 0 · out of scope 40" in result.output


def test_a_refused_file_exits_4(runner, db, tmp_path):
    headerless = tmp_path / "npidata_no_npi.csv"
    headerless.write_bytes(nppes.encode([row[1:] for row in nppes.sample_rows()]))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")

    missing = _ingest(runner, tmp_path, "nppes", headerless)
    nothing = _ingest(runner, tmp_path, "roster", empty)

    assert missing.exit_code == 4 and "missing required column(s): NPI" in missing.output
    assert nothing.exit_code == 4 and "empty.csv: the file is empty" in nothing.output


@pytest.mark.parametrize(
    ("given_as", "source", "named"),
    [
        ("roster", "nppes", "npidata.csv: this looks like an NPPES file, not a plan roster file"),
        ("nppes", "roster", "roster.csv: this looks like a plan roster file, not an NPPES file"),
        ("plan-net", "nppes", "this looks like an NPPES file, not a FHIR Plan-Net file"),
        ("roster", "ndjson", "Practitioner.ndjson: this looks like a FHIR Plan-Net file, not a"),
        ("nppes", "bundle", "plan-net-bundle.json: this looks like a FHIR Plan-Net file, not an"),
    ],
)
def test_a_file_of_another_kind_is_named_and_nothing_loads(
    runner, db, tmp_path, given_as, source, named
):
    path = _sample(tmp_path, source)

    result = _ingest(runner, tmp_path, given_as, path)

    assert result.exit_code == 4, result.output
    assert named in result.output and "nothing was loaded" in result.output


def _sample(tmp_path, source: str):
    if source == "nppes":
        path = tmp_path / "npidata.csv"
        path.write_bytes(nppes.SAMPLE.read_bytes())
        return path
    if source == "roster":
        path = tmp_path / "roster.csv"
        path.write_bytes(roster.SAMPLE.read_bytes())
        return path
    if source == "ndjson":
        return plan_net.as_ndjson(tmp_path) / "Practitioner.ndjson"
    return plan_net.as_bundle(tmp_path)


def test_sniffing_tells_every_sample_apart(tmp_path):
    samples = {name: _sample(tmp_path, name) for name in ("nppes", "roster", "ndjson", "bundle")}
    folder = plan_net.IG_EXAMPLES

    found = {name: [k.name for k in looks_like(path)] for name, path in samples.items()}

    assert found == {
        "nppes": ["nppes"],
        "roster": ["roster"],
        "ndjson": ["plan-net"],
        "bundle": ["plan-net"],
    }
    assert [k.name for k in looks_like(folder)] == ["plan-net"]
    assert looks_like(NPPES_ORGS) == [get_kind("nppes")]  # same layout, entity type 2


def test_a_file_of_no_known_kind_gets_the_loaders_own_message(runner, db, tmp_path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"resourceType": "Patient", "id": "p"}), "utf-8")
    stray = tmp_path / "stray.csv"
    stray.write_text("npi,last_name\n1903141871,Souza\n", "utf-8")

    as_plan_net = _ingest(runner, tmp_path, "plan-net", other)
    as_roster = _ingest(runner, tmp_path, "roster", stray)

    assert as_plan_net.exit_code == 3, as_plan_net.output  # its one resource is rejected
    assert as_roster.exit_code == 4 and "missing required column(s): plan_id" in as_roster.output


def test_the_cli_has_one_subcommand_per_registered_kind(runner):
    from ingest.cli import ingest_cli

    assert sorted(ingest_cli.commands) == sorted(kind_names())
    assert kind_names() == (
        "nppes",
        "nppes-deactivations",
        "plan-net",
        "roster",
        "cms-dac",
        "hsds",
        "findtreatment",
    )
    assert {".csv", ".json", ".ndjson"} <= upload_suffixes()
    assert all(len(kind.name) <= 20 for kind in KINDS)  # IngestRun.kind holds 20


def test_status_of_a_summary_pins_the_boundaries():
    assert LoadSummary(read=10, rejected=5).status(0.5) == 0
    assert LoadSummary(read=10, rejected=6).status(0.5) == 3
    assert LoadSummary(read=10, out_of_scope=4, rejected=3).status(0.5) == 0
    assert LoadSummary(read=10, out_of_scope=4, rejected=4).status(0.5) == 3
    assert LoadSummary(read=3, out_of_scope=3).status(0.0) == 0
    assert LoadSummary(read=0).status(0.0) == 0
    assert LoadSummary(read=2, rejected=2).status(1.0) == 3


def test_load_file_runs_a_kind_outside_the_cli(db, tmp_path):
    from ingest.kinds import load_file
    from ingest.report import FileRefused

    summary, report = load_file("roster", roster.SAMPLE, tmp_path / "r.csv", batch_size=7)

    assert (summary.read, summary.inserted, report.count) == (41, 25, 0)
    with pytest.raises(FileRefused, match="this looks like a plan roster file, not an NPPES"):
        load_file("nppes", roster.SAMPLE, tmp_path / "n.csv")
    with pytest.raises(ValueError, match="unknown ingest kind 'ndh'"):
        load_file("ndh", roster.SAMPLE, tmp_path / "c.csv")
