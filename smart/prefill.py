"""A launch patient's chart as the PCP referral form's fields and the needs form's answers."""

from __future__ import annotations

from collections.abc import Iterable

from smart.chart import GAD7_TOTAL, PHQ9_TOTAL, Chart

ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
# A total at or above 10 is a moderate score on both instruments: the concern it points to.
SCORE_CONCERN = {
    PHQ9_TOTAL: ("phq9", "PHQ-9", 9, "depression"),
    GAD7_TOTAL: ("gad7", "GAD-7", 7, "anxiety"),
}
MODERATE = 10


def _first(items: object) -> dict:
    return items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}


def _text(concept: object) -> str | None:
    """A CodeableConcept's words: its text, else its first coding's display or code."""
    if not isinstance(concept, dict):
        return None
    coding = _first(concept.get("coding"))
    return concept.get("text") or coding.get("display") or coding.get("code")


def _codes(concept: object, system: str) -> list[str]:
    codings = concept.get("coding") if isinstance(concept, dict) else None
    return [c["code"] for c in codings or [] if c.get("system") == system and c.get("code")]


def patient_fields(patient: dict) -> dict:
    """Name, birth date, phone and preferred language, as the form's patient_* fields."""
    name = _first(patient.get("name"))
    full = name.get("text") or " ".join([*(name.get("given") or []), name.get("family") or ""])
    phones = [t for t in patient.get("telecom") or [] if t.get("system") == "phone"]
    comms = patient.get("communication") or []
    chosen = next((c for c in comms if c.get("preferred")), _first(comms))
    language = (_first((chosen.get("language") or {}).get("coding")).get("code") or "")[:2]
    found = {
        "name": full.strip() or None,
        "birth_date": patient.get("birthDate"),
        "phone": _first(phones).get("value"),
        "preferred_language": language.lower() or None,
    }
    return {k: v for k, v in found.items() if v}


def _postal_code(patient: dict) -> str | None:
    """The home (else first) address's ZIP code, five digits, for the distance to care."""
    addresses = patient.get("address") or []
    home = next((a for a in addresses if a.get("use") == "home"), _first(addresses))
    code = str(home.get("postalCode") or "")[:5]
    return code if len(code) == 5 and code.isdigit() else None


def plan_for(coverages: list[dict], plans: Iterable) -> tuple[str | None, str | None]:
    """Our plan for an active Coverage (payor identifier = plan id, or payor name = plan name)."""
    by_id = {plan.id: plan for plan in plans}
    by_name = {plan.name.casefold(): plan for plan in by_id.values()}
    for coverage in coverages:
        if coverage.get("status", "active") != "active":
            continue
        member = coverage.get("subscriberId")
        for payor in coverage.get("payor") or []:
            key = (payor.get("identifier") or {}).get("value")
            plan = by_id.get(key) or by_name.get((payor.get("display") or "").casefold())
            if plan is not None:
                return plan.id, member
    return None, None


def _score(observation: dict) -> tuple[tuple, int, str, list[int]] | None:
    """(instrument, total, date, item answers) of a PHQ-9 or GAD-7 total Observation."""
    code = next(
        (c for c in _codes(observation.get("code"), "http://loinc.org") if c in SCORE_CONCERN), None
    )
    total = observation.get("valueInteger")
    if total is None:
        total = (observation.get("valueQuantity") or {}).get("value")
    if code is None or not isinstance(total, int | float):
        return None
    items = [c.get("valueInteger") for c in observation.get("component") or []]
    answers = items if all(isinstance(i, int) for i in items) else []
    day = str(observation.get("effectiveDateTime") or "")[:10]
    return SCORE_CONCERN[code], int(total), day, answers


def _scores(chart: Chart) -> tuple[list[str], list[str], dict]:
    """Concerns and note lines from the newest score of each instrument; a screening to attach."""
    concerns, notes, screening, seen = [], [], {}, set()
    for found in filter(None, map(_score, chart.observations)):
        (instrument, label, items, concern), total, day, answers = found
        if instrument in seen:
            continue  # the search is newest first
        seen.add(instrument)
        notes.append(f"{label} total {total} ({day}), from the EHR.")
        if total >= MODERATE:
            concerns.append(concern)
        if len(answers) == items and not screening:
            screening = {
                "screening_instrument": instrument,
                "screening_answers": " ".join(map(str, answers)),
            }
    return concerns, notes, screening


def _active(resources: list[dict], status_key: str) -> list[dict]:
    def status(resource: dict) -> str:
        value = resource.get(status_key)
        return (
            _first(value.get("coding")).get("code", "") if isinstance(value, dict) else value or ""
        )

    return [r for r in resources if status(r) in ("", "active", "recurrence", "relapse")]


def prefill(chart: Chart, plans: Iterable) -> dict:
    """{"patient": fields, "needs": needs-form answers, "form": referral fields} for the pages."""
    conditions = _active(chart.conditions, "clinicalStatus")
    medications = _active(chart.medications, "status")
    diagnoses = sorted({c for r in conditions for c in _codes(r.get("code"), ICD10)})
    concerns, notes, screening = _scores(chart)
    plan, member = plan_for(chart.coverages, plans)
    patient = patient_fields(chart.patient)
    if member:
        patient["member_id"] = member
    needs = {"concerns": sorted(set(concerns)), "diagnoses": diagnoses, "plan": plan}
    needs["postal_code"] = _postal_code(chart.patient)
    if patient.get("preferred_language"):
        needs["languages"] = [patient["preferred_language"]]
    form = {
        "referral_diagnoses": ", ".join(diagnoses),
        "conditions": "\n".join(filter(None, (_text(r.get("code")) for r in conditions))),
        "medications": "\n".join(
            filter(None, (_text(r.get("medicationCodeableConcept")) for r in medications))
        ),
        "notes": " ".join(notes),
        **screening,
    }
    return {
        "patient": patient,
        "needs": {k: v for k, v in needs.items() if v},
        "form": {k: v for k, v in form.items() if v},
    }
