"""docs/integrations/smart.md says what the app does: its values and commands are checked here."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from flask import url_for
from sqlalchemy import select

import config
from console.smart import redirect_uri
from directory.extensions import db
from smart.models import AUTH_METHODS, DEFAULT_SCOPES, EhrRegistration

DOC = Path(__file__).resolve().parents[2] / "docs" / "integrations" / "smart.md"


def _table() -> dict[str, str]:
    """The registration table: field -> value, backticks kept."""
    rows = re.findall(r"^\| ([^|]+) \| (.+) \|$", DOC.read_text(), re.MULTILINE)
    return {field.strip(): value.strip() for field, value in rows}


def _code(value: str) -> list[str]:
    return re.findall(r"`([^`]+)`", value)


def test_the_documented_urls_are_the_apps_routes(app):
    table = _table()
    with app.test_request_context():
        launch, callback = url_for("smart.launch"), url_for("smart.callback")

    assert _code(table["Launch URL"]) == [f"APP_BASE_URL{launch}"]
    assert _code(table["Redirect URI"]) == [f"APP_BASE_URL{callback}"]


def test_the_documented_redirect_uri_is_the_one_sent_to_the_ehr(app):
    app.config["APP_BASE_URL"] = "https://directory.example.org/"
    with app.test_request_context():
        sent = redirect_uri()

    expected = _code(_table()["Redirect URI"])[0].replace(
        "APP_BASE_URL", "https://directory.example.org"
    )
    assert sent == expected


def test_the_documented_scopes_pkce_and_client_types_are_the_apps():
    table = _table()

    assert _code(table["Scopes"]) == [DEFAULT_SCOPES]
    assert _code(table["PKCE"]) == ["S256"]
    assert _code(table["Client types"]) == list(AUTH_METHODS)


def test_the_documented_settings_and_defaults_are_the_apps():
    table = _table()

    for field in ("Launch lifetime", "Timeout to the EHR"):
        name, default = _code(table[field])
        assert str(config.SETTINGS[name][0]) == default


def test_the_documented_commands_run(app, runner):
    lines = [
        line for line in DOC.read_text().splitlines() if line.startswith("flask --app app smart ")
    ]
    outputs = []
    for line in lines:
        result = runner.invoke(args=shlex.split(line)[3:])
        assert result.exit_code == 0, (line, result.output)
        outputs.append(result.output)

    assert len(lines) == 3
    assert outputs[-1].splitlines() == [
        "1\thttps://ehr.example.com/fhir\tExample EHR\tbh-directory\tnone\t-",
        "2\thttps://ehr2.example.com/fhir\tSecond EHR\tbh-directory\tclient_secret_basic\t"
        "EHR2_CLIENT_SECRET",
    ]
    assert len(db.session.scalars(select(EhrRegistration)).all()) == 2
