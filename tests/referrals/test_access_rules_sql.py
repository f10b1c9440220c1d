"""The access rules on a database: the plan's organization as a consent party, and the SQL
filter of visible referrals against the same rules as the pure cases (test_access_rules.py)."""

from datetime import UTC, datetime
from types import SimpleNamespace

from referrals.disclosure import (
    disclosure_for,
    organization_party,
)
from referrals.listing import visible_referrals
from referrals.models import Referral
from tests.referrals.access_cases import SENT, TODAY, _actor, _consent, _referral
from tests.referrals.world import referral_payload

# --- the plan's organization, and the SQL filter, on a database ----------------------------


def test_organization_party(app, world, db):
    assert organization_party(None).npis == frozenset()
    assert organization_party(None).organization_names == frozenset()
    assert organization_party(world.practice.id).npis == {world.practice.npi}
    plan = organization_party(world.plan_org.id)
    assert (plan.npis, plan.organization_names) == (frozenset(), {"Acme Health Plan"})


def test_plan_staff_see_content_when_the_consent_names_their_plan(app, world, db):
    staff = SimpleNamespace(organization_id=world.plan_org.id)
    named = _consent(recipients=[{"name": "Acme Health Plan", "npi": None}])
    for consent, allowed in ((named, True), (_consent(), False)):
        referral = _referral(part2=True, consent=consent)
        assert disclosure_for(staff, frozenset({"plan"}), referral, TODAY).allowed is allowed


def db_scalars(query):
    """The ids a visible_referrals query finds."""
    from directory.extensions import db

    return db.session.scalars(query.with_only_columns(Referral.id))


def _ids(actor) -> list[int]:
    return list(db_scalars(visible_referrals(actor)))


def test_the_sql_filter_follows_the_same_rules(app, world, db, pcp):
    created = [
        pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
        for _ in range(3)
    ]
    blank, none, sent = (db.session.get(Referral, rid) for rid in created)
    blank.patient_member_id = "  "
    none.patient_member_id = None
    sent.sent_at = SENT
    db.session.commit()
    staff = _actor("plan_staff", world.plan_org.id, plans=[world.plan.id])
    assert _ids(staff) == [sent.id]
    clinician_of_referrer = _actor("clinician", world.pcp_org.id)
    assert _ids(clinician_of_referrer) == []
    receiver = _actor("clinician", world.practice.id, npis=[world.jane.npi])
    assert _ids(receiver) == [sent.id]
    assert _ids(_actor(org=None)) == []  # no organization, NPI or plan: nothing
    assert _ids(_actor(org=world.pcp_org.id)) == [sent.id, none.id, blank.id]
    assert _ids(_actor(role="admin", org=None)) == [sent.id, none.id, blank.id]
    assert _ids(None) == []


def test_the_sql_filter_pages_newest_first(app, world, db, pcp):
    created = [
        pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
        for _ in range(3)
    ]
    first = db.session.get(Referral, created[0])
    first.created_at = datetime(2030, 1, 1, tzinfo=UTC)  # the newest, though made first
    first.status = "cancelled"
    db.session.commit()
    actor = _actor(org=world.pcp_org.id)
    assert list(db_scalars(visible_referrals(actor))) == [created[0], created[2], created[1]]
    assert list(db_scalars(visible_referrals(actor, limit=1, offset=1))) == [created[2]]
    assert list(db_scalars(visible_referrals(actor, ["cancelled"]))) == [created[0]]
    assert list(db_scalars(visible_referrals(actor, ["draft"]))) == [created[2], created[1]]
    for rid in created[1:]:
        db.session.get(Referral, rid).created_at = datetime(2029, 1, 1, tzinfo=UTC)
    db.session.commit()
    # Made at the same moment: the later id first.
    assert list(db_scalars(visible_referrals(actor, ["draft"]))) == [created[2], created[1]]
