"""`flask smart register|list`, and the confidential client types against the loopback EHR."""

from __future__ import annotations

from joserfc.jwk import RSAKey
from sqlalchemy import select

from directory.extensions import db
from smart.models import DEFAULT_SCOPES, EhrRegistration
from tests.smart.conftest import launch, start
from tests.smart.ehr_server import CLIENT_ID, FHIR_USER


def _rows() -> list[tuple]:
    rows = db.session.scalars(select(EhrRegistration).order_by(EhrRegistration.id))
    return [(r.issuer, r.name, r.client_id, r.auth_method, r.client_secret_env) for r in rows]


def test_register_adds_then_updates_an_ehr_by_issuer(runner):
    first = runner.invoke(
        args=["smart", "register", "--issuer", "https://ehr.example.com/fhir/", "--name", "Epic",
              "--client-id", "abc"]
    )  # fmt: skip
    second = runner.invoke(
        args=["smart", "register", "--issuer", "https://ehr.example.com/fhir", "--name", "Epic",
              "--client-id", "abc", "--auth-method", "client_secret_basic",
              "--client-secret-env", "EPIC_SECRET"]
    )  # fmt: skip

    assert first.exit_code == 0, first.output
    assert first.output == "registered EHR 1: https://ehr.example.com/fhir\n"
    assert second.output == "updated EHR 1: https://ehr.example.com/fhir\n"
    assert _rows() == [
        ("https://ehr.example.com/fhir", "Epic", "abc", "client_secret_basic", "EPIC_SECRET")
    ]
    assert db.session.scalar(select(EhrRegistration.scopes)) == DEFAULT_SCOPES
    listed = runner.invoke(args=["smart", "list"])
    assert listed.output == (
        "1\thttps://ehr.example.com/fhir\tEpic\tabc\tclient_secret_basic\tEPIC_SECRET\n"
    )


def test_register_refuses_a_client_type_without_its_credential(runner, tmp_path):
    no_secret = runner.invoke(
        args=["smart", "register", "--issuer", "https://ehr.example.com", "--name", "E",
              "--client-id", "a", "--auth-method", "client_secret_basic"]
    )  # fmt: skip
    no_key = runner.invoke(
        args=["smart", "register", "--issuer", "https://ehr.example.com", "--name", "E",
              "--client-id", "a", "--auth-method", "private_key_jwt",
              "--private-key-file", str(tmp_path / "missing.pem")]
    )  # fmt: skip
    not_a_url = runner.invoke(
        args=["smart", "register", "--issuer", "ehr.example.com", "--name", "E", "--client-id", "a"]
    )

    assert no_secret.exit_code == 2 and "needs --client-secret-env" in no_secret.output
    assert no_key.exit_code == 2 and "needs --private-key-file" in no_key.output
    assert not_a_url.exit_code == 2 and "must be an http(s) URL" in not_a_url.output
    assert _rows() == []


def test_a_confidential_client_sends_its_secret_from_the_environment(client, ehr, pcp, monkeypatch):
    monkeypatch.setenv("TEST_EHR_SECRET", "s3cret-from-env")
    ehr.behaviour["client_secret"] = "s3cret-from-env"
    db.session.add(
        EhrRegistration(issuer=ehr.iss, name="EHR", client_id=CLIENT_ID,
                        auth_method="client_secret_basic", client_secret_env="TEST_EHR_SECRET")
    )  # fmt: skip
    db.session.commit()

    answer = launch(client, ehr)

    assert answer.status_code == 200
    assert FHIR_USER in answer.get_data(as_text=True)


def test_a_private_key_jwt_client_signs_its_assertion(client, ehr, pcp, tmp_path):
    key = RSAKey.generate_key(2048)
    pem = tmp_path / "client.pem"
    pem.write_bytes(key.as_pem(private=True))
    ehr.behaviour["client_key"] = RSAKey.import_key(key.as_dict(private=False))
    db.session.add(
        EhrRegistration(issuer=ehr.iss, name="EHR", client_id=CLIENT_ID,
                        auth_method="private_key_jwt", private_key_path=str(pem))
    )  # fmt: skip
    db.session.commit()

    answer = launch(client, ehr)

    assert answer.status_code == 200
    assert FHIR_USER in answer.get_data(as_text=True)


def test_a_wrong_secret_is_refused_by_the_token_endpoint(client, ehr, pcp, monkeypatch):
    monkeypatch.setenv("TEST_EHR_SECRET", "wrong")
    ehr.behaviour["client_secret"] = "right"
    db.session.add(
        EhrRegistration(issuer=ehr.iss, name="EHR", client_id=CLIENT_ID,
                        auth_method="client_secret_basic", client_secret_env="TEST_EHR_SECRET")
    )  # fmt: skip
    db.session.commit()

    assert launch(client, ehr).status_code == 502


def test_a_secret_missing_from_the_environment_stops_the_launch_before_the_ehr(
    client, ehr, pcp, monkeypatch
):
    monkeypatch.delenv("TEST_EHR_SECRET", raising=False)
    db.session.add(
        EhrRegistration(issuer=ehr.iss, name="EHR", client_id=CLIENT_ID,
                        auth_method="client_secret_basic", client_secret_env="TEST_EHR_SECRET")
    )  # fmt: skip
    db.session.commit()

    answer = start(client, ehr)

    assert answer.status_code == 503
    assert "registration for this EHR is incomplete" in answer.get_data(as_text=True)
    assert ehr.requests == ["/fhir/.well-known/smart-configuration?"]


def test_a_missing_key_file_stops_the_launch(client, ehr, pcp, tmp_path):
    db.session.add(
        EhrRegistration(issuer=ehr.iss, name="EHR", client_id=CLIENT_ID,
                        auth_method="private_key_jwt", private_key_path=str(tmp_path / "gone.pem"))
    )  # fmt: skip
    db.session.commit()

    assert start(client, ehr).status_code == 503
