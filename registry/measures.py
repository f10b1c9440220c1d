"""What the registry says about one episode's scores: pure functions of dates and scores."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# The instruments the registry follows, with the score under which a patient is in remission
# (the top of the published "minimal" band plus one: PHQ-9 < 5, GAD-7 < 5).
REMISSION_BELOW = {"phq9": 5, "gad7": 5}
INSTRUMENTS = tuple(REMISSION_BELOW)
# Response is judged from week 10 (collaborative care's 10-12 week review) on.
RESPONSE_WEEKS = 10
# A re-screen is overdue when the latest score is more than four weeks old.
RESCREEN_DAYS = 28
# Not engaged: no BH visit (or, before the first, no baseline) in the last 30 days.
ENGAGED_DAYS = 30
# Follow-up after a positive screen counts when the visit falls within 30 days (DSF-E style).
FOLLOW_UP_DAYS = 30
FLAGS = ("no_response", "remission", "overdue", "not_engaged")


@dataclass(frozen=True)
class Score:
    """One scored screening of the episode, on the service's local date it was taken."""

    on: date
    score: int
    positive: bool
    severity: str | None = None


@dataclass(frozen=True)
class Summary:
    """An episode's standing on one instrument, as the registry stores it."""

    baseline_score: int
    baseline_on: date
    latest_score: int
    latest_on: date
    latest_severity: str | None
    scores: int
    treatment_start: date
    last_visit_on: date | None
    positive_on: date | None
    followed_up_on: date | None
    responded: bool
    remission: bool


def responded(baseline: int, latest: int) -> bool:
    """At least a 50% drop from baseline (exactly half counts as a response)."""
    return latest * 2 <= baseline


def follow_up_visit(positive_on: date | None, visits: Iterable[date]) -> date | None:
    """The first BH visit on or within FOLLOW_UP_DAYS after the positive screen, if any."""
    if positive_on is None:
        return None
    last_day = positive_on + timedelta(days=FOLLOW_UP_DAYS)
    return min((v for v in visits if positive_on <= v <= last_day), default=None)


def summarize(instrument: str, scores: Sequence[Score], visits: Sequence[date]) -> Summary | None:
    """The standing from the scores (oldest first) and BH visit dates; None without scores."""
    if not scores:
        return None
    first, last = scores[0], scores[-1]
    after_baseline = sorted(v for v in visits if v >= first.on)
    positive_on = next((s.on for s in scores if s.positive), None)
    return Summary(
        baseline_score=first.score,
        baseline_on=first.on,
        latest_score=last.score,
        latest_on=last.on,
        latest_severity=last.severity,
        scores=len(scores),
        # Treatment starts at the first BH visit; before one, the baseline screen starts the clock.
        treatment_start=min(visits) if visits else first.on,
        last_visit_on=max(visits) if visits else None,
        positive_on=positive_on,
        followed_up_on=follow_up_visit(positive_on, after_baseline),
        responded=responded(first.score, last.score),
        remission=last.score < REMISSION_BELOW[instrument],
    )


def weeks_in_treatment(treatment_start: date, today: date) -> int:
    """Whole weeks since treatment started (0 in the first week)."""
    return max(0, (today - treatment_start).days // 7)


def flags(entry, today: date) -> tuple[str, ...]:
    """The registry flags of a stored entry (or Summary) today, in FLAGS order."""
    engaged_since = entry.last_visit_on or entry.baseline_on
    raised = {
        "no_response": not entry.responded
        and entry.treatment_start <= today - timedelta(weeks=RESPONSE_WEEKS),
        "remission": entry.remission,
        "overdue": entry.latest_on < today - timedelta(days=RESCREEN_DAYS),
        "not_engaged": engaged_since < today - timedelta(days=ENGAGED_DAYS),
    }
    return tuple(name for name in FLAGS if raised[name])


def follow_up_status(entry, today: date) -> str | None:
    """ "met", "missed", "open" (window still running) or None when no screen was positive."""
    if entry.positive_on is None:
        return None
    if entry.followed_up_on is not None:
        return "met"
    if today > entry.positive_on + timedelta(days=FOLLOW_UP_DAYS):
        return "missed"
    return "open"
