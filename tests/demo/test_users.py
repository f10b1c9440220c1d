"""`flask demo users`: a user per audience who can sign in and open their pages."""

from __future__ import annotations

from tests.web.seed_directory import PLAN_ID, seed_directory

HOMES = {"pcp": "/pcp/", "plan_staff": "/staff/", "clinician": "/clinician/", "admin": "/admin/"}


def _credentials(output: str) -> dict[str, tuple[str, str]]:
    found = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in HOMES:
            found[parts[0]] = (parts[1], parts[2])
    return found


def test_demo_users_sign_in_to_their_pages(app, db, runner):
    seed_directory()
    result = runner.invoke(args=["demo", "users"])
    assert result.exit_code == 0, result.output
    credentials = _credentials(result.output)
    assert set(credentials) == set(HOMES)
    assert "Ana Rivera, LICSW" in result.output and f"plan {PLAN_ID}" in result.output
    for role, (email, password) in credentials.items():
        client = app.test_client()
        assert client.post("/login", data={"email": email, "password": password}).status_code == 302
        assert client.get(HOMES[role]).status_code == 200, role
    staff = app.test_client()
    email, password = credentials["plan_staff"]
    staff.post("/login", data={"email": email, "password": password})
    assert f'value="{PLAN_ID}" selected' in staff.get("/staff/").get_data(as_text=True)


def test_running_again_keeps_passwords_unless_reset(app, db, runner):
    seed_directory()
    first = _credentials(runner.invoke(args=["demo", "users"]).output)
    again = runner.invoke(args=["demo", "users"])
    assert again.exit_code == 0 and "(exists; --reset" in again.output
    reset = _credentials(runner.invoke(args=["demo", "users", "--reset"]).output)
    email, password = reset["pcp"]
    assert password != first["pcp"][1]
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": password}).status_code == 302


def test_demo_users_need_a_directory(runner):
    result = runner.invoke(args=["demo", "users"])
    assert result.exit_code != 0 and "flask demo load" in result.output
