"""A scored screening as FHIR R4: a QuestionnaireResponse and LOINC-coded Observations."""

from __future__ import annotations

from datetime import datetime

from directory.models.verification import as_utc
from screening.definitions import LOINC, Item, Option
from screening.scorer import Scored

OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SURVEY = {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}


def _concept(loinc: str | None, text: str) -> dict:
    """A LOINC-coded concept; text alone where no LOINC code is known (we do not invent one)."""
    if loinc is None:
        return {"text": text}
    return {"coding": [{"system": LOINC, "code": loinc, "display": text}], "text": text}


def _answer_value(option: Option) -> dict:
    if option.code is None:
        return {"valueString": option.display}
    return {"valueCoding": {"system": LOINC, "code": option.code, "display": option.display}}


def _pairs(scored: Scored) -> list[tuple[Item, Option]]:
    items = scored.instrument.items
    return [(item, item.option(answer)) for item, answer in zip(items, scored.answers, strict=True)]


def questionnaire_response(scored: Scored, authored: datetime, subject: dict | None = None) -> dict:
    """The answers as given, with the total, against the instrument's questionnaire."""
    instrument = scored.instrument
    items = [
        {"linkId": item.link_id, "text": item.text, "answer": [_answer_value(option)]}
        for item, option in _pairs(scored)
    ]
    total_link = f"/{instrument.total_loinc}" if instrument.total_loinc else "total"
    items.append(
        {
            "linkId": total_link,
            "text": instrument.total_display,
            "answer": [{"valueInteger": scored.score}],
        }
    )
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": instrument.url,
        "status": "completed",
        "authored": as_utc(authored).isoformat(),
        "item": items,
    }
    if subject is not None:
        response["subject"] = subject
    return response


def _observation(code: dict, value: dict, effective: datetime, subject: dict | None) -> dict:
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "category": [SURVEY],
        "code": code,
        # Stored times come back naive from SQLite: they are UTC.
        "effectiveDateTime": as_utc(effective).isoformat(),
        **value,
    }
    if subject is not None:
        observation["subject"] = subject
    return observation


def observations(scored: Scored, effective: datetime, subject: dict | None = None) -> list[dict]:
    """One Observation per answer, then the total score (LOINC where the code is known)."""
    found = []
    for item, option in _pairs(scored):
        value = _concept(None, option.display)
        if option.code is not None:
            value = {
                "coding": [{"system": LOINC, "code": option.code, "display": option.display}],
                "text": option.display,
            }
        found.append(
            _observation(
                _concept(item.loinc, item.text),
                {"valueCodeableConcept": value},
                effective,
                subject,
            )
        )
    found.append(total_observation(scored, effective, subject))
    return found


def total_observation(scored: Scored, effective: datetime, subject: dict | None = None) -> dict:
    """The total score as an Observation (LOINC where the code is known)."""
    instrument = scored.instrument
    total = _concept(instrument.total_loinc, instrument.total_display)
    return _observation(total, {"valueInteger": scored.score}, effective, subject)
