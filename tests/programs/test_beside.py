"""Treatment programs beside clinicians: only when a concern is substance use, nearest first."""

from datetime import UTC, datetime

import pytest

from directory.geography import Point
from programs.beside import programs_beside
from tests.programs.seed import program, save

NOW = datetime(2026, 12, 2, 0, 30, tzinfo=UTC)
CAMBRIDGE = Point(42.362391, -71.102336)  # the 02139 ZCTA centroid


def _names(found) -> list[str]:
    return [f.service.name for f in found]


@pytest.fixture
def programs(app):
    save(
        program("otp", 2, needs=["substance_use_treatment"]),
        program("iop", 1, needs=["substance_use_treatment"]),
        program("far residential", 30, needs=["substance_use_treatment"]),
        program("pantry", 0.5, needs=["food"]),
        program("more", 3, needs=["substance_use_treatment"]),
        program("most", 4, needs=["substance_use_treatment"]),
    )


@pytest.mark.parametrize("concern", ["substance_use", "alcohol_use", "opioid_use"])
def test_a_substance_use_concern_brings_the_three_nearest_treatment_programs(programs, concern):
    found = programs_beside(["depression", concern], CAMBRIDGE, 25, NOW)

    assert _names(found) == ["iop", "otp", "more"]


@pytest.mark.parametrize("concerns", [[], ["depression"], ["tobacco_use"], ["gambling"]])
def test_other_concerns_bring_none(programs, concerns):
    assert programs_beside(concerns, CAMBRIDGE, 25, NOW) == []


def test_the_search_radius_holds_for_programs_too(programs):
    found = programs_beside(["opioid_use"], CAMBRIDGE, 1.5, NOW)

    assert _names(found) == ["iop"]
