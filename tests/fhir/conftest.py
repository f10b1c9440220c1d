"""The small ORM-built directory of the API tests, for FHIR searches."""

from tests.api.conftest import directory_data, make_npi  # noqa: F401
from tests.outbox.receiver import receiver  # noqa: F401  (fixture: subscription endpoints)
from tests.referrals.smtp_sink import smtp_sink  # noqa: F401  (fixture: email subscriptions)
