"""Weighted tables for the synthetic directory: who the clinicians are.

Shares are rounded from public figures: the NPPES individual behavioral-health taxonomy mix,
the ACS "language spoken at home" shares, and the ~70% female behavioral-health workforce.
"""

from dataclasses import dataclass

# (NUCC code, share of clinicians, family) -- families pick credentials and clinical focus.
TAXONOMY_MIX = (
    ("1041C0700X", 0.250, "social_work"),  # clinical social worker
    ("101YM0800X", 0.120, "counseling"),  # mental health counselor
    ("101YP2500X", 0.060, "counseling"),  # professional counselor
    ("101Y00000X", 0.020, "counseling"),  # counselor
    ("103TC0700X", 0.100, "psychology"),  # clinical psychologist
    ("103T00000X", 0.050, "psychology"),
    ("103TC2200X", 0.020, "child_psychology"),
    ("103TC1900X", 0.015, "psychology"),  # counseling psychologist
    ("103G00000X", 0.010, "psychology"),  # clinical neuropsychologist
    ("103TH0100X", 0.005, "psychology"),  # health service psychologist
    ("106H00000X", 0.080, "mft"),
    ("2084P0800X", 0.060, "psychiatry"),
    ("2084P0804X", 0.012, "child_psychiatry"),
    ("2084P0802X", 0.004, "addiction_medicine"),
    ("2084P0805X", 0.002, "psychiatry"),  # geriatric psychiatry
    ("2084A0401X", 0.002, "addiction_medicine"),
    ("363LP0808X", 0.060, "pmhnp"),
    ("101YA0400X", 0.050, "addiction_counseling"),
    ("103K00000X", 0.030, "behavior_analysis"),
    ("104100000X", 0.015, "social_work_general"),
    ("364SP0808X", 0.010, "nurse_specialist"),
    ("207QA0401X", 0.010, "addiction_medicine"),
    ("102L00000X", 0.005, "psychology"),  # psychoanalyst
    ("2080P0006X", 0.005, "child_psychiatry"),  # developmental-behavioral pediatrics
    ("2084S0012X", 0.003, "psychiatry"),  # sleep medicine
)
PRESCRIBERS = {"psychiatry", "child_psychiatry", "addiction_medicine", "pmhnp", "nurse_specialist"}

# States whose licensing boards title the independent clinical social worker LICSW.
LICSW_STATES = {"MA", "WA", "VT", "MN", "RI", "DC", "NH", "ME"}
LMHC_STATES = {"MA", "NY", "FL", "WA", "RI", "NH", "IN", "IA", "HI"}
LPCC_STATES = {"CA", "OH", "MN", "NM", "KY", "SD", "MT"}
LADC_STATES = {"MA", "MN", "RI", "CT", "ND", "NH", "ME", "VT"}


def _state_title(state: str, titles: tuple[tuple[set[str], str], ...], default: str) -> str:
    return next((title for states, title in titles if state in states), default)


# Family -> (credentials, license type) when the state does not change the title.
_FIXED_CREDENTIALS = {
    "mft": (["LMFT"], "LMFT"),
    "nurse_specialist": (["APRN"], "APRN"),
    "behavior_analysis": (["BCBA"], "BCBA"),
}
# Family -> (first choice, its chance, second choice), each (credentials, license type).
_EITHER_CREDENTIALS = {
    "social_work_general": ((["LMSW"], "LMSW"), 0.7, (["MSW"], "LSW")),
    "psychology": ((["PhD"], "PSY"), 0.55, (["PsyD"], "PSY")),
    "child_psychology": ((["PhD"], "PSY"), 0.55, (["PsyD"], "PSY")),
    "psychiatry": ((["MD"], "MD"), 0.85, (["DO"], "DO")),
    "child_psychiatry": ((["MD"], "MD"), 0.85, (["DO"], "DO")),
    "addiction_medicine": ((["MD"], "MD"), 0.85, (["DO"], "DO")),
    "pmhnp": ((["PMHNP", "APRN"], "APRN"), 0.7, (["PMHNP", "NP"], "APRN")),
}


def credentials_for(family: str, state: str, draw: float) -> tuple[list[str], str]:
    """(credentials, license type) consistent with a taxonomy family in `state`; draw in [0,1)."""
    if family == "social_work":
        title = _state_title(state, ((LICSW_STATES, "LICSW"),), "LCSW")
    elif family == "counseling":
        title = _state_title(state, ((LMHC_STATES, "LMHC"), (LPCC_STATES, "LPCC")), "LPC")
    elif family == "addiction_counseling":
        title = _state_title(state, ((LADC_STATES, "LADC"),), "CADC")
    elif family in _FIXED_CREDENTIALS:
        credentials, license_type = _FIXED_CREDENTIALS[family]
        return list(credentials), license_type
    else:
        first, chance, second = _EITHER_CREDENTIALS[family]
        credentials, license_type = first if draw < chance else second
        return list(credentials), license_type
    return [title], title


