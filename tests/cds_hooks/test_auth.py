"""Only registered CDS clients, with a current HS256 JWT for this endpoint, get an answer."""

from __future__ import annotations

import base64
import json
import time

import pytest

from cds.tokens import sign
from cds.use_cases import deactivate_client, register_client
from tests.cds_hooks.builders import BASE, ISS, PATIENT_VIEW, SECRET, claims, patient_view


def _status_and_reason(hooks, token: str) -> tuple[int, str]:
    response = hooks.post(PATIENT_VIEW, patient_view(), token=token)
    return response.status_code, response.get_json()["error"]


def test_a_signed_current_token_is_accepted(hooks):
    assert hooks.post(PATIENT_VIEW, patient_view()).status_code == 200


def test_no_token_is_a_401_with_a_bearer_challenge(client, ehr):
    response = client.post(f"/cds-services/{PATIENT_VIEW}", json=patient_view())

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert response.get_json() == {"status": 401, "error": "a Bearer JWT is required"}


@pytest.mark.parametrize(
    ("changes", "secret", "reason"),
    [
        ({"iss": "https://other-ehr.example.org"}, SECRET, "unknown issuer"),
        ({}, "not-the-shared-secret", "bad signature"),
        ({"aud": f"{BASE}/bh-referral-order-select"}, SECRET, "the token is for another audience"),
        ({"jti": ""}, SECRET, "the token has no jti"),
        ({"exp": "soon"}, SECRET, "the token has no numeric exp"),
        ({"exp": 10**20}, SECRET, "the token's exp is not a time"),
        ({"iat": float("nan")}, SECRET, "the token's iat is not a time"),
    ],
)
def test_untrusted_tokens_are_401(hooks, changes, secret, reason):
    # Claims made here, not at collection: a token made then may have expired by now.
    token = sign(claims(PATIENT_VIEW, **changes), secret)

    assert _status_and_reason(hooks, token) == (401, reason)


def test_an_expired_token_is_401_and_one_just_inside_the_skew_is_not(hooks):
    now = int(time.time())
    expired = claims(PATIENT_VIEW, iat=now - 300, exp=now - 31)
    within = claims(PATIENT_VIEW, iat=now - 280, exp=now - 10)

    assert _status_and_reason(hooks, sign(expired, SECRET)) == (401, "the token has expired")
    assert hooks.post(PATIENT_VIEW, patient_view(), token=sign(within, SECRET)).status_code == 200


def test_a_token_living_longer_than_five_minutes_is_401(hooks):
    now = int(time.time())
    five = sign(claims(PATIENT_VIEW, iat=now, exp=now + 300), SECRET)
    longer = sign(claims(PATIENT_VIEW, iat=now, exp=now + 301), SECRET)

    assert hooks.post(PATIENT_VIEW, patient_view(), token=five).status_code == 200
    assert _status_and_reason(hooks, longer) == (
        401,
        "the token's lifetime is not within 5 minutes from now",
    )


def test_alg_none_is_refused(hooks):
    def encode(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    unsigned = f"{encode({'alg': 'none'})}.{encode(claims(PATIENT_VIEW))}."

    assert _status_and_reason(hooks, unsigned) == (401, "only HS256 tokens are accepted")


@pytest.mark.parametrize("token", ["abc", "a.b", "!!!.###.$$$"])
def test_garbage_is_401(hooks, token):
    assert hooks.post(PATIENT_VIEW, patient_view(), token=token).status_code == 401


def test_a_token_cannot_be_replayed(hooks):
    token = sign(claims(PATIENT_VIEW), SECRET)

    assert hooks.post(PATIENT_VIEW, patient_view(), token=token).status_code == 200
    assert _status_and_reason(hooks, token) == (401, "the token was already used")


def test_a_deactivated_client_is_refused_and_a_rekeyed_one_needs_its_new_secret(hooks):
    deactivate_client(ISS)
    assert _status_and_reason(hooks, sign(claims(PATIENT_VIEW), SECRET)) == (401, "unknown issuer")

    client = register_client(ISS, None)
    assert _status_and_reason(hooks, sign(claims(PATIENT_VIEW), SECRET)) == (401, "bad signature")
    fresh = sign(claims(PATIENT_VIEW), client.secret)
    assert hooks.post(PATIENT_VIEW, patient_view(), token=fresh).status_code == 200


def test_the_cli_registers_a_client_and_prints_its_secret_once(runner, db):
    result = runner.invoke(args=["cds-hooks", "add-client", "--iss", "https://ehr2.example.org"])

    assert result.exit_code == 0
    assert result.output.startswith("client ")
    assert "(https://ehr2.example.org); HS256 secret: " in result.output
    missing = runner.invoke(args=["cds-hooks", "deactivate-client", "--iss", "nobody"])
    assert missing.exit_code == 1
    assert "no CDS client 'nobody'" in missing.output
