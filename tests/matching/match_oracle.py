"""An independent, brute-force reading of the matching rules over a generated directory.

It works on the plain specs the property tests generate (not on the database or the
matching package's candidates) and follows the documented rules: README "Matching".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from geopy.distance import geodesic

from directory.vocabulary import vocabulary
from matching.needs import Needs
from matching.policy import SELECTABLE

TELEHEALTH_KINDS = {"video", "phone"}


@dataclass
class PlaceSpec:
    """A generated location."""

    lat: float
    lon: float
    accessibility: set[str] = field(default_factory=set)
    evening: bool = False
    weekend: bool = False


@dataclass
class ClinicianSpec:
    """A generated clinician; places are (location index, accepting override)."""

    places: list[tuple[int, bool | None]] = field(default_factory=list)
    networks: list[tuple[str, int | None]] = field(default_factory=list)
    languages: set[str] = field(default_factory=set)
    gender: str | None = None
    competencies: set[str] = field(default_factory=set)
    treated: set[str] = field(default_factory=set)
    not_treated: set[str] = field(default_factory=set)
    taxonomies: set[str] = field(default_factory=set)
    age_groups: set[str] = field(default_factory=set)
    modalities: set[str] = field(default_factory=set)
    licenses: dict[str, bool] = field(default_factory=dict)  # state -> expired
    accepting: bool | None = True
    active: bool = True
    wait_days: int | None = None
    next_in_days: int | None = None
    # Cost: (sliding scale, free care, Medicaid, Medicare, uninsured), each True/False/None.
    flags: tuple = (None, None, None, None, None)
    fee_min: int | None = None


def required(needs: Needs, need: str) -> bool:
    """The documented default policy plus the needs' own `required` set."""
    return need in needs.required


def fits(concern: str, spec: ClinicianSpec) -> bool:
    """Treats it, or holds a taxonomy the concern lists."""
    prefixes = vocabulary("concerns")[concern].extra["taxonomies"]
    return concern in spec.treated or any(t.startswith(tuple(prefixes)) for t in spec.taxonomies)


def opening_days(spec: ClinicianSpec) -> int | None:
    """Days to the next opening."""
    if spec.next_in_days is not None:
        return max(0, spec.next_in_days)
    return spec.wait_days


def takes(payment: str, spec: ClinicianSpec) -> bool:
    """README "Cost": uninsured is met by uninsured, free care or a sliding scale."""
    sliding, free, medicaid, medicare, uninsured = spec.flags
    return bool(
        {
            "uninsured": uninsured or free or sliding,
            "medicaid": medicaid,
            "medicare": medicare,
            "free": free,
            "sliding_scale": sliding,
        }[payment]
    )


def within_fee(max_fee: float, spec: ClinicianSpec) -> bool:
    """Free care, or a known lowest fee at or under the limit."""
    return bool(spec.flags[1]) or (spec.fee_min is not None and spec.fee_min <= max_fee)


def _cost_judged(needs: Needs, spec: ClinicianSpec) -> list[tuple]:
    out = []
    if needs.payment:
        taken = tuple(p for p in needs.payment if takes(p, spec))
        out.append(("payment", "payment", taken or needs.payment, bool(taken)))
    if needs.max_fee is not None:
        out.append(("max_fee", "max_fee", needs.max_fee, within_fee(needs.max_fee, spec)))
    return out


def judged(needs: Needs, spec: ClinicianSpec, place: PlaceSpec | None) -> list[tuple]:
    """(need, code, value, met) for every selectable need, as the README describes them."""
    out = [("concerns", "concern", c, fits(c, spec)) for c in needs.concerns]
    if needs.specialties:
        held = tuple(sorted(needs.specialty_codes & spec.taxonomies))
        out.append(("specialties", "specialty", held or needs.specialties, bool(held)))
    if needs.languages:
        spoken = tuple(sorted(set(needs.languages) & spec.languages))
        out.append(("languages", "language", spoken or needs.languages, bool(spoken)))
    if needs.clinician_gender:
        met = spec.gender == needs.clinician_gender
        out.append(("clinician_gender", "gender", needs.clinician_gender, met))
    out += [
        ("cultural_preferences", "competency", c, c in spec.competencies)
        for c in needs.cultural_preferences
    ]
    if place is not None:
        out += [
            ("accessibility", "accessibility", a, a in place.accessibility)
            for a in needs.accessibility
        ]
    out += [
        ("availability", "availability", a, bool(place and getattr(place, a)))
        for a in needs.availability
    ]
    if needs.max_wait_days is not None:
        days = opening_days(spec)
        met = days is not None and days <= needs.max_wait_days
        out.append(("max_wait_days", "wait", needs.max_wait_days, met))
    return out + _cost_judged(needs, spec)


