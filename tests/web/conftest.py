"""Page-test fixtures: the seeded directory, and form posts in a chosen language."""

import pytest

from tests.outbox.receiver import receiver  # noqa: F401  (fixture)
from tests.referrals.smtp_sink import smtp_sink  # noqa: F401  (fixture)
from tests.web.seed_directory import PLAN_ID, ZIP, seed_directory


@pytest.fixture
def directory(app, db):
    """The small Cambridge directory (see seed_directory)."""
    seed_directory()


@pytest.fixture
def search(client, directory):
    """search(**fields, lang=None) -> the results page POST /find redirects to."""

    def post(lang=None, **fields):
        data = {"postal_code": ZIP, "plan": PLAN_ID, **fields}
        headers = {"Accept-Language": lang} if lang else {}
        return client.post("/find", data=data, headers=headers, follow_redirects=True)

    return post
