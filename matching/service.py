"""find_matches: retrieve, rank, page, and say what to relax and when to call for help first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from matching import weights
from matching.backend import MatchBackend
from matching.crisis import crisis_block
from matching.diagnoses import SocialNeed
from matching.explain import Entry
from matching.needs import BEST_FIT, Needs
from matching.ranking import Match, rank_retrieved
from matching.relaxation import Relaxation, suggest, summary
from matching.signals import SignalsProvider


@dataclass(frozen=True)
class MatchPage:
    """One page of ranked matches, with the total before paging."""

    results: tuple[Match, ...]
    total: int
    relaxations: tuple[Relaxation, ...] = ()
    relaxation_summary: str | None = None
    crisis: dict | None = None
    notices: tuple[Entry, ...] = ()
    social_needs: tuple[SocialNeed, ...] = ()


def search_notices(needs: Needs) -> list[Entry]:
    """Notes about the search itself: ignored codes, telehealth without a known state."""
    found = [
        Entry("diagnosis_ignored", f"{code} is not a behavioral-health code; not used", code)
        for code in needs.ignored_diagnoses
    ]
    if needs.allows_telehealth and not needs.state:
        text = "Telehealth needs the patient's state; give `state` to include it"
        found.append(Entry("state_unknown", text))
    if needs.transport_insecure:
        text = "Transportation insecurity noted: telehealth and nearby places rank higher"
        found.append(Entry("transportation", text, "Z59.82"))
    return found


def find_matches(
    needs: Needs,
    backend: MatchBackend,
    signals: SignalsProvider,
    now: datetime,
    stale_after_days: int = weights.STALE_AFTER_DAYS,
) -> MatchPage:
    """Rank every match, return the page asked for; suggest relaxations when the page is short."""
    # A backend with page() (the index) ranks only what can reach the page by score; same
    # results. Another order needs every admitted clinician ranked, so it takes the full path.
    paged = getattr(backend, "page", None) if needs.sort == BEST_FIT else None
    paged = paged or partial(rank_retrieved, backend=backend)
    results, total = paged(needs, signals=signals, now=now, stale_after_days=stale_after_days)
    page = tuple(results)
    relaxations: list[Relaxation] = []
    relaxation_text = None
    if len(page) < needs.limit:
        relaxations = suggest(backend, needs, total)
        relaxation_text = summary(needs, total, relaxations)
    return MatchPage(
        results=page,
        total=total,
        relaxations=tuple(relaxations),
        relaxation_summary=relaxation_text,
        crisis=crisis_block() if needs.crisis else None,
        notices=tuple(search_notices(needs)),
        social_needs=needs.social_needs,
    )
