"""Filing into the queue: public reports, referral declines, bounced contacts."""

from datetime import UTC, datetime

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from audit.models import AuditEvent
from corrections.errors import ListingNotFound
from corrections.intake import file_bounce, file_decline, file_report, reporter_ref
from corrections.models import CorrectionItem
from corrections.schemas import BounceInput, BounceSchema, ReportInput, ReportSchema
from tests.corrections.conftest import FRIDAY


def test_a_report_opens_an_item_with_both_clocks(report, world):
    assert (report.kind, report.problem, report.status) == ("report", "wrong_phone", "open")
    assert report.clinician_id == world.jane.id
    assert report.details == "Rang twice, a fax machine"
    assert report.update_due_at.replace(tzinfo=UTC) == datetime(2026, 12, 8, 15, 0, tzinfo=UTC)
    # Jane was never verified: re-verification is due the moment the report arrives.
    assert report.reverify_due_at.replace(tzinfo=UTC) == FRIDAY
    assert report.filed_by == "anonymous"


def test_the_reporter_address_is_kept_only_as_a_keyed_hash(report, db):
    assert report.reporter_ref.startswith("addr-hmac:")
    assert "203.0.113.9" not in report.reporter_ref
    assert report.reporter_ref == reporter_ref("203.0.113.9")
    assert reporter_ref("203.0.113.10") != report.reporter_ref
    assert reporter_ref(None) is None


def test_a_report_from_a_web_request_is_audited_as_anonymous(app, world, db):
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "203.0.113.9"}):
        item = file_report(world.jane.npi, ReportInput("moved"), "203.0.113.9", FRIDAY)

    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report_problem")
    ).one()
    assert (event.actor, event.object_type, event.object_id) == (
        "anonymous",
        "correction_item",
        str(item.id),
    )


def test_reverification_clock_runs_from_the_last_check(world, db):
    world.jane.verify("nppes", datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    db.session.commit()

    item = file_report(world.jane.npi, ReportInput("moved"), None, FRIDAY)

    assert item.reverify_due_at.replace(tzinfo=UTC) == datetime(2026, 12, 30, 9, 0, tzinfo=UTC)


def test_an_unknown_or_inactive_listing_cannot_be_reported(world, db):
    world.omar.active = False
    db.session.commit()

    with pytest.raises(ListingNotFound):
        file_report(world.omar.npi, ReportInput("moved"), None, FRIDAY)
    with pytest.raises(ListingNotFound):
        file_report("1234567893", ReportInput("moved"), None, FRIDAY)


def test_report_schema_takes_the_five_problems_and_short_words():
    schema = ReportSchema()

    assert schema.load({"problem": "not_in_plan", "details": "  ", "plan_id": "AcmeGold"}) == (
        ReportInput("not_in_plan", None, "AcmeGold")
    )
    with pytest.raises(ValidationError) as err:
        schema.load({"problem": "rude_staff"})
    assert "problem" in err.value.messages
    assert schema.load({"problem": "other", "details": "x" * 500}).details == "x" * 500
    with pytest.raises(ValidationError) as err:
        schema.load({"problem": "other", "details": "x" * 501})
    assert "details" in err.value.messages


def test_a_decline_files_one_open_item_per_listing_and_problem(world, db):
    first = file_decline(world.jane, "not_in_network", "AcmeGold", 7, FRIDAY)
    again = file_decline(world.jane, "not_in_network", "AcmeGold", 8, FRIDAY)
    other = file_decline(world.jane, "not_accepting_new_patients", None, 9, FRIDAY)

    assert again is first
    assert (first.kind, first.problem, first.plan_id, first.referral_id) == (
        "decline",
        "not_in_plan",
        "AcmeGold",
        7,
    )
    assert (other.problem, other.plan_id) == ("not_accepting", None)
    assert file_decline(world.jane, "not_clinical_fit", None, 10, FRIDAY) is None


def test_a_bounce_is_filed_by_staff_or_by_a_notifier(world, db):
    bounce = BounceSchema().load({"channel": "bounced_email", "contact": " intake@harbor.example "})

    item = file_bounce(None, world.omar.id, bounce, FRIDAY)

    assert (item.kind, item.problem, item.details, item.filed_by) == (
        "bounce",
        "bounced_email",
        "intake@harbor.example",
        "system",
    )
    with pytest.raises(ValidationError):
        BounceSchema().load({"channel": "bounced_email", "contact": "   "})
    with pytest.raises(ListingNotFound):
        file_bounce(None, 999999, BounceInput("bounced_phone", "617-555-0100"), FRIDAY)
    assert db.session.scalar(select(CorrectionItem.status).where(CorrectionItem.id == item.id)) == (
        "open"
    )
