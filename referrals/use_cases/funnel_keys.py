"""Per-referral report keys the database cannot group on, and the follow-up after a screen."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from directory.county_types import county_type
from directory.extensions import db
from directory.models.verification import as_utc
from referrals.demographics import NOT_RECORDED, age_band, race_ethnicity_key
from referrals.listing import visible_filter
from referrals.models import RaceEthnicity, Referral, ReferralEvent
from screening.models import ScreeningResult


def _local(moment: datetime, tz: ZoneInfo) -> date:
    return as_utc(moment).astimezone(tz).date()


def _race_ethnicity(actor, sent, tz) -> dict[str, str]:
    rows = db.session.execute(
        select(Referral.id, RaceEthnicity.category)
        .outerjoin(RaceEthnicity, RaceEthnicity.referral_id == Referral.id)
        .where(visible_filter(actor), Referral.id.in_(sent))
    )
    chosen: dict[int, list[str]] = defaultdict(list)
    for referral_id, category in rows:
        chosen[referral_id] += [category] if category else []
    return {str(i): race_ethnicity_key(codes) for i, codes in chosen.items()}


def _age_band(actor, sent, tz) -> dict[str, str]:
    """The band of the patient's age on the local day the referral was first sent."""
    rows = db.session.execute(
        select(Referral.id, Referral.patient_birth_date, func.min(ReferralEvent.at))
        .join(ReferralEvent, ReferralEvent.referral_id == Referral.id)
        .where(visible_filter(actor), Referral.id.in_(sent), ReferralEvent.type == "send")
        .group_by(Referral.id, Referral.patient_birth_date)
    )
    return {str(i): age_band(born, _local(first_sent, tz)) for i, born, first_sent in rows}


def _county_type(actor, sent, tz) -> dict[str, str]:
    rows = db.session.execute(
        select(Referral.id, Referral.patient_postal_code).where(
            visible_filter(actor), Referral.id.in_(sent)
        )
    )
    return {str(i): county_type(postal) or NOT_RECORDED for i, postal in rows}


DERIVED_KEYS = {
    "race_ethnicity": _race_ethnicity,
    "age_band": _age_band,
    "county_type": _county_type,
}


def derived_keys(group_by: str, actor, sent, tz: ZoneInfo) -> dict[str, str]:
    """Referral id (as text) -> its group for a derived group_by."""
    return DERIVED_KEYS[group_by](actor, sent, tz)


def _visits(patients: set[tuple[str, int]], tz: ZoneInfo) -> dict[tuple[str, int], list[date]]:
    """BH visits of each patient (its episode, else the referral itself) on the visit's date."""
    episodes = [i for kind, i in patients if kind == "episode"]
    referrals = [i for kind, i in patients if kind == "referral"]
    rows = db.session.execute(
        select(Referral.id, Referral.episode_id, Referral.appointment_at, ReferralEvent.at)
        .join(ReferralEvent, ReferralEvent.referral_id == Referral.id)
        .where(ReferralEvent.type == "attend")
        .where(Referral.episode_id.in_(episodes) | Referral.id.in_(referrals))
    )
    found: dict[tuple[str, int], list[date]] = defaultdict(list)
    for referral_id, episode_id, appointment_at, marked_at in rows:
        # Like the registry: a visit falls on its appointment's day, else the day it was marked.
        on = _local(appointment_at or marked_at, tz)
        found[("episode", episode_id) if episode_id else ("referral", referral_id)].append(on)
    return found


def follow_up_cases(actor, key, sent, tz: ZoneInfo) -> dict[str, list[tuple[date, list[date]]]]:
    """Per group: each referral with a positive screen, its first one's date and the visits."""
    rows = db.session.execute(
        select(key, Referral.id, Referral.episode_id, func.min(ScreeningResult.created_at))
        .join(ScreeningResult, ScreeningResult.referral_id == Referral.id)
        .where(visible_filter(actor), Referral.id.in_(sent), ScreeningResult.positive.is_(True))
        .group_by(key, Referral.id, Referral.episode_id)
    )
    screened = [
        (value, ("episode", episode_id) if episode_id else ("referral", referral_id), at)
        for value, referral_id, episode_id, at in rows
    ]
    visits = _visits({patient for _, patient, _ in screened}, tz)
    cases: dict[str, list] = defaultdict(list)
    for value, patient, at in screened:
        cases["unknown" if value is None else str(value)].append((_local(at, tz), visits[patient]))
    return cases
