"""Admin pages: users, organizations and their plans, and the queue of listings to verify."""

from __future__ import annotations

from sqlalchemy import select

from accounts.models import User, organization_plan
from directory.facts import clinician as subject
from directory.facts import history
from directory.models import Clinician, Organization
from tests.conftest import DEFAULT_PASSWORD


def test_admins_create_users_and_deactivate_them(app, db, world, admin):
    response = admin.post(
        "/admin/users",
        data={
            "email": "Dr.Rivera@Example.org",
            "role": "clinician",
            "organization_id": str(world.practice.id),
            "npi": world.ana.npi,
            "password": DEFAULT_PASSWORD,
        },
    )
    assert response.status_code == 303
    user = db.session.scalar(select(User).where(User.email == "dr.rivera@example.org"))
    assert (user.role, user.npi, user.organization_id) == (
        "clinician",
        world.ana.npi,
        world.practice.id,
    )
    bad = admin.post(
        "/admin/users", data={"email": "x@example.org", "role": "pcp", "password": "short"}
    )
    assert bad.status_code == 400 and "at least 12 characters" in bad.get_data(as_text=True)
    admin.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    db.session.refresh(user)
    assert user.active is False
    other = app.test_client()
    login = other.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert login.status_code == 200  # the form again: deactivated users cannot sign in


def test_admins_cannot_deactivate_themselves(db, admin):
    admin.post(f"/admin/users/{admin.user.id}/active", data={"active": "0"}, follow_redirects=True)
    db.session.refresh(admin.user)
    assert admin.user.active is True


def test_admins_create_organizations_and_link_plans(db, world, admin):
    assert (
        admin.post(
            "/admin/organizations", data={"name": "Sunrise Health Plan", "kind": "health_plan"}
        ).status_code
        == 303
    )
    org = db.session.scalar(select(Organization).where(Organization.name == "Sunrise Health Plan"))
    admin.post(f"/admin/organizations/{org.id}/plans", data={"plans": [world.plan]})
    links = (
        db.session.execute(
            select(organization_plan.c.network_id).where(
                organization_plan.c.organization_id == org.id
            )
        )
        .scalars()
        .all()
    )
    assert links == [world.plan]
    refused = admin.post(
        f"/admin/organizations/{world.pcp_org.id}/plans", data={"plans": [world.plan]}
    )
    assert refused.status_code == 400 and "is not a health plan" in refused.get_data(as_text=True)


def test_the_listing_queue_holds_stale_and_flagged_listings(db, world, admin):
    ana = db.session.get(Clinician, world.ana.id)
    ana.flagged_reason = "referral declined: not in network masscare-hmo"
    db.session.commit()
    html = admin.get("/admin/listings").get_data(as_text=True)
    assert "Ana Rivera" in html and "Carla Nguyen" in html  # flagged; verified 200 days ago
    assert "Ben Okafor" not in html
    assert html.index("Ana Rivera") < html.index("Carla Nguyen")  # flagged first
    carla = db.session.scalar(select(Clinician).where(Clinician.last_name == "Nguyen"))
    # Staff verification records how it was checked: no method, no verification.
    refused = admin.post(f"/admin/listings/{carla.id}", data={"action": "verify"})
    assert refused.status_code == 400
    assert "Say how the listing was verified" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Clinician, carla.id).is_stale()
    admin.post(f"/admin/listings/{world.ana.id}", data={"action": "clear_flag"})
    verified = {"action": "verify", "method": "phone_call", "evidence": "Front desk, Dec 4"}
    admin.post(f"/admin/listings/{carla.id}", data=verified)
    db.session.expire_all()
    assert db.session.get(Clinician, world.ana.id).flagged_reason is None
    carla = db.session.get(Clinician, carla.id)
    assert carla.verified_source == "staff:phone_call"
    assert not carla.is_stale()
    confirmed = history(subject(carla.id))
    assert {(o.source, o.method, o.evidence) for o in confirmed} == {
        ("staff_verification", "phone_call", "Front desk, Dec 4")
    }
    assert {"location", "phone", "network_participation"} <= {o.kind for o in confirmed}
    html = admin.get("/admin/listings").get_data(as_text=True)
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    assert "Ana Rivera" not in table and "Carla Nguyen" not in table
    assert "Flag cleared for Ana Rivera" in html
