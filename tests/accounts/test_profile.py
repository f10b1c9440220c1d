"""The person's own details: the schema, the /account page (audited) and `flask users create`."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError
from sqlalchemy import select

from accounts.models import User
from accounts.profile import ProfileSchema, display_name, referrer_contact
from audit.models import AuditEvent
from web.i18n import LOCALE_COOKIE

DETAILS = {"full_name": "Dana Whitfield", "credentials": "MD", "phone": "(617) 555-0142"}


def _load(**fields):
    return ProfileSchema().load(fields)


def _updates(db) -> list[tuple[str, str | None]]:
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "profile_update"))
    return [(e.outcome, e.object_id) for e in rows]


def test_the_schema_trims_and_a_blank_field_clears_it():
    loaded = _load(full_name="  Dana   Whitfield ", credentials=" MD ", phone="")
    assert loaded == {"full_name": "Dana Whitfield", "credentials": "MD", "phone": None}
    assert _load() == {"full_name": None, "credentials": None, "phone": None}


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("full_name", "a" * 150, True),
        ("full_name", "a" * 151, False),
        ("full_name", "Dana\x00Whitfield", False),
        ("credentials", "PsyD, LICSW", True),
        ("credentials", "M" * 40, True),
        ("credentials", "M" * 41, False),
        ("credentials", "<b>MD</b>", False),
        ("phone", "555-0142", True),  # seven digits
        ("phone", "55-0142", False),  # six
        ("phone", "+1 617.555.0142 ext. 12", True),
        ("phone", "617-555-0142 x", False),
        ("phone", "1" * 30, True),
        ("phone", "1" * 31, False),
        ("phone", "call the front desk", False),
    ],
)
def test_the_schema_bounds(field, value, ok):
    if ok:
        assert _load(**{field: value})[field] == value
    else:
        with pytest.raises(ValidationError) as raised:
            _load(**{field: value})
        assert list(raised.value.messages) == [field]


def test_the_referrer_contact_names_the_person_with_their_credentials():
    user = User(email="dana@clinic.example", **DETAILS)
    assert display_name(user) == "Dana Whitfield, MD"
    assert referrer_contact(user) == {
        "name": "Dana Whitfield, MD",
        "phone": "(617) 555-0142",
        "email": "dana@clinic.example",
    }
    user.credentials = None
    assert display_name(user) == "Dana Whitfield"
    assert referrer_contact(User(email="x@clinic.example")) == {"email": "x@clinic.example"}
    assert referrer_contact(None) == {}  # an API key is nobody


def test_the_account_page_saves_the_details_and_audits_a_change(auth, client, db):
    user = auth.login_as("pcp")
    page = client.get("/account").get_data(as_text=True)
    assert (
        'id="full_name" name="full_name"' in page and 'id="phone" name="phone" type="tel"' in page
    )
    response = client.post("/account", data=DETAILS)
    assert (response.status_code, response.headers["Location"]) == (303, "/account")
    stored = db.session.get(User, user.id)
    assert (stored.full_name, stored.credentials, stored.phone) == tuple(DETAILS.values())
    assert _updates(db) == [("ok", str(user.id))]
    page = client.get("/account").get_data(as_text=True)
    assert "Your details are saved." in page
    assert 'value="Dana Whitfield"' in page and 'value="(617) 555-0142"' in page
    client.post("/account", data=DETAILS)  # nothing changed: nothing to audit
    assert _updates(db) == [("ok", str(user.id))]


def test_a_wrong_detail_is_refused_by_field_and_nothing_is_saved(auth, client, db):
    user = auth.login_as("pcp")
    response = client.post("/account", data={**DETAILS, "phone": "ask the front desk"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<p class="field-error" id="phone-error">Enter a phone number with at least 7' in page
    assert 'aria-invalid="true" aria-describedby="phone-error"' in page
    assert 'value="ask the front desk"' in page  # what was typed comes back to be fixed
    assert db.session.get(User, user.id).full_name is None
    assert _updates(db) == []


def test_the_account_page_is_in_spanish(auth, client):
    auth.login_as("pcp")
    client.set_cookie(LOCALE_COOKIE, "es")
    page = client.get("/account").get_data(as_text=True)
    assert "<legend>Sus datos</legend>" in page and "Guardar sus datos" in page
    assert "Teléfono del trabajo" in page and "Sesión iniciada como" in page


def test_the_account_page_needs_a_signed_in_user(client):
    assert client.post("/account", data=DETAILS).headers["Location"] == "/login?next=/account"


def test_users_create_takes_the_name_credentials_and_phone(runner, db):
    args = ["users", "create", "--email", "d@clinic.example", "--role", "pcp", "--org", "Elm PC"]
    details = ["--name", "Dana Whitfield", "--credentials", "MD", "--phone", "(617) 555-0142"]
    result = runner.invoke(args=[*args, *details], input="a long enough password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.full_name, user.credentials, user.phone) == tuple(DETAILS.values())
    bad = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "e@clinic.example",
            "--role",
            "pcp",
            "--org",
            "Elm PC",
            "--phone",
            "12",
        ],
        input="a long enough password\n",
    )
    assert bad.exit_code != 0 and "phone: Enter a phone number" in bad.output
    assert db.session.scalar(select(User.id).where(User.email == "e@clinic.example")) is None
