"""A clinician's profile in the visitor's words, with what is unknown.

Every fact comes from the listing's rows; the fact provenance (directory.facts) says where each
came from and how old it is. Anything no source has told us is named, never left blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from directory.cost import COST_FACTS, cost_of
from directory.cost_facts import cost_lines
from directory.extensions import db
from directory.fact_rules import KINDS
from directory.facts import clinician as clinician_subject
from directory.facts import current
from directory.models import (
    Clinician,
    Network,
    Organization,
    plan_network,
)
from directory.models.verification import as_utc, is_stale
from directory.vocabulary import vocabulary
from pages.ages import verified_text
from pages.contact import phone_text, tel_href
from pages.cost import cost_sentences, cost_summary
from pages.languages import language_name
from pages.listing_words import COMPETENCY_HOW, DAY_WORDS, PROFICIENCY_WORDS
from pages.provenance import KIND_WORDS, provenance_sentence
from pages.vocabulary_text import term_text

GENDER_WORDS = {
    "female": _l("Woman"),
    "male": _l("Man"),
    "nonbinary": _l("Nonbinary"),
    "other": _l("Another gender"),
}


@dataclass(frozen=True)
class PlaceView:
    """One location the clinician practises at."""

    address: str
    name: str | None
    phone: str | None
    phone_href: str | None
    hours: list[str]
    accessibility: list[str]
    accepting: bool | None
    plans: list[str]
    practice: tuple[int, str] | None  # (organization id, name)
    location_id: int | None = None  # which place a call-back request is about


@dataclass
class ProfileView:
    """Everything a clinician's profile page shows."""

    npi: str
    name: str
    credentials: str
    gender: str | None
    pronouns: str | None
    concerns: list[str]
    not_treated: list[str]
    approaches: list[str]
    ages: list[str]
    languages: list[str]
    competencies: list[str]
    telehealth: bool
    license_states: list[str]
    accepting: bool | None
    next_opening: str | None  # 'December 19, 2026' in the visitor's locale
    wait_days: int | None
    verified: str
    stale: bool
    places: list[PlaceView] = field(default_factory=list)
    provenance: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    # One line ("Sliding scale · Takes Medicaid") and each value with its source and age.
    cost: str = ""
    cost_sources: list[str] = field(default_factory=list)


def terms_text(name: str, codes) -> list[str]:
    """The visitor's words for vocabulary `name`'s codes (unknown codes as they are)."""
    terms = vocabulary(name)
    return [term_text(terms[c]) if c in terms else str(c) for c in codes or ()]


def hours_text(hours: list[dict]) -> list[str]:
    """'Monday, Tuesday: 08:00–20:00' for each opening-hours row."""
    lines = []
    for row in hours or ():
        days = ", ".join(str(DAY_WORDS.get(d, d)) for d in row.get("days", ()))
        lines.append(f"{days}: {row.get('opens', '?')}–{row.get('closes', '?')}")
    return lines


def _language(row) -> str:
    words = PROFICIENCY_WORDS.get(row.proficiency or "")
    name = language_name(row.code, capitalize=True)
    return f"{name} ({words})" if words else name


def _competency(row) -> str:
    how = COMPETENCY_HOW.get(row.provenance, row.provenance)
    return f"{terms_text('competencies', [row.code])[0]} ({how})"


def _plan_names(network_ids: set[str]) -> dict[str, list[str]]:
    """For each network a clinician is in: the plans that use it, else the network's own name."""
    if not network_ids:
        return {}
    using = db.session.execute(
        select(plan_network.c.network_id, plan_network.c.plan_id).where(
            plan_network.c.network_id.in_(network_ids)
        )
    ).all()
    wanted = network_ids | {plan for _, plan in using}
    names = dict(
        db.session.execute(select(Network.id, Network.name).where(Network.id.in_(wanted))).all()
    )
    found = {n: [names[p] for net, p in using if net == n and p in names] for n in network_ids}
    return {n: plans or [names.get(n, n)] for n, plans in found.items()}


def _organizations(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(Organization.id, Organization.name).where(Organization.id.in_(ids))
    )
    return dict(rows.all())


