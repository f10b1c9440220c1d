"""`flask demo users`: a user per audience who signs in, changes the printed password, and opens
their pages."""

from __future__ import annotations

from sqlalchemy import select

from accounts.models import User
from tests.web.seed_directory import PLAN_ID, seed_directory

HOMES = {
    "pcp": "/pcp/",
    "plan_staff": "/staff/",
    "clinician": "/clinician/",
    "admin": "/admin/",
    "practice_manager": "/staff/reports",
}


def _credentials(output: str) -> dict[str, tuple[str, str]]:
    found = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in HOMES:
            found[parts[0]] = (parts[1], parts[2])
    return found


NEW_PASSWORD = "a chosen passphrase of mine"


def _first_sign_in(client, email: str, password: str) -> None:
    """Sign in with the printed password, meet the change-password page, change it."""
    response = client.post("/login", data={"email": email, "password": password})
    assert (response.status_code, response.headers["Location"]) == (302, "/account/password")
    changed = client.post(
        "/account/password",
        data={
            "current_password": password,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302, changed.get_data(as_text=True)


def test_demo_users_sign_in_to_their_pages(app, db, runner):
    seed_directory()
    result = runner.invoke(args=["demo", "users"])
    assert result.exit_code == 0, result.output
    credentials = _credentials(result.output)
    assert set(credentials) == set(HOMES)
    assert "Ana Rivera, LICSW" in result.output and f"plan {PLAN_ID}" in result.output
    assert "asks for a new one" in result.output
    for role, (email, password) in credentials.items():
        client = app.test_client()
        _first_sign_in(client, email, password)
        assert client.get(HOMES[role]).status_code == 200, role
    staff = app.test_client()
    staff.post("/login", data={"email": credentials["plan_staff"][0], "password": NEW_PASSWORD})
    assert f'value="{PLAN_ID}" selected' in staff.get("/staff/").get_data(as_text=True)


def test_a_printed_password_allows_nothing_but_changing_it(app, db, runner):
    seed_directory()
    email, password = _credentials(runner.invoke(args=["demo", "users"]).output)["pcp"]
    client = app.test_client()
    client.post("/login", data={"email": email, "password": password})
    for path in ("/pcp/", "/account", "/admin/"):
        response = client.get(path)
        assert (response.status_code, response.headers["Location"]) == (302, "/account/password")
    api = client.get("/api/v1/referrals")
    assert api.status_code == 403 and api.is_json
    assert client.get("/account/password").status_code == 200
    # The printed password is not accepted as the new one either.
    same = client.post(
        "/account/password",
        data={"current_password": password, "new_password": password, "confirm_password": password},
    )
    assert same.status_code == 400
    assert client.get("/pcp/").status_code == 302


def test_running_again_keeps_passwords_unless_reset(app, db, runner):
    seed_directory()
    first = _credentials(runner.invoke(args=["demo", "users"]).output)
    again = runner.invoke(args=["demo", "users"])
    assert again.exit_code == 0 and "(exists; --reset" in again.output
    reset = _credentials(runner.invoke(args=["demo", "users", "--reset"]).output)
    email, password = reset["pcp"]
    assert password != first["pcp"][1]
    client = app.test_client()
    _first_sign_in(client, email, password)
    # A reset flags the password again and ends the sessions signed in until then.
    runner.invoke(args=["demo", "users", "--reset"])
    assert client.get("/pcp/").status_code == 302


def test_demo_users_need_a_directory(runner):
    result = runner.invoke(args=["demo", "users"])
    assert result.exit_code != 0 and "flask demo load" in result.output


def _people(db) -> dict[str, tuple[str | None, str | None, str | None]]:
    users = db.session.scalars(select(User).order_by(User.role))
    return {u.role: (u.full_name, u.credentials, u.phone) for u in users}


def test_demo_users_have_the_same_names_on_every_run(db, runner):
    seed_directory()
    assert runner.invoke(args=["demo", "users"]).exit_code == 0
    people = _people(db)
    assert people["pcp"] == ("Dana Whitfield", "MD", "(617) 555-0142")
    assert people["admin"] == ("Priya Natarajan", None, "(617) 555-0144")
    assert people["clinician"] == ("Ana Rivera", "LICSW", "(617) 555-0146")  # their listing
    # Accounts made before accounts had names get theirs on the next run; given names stay.
    for user in db.session.scalars(select(User)):
        user.full_name = "Chosen Name" if user.role == "admin" else None
    db.session.commit()
    assert runner.invoke(args=["demo", "users"]).exit_code == 0
    again = _people(db)
    assert again["pcp"] == people["pcp"] and again["admin"][0] == "Chosen Name"
