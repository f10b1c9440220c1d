"""Episode API: one patient's episode of care with its referrals and screenings (PHI, audited)."""

from __future__ import annotations

from flask import jsonify

from accounts.identity import current_actor, require_scope
from api.episode_views import episode_json
from api.routing import Routes
from api.timeline_views import timeline_json
from referrals import use_cases

routes = Routes()


@routes.get("/episodes/<int:episode_id>")
@require_scope("referrals:read")
def get_episode_route(episode_id: int):
    """The episode as the caller may see it; 404 for anyone outside it (audited as denied)."""
    record = use_cases.read_episode(current_actor(), episode_id)
    return jsonify(episode_json(record, use_cases.local_today()))


@routes.get("/episodes/<int:episode_id>/timeline")
@require_scope("referrals:read")
def get_timeline_route(episode_id: int):
    """The episode's timeline as the caller may see it; 404 off the team (audited as denied)."""
    return jsonify(timeline_json(use_cases.read_timeline(current_actor(), episode_id)))
