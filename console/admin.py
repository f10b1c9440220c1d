"""Admin pages: the overview, users and organizations."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from accounts.identity import current_actor
from accounts.models import ROLES, User, organization_plan
from accounts.organizations import link_plans, parse_plan_ids
from accounts.sessions import end_user_sessions
from accounts.users import create_user
from audit.log import record
from console import admin_blueprint as bp
from console.access import page_for
from console.care_plan import add_care_plan_routes
from console.ingest_runs import recent_runs
from console.referral_page import add_referral_routes
from console.rerefer import add_rerefer_routes
from console.search import plan_choices
from console.timeline import add_timeline_route
from directory.extensions import db
from directory.models import Clinician, Organization
from referrals.models import Referral

ADMIN = ("admin",)
ORG_KINDS = ("primary_care", "health_plan", "bh_practice", "group_practice", "cmhc", "hospital")
ORG_KINDS += ("other",)
# Kinds people sign in for; directory practices show up only once someone belongs to them.
ACCOUNT_ORG_KINDS = ("primary_care", "health_plan", "other")


@bp.get("/")
@page_for(*ADMIN)
def home():
    """Counts and the latest loads."""
    counts = {
        "users": db.session.scalar(select(func.count(User.id))),
        "referrals": db.session.scalar(select(func.count(Referral.id))),
        "clinicians": db.session.scalar(select(func.count(Clinician.id))),
        "flagged": db.session.scalar(
            select(func.count(Clinician.id)).where(Clinician.flagged_reason.is_not(None))
        ),
    }
    return render_template("console/admin/home.html", counts=counts, runs=recent_runs(5))


def _users_page(form=None, errors=None, status=200):
    users = db.session.scalars(select(User).order_by(User.role, User.email)).all()
    page = render_template(
        "console/admin/users.html",
        users=users,
        roles=ROLES,
        organizations=_account_organizations(),
        plans=plan_choices(),
        form=form or {},
        errors=errors or {},
    )
    return page, status


@bp.get("/users")
@page_for(*ADMIN)
def users():
    """Every user, and a form to add one."""
    return _users_page()


@bp.post("/users")
@page_for(*ADMIN)
def create_user_view():
    """Add a user with role, organization (existing or new by name), NPI and plans."""
    form = request.form
    org = form.get("organization_id") or (form.get("organization_name") or "").strip()
    try:
        user, created = create_user(
            form.get("email", ""),
            form.get("role", ""),
            org,
            form.get("password", ""),
            (form.get("npi") or "").strip() or None,
            parse_plan_ids(form.getlist("plans")),
            (form.get("program_org") or "").strip() or None,
        )
    except ValueError as err:
        db.session.rollback()
        return _users_page(form, {"user": str(err)}, 400)
    record(current_actor(), "create", "user", user.id)
    if created:
        record(current_actor(), "create", "organization", user.organization_id)
    db.session.commit()
    flash(_("User %(email)s created.", email=user.email), "success")
    return redirect(url_for("admin.users"), 303)


@bp.post("/users/<int:user_id>/active")
@page_for(*ADMIN)
def set_active(user_id: int):
    """Deactivate (or reactivate) a user; a deactivated user's sessions stop working."""
    actor = current_actor()
    user = db.session.get(User, user_id) or abort(404)
    if user.id == actor.id:
        flash(_("You cannot deactivate yourself."), "error")
        return redirect(url_for("admin.users"), 303)
    user.active = request.form.get("active") == "1"
    record(actor, "activate" if user.active else "deactivate", "user", user.id)
    db.session.commit()
    if not user.active:
        end_user_sessions(user.id)  # on the server: their copied cookies stop working too
    return redirect(url_for("admin.users"), 303)


def _account_organizations() -> list[Organization]:
    """Organizations people sign in for: those with users, plus plan and primary-care kinds."""
    with_users = select(User.organization_id)
    query = select(Organization).where(
        or_(Organization.id.in_(with_users), Organization.kind.in_(ACCOUNT_ORG_KINDS))
    )
    return list(db.session.scalars(query.order_by(Organization.name)))


def _orgs_page(form=None, errors=None, status=200):
    organizations = _account_organizations()
    links = db.session.execute(select(organization_plan)).all()
    plans_of: dict[int, list[str]] = {}
    for org_id, network_id in links:
        plans_of.setdefault(org_id, []).append(network_id)
    page = render_template(
        "console/admin/organizations.html",
        organizations=organizations,
        plans_of=plans_of,
        plans=plan_choices(),
        kinds=ORG_KINDS,
        form=form or {},
        errors=errors or {},
    )
    return page, status


@bp.get("/organizations")
@page_for(*ADMIN)
def organizations():
    """Organizations people belong to, with the plans health plans administer."""
    return _orgs_page()


@bp.post("/organizations")
@page_for(*ADMIN)
def create_organization():
    """Add an organization (a PCP practice, a health plan...)."""
    form = request.form
    name = (form.get("name") or "").strip()
    kind = form.get("kind", "")
    if not name or len(name) > 200 or kind not in ORG_KINDS:
        return _orgs_page(form, {"organization": _("Give a name and a kind.")}, 400)
    org = Organization(name=name, kind=kind, npi=(form.get("npi") or "").strip() or None)
    org.source = "accounts"
    db.session.add(org)
    db.session.flush()
    record(current_actor(), "create", "organization", org.id)
    db.session.commit()
    flash(_("Organization %(name)s created.", name=name), "success")
    return redirect(url_for("admin.organizations"), 303)


@bp.post("/organizations/<int:org_id>/plans")
@page_for(*ADMIN)
def link_organization_plans(org_id: int):
    """Record which plans a health-plan organization administers."""
    org = db.session.get(Organization, org_id) or abort(404)
    try:
        new = link_plans(org, parse_plan_ids(request.form.getlist("plans")))
    except ValueError as err:
        db.session.rollback()
        return _orgs_page(None, {"plans": str(err)}, 400)
    record(current_actor(), "update", "organization", org.id)
    db.session.commit()
    flash(_("%(count)s plan(s) linked.", count=len(new)), "success")
    return redirect(url_for("admin.organizations"), 303)


add_referral_routes(bp, *ADMIN)
add_care_plan_routes(bp, *ADMIN)
add_timeline_route(bp, *ADMIN)
add_rerefer_routes(bp, *ADMIN)

from console import admin_ingest, admin_listings, corrections  # noqa: E402,F401  (their routes attach here)
