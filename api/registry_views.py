"""Registry rows as the API shows them: the patient, scores, weeks, flags and follow-up."""

from __future__ import annotations

from directory.models.verification import as_utc
from registry.use_cases import Row


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None


def row_json(row: Row) -> dict:
    """One registry row: every date is a local date; `source` says where and when it came from."""
    entry, episode = row.entry, row.entry.episode
    return {
        "episode_id": entry.episode_id,
        "href": f"/api/v1/episodes/{entry.episode_id}",
        "patient": {"name": episode.patient_name, "birth_date": _day(episode.patient_birth_date)},
        "instrument": entry.instrument,
        "baseline": {"score": entry.baseline_score, "on": _day(entry.baseline_on)},
        "latest": {
            "score": entry.latest_score,
            "severity": entry.latest_severity,
            "on": _day(entry.latest_on),
        },
        "change": row.change,
        "scores": entry.scores,
        "weeks_in_treatment": row.weeks,
        "treatment_start": _day(entry.treatment_start),
        "last_visit_on": _day(entry.last_visit_on),
        "flags": list(row.flags),
        "follow_up": {
            "status": row.follow_up,
            "positive_on": _day(entry.positive_on),
            "visit_on": _day(entry.followed_up_on),
        },
        "source": {"kind": "screenings", "refreshed_at": as_utc(entry.refreshed_at).isoformat()},
    }
