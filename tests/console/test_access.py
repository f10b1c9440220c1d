"""Who may open each staff page: sign-in redirects, 403 for other roles, CSRF, no PHI in URLs."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from audit.models import AuditEvent
from referrals.models import Referral
from tests.console.conftest import PATIENT_BIRTH, PATIENT_NAME, needs, referral_form

PAGES = {
    "/pcp/": "pcp",
    "/pcp/referrals": "pcp",
    "/staff/": "plan_staff",
    "/staff/queue": "plan_staff",
    "/staff/adequacy": "plan_staff",
    "/staff/reports": ("plan_staff", "practice_manager"),
    "/clinician/": "clinician",
    "/clinician/listing": "clinician",
    "/admin/": "admin",
    "/admin/users": "admin",
    "/admin/organizations": "admin",
    "/admin/ingest": "admin",
    "/admin/listings": "admin",
}
ROLES = ("pcp", "plan_staff", "clinician", "admin", "practice_manager")


@pytest.fixture
def clients(world, signed_in):
    """One signed-in client per role (the clinician acts for Ana Rivera's listing)."""
    return {
        role: signed_in(role, npi=world.ana.npi if role == "clinician" else None) for role in ROLES
    }


@pytest.mark.parametrize("path", sorted(PAGES))
def test_anonymous_visitors_are_sent_to_sign_in_without_the_query(client, world, path):
    response = client.get(f"{path}?postal_code=02139")
    assert response.status_code == 302
    location = unquote(response.headers["Location"])
    assert location.startswith("/login?next=")
    assert location.endswith(path)
    assert "02139" not in location


def _expected(path: str, role: str) -> int:
    owners = PAGES[path] if isinstance(PAGES[path], tuple) else (PAGES[path],)
    if path == "/clinician/listing" and role == "admin":
        return 404  # an administrator has no listing of their own
    return 200 if role in (*owners, "admin") else 403


def test_every_page_answers_its_role_and_admins_and_refuses_the_rest(clients):
    seen = {}
    for path in PAGES:
        for role, client in clients.items():
            seen[(path, role)] = client.get(path).status_code
    expected = {(path, role): _expected(path, role) for path in PAGES for role in ROLES}
    assert seen == expected


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("clinician", "/pcp/referrals"),
        ("plan_staff", "/pcp/search"),
        ("pcp", "/staff/matches"),
        ("pcp", "/staff/calls"),
        ("pcp", "/clinician/listing"),
        ("clinician", "/admin/ingest"),
        ("plan_staff", "/admin/users"),
    ],
)
def test_posts_from_the_wrong_role_are_refused_and_change_nothing(clients, db, world, role, path):
    response = clients[role].post(path, data=referral_form(world.ana, outcome="info_only"))
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Referral.id))) == 0


def test_an_api_key_cannot_open_a_page(client, world, make_api_key):
    key = make_api_key(world.pcp_org, ("referrals:read",))
    response = client.get("/pcp/referrals", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 403


def test_another_practices_referral_is_not_found_and_the_attempt_is_audited(
    db, world, signed_in, sent_referral
):
    stranger = signed_in("pcp", org=world.other_pcp_org)
    assert stranger.get(f"/pcp/referrals/{sent_referral.id}").status_code == 404
    denied = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.outcome == "denied", AuditEvent.object_type == "referral"
        )
    ).all()
    assert [e.object_id for e in denied] == [str(sent_referral.id)]


def test_searches_are_posts_only(clients):
    assert clients["pcp"].get("/pcp/search?postal_code=02139").status_code == 405
    assert clients["plan_staff"].get("/staff/matches?postal_code=02139").status_code == 405


def test_patient_data_travels_in_posts_and_referral_pages_are_addressed_by_id(world, sent_referral):
    pcp = sent_referral.pcp
    pages = [
        pcp.post("/pcp/refer", data={**needs(), "choice": f"{world.ana.npi}:"}),
        pcp.get(f"/pcp/referrals/{sent_referral.id}"),
        pcp.get("/pcp/referrals"),
    ]
    for page in pages:
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        methods = re.findall(r"<form[^>]*method=\"(\w+)\"", html)
        assert methods and set(methods) <= {"post", "get"}
        # A GET form may only carry the board's filters: a status, a clinician id, overdue.
        for form in re.findall(r"<form[^>]*method=\"get\".*?</form>", html, flags=re.S):
            fields = set(re.findall(r"<(?:input|select)[^>]*name=\"(\w+)\"", form))
            assert fields == {"status", "overdue", "clinician"}
        targets = re.findall(r"(?:href|action|formaction)=\"([^\"]*)\"", html)
        for target in targets:
            assert PATIENT_NAME.split()[0] not in target and PATIENT_BIRTH not in target
            assert "?" not in target or target.startswith("/static/")
    assert PATIENT_NAME in pages[1].get_data(as_text=True)


def _token(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_forms_and_the_console_script_need_the_csrf_token(app, world, signed_in):
    app.config["WTF_CSRF_ENABLED"] = True
    pcp = signed_in("pcp")
    assert pcp.post("/pcp/search", data=needs()).status_code == 400
    token = _token(pcp.get("/pcp/").get_data(as_text=True))
    assert pcp.post("/pcp/search", data={**needs(), "csrf_token": token}).status_code == 200
    staff = signed_in("plan_staff")
    assert staff.post("/staff/matches", data=needs()).status_code == 400
    token = _token(staff.get("/staff/").get_data(as_text=True))
    answered = staff.post("/staff/matches", data=needs(), headers={"X-CSRFToken": token})
    assert answered.status_code == 200
    assert 'id="results-region"' in answered.get_data(as_text=True)


def test_the_account_page_links_each_role_to_its_work_pages(clients):
    homes = {
        "pcp": "/pcp/",
        "plan_staff": "/staff/",
        "clinician": "/clinician/",
        "admin": "/admin/",
        "practice_manager": "/staff/reports",
    }
    for role, client in clients.items():
        assert f'href="{homes[role]}"' in client.get("/account").get_data(as_text=True), role
