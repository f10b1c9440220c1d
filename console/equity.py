"""The reports page's equity section: shares with 95% intervals and gaps to a reference."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from pages.interval_chart import Share, interval_chart
from referrals.equity import MEASURES


def measure_labels() -> dict[str, str]:
    """The equity measures in the page's words."""
    return {
        "attended": _("Referrals attended"),
        "booked_within_10_business_days": _("First appointments within 10 business days"),
        "follow_up_7_days": _("Positive screens followed up within 7 days"),
    }


def _description(measure: str, reference: str | None) -> str:
    """What one chart shows, for a screen reader."""
    words = measure_labels()[measure]
    if reference is None:
        return _("%(measure)s: each group's share with its 95%% interval.", measure=words)
    return _(
        "%(measure)s: each group's share with its 95%% interval; the dashed line is the "
        "share of %(reference)s.",
        measure=words,
        reference=reference,
    )


def equity_charts(funnel: dict) -> dict[str, Markup]:
    """One interval chart per measure, the reference group's share drawn as a line."""
    reference = funnel.get("reference")
    rows = {g["key"]: g for g in funnel["groups"]}
    charts = {}
    for measure in MEASURES:
        shares = [
            Share(g["key"], g[f"{measure}_rate"], g[f"{measure}_rate_ci"]) for g in funnel["groups"]
        ]
        line = rows[reference][f"{measure}_rate"] if reference in rows else None
        title = measure_labels()[measure]
        charts[measure] = interval_chart(
            f"equity-{measure}", title, _description(measure, reference), shares, line
        )
    return charts
