"""What a hook's prefetch says about the patient, reduced to what the rules read. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache

from cds.services import OPEN_REFERRAL, phq9_item9_loinc, screening_codes
from referrals.part2 import rule as part2_rule
from referrals.part2 import words
from screening.definitions import LOINC, instruments

ICD10_SYSTEMS = ("http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10")
# A screening older than this is history, not a reason to refer today.
RECENT_DAYS = 365
FINAL = ("final", "amended", "corrected")
LIVE_CONDITION = ("active", "recurrence", "relapse")
LIVE_MEDICATION = ("active", "on-hold", "draft")
# Words in a ServiceRequest's category or code that make it a behavioral health referral.
BH_REFERRAL_WORDS = (
    "behavioral health",
    "behavioural health",
    "mental health",
    "psychiatr",
    "psycholog",
    "substance use",
    "addiction",
)


@dataclass(frozen=True)
class Reading:
    """The latest recent value of one LOINC-coded screening Observation."""

    code: str
    value: int
    reference: str | None  # "Observation/<id>" when the resource has an id
    when: datetime | None


@dataclass(frozen=True)
class Coded:
    """A diagnosis code or a medication's generic name, and the resource it came from."""

    name: str
    reference: str | None


@dataclass(frozen=True)
class Facts:
    """Everything the rules look at; nothing else from the prefetch is kept."""

    sex: str | None
    readings: dict[str, Reading]
    diagnoses: tuple[Coded, ...]  # ICD-10 F01-F99
    sud_medications: tuple[Coded, ...]
    referral_on_file: bool


def resources(value: object, kind: str) -> Iterator[dict]:
    """The `kind` resources in a prefetch value: a resource, a Bundle of them, or None."""
    if not isinstance(value, dict):
        return
    if value.get("resourceType") == "Bundle":
        for entry in value.get("entry") or ():
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(resource, dict) and resource.get("resourceType") == kind:
                yield resource
    elif value.get("resourceType") == kind:
        yield value


def _reference(resource: dict) -> str | None:
    return f"{resource['resourceType']}/{resource['id']}" if resource.get("id") else None


def _codings(concept: object) -> list[dict]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding") or () if isinstance(c, dict)]


def _texts(concepts: Iterable[object]) -> str:
    """Every text and display in some CodeableConcepts, as one lower-case string."""
    found = []
    for concept in concepts:
        if isinstance(concept, dict):
            found.append(str(concept.get("text") or ""))
            found += [str(c.get("display") or "") for c in _codings(concept)]
    return " ".join(found).casefold()


def _when(observation: dict) -> datetime | None:
    raw = observation.get("effectiveDateTime") or (observation.get("effectivePeriod") or {}).get(
        "start"
    )
    raw = raw or observation.get("issued")
    try:
        moment = datetime.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


@cache
def _answer_values() -> dict[str, int]:
    """LOINC answer code -> item value for PHQ-9 item 9 (sent as a coded answer)."""
    item = next(i for i in instruments()["phq9"].items if i.loinc == phq9_item9_loinc())
    return {option.code: option.value for option in item.options if option.code}


def _value(observation: dict) -> int | None:
    if isinstance(observation.get("valueInteger"), int):
        return observation["valueInteger"]
    quantity = observation.get("valueQuantity")
    if isinstance(quantity, dict) and isinstance(quantity.get("value"), int | float):
        return int(quantity["value"])
    for coding in _codings(observation.get("valueCodeableConcept")):
        if coding.get("system") == LOINC and coding.get("code") in _answer_values():
            return _answer_values()[coding["code"]]
    return None


def _reading(observation: dict, today: date) -> Reading | None:
    if observation.get("status") not in FINAL:
        return None
    codes = {c.get("code") for c in _codings(observation.get("code")) if c.get("system") == LOINC}
    code = next((c for c in screening_codes() if c in codes), None)
    value, when = _value(observation), _when(observation)
    if code is None or value is None:
        return None
    if when is not None and when.date() < today - timedelta(days=RECENT_DAYS):
        return None
    return Reading(code, value, _reference(observation), when)


