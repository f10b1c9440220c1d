"""Scoring per instrument, at every published band edge, with the cut-offs as literals."""

import pytest

from screening.definitions import instruments
from screening.scorer import AnswerError, score


def summing_to(total: int, count: int, most: int) -> list[int]:
    """`count` answers of at most `most` each adding up to `total`, front-loaded."""
    answers = []
    for _ in range(count):
        answers.append(min(most, total))
        total -= answers[-1]
    assert total == 0
    return answers


def scored(key: str, answers: list[int], sex: str | None = None):
    return score(instruments()[key], answers, sex)


@pytest.mark.parametrize(
    ("total", "severity", "positive"),
    [
        (0, "none-minimal", False),
        (4, "none-minimal", False),
        (5, "mild", False),
        (9, "mild", False),
        (10, "moderate", True),
        (14, "moderate", True),
        (15, "moderately severe", True),
        (19, "moderately severe", True),
        (20, "severe", True),
        (27, "severe", True),
    ],
)
def test_phq9_bands_and_positive_at_10(total, severity, positive):
    result = scored("phq9", summing_to(total, 9, 3))

    assert (result.score, result.severity, result.positive) == (total, severity, positive)


def test_phq9_item_9_above_0_is_a_crisis_whatever_the_total():
    lone = scored("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    highest_without = scored("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0])

    assert (lone.score, lone.severity, lone.crisis, lone.flags) == (
        1,
        "none-minimal",
        True,
        ("crisis",),
    )
    assert (highest_without.score, highest_without.crisis) == (24, False)


@pytest.mark.parametrize(
    ("total", "severity", "positive"),
    [
        (0, "minimal", False),
        (4, "minimal", False),
        (5, "mild", False),
        (9, "mild", False),
        (10, "moderate", True),
        (14, "moderate", True),
        (15, "severe", True),
        (21, "severe", True),
    ],
)
def test_gad7_bands_and_positive_at_10(total, severity, positive):
    result = scored("gad7", summing_to(total, 7, 3))

    assert (result.score, result.severity, result.positive, result.crisis) == (
        total,
        severity,
        positive,
        False,
    )


@pytest.mark.parametrize("key", ["phq2", "gad2"])
@pytest.mark.parametrize(
    ("answers", "total", "positive"),
    [([0, 0], 0, False), ([2, 0], 2, False), ([2, 1], 3, True), ([3, 3], 6, True)],
)
def test_two_item_screens_are_positive_at_3(key, answers, total, positive):
    result = scored(key, answers)

    assert (result.score, result.severity, result.positive) == (total, None, positive)


@pytest.mark.parametrize(
    ("answers", "sex", "positive"),
    [
        ([1, 1, 1], "male", False),
        ([2, 1, 1], "male", True),
        ([1, 1, 0], "female", False),
        ([1, 1, 1], "female", True),
        ([4, 4, 4], "female", True),
        ([0, 0, 0], "male", False),
        ([1, 1, 0], None, False),
        ([1, 1, 1], None, None),
        ([2, 1, 1], None, True),
    ],
)
def test_auditc_cut_offs_are_4_for_men_3_for_women_unknown_between_without_sex(
    answers, sex, positive
):
    result = scored("auditc", answers, sex)

    assert (result.score, result.positive, result.severity) == (sum(answers), positive, None)


@pytest.mark.parametrize(
    ("total", "severity", "positive"),
    [
        (0, "none-minimal", False),
        (4, "none-minimal", False),
        (5, "mild", False),
        (9, "mild", False),
        (10, "moderate", True),
        (14, "moderate", True),
        (15, "moderately severe", True),
        (19, "moderately severe", True),
        (20, "severe", True),
        (24, "severe", True),
    ],
)
def test_phqa_scores_its_nine_items_as_the_phq9(total, severity, positive):
    result = scored("phqa", summing_to(total, 9, 3) + [0, 0])

    assert (result.score, result.severity, result.positive, result.crisis) == (
        total,
        severity,
        positive,
        False,
    )


@pytest.mark.parametrize(
    "answers",
    [
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    ],
)
def test_phqa_item_9_or_either_suicide_question_is_a_crisis(answers):
    result = scored("phqa", answers)

    assert result.crisis is True
    assert result.score == answers[8]  # the suicide questions add nothing to the score


