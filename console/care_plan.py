"""The care plan page every team member shares: the team by role, goals, tasks by due date."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from accounts.identity import current_actor
from accounts.models import User
from console.access import page_for
from console.referral_actions import PageRefusal, on_page
from directory.extensions import db
from directory.models import Organization
from directory.models.verification import utcnow
from episodes.roles import GOAL_STATUSES, ROLES, TASK_STATUSES
from referrals import use_cases
from referrals.care_team import may_manage_team, may_write
from referrals.consent import PART2_NOTICE

# Form fields sent as text; the use case's schema parses and checks each.
MEMBER_FIELDS = ("role", "name", "npi", "phone", "email")
TASK_FIELDS = ("description", "due_on", "status")


def _organizations() -> list[Organization]:
    """Organizations whose staff sign in here: the ones a member by organization can act for."""
    with_accounts = select(User.organization_id).where(User.active.is_(True))
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.id.in_(with_accounts))
            .order_by(Organization.name)
        )
    )


def show(episode_id: int):
    """Render the care plan for the signed-in reader (404 off the team)."""
    actor = current_actor()
    plan = on_page(use_cases.read_care_plan, actor, episode_id)
    relations = plan.standing.relations
    return render_template(
        "console/care_plan.html",
        plan=plan,
        episode=plan.standing.episode,
        gate=plan.standing.gate,
        manage_team=may_manage_team(actor, relations),
        write=may_write(relations),
        roles=ROLES,
        goal_statuses=GOAL_STATUSES,
        task_statuses=TASK_STATUSES,
        organizations=_organizations() if may_manage_team(actor, relations) else [],
        part2_notice=PART2_NOTICE
        if any(i.part2 and plan.shows(i) for i in (*plan.goals, *plan.tasks))
        else None,
    )


def _text_fields(form, names) -> dict:
    return {n: form[n].strip() for n in names if (form.get(n) or "").strip()}


def _id_field(form, name: str) -> dict:
    value = (form.get(name) or "").strip()
    return {name: int(value) if value.isdigit() else value} if value else {}


def _run(episode_id: int, call, *args, done: str):
    """Run a write for the page; flash what happened, back to the care plan (303)."""
    try:
        on_page(call, current_actor(), episode_id, *args, utcnow())
    except PageRefusal as err:
        details = " ".join(f"{k}: {'; '.join(map(str, v))}" for k, v in err.errors.items())
        flash(f"{err.message} {details}".strip(), "error")
    else:
        flash(done, "success")
    return redirect(url_for(f"{request.blueprint}.care_plan", episode_id=episode_id), 303)


def post_member(episode_id: int):
    """Add a team member from the form."""
    body = {
        **_text_fields(request.form, MEMBER_FIELDS),
        **_id_field(request.form, "organization_id"),
    }
    return _run(episode_id, use_cases.add_member, body, done=_("Added to the care team."))


def post_remove(episode_id: int, member_id: int):
    """Take a member off the team."""
    return _run(
        episode_id, use_cases.remove_member, member_id, done=_("Removed from the care team.")
    )


def post_goal(episode_id: int):
    """Add a goal in the patient's words."""
    body = _text_fields(request.form, ("text", "target_on"))
    return _run(episode_id, use_cases.add_goal, body, done=_("Goal added."))


def post_goal_status(episode_id: int, goal_id: int):
    """Move a goal's status."""
    body = _text_fields(request.form, ("status",))
    return _run(episode_id, use_cases.change_goal, goal_id, body, done=_("Goal updated."))


def post_task(episode_id: int):
    """Add a task with an owner and a due date."""
    body = {
        **_text_fields(request.form, TASK_FIELDS),
        **_id_field(request.form, "owner_id"),
        **_id_field(request.form, "goal_id"),
    }
    return _run(episode_id, use_cases.add_task, body, done=_("Task added."))


def post_task_status(episode_id: int, task_id: int):
    """Move a task's status."""
    body = _text_fields(request.form, ("status",))
    return _run(episode_id, use_cases.change_task, task_id, body, done=_("Task updated."))


def add_care_plan_routes(blueprint: Blueprint, *roles: str) -> None:
    """Mount the care plan page and its forms under `blueprint` for `roles` (and admins)."""
    guard = page_for(*roles)
    base = "/episodes/<int:episode_id>"
    rules = (
        (base + "/care-plan", "care_plan", show, ["GET"]),
        (base + "/care-team", "care_team_add", post_member, ["POST"]),
        (base + "/care-team/<int:member_id>/remove", "care_team_remove", post_remove, ["POST"]),
        (base + "/goals", "care_goal_add", post_goal, ["POST"]),
        (base + "/goals/<int:goal_id>", "care_goal_status", post_goal_status, ["POST"]),
        (base + "/tasks", "care_task_add", post_task, ["POST"]),
        (base + "/tasks/<int:task_id>", "care_task_status", post_task_status, ["POST"]),
    )
    for rule, endpoint, view, methods in rules:
        blueprint.add_url_rule(rule, endpoint, guard(view), methods=methods)
