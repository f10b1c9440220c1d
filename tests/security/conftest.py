"""The Part 2 world (tests/security/test_part2*.py): Nicole Thompson joins the referral world;
the PCP, Jane, plan staff and the receiving practice's key."""

import pytest

from directory.extensions import db
from directory.models import Clinician, ClinicianLocation
from tests.referrals.world import bearer, build_world, make_npi


@pytest.fixture
def world(app):
    """The referral world plus Nicole Thompson, LICSW, at Harbor Counseling."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"  # fast sign-ins in tests
    w = build_world()
    w.nicole = Clinician(
        npi=make_npi(3), first_name="Nicole", last_name="Thompson", credentials=["LICSW"]
    )
    w.nicole.locations.append(ClinicianLocation(location=w.location, organization=w.practice))
    db.session.add(w.nicole)
    db.session.commit()
    return w


@pytest.fixture
def practice_key(app, world, make_api_key, jane):
    """The receiving practice's API key (it acts for Jane's NPI through her user)."""
    return bearer(make_api_key(world.practice, ("referrals:read", "referrals:write")))
