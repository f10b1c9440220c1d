"""How old a fact is, in plain words: today, 12 days, 3 months, over a year; never a day count
past what a reader can picture ("7089 days")."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

_DAYS_IN_WORDS = 60  # up to 59 days a count of days reads well; after that, months
_MONTH_DAYS = 30
_YEAR_DAYS = 365


def age_text(days: int) -> str:
    """'today', '12 days ago', '3 months ago' or 'over a year ago' for an age in days."""
    if days <= 0:
        return _("today")
    if days < _DAYS_IN_WORDS:
        return ngettext("%(num)d day ago", "%(num)d days ago", days)
    if days <= _YEAR_DAYS:
        return ngettext("%(num)d month ago", "%(num)d months ago", days // _MONTH_DAYS)
    return _("over a year ago")


def verified_text(days: int | None, stale: bool) -> str:
    """The listing's verification in words, with 'call to confirm' when it is stale."""
    if days is None:
        return _("Not yet verified: call to confirm")
    if days > _YEAR_DAYS:
        return _("Not verified in over a year: call to confirm")
    if stale:
        return _("Last verified %(age)s: call to confirm", age=age_text(days))
    return _("Listing verified %(age)s", age=age_text(days))
