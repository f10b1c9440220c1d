"""The one change a PCP-search suggestion makes to the needs, and nothing else."""

from __future__ import annotations

from console.search import relaxed
from matching.relaxation import Relaxation

RAW = {"postal_code": "02139", "max_distance_miles": "10", "required": ["languages", "payment"]}


def test_a_wider_radius_changes_only_the_distance():
    wider = relaxed(RAW, Relaxation("max_distance_miles", 25.0, 4, "4 within 25 mi"))
    assert wider == {**RAW, "max_distance_miles": "25"}
    assert RAW["max_distance_miles"] == "10"


def test_a_modality_suggestion_searches_in_person_and_video():
    assert relaxed(RAW, Relaxation("modality", "telehealth", 2, "2 by telehealth"))["modality"] == (
        "either"
    )


def test_a_required_need_becomes_a_wish_and_the_others_stay_required():
    wish = relaxed(RAW, Relaxation("languages", "preferred", 3, "3 if language is preferred"))
    assert wish["required"] == ["payment"]
    last = relaxed({"required": ["payment"]}, Relaxation("payment", "preferred", 3, ""))
    assert last == {}


def test_not_accepting_clinicians_may_be_counted():
    counted = relaxed(RAW, Relaxation("accepting_new_patients", False, 5, ""))
    assert counted["accepting_new_patients"] is False
    assert "accepting_new_patients" not in RAW
