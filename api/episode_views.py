"""Episodes of care as the API shows them: the patient, referrals and screenings disclosed."""

from __future__ import annotations

from datetime import date

from api.referral_views import referral_json
from directory.models.verification import as_utc
from referrals.use_cases import EpisodeRecord


def screening_json(result, scored) -> dict:
    """One scored screening on one of the episode's referrals."""
    return {
        "id": result.id,
        "referral_id": result.referral_id,
        "instrument": scored.instrument.key,
        "score": scored.score,
        "severity": scored.severity,
        "positive": scored.positive,
        "crisis": scored.crisis,
        "flags": list(scored.flags),
        "created_at": as_utc(result.created_at).isoformat(),
        "created_by": result.created_by,
    }


def patient_json(episode) -> dict:
    """The patient as the episode's first referral named them (PHI)."""
    return {
        "name": episode.patient_name,
        "birth_date": episode.patient_birth_date.isoformat(),
        "member_id": episode.patient_member_id,
    }


def episode_json(record: EpisodeRecord, today: date) -> dict:
    """The episode, its referrals (summaries, each as disclosed) and screenings, oldest first."""
    episode = record.episode
    org = episode.organization
    return {
        "id": episode.id,
        "organization": {"id": org.id, "name": org.name},
        "plan": episode.plan_id,
        "patient": patient_json(episode) if record.gate.content else None,
        "withheld": [] if record.gate.content else ["patient"],
        "created_at": as_utc(episode.created_at).isoformat(),
        "referrals": [referral_json(shown, today, detail=False) for shown in record.referrals],
        "screenings": [screening_json(result, scored) for result, scored in record.screenings],
    }
