"""A clinician sees and answers only the reports about their own listing."""

from datetime import UTC

import pytest
from sqlalchemy import select

from accounts.identity import Actor
from audit.models import AuditEvent
from corrections.errors import ItemNotFound
from corrections.intake import file_report
from corrections.portal import answer, own_reports
from corrections.schemas import Answer, ReportInput
from corrections.staff import verify_listing
from directory.facts import clinician, history
from tests.corrections.conftest import FRIDAY


def _clinician(npi: str, user_id: int = 41) -> Actor:
    return Actor(
        kind="user",
        id=user_id,
        role="clinician",
        organization_id=None,
        npis=frozenset({npi}),
        plan_ids=frozenset(),
        scopes=frozenset(),
        label=f"user:{user_id}",
    )


def test_a_clinician_sees_only_reports_about_their_own_listing(report, world, db):
    omar_report = file_report(world.omar.npi, ReportInput("moved"), None, FRIDAY)
    verify_listing(_clinician(world.jane.npi, 99), world.jane.id, "email", "reply", FRIDAY)

    assert own_reports(_clinician(world.jane.npi)) == [report]
    assert own_reports(_clinician(world.omar.npi, 42)) == [omar_report]
    reads = db.session.scalars(
        select(AuditEvent.object_id).where(
            AuditEvent.action == "read", AuditEvent.actor == "user:41"
        )
    ).all()
    assert reads == [str(report.id)]


def test_confirming_resolves_the_report_as_a_portal_attestation(report, world):
    answer(_clinician(world.jane.npi), report.id, Answer("confirm", "Number is right"), FRIDAY)

    assert (report.status, report.method, report.outcome_note) == (
        "confirmed_correct",
        "portal_attestation",
        "Number is right",
    )
    assert world.jane.verified_source == "attestation"
    assert world.jane.verified_at.replace(tzinfo=UTC) == FRIDAY


def test_correcting_resolves_the_report_as_corrected(report, world):
    answer(
        _clinician(world.jane.npi), report.id, Answer("correct", "New line 617-555-0199"), FRIDAY
    )

    assert (report.status, report.resolved_by) == ("corrected", "user:41")


def test_another_clinicians_report_cannot_be_answered(report, world, db):
    with pytest.raises(ItemNotFound):
        answer(_clinician(world.omar.npi, 42), report.id, Answer("confirm"), FRIDAY)

    assert report.status == "open"
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "answer", AuditEvent.outcome == "denied")
    ).one()
    assert denied.object_id == str(report.id)


def test_a_clinician_answer_is_recorded_as_their_attestation(report, world):
    answer(_clinician(world.jane.npi), report.id, Answer("confirm"), FRIDAY)

    found = history(clinician(world.jane.id))
    assert sorted({o.kind for o in found}) == ["accepting_new_patients", "location"]
    (seen,) = [o for o in found if o.kind == "accepting_new_patients"]
    assert (seen.source, seen.method, seen.actor_id) == (
        "clinician_attestation",
        "portal_attestation",
        41,
    )
