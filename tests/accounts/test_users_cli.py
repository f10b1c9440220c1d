"""`flask users create` and `flask orgs link-plans`."""

from sqlalchemy import select

from accounts.models import ROLE_SCOPES, User, organization_plan
from directory.models import Clinician, Network, Organization

PASSWORD = "a long enough password\n"


def _create(runner, *args, password=PASSWORD):
    return runner.invoke(args=["users", "create", *args], input=password)


def test_creates_user_and_unknown_org_with_a_kind_from_the_role(runner, db):
    result = _create(runner, "--email", "Nurse@Clinic.example", "--role", "pcp", "--org", "Elm PC")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "nurse@clinic.example"
    assert user.role == "pcp"
    assert user.organization.name == "Elm PC"
    assert user.organization.kind == "primary_care"
    assert user.check_password("a long enough password")
    assert "a long enough password" not in result.output


def test_reuses_an_existing_org_by_name_or_id(runner, db):
    org = Organization(name="Maple Behavioral", kind="bh_practice")
    db.session.add(org)
    db.session.commit()
    by_name = _create(
        runner,
        "--email",
        "a@x.org",
        "--role",
        "clinician",
        "--org",
        "Maple Behavioral",
        "--npi",
        "1234567893",
    )
    by_id = _create(runner, "--email", "b@x.org", "--role", "admin", "--org", str(org.id))
    assert by_name.exit_code == 0 and by_id.exit_code == 0, by_name.output + by_id.output
    assert {u.organization_id for u in db.session.scalars(select(User))} == {org.id}
    assert db.session.scalar(select(db.func.count(Organization.id))) == 1


def test_clinician_needs_a_valid_npi_and_is_warned_without_a_listing(runner, db):
    no_npi = _create(runner, "--email", "c@x.org", "--role", "clinician", "--org", "BH")
    assert no_npi.exit_code != 0 and "NPI" in no_npi.output
    bad = _create(
        runner, "--email", "c@x.org", "--role", "clinician", "--org", "BH", "--npi", "1234567890"
    )
    assert bad.exit_code != 0 and "check digit" in bad.output
    ok = _create(
        runner, "--email", "c@x.org", "--role", "clinician", "--org", "BH", "--npi", "1234567893"
    )
    assert ok.exit_code == 0
    assert "no directory listing" in ok.output
    assert db.session.scalar(select(User.npi)) == "1234567893"


def test_npi_is_silent_when_the_listing_exists(runner, db):
    db.session.add(Clinician(npi="1234567893", last_name="Rivera"))
    db.session.commit()
    ok = _create(
        runner, "--email", "c@x.org", "--role", "clinician", "--org", "BH", "--npi", "1234567893"
    )
    assert ok.exit_code == 0 and "warning" not in ok.output


def test_rejects_short_passwords_duplicates_and_npi_on_other_roles(runner, db):
    short = _create(runner, "--email", "d@x.org", "--role", "pcp", "--org", "P", password="short\n")
    assert short.exit_code != 0 and "12 characters" in short.output
    assert _create(runner, "--email", "d@x.org", "--role", "pcp", "--org", "P").exit_code == 0
    dup = _create(runner, "--email", "D@x.org", "--role", "pcp", "--org", "P")
    assert dup.exit_code != 0 and "already exists" in dup.output
    npi = _create(
        runner, "--email", "e@x.org", "--role", "pcp", "--org", "P", "--npi", "1234567893"
    )
    assert npi.exit_code != 0
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_plan_staff_org_must_be_a_health_plan(runner, db):
    db.session.add(Organization(name="Oak Primary", kind="primary_care"))
    db.session.commit()
    result = _create(runner, "--email", "p@x.org", "--role", "plan_staff", "--org", "Oak Primary")
    assert result.exit_code != 0
    assert "cannot belong" in result.output


def test_plan_staff_plans_are_linked_to_their_org(runner, db):
    db.session.add_all(
        [
            Network(id="AcmeHMO", name="Acme HMO", kind="plan"),
            Network(id="AcmePPO", name="Acme PPO", kind="plan"),
        ]
    )
    db.session.commit()
    result = _create(
        runner,
        "--email",
        "s@acme.example",
        "--role",
        "plan_staff",
        "--org",
        "Acme Health",
        "--plans",
        "AcmeHMO",
    )
    assert result.exit_code == 0, result.output
    org = db.session.scalar(select(Organization).where(Organization.name == "Acme Health"))
    assert org.kind == "health_plan"
    unknown = runner.invoke(args=["orgs", "link-plans", "--org", "Acme Health", "--plans", "Nope"])
    assert unknown.exit_code != 0 and "Nope" in unknown.output
    more = runner.invoke(
        args=["orgs", "link-plans", "--org", str(org.id), "--plans", "AcmeHMO,AcmePPO"]
    )
    assert more.exit_code == 0, more.output
    assert "1 new" in more.output
    linked = db.session.scalars(
        select(organization_plan.c.network_id).where(organization_plan.c.organization_id == org.id)
    )
    assert sorted(linked) == ["AcmeHMO", "AcmePPO"]


def test_a_practice_manager_belongs_to_a_practice_and_holds_only_the_reports_scope(runner, db):
    db.session.add_all(
        [Organization(name="Oak Primary", kind="primary_care"),
         Organization(name="Acme Health", kind="health_plan")]
    )  # fmt: skip
    db.session.commit()
    args = ("--role", "practice_manager", "--org")
    assert _create(runner, "--email", "m@oak.org", *args, "Oak Primary").exit_code == 0
    refused = _create(runner, "--email", "m@acme.org", *args, "Acme Health")
    assert refused.exit_code != 0 and "cannot belong" in refused.output
    plans = _create(runner, "--email", "m2@oak.org", *args, "Oak Primary", "--plans", "AcmeGold")
    assert plans.exit_code != 0 and "--plans is for plan staff" in plans.output
    assert _create(runner, "--email", "m@new.org", *args, "New Group").exit_code == 0
    made = {u.email: (u.role, u.organization.kind) for u in db.session.scalars(select(User))}
    assert made == {
        "m@oak.org": ("practice_manager", "primary_care"),
        "m@new.org": ("practice_manager", "group_practice"),
    }
    assert ROLE_SCOPES["practice_manager"] == frozenset({"analytics:read"})
