"""Loaders without cost data leave cost unknown (never "free" or "no"), and a re-load keeps what
a clinician or staff said; a record that states cost is merged and observed as its source's."""

from datetime import UTC, datetime

from sqlalchemy import select

from directory.cost import COST_FACTS, Cost, cost_of
from directory.cost_facts import set_cost
from directory.facts import clinician as subject
from directory.facts import history
from directory.models import Clinician
from ingest.records import ClinicianRecord
from ingest.report import LoadSummary
from ingest.saving import save_clinicians
from tests.ingest.test_nppes import SAMPLE, load, rewrite

SAID = datetime(2026, 1, 5, tzinfo=UTC)


def test_a_loaded_nppes_file_leaves_every_cost_unknown(db, tmp_path):
    load(SAMPLE, tmp_path)

    rows = db.session.scalars(select(Clinician)).all()
    assert len(rows) == 12
    assert all(not cost_of(c).known for c in rows)
    kinds = {o.kind for c in rows for o in history(subject(c.id))}
    assert not kinds & set(COST_FACTS)


def test_a_reload_keeps_the_cost_a_clinician_stated(db, tmp_path):
    load(SAMPLE, tmp_path)
    brady = db.session.scalar(select(Clinician).where(Clinician.npi == "1902809676"))
    set_cost(brady, Cost(fee_min=90, fee_max=90, medicaid=True), "self_reported", observed_at=SAID)
    db.session.commit()
    changed = rewrite(
        SAMPLE,
        tmp_path / "npidata_changed.csv",
        {"1902809676": {"Provider First Name": "MOYRA", "Last Update Date": "01/15/2019"}},
    )

    assert load(changed, tmp_path).updated == 1

    db.session.expire_all()
    brady = db.session.scalar(select(Clinician).where(Clinician.npi == "1902809676"))
    assert brady.first_name == "Moyra"
    assert cost_of(brady) == Cost(fee_min=90, fee_max=90, medicaid=True)


def test_a_record_that_states_cost_is_merged_and_observed(db):
    first = ClinicianRecord(npi="1902809676", last_name="Brady", source="nppes")
    save_clinicians([first], LoadSummary())
    brady = db.session.scalar(select(Clinician).where(Clinician.npi == "1902809676"))
    set_cost(brady, Cost(sliding_scale=True), "self_reported", observed_at=SAID)
    db.session.commit()
    stated = ClinicianRecord(
        npi="1902809676", last_name="Brady", source="roster:acme", cost=Cost(medicare=True)
    )

    save_clinicians([stated], LoadSummary())
    db.session.commit()

    db.session.expire_all()
    brady = db.session.scalar(select(Clinician).where(Clinician.npi == "1902809676"))
    assert cost_of(brady) == Cost(sliding_scale=True, medicare=True)
    said = {(o.kind, o.source) for o in history(subject(brady.id))}
    assert ("accepts_medicare", "roster") in said
