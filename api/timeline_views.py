"""The patient timeline as the API shows it: each entry as its own endpoint would show it."""

from __future__ import annotations

from api.care_plan_views import goal_json, task_json
from api.episode_views import patient_json, screening_json
from api.referral_views import event_json
from api.return_views import return_json
from directory.models.verification import as_utc
from referrals.timeline import Entry
from referrals.use_cases import Timeline


def _detail(entry: Entry) -> tuple[str, dict]:
    """The entry's own record under its kind's key."""
    if entry.kind == "screening":
        return "screening", screening_json(*entry.item)
    if entry.kind == "referral_event":
        return "event", event_json(entry.item, entry.shown)
    if entry.kind == "referral_return":
        return "return", return_json(entry.item)
    if entry.kind == "goal_created":
        return "goal", goal_json(entry.item, entry.shown)
    return "task", task_json(entry.item, entry.shown)


def entry_json(entry: Entry) -> dict:
    """One timeline entry: when, what, on which referral, whether its content is withheld."""
    key, detail = _detail(entry)
    return {
        "kind": entry.kind,
        "on": entry.on.isoformat(),
        "at": as_utc(entry.at).isoformat() if entry.at is not None else None,
        "referral_id": entry.referral_id,
        "withheld": not entry.shown,
        key: detail,
    }


def timeline_json(timeline: Timeline) -> dict:
    """The episode's timeline for one reader, oldest first."""
    episode, gate = timeline.standing.episode, timeline.gate
    return {
        "episode_id": episode.id,
        "patient": patient_json(episode) if gate.content else None,
        "withheld": [] if gate.content else ["patient"],
        "entries": [entry_json(entry) for entry in timeline.entries],
    }
