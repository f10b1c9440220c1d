"""Signed-in clients of the referral world, for any test module with a `world` fixture (loaded
by tests/conftest.py; a module's own fixture of the same name wins)."""

import pytest

from tests.referrals.world import signed_in


@pytest.fixture
def pcp(app, world):
    """A PCP of Riverside Primary Care, signed in."""
    return signed_in(app, "pcp", world.pcp_org)


@pytest.fixture
def jane(app, world):
    """Jane Smith's clinician user at Harbor Counseling, signed in."""
    return signed_in(app, "clinician", world.practice, npi=world.jane.npi)


@pytest.fixture
def staff(app, world):
    """Plan staff of Acme Health Plan, for its plan, signed in."""
    return signed_in(app, "plan_staff", world.plan_org, plans=[world.plan.id])
