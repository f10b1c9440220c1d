"""Care team and shared care plan API: read (audited), add and change members, goals, tasks."""

from __future__ import annotations

from flask import Response, jsonify, request

from accounts.identity import current_actor, require_scope
from api.care_plan_views import care_plan_json, written_json
from api.routing import Routes
from directory.models.verification import utcnow
from referrals import use_cases

routes = Routes()
BASE = "/episodes/<int:episode_id>"


def _written(written, status: int = 200):
    return jsonify(written_json(written)), status


@routes.get(BASE + "/care-plan")
@require_scope("referrals:read")
def get_care_plan_route(episode_id: int):
    """The team, goals and tasks as the caller may see them; 404 off the team (audited)."""
    return jsonify(care_plan_json(use_cases.read_care_plan(current_actor(), episode_id)))


@routes.get(BASE + "/care-plan/fhir")
@require_scope("referrals:read")
def get_care_plan_fhir_route(episode_id: int):
    """The care plan as a FHIR R4B Bundle."""
    bundle = use_cases.care_plan_fhir(current_actor(), episode_id)
    return Response(bundle.model_dump_json(), mimetype="application/fhir+json")


@routes.post(BASE + "/care-team")
@require_scope("referrals:write")
def add_member_route(episode_id: int):
    """Put someone on the care team (the referring practice only)."""
    body = request.get_json(silent=True)
    return _written(use_cases.add_member(current_actor(), episode_id, body, utcnow()), 201)


@routes.route(BASE + "/care-team/<int:member_id>", methods=["DELETE"])
@require_scope("referrals:write")
def remove_member_route(episode_id: int, member_id: int):
    """Take someone off the care team (kept in the history)."""
    return _written(use_cases.remove_member(current_actor(), episode_id, member_id, utcnow()))


@routes.post(BASE + "/goals")
@require_scope("referrals:write")
def add_goal_route(episode_id: int):
    """Add a goal in the patient's words."""
    body = request.get_json(silent=True)
    return _written(use_cases.add_goal(current_actor(), episode_id, body, utcnow()), 201)


@routes.route(BASE + "/goals/<int:goal_id>", methods=["PATCH"])
@require_scope("referrals:write")
def change_goal_route(episode_id: int, goal_id: int):
    """Reword a goal or move its status or target date."""
    body = request.get_json(silent=True)
    return _written(use_cases.change_goal(current_actor(), episode_id, goal_id, body, utcnow()))


@routes.post(BASE + "/tasks")
@require_scope("referrals:write")
def add_task_route(episode_id: int):
    """Add a task with an owner on the team and a due date."""
    body = request.get_json(silent=True)
    return _written(use_cases.add_task(current_actor(), episode_id, body, utcnow()), 201)


@routes.route(BASE + "/tasks/<int:task_id>", methods=["PATCH"])
@require_scope("referrals:write")
def change_task_route(episode_id: int, task_id: int):
    """Reassign, reschedule, reword or move a task's status."""
    body = request.get_json(silent=True)
    return _written(use_cases.change_task(current_actor(), episode_id, task_id, body, utcnow()))
