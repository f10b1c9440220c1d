"""Consent links are rate limited per address: guessing tokens runs out of tries."""

import pytest


@pytest.fixture
def limited(limited_client):
    """A second app with limits on (the shared test config turns them off); same database."""
    return limited_client(
        ECONSENT_RATE_LIMIT="3/hour",
    )


def test_the_fourth_try_in_an_hour_is_refused(limited):
    tries = [limited.get(f"/consent/guess{n}").status_code for n in range(3)]
    tries.append(limited.post("/consent/guess4/sign", data={"signature": "A B"}).status_code)
    assert tries == [404, 404, 404, 429]
