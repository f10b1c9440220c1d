"""referrals.consent as pure rules: the §2.31 elements, standing, and exact recipient names."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from referrals.consent import (
    PART2_ELEMENTS,
    PersonName,
    ReceivingParty,
    _clinician_forms,
    _organization_form,
    _person_forms,
    _tokens,
    _without_titles,
    consent_status,
    missing_elements,
    names_recipient,
    part2_problems,
    standing_problems,
)

TODAY = date(2026, 12, 4)
JANE_NPI, PRACTICE_NPI, OTHER_NPI = "1000000004", "1000000012", "1000000020"


@dataclass
class Form:
    """A complete Part 2 consent, as the model holds it."""

    disclosing_party: str | None = "Riverside Primary Care"
    information: str | None = "SUD diagnosis and medications"
    recipients: list = field(default_factory=lambda: [{"name": "Jane Smith", "npi": None}])
    purpose: str | None = "Treatment"
    revocation_statement: object = True
    expires_on: date | None = date(2027, 12, 4)
    expiry_event: str | None = None
    signed_by: str | None = "Maria Lopez"
    signed_on: date | None = date(2026, 11, 24)
    revoked_at: datetime | None = None


PARTY = ReceivingParty(
    npis=frozenset({JANE_NPI, PRACTICE_NPI}),
    person_names=(PersonName("Jane", "Smith", "Ann", "Jr"),),
    organization_names=frozenset({"Harbor Counseling, LLC"}),
)


# --- §2.31 elements -------------------------------------------------------------------------


def test_a_complete_consent_misses_nothing():
    assert missing_elements(Form(), "Maria Lopez") == {}
    assert part2_problems(Form(), "Maria Lopez", PARTY, TODAY) == {}


@pytest.mark.parametrize(
    ("changes", "element"),
    [
        ({"disclosing_party": None}, "disclosing_party"),
        ({"disclosing_party": "   "}, "disclosing_party"),
        ({"information": ""}, "information"),
        ({"information": " \n"}, "information"),
        ({"recipients": []}, "recipients"),
        ({"recipients": None}, "recipients"),
        ({"recipients": [{"name": None, "npi": None}]}, "recipients"),
        ({"purpose": None}, "purpose"),
        ({"purpose": "  "}, "purpose"),
        ({"revocation_statement": False}, "revocation_statement"),
        ({"revocation_statement": "yes"}, "revocation_statement"),  # only a real True counts
        ({"revocation_statement": 1}, "revocation_statement"),
        ({"expires_on": None}, "expires_on"),
        ({"expires_on": None, "expiry_event": "  "}, "expires_on"),
        ({"signed_by": None}, "signed_by"),
        ({"signed_by": " "}, "signed_by"),
        ({"signed_on": None}, "signed_on"),
    ],
)
def test_each_missing_element_is_named_with_its_paragraph(changes, element):
    consent = Form(**changes)
    assert missing_elements(consent, "Maria Lopez") == {element: PART2_ELEMENTS[element]}
    problems = part2_problems(consent, "Maria Lopez", PARTY, TODAY)
    assert problems == {element: f"missing {PART2_ELEMENTS[element]}"}


@pytest.mark.parametrize("name", [None, "", "   "])
def test_the_patient_name_is_an_element(name):
    assert missing_elements(Form(), name) == {"patient_name": PART2_ELEMENTS["patient_name"]}


def test_an_expiry_event_stands_in_for_a_date():
    assert missing_elements(Form(expires_on=None, expiry_event="end of treatment"), "M") == {}


def test_a_recipient_with_only_an_npi_is_a_recipient():
    consent = Form(recipients=[{"name": None, "npi": JANE_NPI}])
    assert missing_elements(consent, "M") == {}
    assert part2_problems(consent, "M", PARTY, TODAY) == {}


def test_the_paragraph_texts():
    assert PART2_ELEMENTS["recipients"] == "§2.31(a)(4) the name of each recipient"
    assert PART2_ELEMENTS["expires_on"] == "§2.31(a)(7) an expiration date, event or condition"
    assert len(PART2_ELEMENTS) == 9


# --- whether the consent stands today ---------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, {}),
        ({"expires_on": TODAY}, {}),  # expiring today is still valid
        ({"expires_on": date(2026, 12, 3)}, {"expires_on": "the consent expired on 2026-12-03"}),
        ({"signed_on": TODAY}, {}),  # signed today
        ({"signed_on": date(2026, 12, 5)}, {"signed_on": "the consent is dated after today"}),
        ({"expires_on": None, "expiry_event": "end of care"}, {}),
        ({"signed_on": None}, {}),  # a missing date is an element problem, not a standing one
        (
            {"revoked_at": datetime(2026, 12, 1, tzinfo=UTC)},
            {"revoked": "the consent has been revoked"},
        ),
    ],
)
def test_standing_problems_at_the_boundaries(changes, problems):
    assert standing_problems(Form(**changes), TODAY) == problems


def test_every_problem_is_reported_together():
    consent = Form(
        purpose=None,
        recipients=[{"name": "Omar Diaz", "npi": None}],
        expires_on=date(2026, 1, 1),
        revoked_at=datetime(2026, 6, 1, tzinfo=UTC),
    )
    assert part2_problems(consent, "M", PARTY, TODAY) == {
        "purpose": f"missing {PART2_ELEMENTS['purpose']}",
        "recipients": "the consent's recipients do not name the receiving clinician or practice",
        "expires_on": "the consent expired on 2026-01-01",
        "revoked": "the consent has been revoked",
    }


def test_no_consent_at_all():
    assert part2_problems(None, "M", PARTY, TODAY) == {
        "consent": "a substance use disorder referral needs a 42 CFR part 2 consent"
    }


def test_missing_recipients_are_not_also_reported_as_not_naming():
    problems = part2_problems(Form(recipients=[]), "M", PARTY, TODAY)
    assert problems == {"recipients": f"missing {PART2_ELEMENTS['recipients']}"}


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({}, "active"),
        ({"expires_on": TODAY}, "active"),
        ({"expires_on": date(2026, 12, 3)}, "expired"),
        ({"expires_on": None}, "active"),
        ({"revoked_at": datetime(2026, 12, 1, tzinfo=UTC)}, "revoked"),
        (
            {"revoked_at": datetime(2026, 12, 1, tzinfo=UTC), "expires_on": date(2026, 1, 1)},
            "revoked",
        ),
    ],
)
def test_consent_status(changes, status):
    assert consent_status(Form(**changes), TODAY) == status


# --- recipients by NPI or exact name ----------------------------------------------------------


@pytest.mark.parametrize(
    ("recipient", "named"),
    [
        ({"npi": JANE_NPI}, True),
        ({"npi": PRACTICE_NPI}, True),
        ({"npi": OTHER_NPI}, False),
        ({"name": "Jane Smith", "npi": OTHER_NPI}, False),  # the NPI decides
        ({"name": "Someone Else", "npi": JANE_NPI}, True),
        ({"name": "Jane Smith"}, True),
        ({"name": "jane smith"}, True),
        ({"name": "Smith, Jane"}, True),
        ({"name": "Smith, Jane, LICSW"}, True),
        ({"name": "Smith, Jane Ann"}, True),
        ({"name": "Smith PhD, Jane"}, True),
        ({"name": "Jane Smith, LICSW"}, True),
        ({"name": "Jane Smith LICSW PhD"}, True),
        ({"name": "Dr. Jane Smith"}, True),
        ({"name": "Doctor Jane A. Smith"}, True),
        ({"name": "Jane Ann Smith"}, True),
        ({"name": "Jane Ann Smith Jr."}, True),
        ({"name": "Jane Smith Jr"}, True),
        ({"name": "Jáne Smith"}, True),
        ({"name": "Jane B. Smith"}, False),
        ({"name": "Mary Jane Smith"}, False),
        ({"name": "Jane Smith Brown"}, False),
        ({"name": "Smith Jane"}, False),
        ({"name": "Jane"}, False),
        ({"name": "Smith"}, False),
        ({"name": "Smith, Jane, Boston"}, False),
        ({"name": "Dr."}, False),
        ({"name": ""}, False),
        ({"name": None}, False),
        ({}, False),
        ({"name": "Harbor Counseling"}, True),
        ({"name": "HARBOR COUNSELING LLC"}, True),
        ({"name": "Harbor Counseling, L.L.C."}, True),
        ({"name": "Harbor"}, False),
        ({"name": "Harbor Counseling Group"}, False),
    ],
)
def test_recipient_names_match_exactly(recipient, named):
    assert names_recipient([recipient], PARTY) is named


def test_any_one_recipient_suffices_and_none_do_not():
    assert names_recipient([{"name": "Omar Diaz"}, {"name": "Jane Smith"}], PARTY)
    assert not names_recipient([], PARTY)
    assert not names_recipient(None, PARTY)


def test_the_issue_example():
    nicole = ReceivingParty(npis=frozenset(), person_names=(("Nicole", "Thompson"),))
    assert not names_recipient([{"name": "Mary Nicole Thompson"}], nicole)
    assert names_recipient([{"name": "Nicole Thompson, LICSW"}], nicole)
    assert names_recipient([{"name": "Thompson, Nicole"}], nicole)


def test_a_surname_that_is_also_a_credential():
    anh = ReceivingParty(npis=frozenset(), person_names=(("Anh", "Do"),))
    for name in ("Anh Do", "Do, Anh", "Dr. Anh Do, MD", "Anh Do DO"):
        assert names_recipient([{"name": name}], anh), name
    assert not names_recipient([{"name": "Anh"}], anh)


def test_and_or_ampersand_in_a_practice_name():
    party = ReceivingParty(npis=frozenset(), organization_names=frozenset({"Smith & Jones"}))
    assert names_recipient([{"name": "Smith and Jones"}], party)
    assert not names_recipient([{"name": "Smith Jones"}], party)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Dr. Jane O'Neil-Smith, Ph.D.", ["dr", "jane", "o", "neil", "smith", "phd"]),
        ("Núñez & Co", ["nunez", "and", "co"]),
        (None, []),
    ],
)
def test_tokens(text, tokens):
    assert _tokens(text) == tokens


def test_titles_go_only_from_the_front():
    assert _without_titles(["dr", "prof", "jane", "dr", "smith"]) == ["jane", "dr", "smith"]
    assert _without_titles(["dr", "ms"]) == []
    assert _person_forms("Dr. Prof. Jane Smith") == {"jane smith"}


def test_credentials_go_only_from_the_end_of_each_part():
    assert _person_forms("Jane MD Smith") == {"jane md smith"}
    assert _person_forms("Smith, Jane, LICSW, PhD") == {"jane smith"}
    assert _person_forms("Smith, Jane, MD Boston") == {"smith jane md boston"}


def test_person_forms():
    assert _person_forms("Smith, Dr. Jane, LICSW") == {"jane smith"}
    assert _person_forms("Anh Do") == {"anh", "anh do"}
    assert _person_forms("Do, Anh") == {"anh do"}
    assert _person_forms(", LICSW") == set()


def test_clinician_forms():
    assert _clinician_forms(PersonName("Jane", "Smith", "Ann", "Jr")) == {
        "jane smith",
        "jane ann smith",
        "jane a smith",
        "jane smith jr",
        "jane ann smith jr",
        "jane a smith jr",
    }
    assert _clinician_forms(("Jane", "Smith")) == {"jane smith"}
    assert _clinician_forms(("Jane", None)) == set()


def test_organization_form():
    assert _organization_form("Harbor Counseling, P.L.L.C.") == "harbor counseling"
    assert _organization_form("Harbor Counseling Inc LLC") == "harbor counseling"
    assert _organization_form("LLC Harbor Counseling") == "llc harbor counseling"
    assert _organization_form("Inc") == ""
    assert _organization_form(None) == ""