def latest_readings(observations: Iterable[dict], today: date) -> dict[str, Reading]:
    """The most recent reading per LOINC code (undated ones lose to dated ones)."""
    oldest = datetime.min.replace(tzinfo=UTC)
    found: dict[str, Reading] = {}
    for observation in observations:
        reading = _reading(observation, today)
        if reading is None:
            continue
        held = found.get(reading.code)
        if held is None or (reading.when or oldest) > (held.when or oldest):
            found[reading.code] = reading
    return found


def _status(concept: object) -> str | None:
    return next((c.get("code") for c in _codings(concept)), None)


def is_bh_code(code: str) -> bool:
    """ICD-10 F01-F99: mental, behavioral and neurodevelopmental disorders."""
    code = code.strip().upper()
    return len(code) >= 3 and code[0] == "F" and code[1:3].isdigit() and int(code[1:3]) >= 1


def diagnoses(conditions: Iterable[dict]) -> tuple[Coded, ...]:
    """F01-F99 codes of live, unrefuted Conditions."""
    found = []
    for condition in conditions:
        if _status(condition.get("clinicalStatus")) not in (None, *LIVE_CONDITION):
            continue
        if _status(condition.get("verificationStatus")) in ("refuted", "entered-in-error"):
            continue
        for coding in _codings(condition.get("code")):
            code = str(coding.get("code") or "")
            if coding.get("system") in ICD10_SYSTEMS and is_bh_code(code):
                found.append(Coded(code, _reference(condition)))
    return tuple(found)


def sud_medications(requests: Iterable[dict]) -> tuple[Coded, ...]:
    """Live MedicationRequests naming a medication for a substance use disorder (Part 2 list)."""
    known = part2_rule().medications
    found = []
    for request in requests:
        if request.get("status") not in (None, *LIVE_MEDICATION):
            continue
        text = words(_texts([request.get("medicationCodeableConcept")]))
        names = sorted({generic for term, generic in known.items() if f" {term} " in text})
        found += [Coded(name, _reference(request)) for name in names]
    return tuple(found)


def is_bh_referral(request: dict) -> bool:
    """A ServiceRequest whose category or code says behavioral health, or its reason an F code."""
    text = _texts([*(request.get("category") or ()), request.get("code")])
    if any(word in text for word in BH_REFERRAL_WORDS):
        return True
    reasons = [c for concept in request.get("reasonCode") or () for c in _codings(concept)]
    return any(
        c.get("system") in ICD10_SYSTEMS and is_bh_code(str(c.get("code") or "")) for c in reasons
    )


def referral_on_file(requests: Iterable[dict]) -> bool:
    """True when an open behavioral health referral is among the ServiceRequests."""
    return any(r.get("status") in OPEN_REFERRAL and is_bh_referral(r) for r in requests)


def read_facts(prefetch: dict, draft_orders: object, today: date) -> Facts:
    """The facts from the five prefetch items, plus draft orders (order-select) when given."""
    patient = next(resources(prefetch.get("patient"), "Patient"), {})
    sex = patient.get("gender") if patient.get("gender") in ("female", "male") else None
    requests = [
        *resources(prefetch.get("referrals"), "ServiceRequest"),
        *resources(draft_orders, "ServiceRequest"),
    ]
    medications = [
        *resources(prefetch.get("medications"), "MedicationRequest"),
        *resources(draft_orders, "MedicationRequest"),
    ]
    return Facts(
        sex=sex,
        readings=latest_readings(resources(prefetch.get("screenings"), "Observation"), today),
        diagnoses=diagnoses(resources(prefetch.get("conditions"), "Condition")),
        sud_medications=sud_medications(medications),
        referral_on_file=referral_on_file(requests),
    )
