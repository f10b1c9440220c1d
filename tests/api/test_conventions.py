"""API conventions: problem+json errors, page links, conditional GET with ETag/Last-Modified."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from directory.models import Clinician, ClinicianLanguage, Network

PROBLEM = "application/problem+json"


def test_invalid_request_is_a_problem_with_field_errors(client, directory_data):
    response = client.get("/api/v1/clinicians?language=klingon&limit=0")
    assert response.status_code == 400
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["type"] == "/api/v1/docs#problem-invalid-request"
    assert (body["title"], body["status"]) == ("Bad Request", 400)
    assert body["detail"] == body["message"] == "invalid request"
    assert sorted(body["errors"]) == ["language", "limit"]


def test_not_found_and_method_problems(client):
    missing = client.get("/api/v1/plans/NoSuchPlan")
    assert (missing.status_code, missing.mimetype) == (404, PROBLEM)
    assert missing.get_json()["title"] == "Not Found"
    assert missing.get_json()["type"] == "about:blank"
    wrong = client.delete("/api/v1/plans")
    assert (wrong.status_code, wrong.mimetype) == (405, PROBLEM)
    assert "GET" in wrong.headers["Allow"]


def test_unauthenticated_phi_route_is_a_problem_with_challenge(client):
    response = client.get("/api/v1/referrals")
    assert (response.status_code, response.mimetype) == (401, PROBLEM)
    body = response.get_json()
    assert body["title"] == "Unauthorized" and body["detail"] == body["message"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_scope_refusal_is_a_403_problem(client, make_api_key):
    key = make_api_key("Partner Practice", scopes=("directory:read",))
    response = client.get("/api/v1/referrals", headers={"Authorization": f"Bearer {key}"})
    assert (response.status_code, response.mimetype) == (403, PROBLEM)
    assert "referrals:read" in response.get_json()["detail"]


def _pages(client, url: str) -> list[dict]:
    """Every page, following next links from the first."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        pages.append(body)
        if body["next"]:
            assert f'<{body["next"]}>; rel="next"' in response.headers["Link"]
        url = body["next"]
    return pages


def test_clinician_pages_link_forward_and_back(client, directory_data):
    d = directory_data
    pages = _pages(client, "/api/v1/clinicians?limit=2&name=e")
    assert [p["offset"] for p in pages] == [0, 2]
    assert {p["total"] for p in pages} == {3}
    seen = [r["npi"] for p in pages for r in p["results"]]
    assert seen == [d.lee, d.ann, d.cara]
    first, last = pages
    assert first["prev"] is None
    # Other arguments survive in the links.
    assert "name=e" in first["next"] and "offset=2" in first["next"]
    assert last["next"] is None
    assert last["prev"] == "/api/v1/clinicians?name=e&limit=2&offset=0"
    assert 'rel="prev"' in client.get(first["next"]).headers["Link"]


def test_plan_pages(client, directory_data):
    pages = _pages(client, "/api/v1/plans?limit=1")
    assert [r["id"] for p in pages for r in p["results"]] == [
        "AcmeGoldHMO",
        "AcmeHMONet",
        "AcmeStdNet",
    ]
    assert client.get("/api/v1/plans?limit=0").status_code == 400
    assert client.get("/api/v1/plans?offset=9").get_json()["results"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/clinicians",
        "/api/v1/clinicians/{ann}",
        "/api/v1/plans",
        "/api/v1/plans/AcmeGoldHMO",
    ],
)
def test_etag_gives_304_until_the_data_changes(client, db, directory_data, path):
    url = path.format(ann=directory_data.ann)
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    ann = db.session.scalar(db.select(Clinician).where(Clinician.npi == directory_data.ann))
    ann.pronouns = "they/them"
    db.session.get(Network, "AcmeGoldHMO").name = "Acme Gold HMO 2"
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_if_modified_since(client, db, directory_data):
    url = f"/api/v1/clinicians/{directory_data.ann}"
    last_modified = client.get(url).headers["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    earlier = format_datetime(datetime.now(UTC) - timedelta(days=1), usegmt=True)
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200


def test_a_child_row_change_moves_last_modified(client, db, directory_data):
    url = f"/api/v1/clinicians/{directory_data.cara}"
    cara = db.session.scalar(db.select(Clinician).where(Clinician.npi == directory_data.cara))
    cara.updated_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()
    before = client.get(url).headers["Last-Modified"]
    assert before == "Wed, 01 Jan 2020 00:00:00 GMT"
    cara.languages.append(ClinicianLanguage(code="de"))
    db.session.commit()
    after = client.get(url)
    assert after.headers["Last-Modified"] != before
    assert client.get(url, headers={"If-Modified-Since": before}).status_code == 200


def test_a_listing_turning_stale_moves_last_modified(client, db, directory_data):
    url = f"/api/v1/clinicians/{directory_data.bob}"
    bob = db.session.scalar(db.select(Clinician).where(Clinician.npi == directory_data.bob))
    bob.updated_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()
    body = client.get(url)
    assert body.get_json()["stale"] is True
    # Bob was verified 200 days ago, so his listing went stale 110 days ago: after the row.
    stale_at = datetime.now(UTC) - timedelta(days=110)
    shown = datetime.strptime(body.headers["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
    assert abs(shown.replace(tzinfo=UTC) - stale_at) < timedelta(hours=1)
