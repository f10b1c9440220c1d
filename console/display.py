"""Template filters and words for staff pages: times in the service's zone, status words."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app

from directory.models.verification import as_utc
from pages.needs_choices import language_choices
from referrals.consent import PART2_NOTICE
from referrals.demographics import RACE_ETHNICITY_CODES
from referrals.kinds import KINDS
from referrals.lifecycle import STATUS_TABLE
from referrals.program_status import PROGRAM_STATUS_TABLE, REPORTABLE, shown_status


def local_zone() -> ZoneInfo:
    """The zone referral times are shown and entered in (REFERRAL_TIMEZONE)."""
    return ZoneInfo(current_app.config.get("REFERRAL_TIMEZONE") or "UTC")


def when(moment: datetime | None) -> str:
    """'2025-03-04 14:30 EST' in the service's zone; '' for none."""
    if moment is None:
        return ""
    local = as_utc(moment).astimezone(local_zone())
    return local.strftime("%Y-%m-%d %H:%M %Z")


def iso(moment: datetime | None) -> str:
    """Machine-readable time for <time datetime>."""
    return as_utc(moment).isoformat() if moment is not None else ""


def day(value: date | datetime | None) -> str:
    """'2025-03-04'; a datetime is first moved into the service's zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = as_utc(value).astimezone(local_zone()).date()
    return value.isoformat()


def register_filters(app: Flask) -> None:
    """Make the filters available to every template."""
    app.add_template_filter(when, "when")
    app.add_template_filter(iso, "iso")
    app.add_template_filter(day, "day")
    app.add_template_filter(messages, "messages")
    # Status words come from the referral status table; templates translate them with _().
    app.jinja_env.globals["referral_status_words"] = {row.code: row.words for row in STATUS_TABLE}
    app.jinja_env.globals["part2_notice_text"] = PART2_NOTICE
    # A program referral's community status words (referrals/program_status.py) and the kinds.
    app.jinja_env.globals["program_status_words"] = {
        row.code: row.words for row in PROGRAM_STATUS_TABLE
    }
    app.jinja_env.globals["reportable_statuses"] = REPORTABLE
    app.jinja_env.globals["kind_words"] = {row.code: row.words for row in KINDS}
    # The referral form's race and ethnicity choices, in the standard's order (words: _labels).
    app.jinja_env.globals["race_ethnicity_codes"] = RACE_ETHNICITY_CODES
    # The referral form's preferred-language list, named in the reader's language when called.
    app.jinja_env.globals["preferred_language_choices"] = language_choices
    app.add_template_filter(program_status_code, "program_status")


def program_status_code(referral) -> str | None:
    """The community status a program referral shows, or None (see program_status.shown_status)."""
    row = shown_status(referral)
    return row.code if row is not None else None


def messages(errors) -> list[str]:
    """Every message in a marshmallow error structure (lists, dicts by field or index)."""
    if errors is None:
        return []
    if isinstance(errors, str):
        return [errors]
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in messages(value)]
    return [m for value in errors for m in messages(value)]
