"""Referral fixtures: the small world, signed-in clients per role, a local SMTP sink."""

import pytest

from tests.referrals.care_plan_cases import build_team
from tests.referrals.program_world import build_programs
from tests.referrals.returns_cases import _acknowledged
from tests.referrals.world import build_world, referral_payload, signed_in


@pytest.fixture
def world(app):
    """Organizations, plans, locations and two clinicians (Jane at Harbor, Omar at Summit)."""
    # Test users sign in many times; a cheap hash keeps the matrix fast (never in production).
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    return build_world()


@pytest.fixture
def clinician(app, world):
    """Jane Smith's clinician user, signed in."""
    return signed_in(app, "clinician", world.practice, npi=world.jane.npi)


@pytest.fixture
def acknowledged(pcp, clinician, world):
    """Jane has acknowledged a routine depression referral from Riverside."""
    return _acknowledged(pcp, clinician, referral_payload(world))


@pytest.fixture
def team(app, db, pcp, clinician, world):
    """team(payload) -> (referral, jane, sleep goal, sud goal, task): see care_plan_cases."""
    return lambda payload: build_team(pcp, payload)


@pytest.fixture
def programs(world):
    """A food pantry and an opioid treatment program, with their staff (program_world.py)."""
    return build_programs()


from tests.outbox.receiver import receiver  # noqa: E402,F401  (fixture)
from tests.referrals.smtp_sink import smtp_sink  # noqa: E402,F401  (fixture)