@pytest.mark.parametrize(
    ("total", "severity", "positive"),
    [
        (0, "no clinically significant insomnia", False),
        (7, "no clinically significant insomnia", False),
        (8, "subthreshold insomnia", False),
        (14, "subthreshold insomnia", False),
        (15, "clinical insomnia (moderate severity)", True),
        (21, "clinical insomnia (moderate severity)", True),
        (22, "clinical insomnia (severe)", True),
        (28, "clinical insomnia (severe)", True),
    ],
)
def test_isi_bands(total, severity, positive):
    result = scored("isi", summing_to(total, 7, 4))

    assert (result.score, result.severity, result.positive) == (total, severity, positive)


# AHC HRSN core: living situation, housing problems, food x2, transportation, utilities,
# then the four interpersonal-safety questions scored 1 (never) to 5 (frequently).
NO_NEEDS = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]


def ahc(**changes: int) -> list[int]:
    answers = list(NO_NEEDS)
    for position, value in changes.items():
        answers[int(position.removeprefix("q")) - 1] = value
    return answers


def test_ahc_without_needs():
    result = scored("ahc_hrsn", NO_NEEDS)

    assert (result.score, result.needs, result.positive, result.flags) == (4, (), False, ())


@pytest.mark.parametrize(
    ("answers", "needs"),
    [
        (ahc(q1=1), ("housing",)),
        (ahc(q1=2), ("housing",)),
        (ahc(q2=1), ("housing",)),
        (ahc(q2=7), ("housing",)),
        (ahc(q3=1), ("food",)),
        (ahc(q4=2), ("food",)),
        (ahc(q5=1), ("transportation",)),
        (ahc(q6=1), ("utilities",)),
        (ahc(q6=2), ("utilities",)),
    ],
)
def test_ahc_underlined_answers_are_needs(answers, needs):
    result = scored("ahc_hrsn", answers)

    assert (result.needs, result.positive, result.crisis) == (needs, True, False)


def test_ahc_safety_is_positive_above_10_and_comes_first():
    ten = scored("ahc_hrsn", ahc(q7=4, q8=3, q9=2, q10=1))
    eleven = scored("ahc_hrsn", ahc(q1=2, q3=2, q5=1, q6=2, q7=5, q8=3, q9=2, q10=1))

    assert (ten.score, ten.needs, ten.flags) == (10, (), ())
    assert eleven.score == 11
    assert eleven.needs == ("safety", "housing", "food", "transportation", "utilities")
    assert eleven.flags == ("safety_first",)


def test_a_missing_answer_names_the_item():
    with pytest.raises(AnswerError) as raised:
        scored("phq9", [0, 0, 0, 0, 0, 0, 0, 0])

    assert raised.value.message == "item 9 (/44260-8) is missing"
    assert raised.value.errors == {
        "answers": ["item 9 (/44260-8) is missing (phq9 has 9 items; 8 answers given)"]
    }


def test_an_extra_answer_is_refused():
    with pytest.raises(AnswerError) as raised:
        scored("gad2", [0, 0, 0])

    assert raised.value.errors == {"answers": ["gad2 has 2 items; 3 answers given"]}


def test_out_of_range_answers_are_named_by_position_and_link_id():
    with pytest.raises(AnswerError) as raised:
        scored("ahc_hrsn", [3, 0, 0, 0, 0, 0, 0, 1, 1, 6])

    assert raised.value.errors == {
        "answers": {
            0: ["item 1 (/71802-3): 3 is not one of 0, 1, 2"],
            6: ["item 7 (/95618-5): 0 is not one of 1, 2, 3, 4, 5"],
            9: ["item 10 (/95615-1): 6 is not one of 1, 2, 3, 4, 5"],
        }
    }
    assert raised.value.message == "item 1 (/71802-3): 3 is not one of 0, 1, 2"


def test_a_negative_answer_is_out_of_range():
    with pytest.raises(AnswerError) as raised:
        scored("phq2", [-1, 0])

    assert raised.value.errors == {
        "answers": {0: ["item 1 (/44250-9): -1 is not one of 0, 1, 2, 3"]}
    }