def _places(c: Clinician) -> list[PlaceView]:
    plans_of = _plan_names({p.network_id for p in c.participations})
    orgs = _organizations(
        {
            o
            for link in c.locations
            for o in (link.organization_id, link.location.organization_id)
            if o
        }
    )
    found = []
    for link in c.locations:
        place = link.location
        phone = link.phone or place.phone
        # A participation without a location covers every place.
        plans = sorted(
            {
                name
                for p in c.participations
                if p.location_id in (None, place.id)
                for name in plans_of[p.network_id]
            }
        )
        org_id = link.organization_id or place.organization_id
        accepting = link.accepting_new_patients
        found.append(
            PlaceView(
                address=place.address,
                name=place.name,
                phone=phone_text(phone) if phone else None,
                phone_href=tel_href(phone) if phone else None,
                hours=hours_text(place.hours),
                accessibility=terms_text("accessibility", place.accessibility),
                accepting=c.accepting_new_patients if accepting is None else accepting,
                plans=plans,
                practice=(org_id, orgs[org_id]) if org_id in orgs else None,
                location_id=place.id,
            )
        )
    return found


def _unknown(view: ProfileView) -> list[str]:
    """The names of the profile's facts no source has given."""
    checks = [
        (view.concerns, _("what they help with")),
        (view.approaches, _("how they work (approaches)")),
        (view.ages, _("the ages they see")),
        (view.languages, _("languages")),
        (view.gender, _("gender")),
        (view.pronouns, _("pronouns")),
        (view.competencies, _("identity, faith and culture")),
        (view.places, _("where they see patients in person")),
        (view.license_states, _("the states they are licensed in")),
        (view.accepting is not None, _("whether they take new patients")),
        (view.next_opening or view.wait_days is not None, _("the next opening")),
    ]
    return [words for known, words in checks if not known]


def profile(c: Clinician, now: datetime, stale_after_days: int) -> ProfileView:
    """The profile of an active clinician (loaded with directory.queries.clinician_query)."""
    days = None if c.verified_at is None else max(0, (now - as_utc(c.verified_at)).days)
    stale = is_stale(c.verified_at, now, stale_after_days)
    findings = current(clinician_subject(c.id), now)
    view = ProfileView(
        npi=c.npi,
        name=" ".join(p for p in (c.first_name, c.last_name) if p),
        credentials=", ".join(c.credentials or ()),
        gender=str(GENDER_WORDS[c.gender]) if c.gender in GENDER_WORDS else None,
        pronouns=c.pronouns,
        concerns=terms_text("concerns", c.conditions_treated),
        not_treated=terms_text("concerns", c.conditions_not_treated),
        approaches=terms_text("approaches", c.approaches),
        ages=terms_text("age_groups", c.age_groups),
        languages=[_language(row) for row in c.languages],
        competencies=[_competency(row) for row in c.competencies],
        telehealth=c.offers_telehealth,
        license_states=sorted({lic.state for lic in c.licenses if lic.is_current(now.date())}),
        accepting=c.accepting_new_patients,
        next_opening=format_date(c.next_available_on, "long") if c.next_available_on else None,
        wait_days=c.wait_days,
        verified=verified_text(days, stale),
        stale=stale,
        places=_places(c),
        provenance=[provenance_sentence(f, now) for f in findings if f.kind not in COST_FACTS],
        cost=cost_summary(cost_of(c)),
        cost_sources=cost_sentences(cost_lines(cost_of(c), findings), now),
    )
    view.unknown = _unknown(view)
    untraced = untraced_sentence(findings)
    if untraced:
        view.provenance.append(untraced)
    return view


def untraced_sentence(findings: list) -> str | None:
    """The listing facts shown with no dated source on file, said as such; None when all have."""
    held = {f.kind for f in findings}
    # Cost has its own block, which says plainly when it is not known.
    names = [
        str(KIND_WORDS[k.code])
        for k in KINDS
        if k.asked and not k.per_network and k.code not in held and k.code not in COST_FACTS
    ]
    if not names:
        return None
    return _(
        "No dated source on file yet for: %(facts)s. These show the listing as last verified.",
        facts=", ".join(names),
    )
