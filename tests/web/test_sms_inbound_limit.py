"""The SMS provider's inbound webhook is rate limited per address; signed texts below it act."""

import pytest
from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db
from referrals.notice_models import NoticeOptOut
from referrals.notice_optout import twilio_signature

BASE = "https://bh.example.org"


@pytest.fixture
def limited(limited_client):
    """A second app with limits on (the shared test config turns them off); same database."""
    return limited_client(
        WTF_CSRF_ENABLED=True,  # the webhook is exempt: the provider signs instead
        SMS_INBOUND_RATE_LIMIT="2/minute",
        SMS_AUTH_TOKEN="tok",
        APP_BASE_URL=BASE,
    )


def _text(client, address: str, sender: str, body: str = "STOP"):
    params = {"From": sender, "To": "+16175550100", "Body": body, "MessageSid": "SM1"}
    headers = {"X-Twilio-Signature": twilio_signature("tok", f"{BASE}/sms/inbound", params)}
    environ = {"REMOTE_ADDR": address}
    return client.post("/sms/inbound", data=params, headers=headers, environ_base=environ)


def test_the_third_post_in_a_minute_from_one_address_is_a_429(limited):
    first = _text(limited, "192.0.2.1", "+16175550142")
    assert first.status_code == 200
    assert first.get_data(as_text=True).endswith("<Response></Response>")
    assert _text(limited, "192.0.2.1", "+16175550143", "hello").status_code == 200
    refused = _text(limited, "192.0.2.1", "+16175550144")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    # The refused STOP changed and audited nothing: only the first text opted a phone out.
    assert len(db.session.scalars(select(NoticeOptOut)).all()) == 1
    assert db.session.scalars(select(AuditEvent.action)).all() == ["opt_out"]


def test_a_signed_stop_from_another_address_still_works(limited):
    tries = [_text(limited, "192.0.2.1", "+16175550142").status_code for _ in range(3)]
    assert tries == [200, 200, 429]
    assert _text(limited, "192.0.2.2", "+16175550145").status_code == 200
    assert len(db.session.scalars(select(NoticeOptOut)).all()) == 2
