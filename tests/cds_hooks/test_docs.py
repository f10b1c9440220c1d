"""docs/integrations/cds-hooks.md: every documented request, run, answers what the page shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cds.tokens import sign
from tests.cds_hooks.builders import SECRET, claims

DOC = Path(__file__).resolve().parents[2] / "docs" / "integrations" / "cds-hooks.md"
HOST = "https://directory.example.org"
_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def examples() -> list[tuple[str, str, dict | None, object]]:
    """(method, path, body, documented response) for each ```http block and the ```json after."""
    blocks = [(m.group(1), m.group(2)) for m in _BLOCK.finditer(DOC.read_text(encoding="utf-8"))]
    found = []
    for index, (kind, text) in enumerate(blocks):
        if kind != "http":
            continue
        head, _, body = text.partition("\n\n")
        method, path, _ = head.splitlines()[0].split(" ")
        expected_kind, expected = blocks[index + 1]
        assert expected_kind == "json", f"{method} {path} has no documented response"
        found.append(
            (method, path, json.loads(body) if body.strip() else None, json.loads(expected))
        )
    return found


def _without_uuids(value):
    if isinstance(value, dict):
        return {k: ("<uuid>" if k == "uuid" else _without_uuids(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_uuids(v) for v in value]
    return value


def test_the_page_documents_discovery_a_call_and_feedback():
    assert [(method, path) for method, path, _, _ in examples()] == [
        ("GET", "/cds-services"),
        ("POST", "/cds-services/bh-screening-patient-view"),
        ("POST", "/cds-services/bh-screening-patient-view/feedback"),
    ]


@pytest.fixture
def documented_host(app):
    """The app as installed at the page's host (links and the JWT audience use it)."""
    app.config["CDS_HOOKS_BASE_URL"] = HOST


def test_every_documented_request_answers_as_documented(hooks, client, documented_host):
    issued: dict[str, str] = {}  # documented card uuid -> the one this run got
    for method, path, body, expected in examples():
        if method == "GET":
            response = client.get(path)
        else:
            service = path.split("/")[2]
            token = sign(claims(service, aud=f"{HOST}/cds-services/{service}"), SECRET)
            text = json.dumps(body)
            for documented, actual in issued.items():
                text = text.replace(documented, actual)
            response = client.post(
                path,
                data=text,
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
        assert response.status_code == 200, (path, response.get_json())
        answer = response.get_json()
        assert _without_uuids(answer) == _without_uuids(expected)
        for documented, actual in zip(
            expected.get("cards", ()), answer.get("cards", ()), strict=True
        ):
            issued[documented["uuid"]] = actual["uuid"]
