"""The referral funnel report for a period, grouped one way, limited to what the caller may see."""

from __future__ import annotations

from datetime import date
from functools import reduce
from zoneinfo import ZoneInfo

from audit.log import record
from directory.extensions import db
from referrals.equity import add_equity, default_reference
from referrals.errors import Malformed
from referrals.funnel import follow_up_counts, suppress, tally_row
from referrals.funnel_tally import Tally
from referrals.use_cases.funnel_rollup import funnel_tallies


def funnel_figures(actor, group_by: str, start: date, end: date, tz: ZoneInfo):
    """Funnel rows per group and in total, before any cell is withheld."""
    tallies = funnel_tallies(actor, group_by, start, end, tz)
    groups = []
    for group in sorted(tallies):
        tally = tallies[group]
        groups.append({"key": group, **tally_row(tally), **follow_up_counts(tally.counts)})
    whole = reduce(Tally.add, tallies.values(), Tally())
    return groups, tally_row(whole) | follow_up_counts(whole.counts)


def _reference(actor, groups: list[dict], asked: str | None, audited: str) -> str | None:
    """The reference group asked for (it must be one of the report's), else the largest."""
    if asked is None:
        return default_reference(groups)
    if asked not in {g["key"] for g in groups}:
        record(actor, "read", "referral_funnel", audited, outcome="invalid")
        db.session.commit()
        raise Malformed(
            "No group by that key in this report to compare with.",
            {"reference": ["Give one of the report's group keys."]},
            code="unknown_reference",
        )
    return asked


def funnel_report(
    actor, group_by: str, start: date, end: date, tz: ZoneInfo, reference: str | None = None
) -> dict:
    """Funnel rows per group and in total, small cells withheld, gaps to a reference; audited."""
    groups, total = funnel_figures(actor, group_by, start, end, tz)
    withheld = suppress(groups, total)
    audited = f"{group_by}:{start}:{end}"
    chosen = _reference(actor, groups, reference, audited)
    add_equity(groups, total, chosen)
    record(actor, "read", "referral_funnel", audited)
    db.session.commit()
    return {"groups": groups, "total": total, "suppressed": withheld, "reference": chosen}
