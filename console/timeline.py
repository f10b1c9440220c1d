"""The patient timeline page the care team shares: scores, steps, returns and the care plan."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from accounts.identity import current_actor
from console.access import page_for
from console.referral_actions import on_page
from console.registry import charts
from episodes.roles import GOAL_STATUSES, TASK_STATUSES
from referrals import use_cases
from registry.use_cases import scores_by_instrument


def show(episode_id: int):
    """Render the episode's timeline for the signed-in reader (404 off the team)."""
    timeline = on_page(use_cases.read_timeline, current_actor(), episode_id)
    care_plan = f"{request.blueprint}.care_plan"
    return render_template(
        "console/timeline.html",
        timeline=timeline,
        episode=timeline.standing.episode,
        gate=timeline.gate,
        charts=charts(scores_by_instrument(timeline.screenings)),
        goal_statuses=GOAL_STATUSES,
        task_statuses=TASK_STATUSES,
        care_plan_endpoint=care_plan if care_plan in current_app.view_functions else None,
    )


def add_timeline_route(blueprint: Blueprint, *roles: str) -> None:
    """Mount the patient timeline under `blueprint` for `roles` (and admins)."""
    rule = "/episodes/<int:episode_id>/timeline"
    blueprint.add_url_rule(rule, "timeline", page_for(*roles)(show), methods=["GET"])
