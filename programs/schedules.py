"""Opening hours from HSDS schedules (3.0 RRULE-style and 1.x weekday rows), and when they apply."""

from __future__ import annotations

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RRULE_DAYS = dict(zip(("MO", "TU", "WE", "TH", "FR", "SA", "SU"), DAYS, strict=True))
_NAMES = {name: day for day in DAYS for name in (day, {
    "mon": "monday", "tue": "tuesday", "wed": "wednesday", "thu": "thursday", "fri": "friday",
    "sat": "saturday", "sun": "sunday"}[day])}  # fmt: skip
EVENING = "18:00"  # open past 6 pm counts as evening hours
WEEKEND = frozenset({"sat", "sun"})


def _clock(value) -> str | None:
    text = str(value or "").strip()
    parts = text.split(":")
    if len(parts) < 2 or not all(p.isdigit() for p in parts[:2]):
        return None
    hour, minute = int(parts[0]), int(parts[1])
    return f"{hour:02d}:{minute:02d}" if hour <= 24 and minute < 60 else None


def _days(schedule: dict) -> list[str]:
    byday = str(schedule.get("byday") or "")
    days = [_RRULE_DAYS.get(code.strip()[-2:].upper()) for code in byday.split(",") if code.strip()]
    weekday = str(schedule.get("weekday") or "").strip().lower()
    if weekday.isdigit() and 1 <= int(weekday) <= 7:
        days.append(DAYS[int(weekday) - 1])  # HSDS 1.x integers read as ISO (1 = Monday)
    elif weekday:
        days.append(_NAMES.get(weekday) or _NAMES.get(weekday[:3]))
    return [d for d in dict.fromkeys(days) if d]


def hours_of(schedules: list) -> list[dict]:
    """[{"days", "opens", "closes"}] for every schedule that names days and both times."""
    hours = []
    for schedule in schedules:
        if not isinstance(schedule, dict):
            continue
        days = _days(schedule)
        opens, closes = _clock(schedule.get("opens_at")), _clock(schedule.get("closes_at"))
        if days and opens and closes:
            entry = {"days": days, "opens": opens, "closes": closes}
            if entry not in hours:
                hours.append(entry)
    return hours


def has_evening(hours: list[dict]) -> bool:
    """Open after 6 pm on some day."""
    return any(h["closes"] > EVENING for h in hours)


def has_weekend(hours: list[dict]) -> bool:
    """Open on Saturday or Sunday."""
    return any(WEEKEND & set(h["days"]) for h in hours)


def open_at(hours: list[dict], day: str, clock: str) -> bool:
    """Open on `day` ('mon') at `clock` ('14:30')."""
    return any(day in h["days"] and h["opens"] <= clock < h["closes"] for h in hours)
