"""Queue fixtures: the small referral world, signed-in clients, a filed public report."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from corrections.intake import file_report
from corrections.schemas import ReportInput
from tests.referrals.world import build_world, signed_in

# A Friday morning in Boston (10:00 EST).
FRIDAY = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


@pytest.fixture
def world(app):
    """Organizations, plans, locations and two clinicians (Jane at Harbor, Omar at Summit)."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    return build_world()


@pytest.fixture
def admin(app, world):
    """An administrator, signed in."""
    return signed_in(app, "admin", world.pcp_org)


@pytest.fixture
def jane_client(app, world):
    """Jane Smith's clinician user, signed in."""
    return signed_in(app, "clinician", world.practice, npi=world.jane.npi)


@pytest.fixture
def report(world):
    """A public report that Jane's phone number is wrong, filed on a Friday."""
    return file_report(
        world.jane.npi,
        ReportInput("wrong_phone", "Rang twice, a fax machine"),
        "203.0.113.9",
        FRIDAY,
    )
