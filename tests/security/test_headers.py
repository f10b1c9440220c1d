"""Threat: a browser, a shared computer or a proxy keeps, frames or leaks what a response carries.

Every response but /static says no-store (the public directory reads say `public, no-cache`
instead: public data, revalidated each time), sends a Content-Security-Policy that allows this
origin only and forbids framing, nosniff, X-Frame-Options and Referrer-Policy, and HSTS when the
app is served over HTTPS. Cookies are Secure by default; gunicorn listens on loopback unless
told otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import config
from app import create_app
from directory.extensions import db as _db
from tests.api.fuzz_world import EVERY_SCOPE
from tests.conftest import _test_config
from tests.referrals.world import bearer, build_world, referral_payload

ROOT = Path(__file__).resolve().parents[2]
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def _protected(response) -> None:
    """The headers every response carries, static files included."""
    assert response.headers["Content-Security-Policy"] == POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.fixture
def over_https(app, database_url, tmp_path):
    """A client of the app configured as served over HTTPS, or not: over_https(secure)."""
    made = []

    def make(secure: bool):
        config = _test_config(database_url, tmp_path)
        config["SESSION_COOKIE_SECURE"] = secure
        made.append(create_app(config))
        return made[-1].test_client()

    yield make
    for each in made:
        with each.app_context():
            _db.session.remove()
            _db.engine.dispose()


@pytest.mark.parametrize("path", ["/find", "/login", "/api/v1/docs", "/api/v1/openapi.json"])
def test_pages_and_documents_are_not_stored(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    _protected(response)


def test_an_error_and_a_redirect_are_not_stored_either(client):
    for response in (client.get("/api/v1/nowhere"), client.get("/pcp/referrals")):
        assert response.status_code in (302, 404)
        assert response.headers["Cache-Control"] == "no-store"
        _protected(response)


def test_referral_json_and_its_fhir_bundle_are_not_stored(app, client, make_api_key):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    world = build_world()
    auth = bearer(make_api_key(world.pcp_org, scopes=EVERY_SCOPE))
    created = client.post("/api/v1/referrals", json=referral_payload(world), headers=auth)
    assert created.status_code == 201
    referral_id = created.get_json()["id"]
    for path in (f"/api/v1/referrals/{referral_id}", f"/api/v1/referrals/{referral_id}/fhir"):
        response = client.get(path, headers=auth)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
        _protected(response)


def test_fhir_responses_are_not_stored(client):
    for path in ("/fhir/metadata", "/fhir/Practitioner", "/fhir/Practitioner/missing"):
        response = client.get(path)
        assert response.mimetype == "application/fhir+json"
        assert response.headers["Cache-Control"] == "no-store", path
        _protected(response)


def test_public_directory_reads_keep_their_revalidated_public_policy(client):
    response = client.get("/api/v1/plans")
    assert response.headers["Cache-Control"] == "public, no-cache"
    assert response.headers["ETag"]
    _protected(response)


def test_static_files_may_be_cached_and_are_still_protected(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    _protected(response)


def test_map_tiles_are_allowed_from_the_configured_origin_only(app, client):
    app.config["MAP_TILE_URL"] = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    policy = client.get("/find").headers["Content-Security-Policy"]
    assert "img-src 'self' https://*.tile.example.org;" in policy
    assert "script-src 'self';" in policy


def test_hsts_only_when_served_over_https(over_https):
    secure = over_https(True).get("/find")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in over_https(False).get("/find").headers


def test_the_session_and_language_cookies_are_secure_over_https(over_https):
    client = over_https(True)
    response = client.post("/language", data={"lang": "es", "next": "/find"})
    [cookie] = response.headers.getlist("Set-Cookie")
    assert cookie.startswith("lang=es;") and "Secure" in cookie
    client = over_https(False)
    [cookie] = client.post("/language", data={"lang": "es"}).headers.getlist("Set-Cookie")
    assert "Secure" not in cookie


def _configured(name: str, **env: str) -> str:
    """A setting as create_app would read it from this environment."""
    return str(config.from_environ(env)[name])


def test_cookies_are_secure_by_default_and_off_only_in_development():
    assert _configured("SESSION_COOKIE_SECURE") == "True"
    assert _configured("SESSION_COOKIE_SECURE", FLASK_DEBUG="1") == "False"
    assert _configured("SESSION_COOKIE_SECURE", SESSION_COOKIE_SECURE="0") == "False"
    assert _configured("SESSION_COOKIE_SECURE", FLASK_DEBUG="1", SESSION_COOKIE_SECURE="1") == (
        "True"
    )
    assert "SESSION_COOKIE_SECURE=0 $(FLASK) run" in (ROOT / "Makefile").read_text("utf-8")


def _gunicorn_settings(monkeypatch, bind: str | None) -> dict:
    if bind is None:
        monkeypatch.delenv("GUNICORN_BIND", raising=False)
    else:
        monkeypatch.setenv("GUNICORN_BIND", bind)
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text("utf-8"), namespace)
    return namespace


def test_gunicorn_listens_on_loopback_unless_told_otherwise(monkeypatch):
    assert _gunicorn_settings(monkeypatch, None)["bind"] == "127.0.0.1:8000"
    assert _gunicorn_settings(monkeypatch, "0.0.0.0:9000")["bind"] == "0.0.0.0:9000"


def test_the_compose_app_binds_every_interface_inside_its_container():
    yaml = pytest.importorskip("yaml")
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))["services"]
    assert services["app"]["environment"]["GUNICORN_BIND"] == "0.0.0.0:8000"
    assert services["app"]["ports"] == ["8000:8000"]


def test_behind_a_trusted_proxy_the_client_address_and_scheme_are_the_proxys_view(
    app, database_url, tmp_path
):
    config = _test_config(database_url, tmp_path)
    config.update(TRUSTED_PROXIES=1, SESSION_COOKIE_SECURE=True)
    proxied = create_app(config)
    seen = {}

    @proxied.get("/_whoami")
    def whoami():
        from flask import request

        seen.update(addr=request.remote_addr, secure=request.is_secure)
        return "ok"

    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    proxied.test_client().get("/_whoami", headers=forwarded)
    assert seen == {"addr": "203.0.113.9", "secure": True}
    direct = create_app(_test_config(database_url, tmp_path))
    direct.add_url_rule("/_whoami", view_func=whoami)
    direct.test_client().get("/_whoami", headers=forwarded)
    assert seen == {"addr": "127.0.0.1", "secure": False}
    for made in (proxied, direct):
        with made.app_context():
            _db.engine.dispose()


def test_the_access_log_masks_a_consent_links_token(monkeypatch):
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    settings = _gunicorn_settings(monkeypatch, None)
    redacted = settings["redacted_path"]
    assert redacted("/consent/Ab_c-12") == "/consent/[token]"
    assert redacted("/consent/Ab_c-12/sign") == "/consent/[token]/sign"
    assert redacted("/referral-status") == "/referral-status"
    assert redacted("/pcp/referrals/7/consent/request") == "/pcp/referrals/7/consent/request"
    logger = settings["logger_class"](Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/consent/Ab_c-12",
        "PATH_INFO": "/consent/Ab_c-12",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    resp = SimpleNamespace(status="200 OK", response_length=10, sent=10, headers=[])
    req = SimpleNamespace(headers=[])
    atoms = logger.atoms(resp, req, environ, timedelta(seconds=1))
    assert atoms["U"] == "/consent/[token]"
    assert atoms["r"] == "GET /consent/[token] HTTP/1.1"
    assert "Ab_c-12" not in settings["access_log_format"] % atoms
