"""What the referral fuzz runs need besides the document: listed clinicians and their readers.

A document cannot say which NPIs are listed or which patient is real, so the stateful run's
valid creates and re-referrals are pointed at the small referral world (tests.referrals.world);
every other value of every other request is generated.
"""

from __future__ import annotations

from schemathesis import GenerationMode

from accounts.keys import issue_api_key
from accounts.organizations import link_plans
from accounts.users import create_user
from directory.extensions import db
from referrals.models import ChecklistItem, Consent, IdempotencyKey, Referral, ReferralEvent
from tests.referrals.world import bearer, part2_consent, referral_payload, sud_payload

EVERY_SCOPE = ("directory:read", "referrals:read", "referrals:write")
CREATE = "POST /referrals"
REREFER = "POST /referrals/{referral_id}/rerefer"


def _positive(case) -> bool:
    return case.meta is not None and case.meta.generation.mode is GenerationMode.POSITIVE


def seeded_body(case, world) -> None:
    """Valid creates refer to Jane (a Part 2 one with her consent); re-referrals go to Omar."""
    if not _positive(case) or not isinstance(case.body, dict):
        return
    if case.operation.label == CREATE:
        body = sud_payload(world) if case.body.get("substance_use") else referral_payload(world)
        body["urgency"] = case.body.get("urgency", "routine")
        case.body = body
    elif case.operation.label == REREFER:
        case.body = {
            "clinician_npi": world.omar.npi,
            "location_id": world.other_location.id,
            "consent": part2_consent(world, clinician=world.omar),
        }


REFERRAL_TABLES = {
    model.__table__ for model in (ChecklistItem, Consent, IdempotencyKey, Referral, ReferralEvent)
}


def forget_referrals() -> None:
    """Delete every referral, so each stateful scenario meets the same API (as Hypothesis needs)."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        if table in REFERRAL_TABLES:
            db.session.execute(table.delete())
    db.session.commit()


def reader_keys(world) -> dict[str, str]:
    """Keys of the receiving practice (Jane's) and of the health plan, able to read referrals."""
    create_user(
        "jane@harbor.example.org",
        "clinician",
        world.practice,
        "fuzz reader passphrase",
        world.jane.npi,
    )
    link_plans(world.plan_org, [world.plan.id])
    _row, receiver = issue_api_key(world.practice, EVERY_SCOPE)
    _row, plan = issue_api_key(world.plan_org, ("referrals:read",))
    db.session.commit()
    return {"receiver": receiver, "plan": plan}


def referrals_in_every_state(app, world, referrer_key: str) -> list[int]:
    """A draft, a sent one, a sent Part 2 one with consent, and one whose consent was revoked."""
    client = app.test_client()
    auth = bearer(referrer_key)

    def create(body: dict, send: bool) -> int:
        created = client.post("/api/v1/referrals", json=body, headers=auth)
        assert created.status_code == 201, created.get_data(as_text=True)
        referral_id = created.get_json()["id"]
        if send:
            sent = client.post(
                f"/api/v1/referrals/{referral_id}/events", json={"type": "send"}, headers=auth
            )
            assert sent.status_code == 200, sent.get_data(as_text=True)
        return referral_id

    draft = create(referral_payload(world), send=False)
    sent = create(referral_payload(world), send=True)
    part2 = create(sud_payload(world), send=True)
    revoked = create(sud_payload(world), send=True)
    response = client.post(f"/api/v1/referrals/{revoked}/consent/revoke", headers=auth)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [draft, sent, part2, revoked]
