"""The OpenAPI document at /api/v1/openapi.json and the docs page rendered from it."""

import re

from api.openapi import openapi_path

PHI_SCOPES = {"referrals:read", "referrals:write", "registry:read"}
# Reports carry no PHI, but they describe a plan's members and a practice's patients.
REPORT_SCOPES = {"analytics:read"}


def _document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_every_api_route_and_method_is_documented(app, client):
    paths = _document(client)["paths"]
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        item = paths[openapi_path(rule.rule)]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in item, rule.rule


def test_phi_routes_need_a_scoped_key_and_public_ones_do_not(client):
    spec = _document(client)
    assert spec["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            scopes = operation.get("x-scopes", [])
            if path.startswith(("/referrals", "/episodes", "/registry")) or path == "/screenings":
                assert operation["security"] == [{"apiKey": []}], (method, path)
                assert set(scopes) <= PHI_SCOPES and scopes, (method, path)
                assert {"401", "403"} <= set(operation["responses"])
            elif path.startswith("/analytics"):
                assert operation["security"] == [{"apiKey": []}], (method, path)
                assert set(scopes) == REPORT_SCOPES, (method, path)
                assert {"400", "401", "403"} <= set(operation["responses"])
            else:
                assert operation["security"] == [] and not scopes, (method, path)


def test_errors_are_problem_details_and_429_says_when_to_retry(client):
    spec = _document(client)
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "message"} <= set(problem["required"])
    for status, response in spec["components"]["responses"].items():
        assert list(response["content"]) == ["application/problem+json"], status
    assert "Retry-After" in spec["components"]["responses"]["Problem429"]["headers"]
    for item in spec["paths"].values():
        for operation in item.values():
            assert {"429", "500"} <= set(operation["responses"])


def test_directory_reads_document_conditional_get_and_links(client):
    paths = _document(client)["paths"]
    for path in ("/clinicians", "/clinicians/{npi}", "/plans", "/plans/{plan_id}"):
        operation = paths[path]["get"]
        assert "304" in operation["responses"], path
        assert "ETag" in operation["responses"]["200"]["headers"], path
        names = {p["name"] for p in operation["parameters"]}
        assert {"If-None-Match", "If-Modified-Since"} <= names, path
    for path in ("/clinicians", "/plans", "/changes", "/referrals"):
        assert "Link" in paths[path]["get"]["responses"]["200"]["headers"], path


def test_query_parameters_come_from_the_marshmallow_schemas(client):
    spec = _document(client)
    clinicians = {p["name"]: p for p in spec["paths"]["/clinicians"]["get"]["parameters"]}
    assert {"npi", "name", "taxonomy", "language", "plan", "state", "limit", "offset"} <= set(
        clinicians
    )
    assert clinicians["accepting_new_patients"]["schema"]["type"] == "boolean"
    changes = {p["name"]: p for p in spec["paths"]["/changes"]["get"]["parameters"]}
    assert changes["since"]["required"] is True
    assert changes["since"]["schema"]["format"] == "date-time"
    body = spec["paths"]["/referrals"]["post"]["requestBody"]["content"]["application/json"]
    create = spec["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert {"patient", "reason", "urgency"} <= set(create["required"])
    # The target is one of two (the schema checks exactly one): neither is required alone.
    assert {"clinician_npi", "service_at_location_id", "patient_updates"} <= set(
        create["properties"]
    )
    assert "clinician_npi" not in create["required"]
    assert create["properties"]["patient_notices"]["enum"] == ["none", "sms", "email"]
    assert create["properties"]["patient_email"]["format"] == "email"


def test_docs_page_lists_every_operation_without_scripts(client):
    spec = _document(client)
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script" not in html
    for path, item in spec["paths"].items():
        for method in item:
            assert re.search(
                rf"{method.upper()}</span> <code>/api/v1{re.escape(path)}</code>", html
            )
    assert 'id="problem-invalid-request"' in html
    assert 'id="schema-ClinicianDetail"' in html


def test_the_needs_document_says_what_the_schema_checks_in_code(client):
    from directory.vocabulary import vocabulary

    spec = _document(client)
    needs = spec["components"]["schemas"]["Needs"]
    assert [branch["required"] for branch in needs["oneOf"]] == [
        ["postal_code"],
        ["lat", "lon"],
        ["address"],
    ]
    assert needs["properties"]["concerns"]["items"]["enum"] == sorted(vocabulary("concerns"))
    assert needs["properties"]["concerns"]["maxItems"] == 30
    assert "enum" not in needs["properties"]["specialties"]["items"]  # 875 NUCC codes
    assert "MA" in needs["properties"]["state"]["enum"]
    [npi] = spec["paths"]["/clinicians/{npi}"]["get"]["parameters"][:1]
    assert npi["schema"] == {"type": "string", "pattern": "^[0-9]{10}$"}


def test_the_documented_match_example_is_answered(client):
    spec = _document(client)
    body = spec["paths"]["/matches"]["post"]["requestBody"]["content"]["application/json"]
    response = client.post("/api/v1/matches", json=body["example"])
    assert response.status_code == 200, response.get_data(as_text=True)


def test_every_operation_documents_the_edge_refusals(client):
    for item in _document(client)["paths"].values():
        for operation in item.values():
            assert "400" in operation["responses"]
            assert ("413" in operation["responses"]) == ("requestBody" in operation)


def test_referral_responses_link_to_what_can_be_done_next(client):
    paths = _document(client)["paths"]
    links = paths["/referrals"]["post"]["responses"]["201"]["links"]
    assert set(links) == {
        "GetReferral",
        "PostEvent",
        "GetReferralFhir",
        "TickChecklistItem",
        "RevokeConsent",
        "Rerefer",
    }
    assert links["GetReferral"] == {
        "operationId": "get_referral",
        "parameters": {"referral_id": "$response.body#/id"},
    }
    operation_ids = {op["operationId"] for item in paths.values() for op in item.values()}
    assert {link["operationId"] for link in links.values()} <= operation_ids
