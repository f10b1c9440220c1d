"""The EHR launch end to end against the loopback EHR: discovery, PKCE, link, pre-fill."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from audit.models import AuditEvent
from directory.extensions import db
from smart.models import EhrUserLink
from tests.smart.conftest import authorize, launch, start
from tests.smart.ehr_server import CLIENT_ID, FHIR_USER, LAUNCH, REDIRECT_URI, challenge_of


def _links() -> list[tuple[str, int]]:
    return [(r.fhir_user, r.user_id) for r in db.session.scalars(select(EhrUserLink))]


def _events(object_type: str) -> list[tuple[str, str]]:
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == object_type))
    return [(e.action, e.object_id) for e in rows]


def test_launch_redirects_to_the_ehrs_authorize_with_pkce_state_nonce_and_aud(
    client, ehr, registered, pcp
):
    answer = start(client, ehr)

    assert answer.status_code == 302
    url = urlsplit(answer.headers["Location"])
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{ehr.base}/auth/authorize"
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == REDIRECT_URI
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert query["aud"] == ehr.iss
    assert query["launch"] == LAUNCH
    assert query["scope"].split(" ") == [
        "launch", "openid", "fhirUser", "patient/Patient.rs", "patient/Coverage.rs",
        "patient/Condition.rs", "patient/MedicationRequest.rs", "patient/Observation.rs",
    ]  # fmt: skip
    assert len(query["state"]) >= 43 and len(query["nonce"]) >= 43
    # The state and verifier are kept on the server: the cookie is only the session id.
    cookie = client.get_cookie("session").value
    assert "." not in cookie and query["state"] not in cookie


def test_first_launch_asks_to_link_then_prefills_the_needs_form(client, ehr, registered, pcp):
    answer = launch(client, ehr)

    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "Link your EHR user" in page and FHIR_USER in page
    assert _links() == []  # nothing linked before the PCP says so

    linked = client.post("/smart/link")

    assert linked.status_code == 303
    assert linked.headers["Location"] == "/pcp/?launch=1"
    assert _links() == [(FHIR_USER, pcp.id)]
    assert _events("smart_user_link") == [("create", "1")]
    assert _events("ehr_patient") == [("read", f"{registered.id}:Patient/123")]
    form = client.get("/pcp/?launch=1").get_data(as_text=True)
    assert "Pre-filled from the EHR for Peter James Chalmers (born 1974-12-25)" in form
    assert 'value="depression" checked' in form
    assert '<option value="masscare-hmo" selected' in form
    assert 'value="02139"' in form


def test_a_linked_pcp_goes_straight_to_the_prefilled_form(client, ehr, registered, pcp):
    launch(client, ehr)
    client.post("/smart/link")

    again = launch(client, ehr)

    assert again.status_code == 303
    assert again.headers["Location"] == "/pcp/?launch=1"
    assert _links() == [(FHIR_USER, pcp.id)]
    assert len(_events("ehr_patient")) == 2


def test_without_launch_1_the_needs_form_stays_empty(client, ehr, registered, pcp):
    launch(client, ehr)
    client.post("/smart/link")

    page = client.get("/pcp/").get_data(as_text=True)

    assert "Pre-filled from the EHR" not in page
    assert 'value="depression" checked' not in page


def test_the_verifier_sent_to_the_token_endpoint_matches_the_challenge(
    client, ehr, registered, pcp
):
    started = start(client, ehr)
    challenge = parse_qs(urlsplit(started.headers["Location"]).query)["code_challenge"][0]
    client.get(authorize(started.headers["Location"]))

    # The EHR accepted the code: its verifier hashed to the challenge (the EHR checks it).
    assert len(ehr.tokens) == 1
    assert challenge != challenge_of("")


def test_tokens_never_reach_the_browser_or_the_logs(client, ehr, registered, pcp, caplog):
    caplog.set_level("DEBUG")
    answers = [launch(client, ehr), client.post("/smart/link"), client.get("/pcp/?launch=1")]

    (token,) = ehr.tokens
    for answer in answers:
        assert token not in answer.get_data(as_text=True)
        assert token not in str(answer.headers)
    assert token not in caplog.text


def test_an_anonymous_launch_signs_in_first_and_comes_back_to_the_launch(
    client, ehr, registered, auth
):
    user = auth.create_user("pcp")

    answer = start(client, ehr)

    assert answer.status_code == 302
    back = parse_qs(urlsplit(answer.headers["Location"]).query)["next"][0]
    assert urlsplit(back).path == "/smart/launch"
    assert parse_qs(urlsplit(back).query) == {"iss": [ehr.iss], "launch": [LAUNCH]}
    assert ehr.requests == []
    signed_in = auth.login(user.email, next=back)
    assert signed_in.headers["Location"] == back
    assert client.get(back).status_code == 302  # now on to the EHR's authorize


def test_launch_is_for_pcps(client, ehr, registered, auth):
    auth.login_as("plan_staff")

    assert start(client, ehr).status_code == 403
    assert ehr.requests == []
