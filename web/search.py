"""Run a patient search through the Matcher and shape the page the visitor reads.

The ranking, filters and explanations are matching's, exactly as POST /api/v1/matches returns
them; this module only picks the words and adds contact details.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from directory.cost import COST_FACTS
from directory.cost_facts import cost_lines
from directory.extensions import db
from directory.facts import current_many
from directory.models.verification import as_utc
from matching.backend import TELEHEALTH
from matching.matcher import matcher
from matching.nearest import Nearest
from matching.needs import Needs
from matching.ranking import Match
from matching.service import MatchPage
from pages import explain_text as words
from pages.ages import verified_text
from pages.contact import phone_book, phone_for, phone_text, tel_href
from pages.cost import cost_sentences, cost_summary
from pages.places import distance_text, place_precisions, precision_note
from pages.provenance import provenance_sentence
from programs.beside import programs_beside


@dataclass(frozen=True)
class ResultCard:
    """One clinician as the results list shows it."""

    number: int
    npi: str
    name: str
    credentials: str
    telehealth_visit: bool
    offers_telehealth: bool
    distance: str | None  # '2.5 mi away', or 'In your ZIP code area'
    place_note: str | None  # 'Location approximate (ZIP centre)' and the like
    address: str | None
    lat: float | None
    lon: float | None
    phone: str | None
    phone_href: str | None
    accepting: bool | None
    verified_days: int | None
    verified: str  # 'Listing verified 3 months ago', 'Not verified in over a year: …'
    stale: bool
    reasons: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # Where each fact came from and how old it is: "Phone: from the plan's roster, 12 days ago."
    provenance: list[str] = field(default_factory=list)
    # "Sliding scale · Takes Medicaid", or "Cost not known: ask about fees and insurance."
    cost: str = ""
    # Each cost value with whose word it is and how old: "Takes Medicaid: yes (from ...)."
    cost_sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ResultsView:
    """Everything the results page shows."""

    needs: Needs
    page: MatchPage
    cards: list[ResultCard]
    relaxations: list[tuple[object, str, str]]  # (suggestion, what it finds, button words)
    page_number: int
    next_page: int | None
    # Treatment programs beside the clinicians when a concern is substance use.
    programs: list = field(default_factory=list)
    # When nothing matched: how many are in person over a wider radius, and the nearest.
    nearest: Nearest | None = None
    nearest_text: str | None = None

    @property
    def nearest_radius(self) -> int | None:
        """Miles for the nearest option's "search this far" button, unless a suggestion has it."""
        found = self.nearest
        if found is None or not found.count or found.radius_miles <= self.needs.max_distance_miles:
            return None
        offered = {r.value for r, _, _ in self.relaxations if r.relax == "max_distance_miles"}
        return None if found.radius_miles in offered else int(found.radius_miles)

    @property
    def previous_page(self) -> int | None:
        """The page before this one, if any."""
        return self.page_number - 1 if self.page_number > 1 else None

    @property
    def crisis(self) -> bool:
        """True when the needs indicate risk: the 988 banner goes first and loud."""
        return self.page.crisis is not None

    def map_points(self) -> list[dict]:
        """Markers for in-person results (number, name, point): no needs, nothing else."""
        return [
            {"n": c.number, "name": c.name, "lat": c.lat, "lon": c.lon}
            for c in self.cards
            if c.lat is not None and c.lon is not None and not c.telehealth_visit
        ]


def _verified_days(match: Match, now: datetime) -> int | None:
    moment = match.candidate.verified_at
    return None if moment is None else max(0, (now - as_utc(moment)).days)


def card(
    number: int,
    match: Match,
    phone: str | None,
    now: datetime,
    precision: str | None = None,
    provenance: list[str] | None = None,
    cost_sources: list[str] | None = None,
) -> ResultCard:
    """A match in the visitor's words; `precision` is its place's geo_precision."""
    c = match.candidate
    place = match.place
    days = _verified_days(match, now)
    miles = match.distance_miles
    return ResultCard(
        number=number,
        npi=c.npi,
        name=c.name,
        credentials=", ".join(c.credentials),
        telehealth_visit=c.visit == TELEHEALTH,
        offers_telehealth=c.offers_telehealth,
        distance=None if miles is None else distance_text(miles, precision),
        place_note=precision_note(precision) if place else None,
        address=place.address if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        phone=phone_text(phone) if phone else None,
        phone_href=tel_href(phone) if phone else None,
        accepting=c.accepting_new_patients,
        verified_days=days,
        verified=verified_text(days, match.stale),
        stale=match.stale,
        reasons=words.reasons_text(match.reasons, c),
        unmet=words.unmet_text(match.unmet, c),
        notices=words.notices_text(match.notices, c),
        provenance=provenance or [],
        cost=cost_summary(c.cost),
        cost_sources=cost_sources or [],
    )


def _precision(precisions: dict[int, str], match: Match) -> str | None:
    return precisions.get(match.place.id) if match.place is not None else None


def _fact_sentences(match: Match, findings: list, now: datetime) -> tuple[list, list]:
    """(listing provenance, cost sentences): cost is said in its own block, value by value."""
    listing = [provenance_sentence(f, now) for f in findings if f.kind not in COST_FACTS]
    cost = match.candidate.cost
    sources = cost_sentences(cost_lines(cost, findings), now) if cost.known else []
    return listing, sources


def _nearest(
    needs: Needs, page: MatchPage, now: datetime, page_number: int
) -> tuple[Nearest | None, str | None]:
    """The nearest in-person option, said plainly, when a first page shows nobody in person."""
    in_person = any(m.candidate.visit != TELEHEALTH for m in page.results)
    if in_person or (page.total and page_number > 1):
        return None, None
    found = matcher.nearest(needs, now)
    return found, words.nearest_text(found)


def run_search(needs: Needs, now: datetime, page_number: int = 1) -> ResultsView:
    """Match `needs` with the configured backend and build page `page_number`."""
    page = matcher.find(needs, now)
    book = phone_book(db.session, page.results)
    precisions = place_precisions(db.session, page.results)
    findings = current_many("clinician", [m.candidate.clinician_id for m in page.results], now)
    cards = [
        card(
            needs.offset + i,
            m,
            phone_for(book, m),
            now,
            _precision(precisions, m),
            *_fact_sentences(m, findings[m.candidate.clinician_id], now),
        )
        for i, m in enumerate(page.results, start=1)
    ]
    relaxations = [
        (r, words.relaxation_text(r, needs.max_distance_miles), words.relaxation_button(r))
        for r in page.relaxations
    ]
    shown = needs.offset + len(page.results)
    programs = programs_beside(needs.concerns, needs.point, needs.max_distance_miles, now)
    more = page_number + 1 if shown < page.total else None
    nearest, nearest_text = _nearest(needs, page, now, page_number)
    return ResultsView(
        needs, page, cards, relaxations, page_number, more, programs, nearest, nearest_text
    )
