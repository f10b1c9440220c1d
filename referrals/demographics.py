"""Self-reported patient demographics: OMB SPD 15 (2024) categories, age bands, report keys."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

# The seven minimum race and ethnicity categories of OMB SPD 15 (2024, a combined question:
# Hispanic or Latino is one of them), in the standard's order; several may be chosen.
RACE_ETHNICITY = {
    "american_indian_or_alaska_native": "American Indian or Alaska Native",
    "asian": "Asian",
    "black_or_african_american": "Black or African American",
    "hispanic_or_latino": "Hispanic or Latino",
    "middle_eastern_or_north_african": "Middle Eastern or North African",
    "native_hawaiian_or_pacific_islander": "Native Hawaiian or Pacific Islander",
    "white": "White",
}
PREFER_NOT = "prefer_not_to_answer"
RACE_ETHNICITY_CODES = (*RACE_ETHNICITY, PREFER_NOT)
# Report key of a patient who chose two or more categories: counted once, so the groups
# partition the referrals and complementary suppression still covers every cell.
MULTIPLE = "multiple"
NOT_RECORDED = "unknown"
# Age bands (years, on the day the referral was first sent): children, adolescents, the
# SAMHSA/NSDUH young-adult band, adults, older working adults, and the Medicare age.
AGE_BANDS = ((0, "0-11"), (12, "12-17"), (18, "18-25"), (26, "26-44"), (45, "45-64"), (65, "65+"))


def race_ethnicity_problem(codes: Iterable[str]) -> str | None:
    """Why a chosen set of categories does not hold together, or None."""
    chosen = list(codes)
    if len(set(chosen)) != len(chosen):
        return "Choose each category once."
    if PREFER_NOT in chosen and len(chosen) > 1:
        return "“Prefer not to answer” stands alone."
    return None


def race_ethnicity_key(codes: Iterable[str]) -> str:
    """The report group: the one category, `multiple`, `prefer_not_to_answer` or `unknown`."""
    chosen = set(codes)
    if not chosen:
        return NOT_RECORDED
    if len(chosen) > 1:
        return MULTIPLE
    return chosen.pop()


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on `day` (a 29 February birthday turns on 1 March)."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def age_band(birth_date: date | None, day: date) -> str:
    """The band of the patient's age on `day`; `unknown` without a birth date."""
    if birth_date is None or birth_date > day:
        return NOT_RECORDED
    age = age_on(birth_date, day)
    return [label for low, label in AGE_BANDS if age >= low][-1]