# ACS 2019-2022 share of US residents (5+) speaking each language at home, rounded.
LANGUAGE_SHARES = (
    ("es", 0.130),
    ("zh", 0.011),
    ("tl", 0.005),
    ("vi", 0.005),
    ("ar", 0.004),
    ("fr", 0.004),
    ("ko", 0.003),
    ("ru", 0.003),
    ("ht", 0.003),
    ("pt", 0.003),
    ("de", 0.003),
    ("hi", 0.002),
    ("pl", 0.002),
    ("it", 0.002),
    ("ur", 0.0015),
    ("fa", 0.0015),
    ("ja", 0.0015),
    ("gu", 0.0012),
    ("bn", 0.0012),
    ("te", 0.0012),
    ("he", 0.0008),
    ("km", 0.0006),
    ("so", 0.0005),
    ("am", 0.0005),
    ("yi", 0.0005),
)
OTHER_PROFICIENCIES = (("native", 0.5), ("full_professional", 0.3), ("professional_working", 0.2))

GENDER_MIX = (("female", 0.70), ("male", 0.28), ("nonbinary", 0.02))
PRONOUNS = {"female": "she/her", "male": "he/him", "nonbinary": "they/them"}


@dataclass(frozen=True)
class Focus:
    """What a family of clinicians typically offers."""

    approaches: tuple[str, ...]
    age_groups: tuple[tuple[str, float], ...]  # (code, chance)


_ADULTS = (("young_adults", 0.8), ("adults", 0.95), ("older_adults", 0.45), ("adolescents", 0.3))
_CHILDREN = (("children", 0.9), ("adolescents", 0.9), ("young_adults", 0.3))
_THERAPY = ("cbt", "dbt", "emdr", "act", "tf_cbt", "cpt", "ipt", "psychodynamic", "mindfulness")
_THERAPY_MORE = ("solution_focused", "motivational_interviewing", "family_therapy", "group_therapy")
FOCUS = {
    "social_work": Focus((*_THERAPY, *_THERAPY_MORE, "couples_therapy"), _ADULTS),
    "social_work_general": Focus(("solution_focused", "motivational_interviewing"), _ADULTS),
    "counseling": Focus((*_THERAPY, *_THERAPY_MORE), _ADULTS),
    "psychology": Focus((*_THERAPY, "erp", "prolonged_exposure", "cbt_i"), _ADULTS),
    "child_psychology": Focus(
        ("cbt", "tf_cbt", "play_therapy", "family_therapy", "erp"), _CHILDREN
    ),
    "mft": Focus(("family_therapy", "couples_therapy", "solution_focused", "cbt"), _ADULTS),
    "psychiatry": Focus(("medication_management", "collaborative_care", "psychodynamic"), _ADULTS),
    "child_psychiatry": Focus(("medication_management", "family_therapy"), _CHILDREN),
    "addiction_medicine": Focus(("moud", "maud", "medication_management"), _ADULTS),
    "pmhnp": Focus(("medication_management", "collaborative_care", "moud"), _ADULTS),
    "nurse_specialist": Focus(("medication_management", "collaborative_care"), _ADULTS),
    "addiction_counseling": Focus(
        ("motivational_interviewing", "group_therapy", "peer_support", "cbt"), _ADULTS
    ),
    "behavior_analysis": Focus(("aba", "family_therapy"), _CHILDREN),
}

# (competency code, chance a clinician lists it).
COMPETENCY_CHANCES = (
    ("trauma_informed", 0.45),
    ("lgbtq_affirming", 0.35),
    ("transgender_care", 0.08),
    ("faith_christian", 0.06),
    ("faith_jewish", 0.02),
    ("faith_muslim", 0.01),
    ("faith_any", 0.05),
    ("black_african_american", 0.10),
    ("latino_hispanic", 0.10),
    ("asian_american", 0.05),
    ("native_american", 0.01),
    ("immigrant_refugee", 0.07),
    ("veterans", 0.08),
    ("deaf_hoh", 0.01),
    ("disability_affirming", 0.06),
    ("interpreter_services", 0.05),
    ("perinatal_certified", 0.03),
    ("harm_reduction", 0.10),
)
PROVENANCE_MIX = (("self_reported", 0.6), ("trained", 0.3), ("lived_experience", 0.1))
