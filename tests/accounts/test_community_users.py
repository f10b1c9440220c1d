"""Community users: created with the program organization they work for, and only them."""

import pytest

from accounts.identity import actor_for_user
from accounts.users import AccountError, create_user
from programs.models import ProgramOrganization

PASSWORD = "correct horse battery staple"


@pytest.fixture
def pantry(db):
    org = ProgramOrganization(external_id="hsds:pantry-1", name="Eastside Pantry", source="hsds")
    db.session.add(org)
    db.session.commit()
    return org


def test_a_community_user_is_linked_by_id_or_external_id(db, pantry):
    by_id, _ = create_user(
        "a@example.org", "community", "Eastside", PASSWORD, program_org=pantry.id
    )
    by_ref, _ = create_user(
        "b@example.org", "community", "Eastside", PASSWORD, program_org="hsds:pantry-1"
    )
    assert by_id.program_organization_id == by_ref.program_organization_id == pantry.id
    actor = actor_for_user(by_id)
    assert (actor.role, actor.program_organization_id) == ("community", pantry.id)
    assert actor.scopes == frozenset({"referrals:read", "referrals:write"})


@pytest.mark.parametrize(
    ("role", "program_org", "message"),
    [
        ("community", None, "a community user needs the program organization they work for"),
        ("community", "hsds:nope", "no program organization 'hsds:nope'"),
        ("pcp", "hsds:pantry-1", "--program-org is only for community users"),
    ],
)
def test_the_link_is_required_for_community_users_only(db, pantry, role, program_org, message):
    with pytest.raises(AccountError) as raised:
        create_user("c@example.org", role, "Somewhere", PASSWORD, program_org=program_org)
    assert str(raised.value) == message


def test_the_cli_creates_a_community_user(runner, db, pantry):
    result = runner.invoke(
        args=[
            "users", "create", "--email", "d@example.org", "--role", "community",
            "--org", "Eastside Pantry staff", "--program-org", "hsds:pantry-1",
        ],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "(community)" in result.output
