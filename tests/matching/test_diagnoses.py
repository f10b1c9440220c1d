"""ICD-10-CM codes to concerns, taxonomies, social needs and crisis."""

import pytest

from matching.diagnoses import DiagnosisError, diagnose, normalize


@pytest.mark.parametrize(
    ("raw", "code"),
    [("F32.9", "F32.9"), ("f329", "F32.9"), (" F43.10 ", "F43.10"), ("F99", "F99")],
)
def test_codes_are_normalized(raw, code):
    assert normalize(raw) == code


@pytest.mark.parametrize("raw", ["", "depression", "F3", "32.9", "F32.99999", "F32-9", "9F2"])
def test_malformed_codes_are_refused(raw):
    with pytest.raises(DiagnosisError):
        diagnose(raw)


@pytest.mark.parametrize(
    ("code", "concerns"),
    [
        ("F32.9", ("depression",)),
        ("F33.1", ("depression",)),
        ("F41.1", ("anxiety",)),
        ("F43.10", ("trauma",)),
        ("F51.01", ("insomnia",)),
        ("F11.20", ("opioid_use", "substance_use")),  # both list F11
        ("F43.21", ("grief", "stress")),  # both list F43.2
        ("Z63.4", ("grief",)),  # grief's Z63.4 is longer than relationship's Z63
        ("Z63.0", ("relationship",)),
        ("F84.0", ("autism",)),
        ("R45.851", ("suicidal_ideation",)),
    ],
)
def test_concerns_come_from_the_vocabulary_prefixes(code, concerns):
    assert diagnose(code).concerns == concerns


def test_taxonomies_are_those_of_the_concerns():
    assert diagnose("F90.0").taxonomies == ("103T", "2084P0800X", "2084P0804X", "363LP0808X")


@pytest.mark.parametrize(
    ("code", "concerns", "taxonomies"),
    [
        ("F34.0", ("depression",), None),  # cyclothymia: mood block
        ("F45.1", ("anxiety",), None),  # somatoform: anxiety block
        ("F68.10", ("personality",), None),
        ("F13.10", ("substance_use",), None),
        ("F81.0", (), ("103K00000X", "103T", "2084P0804X")),  # a reading disorder is not autism
        ("F05", (), ("103G00000X", "2084P0800X", "2084P0805X")),
        ("F99", (), ("101Y", "103T", "2084P0800X")),
    ],
)
def test_unlisted_f_codes_fall_back_to_their_block(code, concerns, taxonomies):
    found = diagnose(code)

    assert found.concerns == concerns
    if taxonomies is not None:
        assert found.taxonomies == taxonomies
    assert found.used


@pytest.mark.parametrize(
    ("code", "category", "text"),
    [
        ("Z59.82", "transportation", "Transportation insecurity"),
        ("Z59.00", "housing", "Homelessness"),
        ("Z59.41", "food", "Food insecurity"),
        ("Z56.0", "employment", "Employment problems"),
        ("Z60.2", "social", "Problems with the social environment"),
        ("Z65.8", "psychosocial", "Other psychosocial circumstances"),
    ],
)
def test_z55_to_z65_are_noted_as_social_needs(code, category, text):
    need = diagnose(code).social_need

    assert (need.code, need.category, need.text) == (code, category, text)


@pytest.mark.parametrize("code", ["R45.851", "T14.91XA"])
def test_suicidal_ideation_and_attempt_mean_crisis(code):
    found = diagnose(code)

    assert found.crisis
    assert found.concerns == ("suicidal_ideation",)


def test_self_harm_is_a_crisis_like_suicidal_ideation():
    found = diagnose("R45.88")

    assert found.crisis
    assert found.concerns == ("self_harm",)


@pytest.mark.parametrize("code", ["F32.9", "Z59.82"])
def test_other_codes_are_not_a_crisis(code):
    assert not diagnose(code).crisis


def test_codes_outside_behavioral_health_are_marked_unused():
    found = diagnose("E11.9")

    assert not found.used
    assert (found.concerns, found.taxonomies, found.social_need) == ((), (), None)
