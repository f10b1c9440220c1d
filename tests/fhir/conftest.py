"""The small ORM-built directory of the API tests, for FHIR searches; the referral world as the
subscription tests use it, and a PCP practice key with the subscription scopes (modules with
a world of their own, the BSeR ones, keep theirs)."""

import pytest

from tests.api.conftest import directory_data, make_npi  # noqa: F401
from tests.fhir.subscription_world import BASE, SCOPES
from tests.outbox.receiver import receiver  # noqa: F401  (fixture: subscription endpoints)
from tests.referrals.smtp_sink import smtp_sink  # noqa: F401  (fixture: email subscriptions)
from tests.referrals.world import build_world


@pytest.fixture
def world(app, db):
    """The referral world, with subscription endpoints on loopback http and links at BASE."""
    app.config.update(FHIR_SUBSCRIPTION_ALLOW_HTTP_LOOPBACK=True, APP_BASE_URL=BASE)
    return build_world()


@pytest.fixture
def key(world, make_api_key):
    """Riverside's API key with the subscription scopes."""
    return make_api_key(world.pcp_org, SCOPES)
