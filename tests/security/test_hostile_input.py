"""Threat: a careless or hostile caller sends input meant to crash or stall a worker.

Every entry point (/api/v1, /fhir, the public pages, the staff console) answers 4xx, never a 500,
a RecursionError or seconds of CPU: characters PostgreSQL text cannot hold (NUL, lone surrogates)
anywhere, JSON nested deeper than 32 levels, lists over 1,000 items, strings over 100,000
characters and bodies over 1 MB are refused by one screen (edge/) before any schema or database
work, naming the field. Anonymous API writes get 401 with a Bearer challenge; signed-in browser
sessions still need a CSRF token. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL
(where a NUL used to reach the driver and end in a 500).
"""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from app import create_app
from directory.extensions import db as _db
from directory.vocabulary import vocabulary
from referrals.models import Referral
from tests.api.fuzz_world import EVERY_SCOPE
from tests.conftest import AuthActions, _test_config
from tests.referrals.world import bearer, build_world, referral_payload

NUL_REASON = "contains a NUL character (U+0000)"
MB = 1024 * 1024


def _nested(depth: int, leaf: str = "1") -> str:
    """A JSON array `depth` levels deep, as text (json.dumps would recurse)."""
    return "[" * depth + leaf + "]" * depth


def _post_json(client, path: str, text: str, **kwargs):
    return client.post(path, data=text, content_type="application/json", **kwargs)


