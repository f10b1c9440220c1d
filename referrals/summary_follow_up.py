"""The follow-up facts of summary rows: a referral's first positive screen and its BH visits."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, select

from directory.models.verification import as_utc
from referrals.funnel import FOLLOW_UP_WINDOWS
from referrals.models import Referral, ReferralEvent
from screening.models import ScreeningResult


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return as_utc(moment).astimezone(tz).date()


def follow_up(screened_at: datetime | None, visits: list[date], tz: ZoneInfo) -> dict:
    """The local day of the first positive screen and whether a visit came within each window."""
    on = local_day(screened_at, tz) if screened_at else None
    met = {
        f"follow_up_{window}_days": on is not None
        and any(on <= visit <= on + timedelta(days=window) for visit in visits)
        for window in FOLLOW_UP_WINDOWS
    }
    return {"positive_screen_on": on, **met}


def episode_mates(connection: Connection, ids: list[int], episodes: set[int]) -> set[int]:
    """Referrals sharing an episode with `ids` or in `episodes`: a visit counts for them all."""
    theirs = select(Referral.episode_id).where(
        Referral.id.in_(ids), Referral.episode_id.is_not(None)
    )
    found = select(Referral.id).where(
        Referral.episode_id.in_(theirs) | Referral.episode_id.in_(sorted(episodes))
    )
    return set(connection.scalars(found))


def first_screens(connection: Connection, ids: list[int]) -> dict[int, datetime]:
    """Referral id -> when its first positive screen was recorded."""
    rows = connection.execute(
        select(ScreeningResult.referral_id, func.min(ScreeningResult.created_at))
        .where(ScreeningResult.referral_id.in_(ids), ScreeningResult.positive.is_(True))
        .group_by(ScreeningResult.referral_id)
    )
    return dict(rows.all())


def visits(connection: Connection, ids: list[int], tz: ZoneInfo) -> dict[int, list[date]]:
    """Referral id -> the BH visits of its patient (its episode, else itself), local days."""
    episodes = select(Referral.episode_id).where(
        Referral.id.in_(ids), Referral.episode_id.is_not(None)
    )
    rows = connection.execute(
        select(Referral.id, Referral.episode_id, Referral.appointment_at, ReferralEvent.at)
        .join(ReferralEvent, ReferralEvent.referral_id == Referral.id)
        .where(ReferralEvent.type == "attend")
        .where(Referral.id.in_(ids) | Referral.episode_id.in_(episodes))
    )
    by_patient: dict[tuple[str, int], list[date]] = defaultdict(list)
    for referral_id, episode_id, appointment_at, marked_at in rows:
        # Like the registry: a visit falls on its appointment's day, else the day it was marked.
        on = local_day(appointment_at or marked_at, tz)
        by_patient[("episode", episode_id) if episode_id else ("referral", referral_id)].append(on)
    patients = connection.execute(
        select(Referral.id, Referral.episode_id).where(Referral.id.in_(ids))
    )
    return {
        i: by_patient[("episode", episode) if episode else ("referral", i)]
        for i, episode in patients
    }
