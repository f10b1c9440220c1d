"""Fixtures: the seeded directory and requests sent to its clinicians."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from appointments.use_cases import submit
from directory.extensions import db
from directory.models import Clinician
from tests.appointments.world import NOW, given
from tests.outbox.receiver import receiver  # noqa: F401  (fixture)
from tests.referrals.smtp_sink import smtp_sink  # noqa: F401  (fixture)
from tests.web.seed_directory import seed_directory


@pytest.fixture
def clinicians(app):
    """The seeded directory's clinicians, by last name."""
    seed_directory(NOW)
    return {c.last_name: c for c in db.session.scalars(select(Clinician))}


@pytest.fixture
def sent(app, clinicians):
    """send(last_name, **overrides) -> a request stored for that clinician at NOW."""

    def send(last_name: str = "Rivera", at: datetime = NOW, **overrides):
        return submit(app.config, clinicians[last_name].npi, given(**overrides), at)

    return send


@pytest.fixture
def texts(app, receiver):  # noqa: F811  (the fixture imported above)
    """Texts go to a loopback Twilio-compatible provider; hands back the bodies it received."""
    app.config.update(
        SMS_PROVIDER="twilio",
        SMS_API_URL=receiver.url + "/2010-04-01",
        SMS_ACCOUNT_SID="AC123",
        SMS_AUTH_TOKEN="tok",
        SMS_FROM="+16175550100",
    )

    def received() -> list[dict[str, str]]:
        return [
            {k: v[0] for k, v in parse_qs(r.body.decode()).items() if k in ("To", "Body")}
            for r in receiver.requests
        ]

    return received
