"""The referral summary: one row per sent referral, rewritten whenever its inputs change.

Every flush that adds, changes or removes a referral, one of its lifecycle events, race/ethnicity
rows or screens rewrites its summary row (and its episode's) in the same transaction, so the
funnel report can count and group rows instead of walking events and never sees a stale one.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import Connection, delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from directory.county_types import county_type
from directory.models.verification import as_utc
from referrals.demographics import NOT_RECORDED, age_band, race_ethnicity_key
from referrals.funnel import (
    ACKNOWLEDGE_STANDARD_DAYS,
    APPOINTMENT_STANDARD_DAYS,
    STAGE_EVENTS,
    days_to,
    referral_path,
)
from referrals.models import RaceEthnicity, Referral, ReferralEvent
from referrals.rollup import add, tally
from referrals.summary_follow_up import episode_mates, first_screens, follow_up, visits
from referrals.summary_models import ReferralSummary
from referrals.summary_months import shift
from referrals.summary_months import tally as month_tally
from screening.models import ScreeningResult

# Referral columns the summary copies or derives a key from; a change to any other is ignored.
REFERRAL_INPUTS = (
    "plan_id",
    "patient_preferred_language",
    "clinician_id",
    "kind",
    "urgency",
    "patient_birth_date",
    "patient_postal_code",
    "appointment_at",  # the day a visit falls on
    "episode_id",  # whose visits follow a screen up
    "decline_reason",  # the directory report's declines by reason
    "patient_member_id",  # whether plan staff see it (the rollup's plan_member)
)
# Events the summary reads: the funnel's stages, and accept for the listing's last activity.
ACTIVITY_EVENTS = ("accept", "attend")
SUMMARY_EVENTS = (*STAGE_EVENTS.values(), "accept")
GONE = "referral_summary_gone"  # session.info: summary rows of referrals being deleted
BATCH = 2000  # referrals per rebuild step: a few thousand events held in memory at once


def summary_zone() -> ZoneInfo:
    """The zone days are counted in: REFERRAL_TIMEZONE, as the report's use_cases.zone()."""
    if has_app_context():
        return ZoneInfo(current_app.config.get("REFERRAL_TIMEZONE") or "UTC")
    return ZoneInfo(os.environ.get("REFERRAL_TIMEZONE") or "America/New_York")


def _days(moment: datetime | None, sent_at: datetime, standard: int, tz: ZoneInfo) -> tuple:
    """Days to `moment` and whether it came in time, or (None, None) when it never came."""
    return (None, None) if moment is None else days_to(moment, sent_at, standard, tz)


def summary_row(
    referral, events: Iterable, categories: Iterable[str], tz: ZoneInfo, screened_at=None, seen=()
) -> dict | None:
    """The summary of one referral (attributes as Referral's), or None if it was never sent.

    `screened_at`: its first positive screen; `seen`: its patient's BH visits, local days.
    """
    path = referral_path(events)
    if path.sent_at is None:
        return None
    ack_days, ack_in_time = _days(path.acknowledged_at, path.sent_at, ACKNOWLEDGE_STANDARD_DAYS, tz)
    appt = path.first_appointment_at
    appt_days, appt_in_time = _days(appt, path.sent_at, APPOINTMENT_STANDARD_DAYS, tz)
    stages = {stage: stage in path.stages for stage in STAGE_EVENTS if stage != "sent"}
    return {
        "referral_id": referral.id,
        "sent_at": path.sent_at,
        "zone": tz.key,
        "acknowledged_at": path.acknowledged_at,
        "first_appointment_at": appt,
        **stages,
        "days_to_acknowledge": ack_days,
        "acknowledged_in_time": ack_in_time,
        "days_to_appointment": appt_days,
        "appointment_in_time": appt_in_time,
        **follow_up(screened_at, list(seen), tz),
        "plan_id": referral.plan_id,
        # As SQL's TRIM (spaces only) in listing.plan_member_filter.
        "plan_member": bool((referral.patient_member_id or "").strip(" ")),
        "language": referral.patient_preferred_language,
        "clinician_id": referral.clinician_id,
        "kind": referral.kind,
        "urgency": referral.urgency,
        "race_ethnicity": race_ethnicity_key(categories),
        "age_band": age_band(referral.patient_birth_date, path.sent_at.astimezone(tz).date()),
        "county_type": county_type(referral.patient_postal_code) or NOT_RECORDED,
        **directory_facts(referral, events),
    }


def directory_facts(referral, events) -> dict:
    """The decline, its reason and the latest accept or attend (the listing's last activity)."""
    declined = [e.at for e in events if e.type == "decline"]
    active = [e.at for e in events if e.type in ACTIVITY_EVENTS]
    return {
        "declined_at": as_utc(min(declined)) if declined else None,
        "decline_reason": referral.decline_reason,
        "last_active_at": as_utc(max(active)) if active else None,
    }