@pytest.fixture
def partner(app, make_api_key):
    """The referral world and a key of its PCP practice with every scope."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    world = build_world()
    return world, bearer(make_api_key(world.pcp_org, scopes=EVERY_SCOPE))


@pytest.fixture
def guarded(app, database_url, tmp_path):
    """The app with CSRF on, as in production (same database as `app`, which empties it)."""
    config = _test_config(database_url, tmp_path)
    config.update(WTF_CSRF_ENABLED=True)
    secured = create_app(config)
    with secured.app_context():
        client = secured.test_client()
        yield client, AuthActions(secured, client)
        _db.session.remove()
        _db.engine.dispose()


def test_a_nul_in_the_plan_of_a_match_is_a_400_naming_the_field(client):
    # The issue's reproduction: a 500 on PostgreSQL, where the plan look-up reached the driver.
    response = client.post(
        "/api/v1/matches", json={"plan": "demo\u0000epo", "postal_code": "02139"}
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == {"plan": [NUL_REASON]}


def test_a_nul_deep_in_a_referral_or_in_a_key_writes_nothing(partner, client, db):
    world, auth = partner
    body = referral_payload(world)
    body["patient"]["member_id"] = "AC\u0000ME"
    response = client.post("/api/v1/referrals", json=body, headers=auth)
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"patient.member_id": [NUL_REASON]}
    body = referral_payload(world, needs={"languages": ["es"], "no\u0000te": "x"})
    response = client.post("/api/v1/referrals", json=body, headers=auth)
    assert response.get_json()["errors"] == {"needs.no\\x00te": [NUL_REASON]}
    body = referral_payload(world, diagnoses=["F32.1", "F41.\u00001"])
    response = client.post("/api/v1/referrals", json=body, headers=auth)
    assert response.get_json()["errors"] == {"diagnoses[1]": [NUL_REASON]}
    assert db.session.scalar(select(func.count()).select_from(Referral)) == 0


def test_a_lone_surrogate_is_not_text(client):
    text = '{"postal_code": "02139", "address": "12 Elm St \\ud800"}'
    response = _post_json(client, "/api/v1/matches", text)
    assert response.status_code == 400
    assert response.get_json()["errors"] == {
        "address": ["contains a lone surrogate, which is not text"]
    }


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/clinicians?name=Lee%00",
        "/fhir/Practitioner?name=Lee%00",
        "/fhir/Practitioner/abc%00",
        "/find?name=Lee%00",
    ],
)
def test_a_nul_in_a_query_or_a_path_is_a_400_everywhere(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert NUL_REASON in response.get_data(as_text=True)


def test_fhir_refusals_are_operation_outcomes_naming_the_parameter(client):
    response = client.get("/fhir/Location?address-city=Bos%00ton")
    assert response.status_code == 400
    assert response.mimetype == "application/fhir+json"
    issues = response.get_json()["issue"]
    assert {"severity": "error", "code": "invalid", "diagnostics": NUL_REASON} | {
        "expression": ["address-city"]
    } in issues


def test_a_nul_in_a_console_form_is_a_400_page(client, auth):
    auth.login_as("pcp")
    response = client.post("/pcp/search", data={"postal_code": "02139", "plan": "x\u0000"})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert f"plan: {NUL_REASON}" in response.get_data(as_text=True)


def test_a_nul_in_a_sign_in_form_never_reaches_the_database(client):
    response = client.post("/login", data={"email": "a\u0000@example.org", "password": "x" * 12})
    assert response.status_code == 400
    assert f"email: {NUL_REASON}" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api/v1/matches", "/api/v1/referrals"])
def test_a_body_100k_levels_deep_is_a_400_not_a_recursion_error(partner, client, path):
    _world, auth = partner
    response = _post_json(client, path, _nested(100_000), headers=auth)
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"body": ["JSON is nested too deeply"]}


def test_a_field_5k_levels_deep_is_a_400(client):
    text = '{"postal_code": "02139", "concerns": ' + _nested(5_000) + "}"
    response = _post_json(client, "/api/v1/matches", text)
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"body": ["JSON is nested too deeply"]}


def test_nesting_is_allowed_to_32_levels_and_refused_at_33(client):
    at_limit = '{"postal_code": "02139", "concerns": ' + _nested(31) + "}"
    response = _post_json(client, "/api/v1/matches", at_limit)
    # 32 levels pass the screen; the needs schema then refuses a list of lists.
    assert response.status_code == 400
    assert list(response.get_json()["errors"]) == ["concerns"]
    assert "nested" not in json.dumps(response.get_json())
    over = '{"postal_code": "02139", "concerns": ' + _nested(32) + "}"
    response = _post_json(client, "/api/v1/matches", over)
    [(field, reasons)] = response.get_json()["errors"].items()
    assert field == "concerns" + "[0]" * 31
    assert reasons == ["is nested deeper than 32 levels"]


def test_a_list_of_1000_items_passes_the_screen_and_1001_do_not(client):
    # Repeated codes: the schema's own cap (30 concerns) answers the first, the screen the second.
    response = client.post(
        "/api/v1/matches", json={"postal_code": "02139", "concerns": ["x"] * 1000}
    )
    assert response.get_json()["errors"] == {"concerns": ["Give at most 30."]}
    hostile = ["anxiety"] * 1000 + ["\u0000"]
    response = client.post("/api/v1/matches", json={"postal_code": "02139", "concerns": hostile})
    assert response.status_code == 400
    # The size is judged before any item is looked at (the NUL at the end is never reached).
    assert response.get_json()["errors"] == {"concerns": ["has more than 1000 items"]}


def test_a_repeated_query_argument_is_capped_too(client):
    response = client.get("/api/v1/referrals?" + "&".join(["status=sent"] * 1001))
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"status": ["is given more than 1000 times"]}


def test_strings_are_capped_at_100000_characters(client):
    fine = client.post("/api/v1/matches", json={"postal_code": "02139", "address": "x" * 100_000})
    assert fine.get_json()["errors"]["address"] == ["Length must be between 3 and 300."]
    response = client.post(
        "/api/v1/matches", json={"postal_code": "02139", "address": "x" * 100_001}
    )
    assert response.get_json()["errors"] == {"address": ["is longer than 100000 characters"]}


def test_a_body_of_1_mb_is_read_and_one_byte_more_is_a_413(client):
    base = '{"postal_code": "02139", "address": ""}'
    padding = " " * (MB - len(base))
    exactly = _post_json(client, "/api/v1/matches", base[:-1] + padding + "}")
    assert exactly.status_code == 400  # read, and the empty address is the schema's complaint
    over = _post_json(client, "/api/v1/matches", base[:-1] + padding + " }")
    assert over.status_code == 413
    assert over.mimetype == "application/problem+json"
    assert over.get_json()["status"] == 413


def test_a_page_form_over_1_mb_is_a_413_page(client):
    response = client.post("/find", data={"postal_code": "02139", "name": "x" * MB})
    assert response.status_code == 413
    assert response.mimetype == "text/html"


def test_only_signed_in_callers_of_the_upload_page_may_send_more(guarded):
    client, auth = guarded

    def upload(token: str | None = None):
        form = {"kind": "roster", "file": (io.BytesIO(b"x" * (MB + 1)), "tool.exe")}
        if token:
            form["csrf_token"] = token
        return client.post("/admin/ingest", data=form, content_type="multipart/form-data")

    assert upload().status_code == 413
    auth.login_as("admin")
    # The limit is raised before the CSRF check reads the form; then the file is refused for
    # what it is, not for its size.
    response = upload(auth.csrf_token("/admin/ingest"))
    assert response.status_code == 400 and "Upload a" in response.get_data(as_text=True)


def test_an_anonymous_api_write_is_a_401_challenge_not_a_csrf_error(guarded):
    client, _auth = guarded
    for path in ("/api/v1/referrals", "/api/v1/referrals/1/events", "/api/v1/referrals/1/rerefer"):
        response = client.post(path, json={"type": "send"})
        assert response.status_code == 401, path
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    response = client.put("/api/v1/referrals/1/checklist/benefits_explained", json={})
    assert response.status_code == 401


def test_a_signed_in_session_still_needs_the_csrf_token_for_api_writes(guarded, partner):
    client, auth = guarded
    world, _auth = partner
    auth.login_as("pcp", org=world.pcp_org)
    refused = client.post("/api/v1/referrals", json=referral_payload(world))
    assert refused.status_code == 400
    assert refused.get_json()["detail"] == "The CSRF token is missing."
    token = auth.csrf_token("/account")
    created = client.post(
        "/api/v1/referrals", json=referral_payload(world), headers={"X-CSRFToken": token}
    )
    assert created.status_code == 201, created.get_data(as_text=True)


def test_the_needs_lists_name_their_caps(client):
    response = client.post(
        "/api/v1/matches",
        json={"postal_code": "02139", "languages": ["en"] * 11, "diagnoses": ["F32.1"] * 21},
    )
    assert response.get_json()["errors"] == {
        "languages": ["Give at most 10."],
        "diagnoses": ["Give at most 20."],
    }
    at_caps = {"postal_code": "02139", "languages": ["en"] * 10, "concerns": ["anxiety"] * 30}
    assert client.post("/api/v1/matches", json=at_caps).status_code == 200
    over = client.post("/api/v1/matches", json={**at_caps, "concerns": ["anxiety"] * 31})
    assert over.get_json()["errors"] == {"concerns": ["Give at most 30."]}


def test_every_concern_at_once_is_within_the_cap(client):
    every = sorted(vocabulary("concerns"))
    assert len(every) == 26
    response = client.post("/api/v1/matches", json={"postal_code": "02139", "concerns": every})
    assert response.status_code == 200, response.get_data(as_text=True)
