"""Email stop links are rate limited per address: the page and its button share one budget."""

import pytest

from config import from_environ


@pytest.fixture
def limited(limited_client):
    """A second app with limits on (the shared test config turns them off); same database."""
    return limited_client(NOTICE_STOP_RATE_LIMIT="3/hour")


def _open(client, address: str, token: str, post: bool = False):
    send = client.post if post else client.get
    return send(f"/notices/stop/{token}", environ_base={"REMOTE_ADDR": address})


def test_the_fourth_open_or_press_in_an_hour_is_a_429(limited):
    tries = [_open(limited, "192.0.2.1", f"1.2.bad{n}").status_code for n in range(2)]
    tries.append(_open(limited, "192.0.2.1", "1.2.bad2", post=True).status_code)
    refused = _open(limited, "192.0.2.1", "1.2.bad3", post=True)
    assert tries == [404, 404, 404]
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0


def test_another_address_keeps_its_own_budget(limited):
    assert [_open(limited, "192.0.2.1", "x").status_code for _ in range(4)] == [404] * 3 + [429]
    assert _open(limited, "192.0.2.2", "x").status_code == 404


def test_thirty_an_hour_by_default_and_from_the_environment():
    name = "NOTICE_STOP_RATE_LIMIT"
    assert from_environ({})[name] == "30/hour"
    assert from_environ({name: "5/minute"})[name] == "5/minute"