def summaries(connection: Connection, ids: list[int], tz: ZoneInfo) -> list[dict]:
    """Summary rows of the referrals `ids` (those sent), read from the database."""
    referrals = connection.execute(
        select(Referral.id, *(getattr(Referral, c) for c in REFERRAL_INPUTS)).where(
            Referral.id.in_(ids)
        )
    ).all()
    found = connection.execute(
        select(ReferralEvent.referral_id, ReferralEvent.type, ReferralEvent.at)
        .add_columns(ReferralEvent.appointment_at)
        .where(ReferralEvent.referral_id.in_(ids), ReferralEvent.type.in_(SUMMARY_EVENTS))
        .order_by(ReferralEvent.referral_id, ReferralEvent.id)
    ).all()
    events: dict[int, list] = defaultdict(list)
    for row in found:
        events[row.referral_id].append(row)
    chosen: dict[int, list[str]] = defaultdict(list)
    for referral_id, category in connection.execute(
        select(RaceEthnicity.referral_id, RaceEthnicity.category).where(
            RaceEthnicity.referral_id.in_(ids)
        )
    ):
        chosen[referral_id].append(category)
    screens, seen = first_screens(connection, ids), visits(connection, ids, tz)
    rows = (
        summary_row(r, events[r.id], chosen[r.id], tz, screens.get(r.id), seen.get(r.id, ()))
        for r in referrals
    )
    return [row for row in rows if row is not None]


def rewrite(
    connection: Connection, ids: list[int], tz: ZoneInfo, counts: bool = True, gone=()
) -> None:
    """Replace the summary rows of `ids` with fresh ones, and their counts in the count tables.

    `counts`: keep the rollup and the clinician-month tables in step (a rebuild recounts them
    afterwards instead). `gone`: summary rows read before their referrals were deleted (the
    database cascade has removed them since), whose counts come out too.
    """
    rows = summaries(connection, ids, tz)
    mine = ReferralSummary.referral_id.in_(ids)
    old = []
    if counts:
        found = connection.execute(select(ReferralSummary).where(mine)).mappings()
        old = list({row["referral_id"]: row for row in (*gone, *map(dict, found))}.values())
    connection.execute(delete(ReferralSummary).where(mine))
    if rows:
        connection.execute(insert(ReferralSummary), rows)
    if counts:
        shift(connection, month_tally(old, -1), rows)
        add(connection, tally(rows, into=tally(old, sign=-1)))


def rebuild(connection: Connection, tz: ZoneInfo, after: int = 0) -> int:
    """Rewrite the next batch of summary rows after referral id `after`; the last id done, or 0.

    The rollup is left alone: rollup.rebuild_rollup counts it again once every batch is done.
    """
    ids = list(
        connection.scalars(
            select(Referral.id).where(Referral.id > after).order_by(Referral.id).limit(BATCH)
        )
    )
    if ids:
        rewrite(connection, ids, tz, counts=False)
    return ids[-1] if ids else 0


def _touched(session: Session) -> tuple[set[int], set[int]]:
    """Referral ids whose summary inputs this flush wrote, and the episodes of changed ones."""
    ids: set[int] = set()
    episodes: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, ReferralEvent | RaceEthnicity | ScreeningResult):
            ids.add(obj.referral_id or getattr(obj.referral, "id", None))
        elif isinstance(obj, Referral):
            state = inspect(obj)
            changed = any(state.attrs[c].history.has_changes() for c in REFERRAL_INPUTS)
            if obj in session.new or obj in session.deleted or changed:
                ids.add(obj.id)
                # Its episode before and after: the other referrals' follow-up may change too.
                history = state.attrs["episode_id"].history
                episodes.update((*history.deleted, *history.unchanged, *history.added))
    ids.discard(None)
    episodes.discard(None)
    return ids, episodes


@event.listens_for(Session, "before_flush")
def _keep_deleted_rows(session: Session, _context, _instances) -> None:
    """Read the summary rows of referrals this flush deletes, before the cascade drops them."""
    ids = [o.id for o in session.deleted if isinstance(o, Referral) and o.id is not None]
    if ids:
        found = select(ReferralSummary).where(ReferralSummary.referral_id.in_(ids))
        rows = session.connection().execute(found).mappings()
        session.info.setdefault(GONE, []).extend(map(dict, rows))


@event.listens_for(Session, "after_flush")
def _keep_summary(session: Session, _context) -> None:
    """Rewrite the summary of every referral this flush touched, in the same transaction."""
    ids, episodes = _touched(session)
    gone = session.info.pop(GONE, [])
    if ids:
        connection = session.connection()
        ids |= episode_mates(connection, sorted(ids), episodes)
        rewrite(connection, sorted(ids), summary_zone(), gone=gone)
