"""Registry pages: the practice's and the plan's episodes by latest score; one episode's chart."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError

from accounts.identity import current_actor
from console import pcp_blueprint, staff_blueprint
from console.access import page_for
from console.referral_actions import on_page
from pages.trajectory import Point, trajectory
from referrals import use_cases
from referrals.care_team import episodes_on_team
from registry.measures import INSTRUMENTS
from registry.schemas import RegistryQuery, RegistryQuerySchema
from registry.use_cases import read_registry, scores_by_instrument, trajectories


def flag_labels() -> dict[str, str]:
    """The registry flags in the page's words."""
    return {
        "no_response": _("No response by week 10"),
        "remission": _("Remission"),
        "overdue": _("Re-screen overdue"),
        "not_engaged": _("No visit in 30 days"),
    }


def sort_labels() -> dict[str, str]:
    """Sort choices in the page's words."""
    return {
        "-score": _("Latest score, highest first"),
        "score": _("Latest score, lowest first"),
        "change": _("Most improved first"),
        "-change": _("Least improved first"),
        "-weeks": _("Newest in treatment first"),
        "weeks": _("Longest in treatment first"),
        "last_screened": _("Longest since a score first"),
        "-last_screened": _("Most recently screened first"),
    }


def charts(scores: dict) -> list:
    """One trajectory chart per registry instrument with scores."""
    found = []
    for key in INSTRUMENTS:
        points = [Point(s.on, s.score, s.severity) for s in scores.get(key, [])]
        chart = trajectory(key, points)
        if chart is not None:
            found.append(chart)
    return found


def referral_charts(actor, referral) -> list:
    """The charts of the referral's episode, for its referring side (who may read the episode)."""
    if referral.episode_id is None:
        return []
    return charts(trajectories(actor, referral.episode_id))


def _timeline_ids(page, episode_links: bool) -> set[int]:
    """Rows whose timeline the reader may open: all of the practice's, or where on the team."""
    ids = [row.entry.episode_id for row in page.rows]
    return set(ids) if episode_links else episodes_on_team(current_actor(), ids)


def _registry_page(template: str, episode_links: bool):
    args = {key: value for key, value in request.args.items() if value}
    try:
        query = RegistryQuerySchema().load(args)
        status = 200
    except ValidationError:
        query, status = RegistryQuery(), 400
    today = use_cases.local_today()
    page = on_page(read_registry, current_actor(), query, today)
    return (
        render_template(
            template,
            page=page,
            instruments=INSTRUMENTS,
            flags=flag_labels(),
            sorts=sort_labels(),
            invalid=status == 400,
            episode_links=episode_links,
            timeline_ids=_timeline_ids(page, episode_links),
        ),
        status,
    )


@pcp_blueprint.get("/registry")
@page_for("pcp", "admin")
def pcp_registry():
    """The practice's registry: its episodes by latest score, with flags and follow-up."""
    return _registry_page("console/pcp/registry.html", episode_links=True)


@staff_blueprint.get("/registry")
@page_for("plan_staff", "admin")
def staff_registry():
    """The plan care manager's registry: the plan's members' episodes (no Part 2 rows)."""
    return _registry_page("console/staff/registry.html", episode_links=False)


@pcp_blueprint.get("/episodes/<int:episode_id>")
@page_for("pcp", "admin")
def episode(episode_id: int):
    """One episode of care: its referrals, and its scores as a chart and a table."""
    record = on_page(use_cases.read_episode, current_actor(), episode_id)
    return render_template(
        "console/pcp/episode.html",
        record=record,
        charts=charts(scores_by_instrument(record.screenings)),
    )
