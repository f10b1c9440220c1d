"""Screening results and instrument definitions as the API shows them."""

from __future__ import annotations

from referrals.use_cases import Recorded
from screening.definitions import Instrument
from screening.fhir import observations, questionnaire_response
from screening.guidance import guidance_for


def instrument_json(instrument: Instrument) -> dict:
    """One instrument: its items with the integer each answer is sent as, rules and source."""
    return {
        "id": instrument.key,
        "title": instrument.title,
        "loinc": instrument.panel_loinc,
        "total_loinc": instrument.total_loinc,
        "items": [
            {
                "link_id": item.link_id,
                "loinc": item.loinc,
                "text": item.text,
                "answers": [
                    {"value": o.value, "code": o.code, "display": o.display} for o in item.options
                ],
            }
            for item in instrument.items
        ],
        "bands": [{"min": b.low, "max": b.high, "name": b.name} for b in instrument.bands],
        "positive": instrument.positive,
        "source": instrument.source,
        "questionnaire": instrument.questionnaire,
    }


def screening_json(recorded: Recorded) -> dict:
    """The scored result with its FHIR QuestionnaireResponse and Observations."""
    result, scored = recorded.result, recorded.scored
    return {
        "id": result.id,
        "referral_id": result.referral_id,
        "instrument": scored.instrument.key,
        "score": scored.score,
        "severity": scored.severity,
        "positive": scored.positive,
        "crisis": scored.crisis,
        "needs": list(scored.needs),
        "flags": list(scored.flags),
        # What the clinician is told first (crisis before safety), in clinician voice.
        "guidance": guidance_for(scored.flags),
        "observations": observations(scored, result.created_at),
        "questionnaire_response": questionnaire_response(scored, result.created_at),
    }
