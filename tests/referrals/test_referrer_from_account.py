"""Creating a referral names the signed-in account's person when the input names no referrer."""

from __future__ import annotations

from datetime import UTC, datetime

from accounts.identity import actor_for_user
from accounts.models import User
from referrals import use_cases
from tests.referrals.world import referral_payload

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def _named(db, client) -> User:
    user = db.session.get(User, client.user.id)
    user.full_name, user.credentials, user.phone = "Dana Whitfield", "NP", "617-555-0142"
    db.session.commit()
    return user


def test_no_referrer_in_the_body_names_the_account(pcp, world, db):
    user = _named(db, pcp)
    referral = use_cases.create(actor_for_user(user), referral_payload(world), NOW).referral
    assert (referral.referrer_name, referral.referrer_phone, referral.referrer_email) == (
        "Dana Whitfield, NP",
        "617-555-0142",
        user.email,
    )


def test_the_body_referrer_wins_field_by_field(pcp, world, db):
    user = _named(db, pcp)
    body = referral_payload(world, referrer={"name": "Front desk", "email": "desk@clinic.example"})
    referral = use_cases.create(actor_for_user(user), body, NOW).referral
    assert (referral.referrer_name, referral.referrer_phone, referral.referrer_email) == (
        "Front desk",
        "617-555-0142",  # the body gave no phone
        "desk@clinic.example",
    )


def test_an_account_without_details_gives_its_email_only(pcp, world, db):
    user = db.session.get(User, pcp.user.id)
    referral = use_cases.create(actor_for_user(user), referral_payload(world), NOW).referral
    assert (referral.referrer_name, referral.referrer_phone) == (None, None)
    assert referral.referrer_email == user.email


def test_the_api_names_the_account_too(pcp, world, db):
    _named(db, pcp)
    response = pcp.post("/api/v1/referrals", json=referral_payload(world))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["referrer"] == {
        "name": "Dana Whitfield, NP",
        "phone": "617-555-0142",
        "email": pcp.user.email,
    }
