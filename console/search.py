"""Needs forms on staff pages: form fields in, NeedsSchema input and ranked matches out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from marshmallow import ValidationError
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from directory.cost_facts import CostLine, cost_lines_many
from directory.extensions import db
from directory.models import Network
from directory.models.verification import utcnow
from directory.vocabulary import GENDERS
from matching.backend import TELEHEALTH
from matching.matcher import matcher
from matching.needs import AVAILABILITY, MODALITIES, Needs
from matching.ranking import Match
from matching.relaxation import Relaxation
from matching.service import MatchPage
from pages import explain_text as words
from pages.contact import phone_book, phone_for, phone_text
from pages.cost import PAYMENT_CHOICES, cost_sentences, cost_summary
from pages.diagnosis_text import code_mappings
from pages.languages import language_name
from pages.needs_choices import (
    accessibility_choices,
    competency_groups,
    concern_choices,
    language_choices,
)

SCALARS = ("postal_code", "max_distance_miles", "plan", "age", "clinician_gender", "modality")
SCALARS += ("max_wait_days", "max_fee")
LISTS = ("concerns", "languages", "cultural_preferences", "accessibility", "availability")
LISTS += ("payment", "required")
# Preferences a staff member may turn into hard filters with a "must match" box.
MUST_MATCH = ("languages", "clinician_gender", "cultural_preferences", "availability")
MUST_MATCH += ("payment", "max_fee")
RESULTS_PER_PAGE = 20
_CODE_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Search:
    """A needs form after a search: its raw fields, the resolved needs, the page or errors."""

    raw: dict
    needs: Needs | None = None
    page: MatchPage | None = None
    errors: dict | None = None


def icd10_codes(text: str) -> list[str]:
    """ICD-10-CM codes typed as a list: commas, semicolons or spaces between them."""
    return [code.upper() for code in _CODE_SPLIT.split(text or "") if code]


def raw_needs(form: MultiDict) -> dict:
    """The NeedsSchema input a needs form describes (blank fields left out)."""
    raw: dict = {}
    for key in SCALARS:
        value = (form.get(key) or "").strip()
        if value:
            raw[key] = value
    for key in LISTS:
        values = sorted({v.strip() for v in form.getlist(key) if v.strip()})
        if values:
            raw[key] = values
    codes = icd10_codes(form.get("diagnoses", ""))
    if codes:
        raw["diagnoses"] = codes
    if form.get("include_not_accepting"):
        raw["accepting_new_patients"] = False
    return raw


def hidden_fields(raw: dict) -> list[tuple[str, str]]:
    """The needs as (name, value) pairs for hidden inputs, so the next POST carries them."""
    pairs: list[tuple[str, str]] = []
    for key, value in raw.items():
        if key == "diagnoses":
            pairs.append(("diagnoses", ", ".join(value)))
        elif key == "accepting_new_patients":
            pairs.append(("include_not_accepting", "1"))
        elif isinstance(value, list):
            pairs.extend((key, item) for item in value)
        else:
            pairs.append((key, str(value)))
    return pairs


def run_search(raw: dict, limit: int = RESULTS_PER_PAGE) -> Search:
    """Validate the needs and rank the matches; field errors instead when they do not validate."""
    try:
        needs = matcher.needs_schema.load({**raw, "limit": limit})
    except ValidationError as err:
        return Search(raw, errors=err.messages)
    return Search(raw, needs, matcher.find(needs, utcnow()))


def plan_choices(only: frozenset[str] | None = None) -> list[Network]:
    """Plans and networks a member may be covered by (only `only` when given), plans first."""
    query = select(Network).order_by(Network.kind.desc(), Network.name)
    if only is not None:
        query = query.where(Network.id.in_(sorted(only)))
    return list(db.session.scalars(query))


def form_options() -> dict:
    """The choices a needs form offers, in the reader's language (concerns in clinical terms)."""
    first, rest = language_choices()
    return {
        "concerns": concern_choices(clinical=True),
        "competencies": competency_groups(),
        "accessibility": accessibility_choices(),
        "languages": first + rest,
        "genders": GENDERS,
        "modalities": MODALITIES,
        "availability": AVAILABILITY,
        "must_match": MUST_MATCH,
        "payments": PAYMENT_CHOICES,
    }


