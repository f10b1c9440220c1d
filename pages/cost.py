"""A clinician's cost in plain words, with whose word each value is and how old it is.

Every page that shows cost (patient card, PCP search, call console, staff listing) and the API's
text fields use these. An unknown value is said to be unknown, never shown as "no" or "free".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from directory.cost import Cost, dollars
from directory.cost_facts import CostLine
from pages.provenance import METHOD_WORDS, SOURCE_WORDS, age

COST_WORDS = {
    "self_pay_fee": _l("Self-pay fee"),
    "sliding_scale": _l("Sliding scale"),
    "free_care": _l("Free care"),
    "accepts_medicaid": _l("Takes Medicaid"),
    "accepts_medicare": _l("Takes Medicare"),
    "accepts_uninsured": _l("Sees uninsured (self-pay) patients"),
}
# The payment words of a search, as a form shows them (the program search's words).
PAYMENT_CHOICES = (
    ("uninsured", _l("No insurance (self-pay)")),
    ("medicaid", _l("Medicaid")),
    ("medicare", _l("Medicare")),
    ("free", _l("Free care")),
    ("sliding_scale", _l("Sliding scale")),
)


def _payment_word(code: str) -> str:
    return {
        "uninsured": _("patients without insurance (self-pay)"),
        "medicaid": _("Medicaid"),
        "medicare": _("Medicare"),
        "free": _("free care"),
        "sliding_scale": _("a sliding scale"),
    }.get(code, code)


def payments_words(codes) -> str:
    """'Medicaid or a sliding scale'."""
    codes = codes if isinstance(codes, tuple | list) else (codes,)
    return _(" or ").join(_payment_word(c) for c in codes)


def payment_met(value, cost: Cost) -> str:
    """Why a payment need is met: 'Takes Medicaid'."""
    return _("Takes %(what)s", what=payments_words(value))


def payment_unmet(value, cost: Cost) -> str:
    """A payment need not met: a known "no" is said apart from "not known"."""
    codes = value if isinstance(value, tuple | list) else (value,)
    if all(cost.answer(c) is False for c in codes):
        return _("Does not take %(what)s", what=payments_words(codes))
    return _("Not known to take %(what)s", what=payments_words(codes))


def fee_met(value, cost: Cost) -> str:
    """Why a fee limit is met: 'Self-pay $40-$120 a session (you asked for $80 or less)'."""
    if cost.free_care:
        return _("Free care")
    return _("Self-pay %(fee)s, within %(limit)s", fee=fee_words(cost.fee_min, cost.fee_max),
             limit=dollars(value))  # fmt: skip


def fee_unmet(value, cost: Cost) -> str:
    """A fee limit not met, or a fee nobody has told us."""
    if cost.fee_min is None and cost.fee_max is None:
        return _("Self-pay fee not known (you asked for %(limit)s or less)", limit=dollars(value))
    return _("Self-pay %(fee)s (you asked for %(limit)s or less)",
             fee=fee_words(cost.fee_min, cost.fee_max), limit=dollars(value))  # fmt: skip


def fee_words(low: int | None, high: int | None) -> str:
    """'$60-$120 a session', 'from $60 a session', 'up to $90 a session'."""
    if low is None:
        return _("up to %(fee)s a session", fee=dollars(high))
    if high is None:
        return _("from %(fee)s a session", fee=dollars(low))
    if low == high:
        return _("%(fee)s a session", fee=dollars(low))
    return _("%(low)s-%(high)s a session", low=dollars(low), high=dollars(high))


def cost_summary(cost: Cost) -> str:
    """One line for a card: 'Sliding scale · Takes Medicaid · Self-pay $60-$120 a session'."""
    if not cost.known:
        return _("Cost not known: ask about fees and insurance.")
    parts = []
    if cost.free_care:
        parts.append(_("Free care"))
    if cost.sliding_scale:
        parts.append(_("Sliding scale"))
    if cost.medicaid:
        parts.append(_("Takes Medicaid"))
    if cost.medicare:
        parts.append(_("Takes Medicare"))
    if cost.uninsured:
        parts.append(_("Sees uninsured (self-pay) patients"))
    if cost.fee_min is not None or cost.fee_max is not None:
        parts.append(_("Self-pay %(fee)s", fee=fee_words(cost.fee_min, cost.fee_max)))
    if not parts:
        parts.append(_("No free care, sliding scale, Medicaid or Medicare listed"))
    return " · ".join(parts)


def _value(line: CostLine) -> str:
    if line.kind == "self_pay_fee":
        return fee_words(line.value.get("min"), line.value.get("max"))
    return _("yes") if line.value else _("no")


def _who(line: CostLine) -> str:
    words = str(SOURCE_WORDS.get(line.source or "", line.source))
    method = METHOD_WORDS.get(line.method or "")
    return f"{words} {method}" if method else words


def cost_sentences(lines: Sequence[CostLine], now: datetime) -> list[str]:
    """'Takes Medicaid: yes (from our staff by phone, 12 days ago).' per known value, then
    one sentence naming what is not known."""
    found = []
    for line in lines:
        if not line.known:
            continue
        fact = str(COST_WORDS[line.kind])
        if line.source is None:
            found.append(_("%(fact)s: %(value)s (source not recorded).", fact=fact,
                           value=_value(line)))  # fmt: skip
            continue
        found.append(
            _(
                "%(fact)s: %(value)s (from %(who)s, %(age)s).",
                fact=fact,
                value=_value(line),
                who=_who(line),
                age=age(line.observed_at, now),
            )
        )
    unknown = [str(COST_WORDS[line.kind]) for line in lines if not line.known]
    if unknown and not found:
        found.append(_("Cost not known: no source has told us fees or insurance taken."))
    elif unknown:
        found.append(_("Not known: %(facts)s.", facts=", ".join(unknown)))
    return found
