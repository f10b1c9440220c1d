"""Staff work the queue: filter, assign, resolve with a method; every read audited."""

from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from accounts.identity import Actor
from audit.models import AuditEvent
from corrections.errors import AlreadyResolved, NotStaff
from corrections.intake import file_decline
from corrections.schemas import Resolution, ResolveSchema
from corrections.staff import QueueFilter, assign, queue, resolve, verify_listing
from directory.facts import clinician, history
from tests.conftest import AuthActions
from tests.corrections.conftest import FRIDAY


def _actor(user) -> Actor:
    return Actor(
        kind="user",
        id=user.id,
        role=user.role,
        organization_id=user.organization_id,
        npis=frozenset(),
        plan_ids=frozenset(),
        scopes=frozenset(),
        label=f"user:{user.id}",
    )


@pytest.fixture
def staff(app, world):
    """Two administrators (as actors) and a PCP user who cannot own items."""
    actions = AuthActions(app, app.test_client())
    ops = actions.create_user("admin", email="ops@example.org", org=world.pcp_org)
    lead = actions.create_user("admin", email="lead@example.org", org=world.pcp_org)
    pcp = actions.create_user("pcp", email="pcp@example.org", org=world.pcp_org)
    return _actor(ops), _actor(lead), pcp


def test_overdue_filter_counts_from_the_update_clock(report, staff, world, db):
    ops, _lead, _pcp = staff
    world.jane.verify("nppes", FRIDAY)  # re-verification not due for 90 days
    report.reverify_due_at = FRIDAY + timedelta(days=90)
    db.session.commit()
    due = datetime(2026, 12, 8, 15, 0, tzinfo=UTC)

    assert queue(ops, QueueFilter(overdue=True), due) == []
    assert queue(ops, QueueFilter(overdue=True), due + timedelta(seconds=1)) == [report]


def test_every_item_shown_to_staff_is_an_audited_read(report, staff, db):
    ops, _lead, _pcp = staff

    assert queue(ops, QueueFilter(), FRIDAY) == [report]

    reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "read")).all()
    assert [(e.actor, e.object_type, e.object_id) for e in reads] == [
        (ops.label, "correction_item", str(report.id))
    ]


def test_assigning_an_owner_puts_the_item_in_progress(report, staff, world):
    ops, lead, pcp = staff
    declined = file_decline(world.omar, "not_in_network", "AcmeGold", 3, FRIDAY)

    assign(ops, report.id, lead.id)

    assert (report.owner_id, report.status) == (lead.id, "in_progress")
    assert queue(ops, QueueFilter(owner="none"), FRIDAY) == [declined]
    assert queue(lead, QueueFilter(owner="me"), FRIDAY) == [report]
    assert queue(ops, QueueFilter(owner=str(lead.id)), FRIDAY) == [report]
    with pytest.raises(NotStaff):
        assign(ops, report.id, pcp.id)


def test_resolving_as_corrected_needs_a_method_and_evidence():
    schema = ResolveSchema()

    with pytest.raises(ValidationError) as err:
        schema.load({"outcome": "corrected"})
    assert set(err.value.messages) == {"method", "evidence"}
    with pytest.raises(ValidationError):
        schema.load({"outcome": "confirmed_correct", "method": "fax", "evidence": "x"})
    # Nobody answered: nothing was verified, so no method is asked.
    assert schema.load({"outcome": "could_not_reach", "note": "3 calls"}) == Resolution(
        "could_not_reach", "3 calls", None, None
    )


def test_a_verified_resolution_verifies_the_listing_and_clears_its_flag(report, staff, world, db):
    ops, _lead, _pcp = staff
    world.jane.flagged_reason = "report"
    done = FRIDAY + timedelta(days=1)

    resolve(
        ops, report.id, Resolution("corrected", "new number", "phone_call", "Spoke to Jo"), done
    )

    assert (report.status, report.method, report.evidence) == (
        "corrected",
        "phone_call",
        "Spoke to Jo",
    )
    assert (report.resolved_by, report.resolved_at.replace(tzinfo=UTC)) == (ops.label, done)
    assert world.jane.verified_source == "staff:phone_call"
    assert world.jane.flagged_reason is None
    assert queue(ops, QueueFilter(), done) == []
    assert queue(ops, QueueFilter(status="corrected"), done) == [report]
    with pytest.raises(AlreadyResolved):
        resolve(ops, report.id, Resolution("could_not_reach"), done)


def test_could_not_reach_does_not_verify_and_the_flag_stays_while_items_are_open(
    report, staff, world, db
):
    ops, _lead, _pcp = staff
    file_decline(world.jane, "not_accepting_new_patients", None, 4, FRIDAY)
    world.jane.flagged_reason = "referral declined: not accepting new patients"

    resolve(ops, report.id, Resolution("could_not_reach", "no answer"), FRIDAY)

    assert world.jane.verified_at is None
    assert world.jane.flagged_reason == "referral declined: not accepting new patients"


def test_verifying_a_listing_records_method_and_evidence(staff, world, db):
    ops, _lead, _pcp = staff

    item = verify_listing(ops, world.omar.id, "roster", "AcmeGold roster of 1 December", FRIDAY)

    assert (item.kind, item.problem, item.status) == ("review", "reverify", "confirmed_correct")
    assert (item.method, item.evidence) == ("roster", "AcmeGold roster of 1 December")
    assert world.omar.verified_source == "staff:roster"
    assert world.omar.verified_at.replace(tzinfo=UTC) == FRIDAY


def test_a_staff_check_is_recorded_as_a_fact_observation(report, staff, world, db):
    ops, _lead, _pcp = staff
    world.jane.accepting_new_patients = False

    resolve(ops, report.id, Resolution("corrected", None, "email", "Reply of 4 Dec"), FRIDAY)

    # The check confirms every fact the listing shows, each with the method and evidence.
    found = history(clinician(world.jane.id))
    assert sorted({o.kind for o in found}) == ["accepting_new_patients", "location"]
    (seen,) = [o for o in found if o.kind == "accepting_new_patients"]
    assert {(o.source, o.method, o.source_ref) for o in found} == {
        ("staff_verification", "email", f"correction_item:{report.id}")
    }
    assert (seen.kind, seen.value, seen.source) == (
        "accepting_new_patients",
        False,
        "staff_verification",
    )
    assert (seen.method, seen.evidence, seen.actor_id) == ("email", "Reply of 4 Dec", ops.id)
    assert seen.source_ref == f"correction_item:{report.id}"