@dataclass(frozen=True)
class StaffCard:
    """One match as staff pages show it: the patient-page words plus the facts staff compare."""

    number: int
    npi: str
    name: str
    credentials: str
    telehealth_visit: bool
    location_id: int | None
    address: str | None
    distance: str | None
    phone: str | None
    accepting: bool | None
    wait_days: int | None
    next_available_on: date | None
    languages: list[str]
    plans: list[str]
    verified_at: datetime | None
    stale: bool
    flagged: bool
    score: float
    reasons: list[str]
    unmet: list[str]
    notices: list[str]
    cost: str  # one line: "Sliding scale · Takes Medicaid", or "Cost not known: ..."
    cost_sources: list[str]  # each known value with whose word it is and its age


def _card(
    number: int, match: Match, phone: str | None, plans: dict[str, str], cost: list[CostLine]
) -> StaffCard:
    c = match.candidate
    return StaffCard(
        number=number,
        npi=c.npi,
        name=c.name,
        credentials=", ".join(c.credentials),
        telehealth_visit=c.visit == TELEHEALTH,
        location_id=match.place.id if match.place else None,
        address=match.place.address if match.place else None,
        distance=None if match.distance_miles is None else words.miles(match.distance_miles),
        phone=phone_text(phone) if phone else None,
        accepting=c.accepting_new_patients,
        wait_days=c.wait_days,
        next_available_on=c.next_available_on,
        languages=sorted(language_name(code) for code in c.languages),
        plans=sorted(plans.get(n, n) for n in c.network_ids),
        verified_at=c.verified_at,
        stale=match.stale,
        flagged=c.flagged,
        score=round(match.score, 1),
        reasons=words.reasons_text(match.reasons, c, clinical=True),
        unmet=words.unmet_text(match.unmet, c, clinical=True),
        notices=words.notices_text(match.notices, c),
        cost=cost_summary(c.cost),
        cost_sources=cost_sentences(cost, utcnow()) if c.cost.known else [],
    )


def cards(search: Search) -> list[StaffCard]:
    """The page's matches as cards, numbered from 1."""
    if search.page is None:
        return []
    results = search.page.results
    book = phone_book(db.session, results)
    ids = sorted({n for m in results for n in m.candidate.network_ids})
    names = dict(
        db.session.execute(select(Network.id, Network.name).where(Network.id.in_(ids))).all()
    )
    costs = cost_lines_many({m.candidate.clinician_id: m.candidate.cost for m in results})
    return [
        _card(i, m, phone_for(book, m), names, costs[m.candidate.clinician_id])
        for i, m in enumerate(results, start=1)
    ]


def searched_codes(search: Search) -> list[tuple[str, str]]:
    """After a search: (ICD-10-CM code, what it mapped to) for each code searched with."""
    if search.page is None:
        return []
    return code_mappings(search.raw.get("diagnoses"))


@dataclass(frozen=True)
class Suggestion:
    """One change that would find more: what it finds, its button, the needs it searches."""

    text: str
    button: str
    fields: list[tuple[str, str]]
    change: str  # the same change named for a button inside a form of its own (relaxed_by)


def relaxed(raw: dict, relaxation: Relaxation) -> dict:
    """The needs with the one change a suggestion makes, everything else kept."""
    changed = dict(raw)
    if relaxation.relax == "max_distance_miles":
        changed["max_distance_miles"] = str(int(relaxation.value))
    elif relaxation.relax == "modality":
        changed["modality"] = "either"  # the button says in-person and video, as on patient pages
    elif relaxation.relax == "accepting_new_patients":
        changed["accepting_new_patients"] = False
    else:
        still = [need for need in raw.get("required", []) if need != relaxation.relax]
        changed.pop("required", None)
        if still:
            changed["required"] = still
    return changed


def change_name(relaxation: Relaxation) -> str:
    """The change as one button value: 'max_distance_miles:50', 'modality:telehealth'..."""
    value = relaxation.value
    if relaxation.relax == "max_distance_miles":
        value = int(relaxation.value)
    return f"{relaxation.relax}:{value}"


def relaxed_by(raw: dict, change: str) -> dict:
    """The needs with the change a button names (change_name); unchanged when it names none."""
    relax, _sep, value = change.partition(":")
    if not relax or (relax == "max_distance_miles" and not value.isdigit()):
        return raw
    # relaxed() reads the value of a distance only; any other name at most leaves `required`.
    return relaxed(raw, Relaxation(relax, float(value) if value.isdigit() else value, 0, ""))


def suggestions(search: Search) -> list[Suggestion]:
    """The single changes that would find more, each with a button that searches with it."""
    if search.page is None:
        return []
    return [
        Suggestion(
            words.relaxation_text(r, search.needs.max_distance_miles),
            words.relaxation_button(r),
            hidden_fields(relaxed(search.raw, r)),
            change_name(r),
        )
        for r in search.page.relaxations
    ]
