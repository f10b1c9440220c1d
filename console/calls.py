"""Call outcomes recorded by plan phone staff, and the callbacks they leave for later."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from console.models import CALL_OUTCOMES, CallNote
from directory.extensions import db
from directory.npi import is_valid_npi
from referrals.access import can_view
from referrals.models import Referral

NOTE_MAX = 2000


class CallInvalid(ValueError):
    """A call outcome that cannot be saved, with messages by field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("invalid call outcome")
        self.errors = errors


def _callback_due(form: MultiDict, zone: ZoneInfo, errors: dict) -> datetime | None:
    day = (form.get("callback_date") or "").strip()
    if not day:
        errors["callback_date"] = _("A callback needs the day to call back.")
        return None
    clock = (form.get("callback_time") or "").strip() or "09:00"
    try:
        moment = datetime.combine(
            datetime.strptime(day, "%Y-%m-%d").date(), time.fromisoformat(clock)
        )
    except ValueError:
        errors["callback_date"] = _("Give the callback day and time.")
        return None
    return moment.replace(tzinfo=zone).astimezone(UTC)


def _referral_id(form: MultiDict, actor, errors: dict) -> int | None:
    """The referral the call concerns; only one the caller's organization may see."""
    text = (form.get("referral_id") or "").strip().lstrip("#")
    if not text:
        return None
    referral = db.session.get(Referral, int(text)) if text.isdigit() else None
    if referral is None or not can_view(actor, referral):
        errors["referral_id"] = _("No referral with that number that you may see.")
        return None
    return referral.id


def _transfer_npi(form: MultiDict, errors: dict) -> str | None:
    npi = (form.get("transfer_npi") or form.get("choice") or "").partition(":")[0].strip()
    if not npi:
        errors["transfer_npi"] = _("A warm transfer needs the clinician: choose a result.")
        return None
    if not is_valid_npi(npi):
        errors["transfer_npi"] = _("Not a valid NPI.")
        return None
    return npi


def call_from_form(actor, form: MultiDict, plan_id: str | None, zone: ZoneInfo, now) -> CallNote:
    """A call outcome from the console form (added to the session, not committed)."""
    errors: dict[str, str] = {}
    outcome = form.get("outcome", "")
    if outcome not in CALL_OUTCOMES:
        errors["outcome"] = _("Choose how the call ended.")
    note = (form.get("call_note") or "").strip()[:NOTE_MAX] or None
    due = _callback_due(form, zone, errors) if outcome == "callback" else None
    npi = _transfer_npi(form, errors) if outcome == "warm_transfer" else None
    referral_id = _referral_id(form, actor, errors)
    if errors:
        raise CallInvalid(errors)
    call = CallNote(
        user_id=actor.id,
        organization_id=actor.organization_id,
        plan_id=plan_id,
        at=now,
        outcome=outcome,
        note=note,
        referral_id=referral_id,
        clinician_npi=npi,
        callback_due_at=due,
    )
    db.session.add(call)
    db.session.flush()
    return call


def _own(actor):
    """Calls of the actor's organization (an administrator sees every organization's)."""
    query = select(CallNote)
    if actor.role != "admin":
        query = query.where(CallNote.organization_id == actor.organization_id)
    return query


def _tomorrow(now: datetime, zone: ZoneInfo) -> datetime:
    """The start of tomorrow in `zone`, in UTC (SQLite compares the stored UTC text)."""
    local_midnight = datetime.combine(
        now.astimezone(zone).date() + timedelta(days=1), time(0), zone
    )
    return local_midnight.astimezone(UTC)


def _open_callbacks(actor):
    return (
        _own(actor)
        .where(CallNote.outcome == "callback")
        .where(CallNote.callback_done_at.is_(None))
        .order_by(CallNote.callback_due_at, CallNote.id)
    )


def callbacks_due(actor, now: datetime, zone: ZoneInfo) -> list[CallNote]:
    """Open callbacks due by the end of today, earliest first."""
    query = _open_callbacks(actor).where(CallNote.callback_due_at < _tomorrow(now, zone))
    return list(db.session.scalars(query))


def callbacks_later(actor, now: datetime, zone: ZoneInfo) -> list[CallNote]:
    """Open callbacks due after today, earliest first (the queue lists them after the due ones)."""
    query = _open_callbacks(actor).where(CallNote.callback_due_at >= _tomorrow(now, zone))
    return list(db.session.scalars(query))


def recent_calls(actor, limit: int = 10) -> list[CallNote]:
    """The organization's latest call outcomes."""
    query = _own(actor).order_by(CallNote.at.desc(), CallNote.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def own_call(actor, call_id: int) -> CallNote | None:
    """A call of the actor's organization, else None."""
    return db.session.scalar(_own(actor).where(CallNote.id == call_id))
