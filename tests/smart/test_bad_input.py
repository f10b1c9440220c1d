"""Every way a launch can go wrong ends on a clear page, with nothing stored."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from joserfc.jwk import RSAKey
from sqlalchemy import func, select

from audit.models import AuditEvent
from console.smart import _refusal_words
from directory.extensions import db
from smart.errors import REASONS, LaunchRefused
from smart.models import EhrUserLink
from smart.state import Pending
from smart.use_cases import finish
from tests.smart.conftest import authorize, launch, start
from tests.smart.ehr_server import FHIR_USER


def _nothing_stored() -> bool:
    links = db.session.scalar(select(func.count()).select_from(EhrUserLink))
    reads = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.object_type.in_(("ehr_patient", "smart_user_link")))
    )
    return links == 0 and reads == 0


def _reason(answer) -> str:
    page = answer.get_data(as_text=True)
    return page.split('data-reason="', 1)[1].split('"', 1)[0]


def test_an_unknown_issuer_is_a_400_page_and_the_ehr_is_never_called(client, ehr, registered, pcp):
    answer = start(client, ehr, iss="https://unknown-ehr.example.org/fhir")

    assert answer.status_code == 400
    assert _reason(answer) == "unknown_issuer"
    assert "This EHR is not registered with the directory." in answer.get_data(as_text=True)
    assert ehr.requests == []


@pytest.mark.parametrize("query", [{"launch": "x"}, {"iss": "ignored"}, {}])
def test_a_launch_without_iss_or_launch_is_refused(client, ehr, registered, pcp, query):
    answer = client.get("/smart/launch", query_string=query)

    assert answer.status_code == 400
    assert _reason(answer) in ("unknown_issuer", "no_launch")


def test_unreadable_discovery_is_a_502_page(client, ehr, registered, pcp):
    ehr.behaviour["discovery_down"] = True

    answer = start(client, ehr)

    assert answer.status_code == 502
    assert _reason(answer) == "discovery_failed"


def test_a_state_that_is_not_ours_is_refused_before_the_code_is_used(client, ehr, registered, pcp):
    started = start(client, ehr)
    back = authorize(started.headers["Location"])
    path, query = back.split("?")
    forged = {**{k: v[0] for k, v in parse_qs(query).items()}, "state": "forged"}

    answer = client.get(f"{path}?{urlencode(forged)}")

    assert answer.status_code == 400
    assert _reason(answer) == "state_mismatch"
    assert len(ehr.codes) == 1  # the code was never sent to the token endpoint
    assert _nothing_stored()


def test_a_callback_replayed_after_use_finds_no_launch(client, ehr, registered, pcp):
    started = start(client, ehr)
    back = authorize(started.headers["Location"])
    client.get(back)

    again = client.get(back)

    assert again.status_code == 400
    assert _reason(again) == "no_launch"


def test_a_callback_in_another_browser_finds_no_launch(app, client, ehr, registered, pcp, auth):
    back = authorize(start(client, ehr).headers["Location"])
    other = app.test_client()
    other.post("/login", data={"email": pcp.email, "password": "correct horse battery staple"})

    answer = other.get(back)

    assert answer.status_code == 400
    assert _reason(answer) == "no_launch"


def test_pkce_failure_at_the_token_endpoint_is_refused(client, ehr, registered, pcp):
    back = authorize(start(client, ehr).headers["Location"])
    (code,) = ehr.codes
    ehr.codes[code]["challenge"] = "a-challenge-our-verifier-does-not-hash-to"

    answer = client.get(back)

    assert answer.status_code == 502
    assert _reason(answer) == "token_refused"
    assert ehr.tokens == set()
    assert _nothing_stored()


def test_a_token_endpoint_error_is_refused(client, ehr, registered, pcp):
    ehr.behaviour["token_error"] = True

    answer = launch(client, ehr)

    assert answer.status_code == 502
    assert _reason(answer) == "token_refused"
    assert _nothing_stored()


def test_the_ehr_denying_authorization_is_refused(client, ehr, registered, pcp):
    started = start(client, ehr)
    state = parse_qs(urlsplit(started.headers["Location"]).query)["state"][0]

    answer = client.get("/smart/callback", query_string={"error": "access_denied", "state": state})

    assert answer.status_code == 400
    assert _reason(answer) == "authorization_denied"


def test_missing_scopes_are_refused(client, ehr, registered, pcp):
    ehr.behaviour["scope"] = "launch openid fhirUser patient/Patient.rs"

    answer = launch(client, ehr)

    assert answer.status_code == 403
    assert _reason(answer) == "missing_scopes"
    assert _nothing_stored()


@pytest.mark.parametrize(
    "behaviour",
    [{"nonce": "another-nonce"}, {"aud": "another-client"}, {"signing_key": "other"}],
)
def test_an_id_token_with_wrong_nonce_audience_or_signature_is_refused(
    client, ehr, registered, pcp, behaviour
):
    if behaviour.get("signing_key"):
        behaviour = {"signing_key": RSAKey.generate_key(2048, parameters={"kid": "ehr-key-1"})}
    ehr.behaviour.update(behaviour)

    answer = launch(client, ehr)

    assert answer.status_code == 403
    assert _reason(answer) == "token_invalid"
    assert _nothing_stored()


@pytest.mark.parametrize("patient", ["../Practitioner/1", "123?_format=xml", "x" * 65])
def test_a_launch_patient_that_is_not_a_fhir_id_is_refused(client, ehr, registered, pcp, patient):
    ehr.behaviour["patient"] = patient

    answer = launch(client, ehr)

    assert answer.status_code == 403
    assert _reason(answer) == "token_invalid"
    assert _nothing_stored()


def test_a_patient_id_of_64_characters_is_accepted(client, ehr, registered, pcp):
    ehr.behaviour["patient"] = "x" * 64

    answer = launch(client, ehr)

    assert answer.status_code == 200  # on to the link page; the read then finds no such patient


def test_a_fhir_server_that_is_down_leaves_no_link_and_no_read(client, ehr, registered, pcp):
    launch(client, ehr)
    ehr.behaviour["fhir_down"] = True

    answer = client.post("/smart/link")

    assert answer.status_code == 502
    assert _reason(answer) == "fhir_unavailable"
    assert _nothing_stored()
    assert "Pre-filled from the EHR" not in client.get("/pcp/?launch=1").get_data(as_text=True)


def test_an_ehr_user_linked_to_another_account_is_refused(client, ehr, registered, pcp, auth):
    other = auth.create_user("pcp")
    db.session.add(EhrUserLink(ehr_id=registered.id, fhir_user=FHIR_USER, user_id=other.id))
    db.session.commit()

    answer = launch(client, ehr)

    assert answer.status_code == 403
    assert _reason(answer) == "linked_elsewhere"
    assert ehr.requests[-1].startswith("/auth/jwks.json")  # no FHIR read followed


def test_linking_with_nothing_pending_is_refused(client, registered, pcp):
    answer = client.post("/smart/link")

    assert answer.status_code == 400
    assert _reason(answer) == "no_launch"


def _pending(started_at: float) -> Pending:
    return Pending(ehr_id=1, state="s", nonce="n", code_verifier="v", started_at=started_at)


def test_a_launch_is_expired_one_second_after_its_lifetime(app):
    with pytest.raises(LaunchRefused) as refused:
        finish(_pending(1000.0), None, {"state": "s", "code": "c"}, "", (1601.0, 600.0, 1.0))

    assert refused.value.reason == "expired"


def test_a_launch_exactly_at_its_lifetime_is_still_checked_further(app):
    # At exactly 600 s the age check passes; the next check (the registered EHR) answers.
    with pytest.raises(LaunchRefused) as refused:
        finish(_pending(1000.0), None, {"state": "s", "code": "c"}, "", (1600.0, 600.0, 1.0))

    assert refused.value.reason == "unknown_issuer"


def test_an_expired_launch_is_a_clear_page(app, client, ehr, registered, pcp):
    app.config["SMART_LAUNCH_MINUTES"] = -1

    answer = launch(client, ehr)

    assert answer.status_code == 400
    assert _reason(answer) == "expired"
    assert "The launch took too long and has expired." in answer.get_data(as_text=True)
    assert ehr.tokens == set()


def test_every_refusal_reason_has_its_words(app):
    with app.test_request_context():
        assert sorted(_refusal_words()) == sorted(REASONS)