def _common(needs: Needs, spec: ClinicianSpec, place: PlaceSpec | None) -> bool:
    if not spec.active:
        return False
    if needs.age_groups and spec.age_groups and not needs.age_groups & spec.age_groups:
        return False
    if set(needs.concerns) & spec.not_treated:
        return False
    return all(met for need, _, _, met in judged(needs, spec, place) if required(needs, need))


def in_plan(needs: Needs, spec: ClinicianSpec, where: int | None) -> bool:
    """In one of the plan's networks, clinician-wide or (in person) at this location."""
    if needs.plan is None:
        return True
    return any(
        net in needs.plan.network_ids and (at is None or where is None or at == where)
        for net, at in spec.networks
    )


def miles(needs: Needs, place: PlaceSpec) -> float:
    """geopy's geodesic distance from the patient."""
    return geodesic((needs.point.lat, needs.point.lon), (place.lat, place.lon)).miles


def admissible_places(needs: Needs, spec: ClinicianSpec, places: list[PlaceSpec]) -> list[int]:
    """Location indexes where the clinician may see the patient in person."""
    if needs.modality == "telehealth" or (spec.modalities and "in_person" not in spec.modalities):
        return []
    found = []
    for index, override in spec.places:
        place = places[index]
        accepting = spec.accepting if override is None else override
        if needs.accepting_new_patients and accepting is False:
            continue
        if miles(needs, place) > needs.max_distance_miles or not in_plan(needs, spec, index):
            continue
        if _common(needs, spec, place):
            found.append(index)
    return found


def telehealth_ok(needs: Needs, spec: ClinicianSpec) -> bool:
    """Telehealth with a current license in the patient's state."""
    if needs.modality == "in_person" or not spec.modalities & TELEHEALTH_KINDS:
        return False
    if spec.licenses.get(needs.state, True):  # missing or expired
        return False
    if needs.accepting_new_patients and spec.accepting is False:
        return False
    return in_plan(needs, spec, None) and _common(needs, spec, None)


def admitted(needs: Needs, specs: list[ClinicianSpec], places: list[PlaceSpec]) -> set[int]:
    """Indexes of the clinicians that match."""
    return {
        i
        for i, spec in enumerate(specs)
        if admissible_places(needs, spec, places) or telehealth_ok(needs, spec)
    }


def explanation(needs: Needs, spec: ClinicianSpec, place: PlaceSpec | None, accepting):
    """Expected (reason codes/values, unmet codes/values), distance reasons left out."""
    reasons = []
    if place is None:
        reasons.append(("telehealth", needs.state))
    if needs.transport_insecure and (place is None or miles(needs, place) <= 5.0):
        reasons.append(("transportation", None))
    if needs.plan is not None:
        reasons.append(("plan", needs.plan.id))
    ages = needs.age_groups & spec.age_groups
    if ages:
        reasons.append(("age", tuple(sorted(ages))))
    if accepting:
        reasons.append(("accepting", None))
    found = judged(needs, spec, place)
    reasons += [(code, value) for _, code, value, met in found if met]
    unmet = [(code, value) for _, code, value, met in found if not met]
    return sorted(reasons, key=repr), sorted(unmet, key=repr)


def relaxation_variants(needs: Needs) -> list[tuple[str, object, Needs]]:
    """Every single change the README lists, in its order."""
    variants = []
    if needs.modality != "telehealth":
        steps = [s for s in (10.0, 25.0, 50.0, 100.0) if s > needs.max_distance_miles][:2]
        variants += [("max_distance_miles", s, needs.replace(max_distance_miles=s)) for s in steps]
    if needs.modality == "in_person" and needs.state:
        variants.append(("modality", "telehealth", needs.replace(modality="telehealth")))
    if needs.modality == "telehealth":
        variants.append(("modality", "in_person", needs.replace(modality="in_person")))
    for need in sorted(needs.required & set(SELECTABLE)):
        value = getattr(needs, need)
        if value or (need in ("max_wait_days", "max_fee") and value is not None):
            relaxed = needs.replace(required=needs.required - {need})
            variants.append((need, "preferred", relaxed))
    if needs.accepting_new_patients:
        variants.append(
            ("accepting_new_patients", False, needs.replace(accepting_new_patients=False))
        )
    return variants


def expiry(expired: bool, today: date) -> date | None:
    """An expiry date in the past for an expired license, none otherwise."""
    return today - timedelta(days=1) if expired else None
