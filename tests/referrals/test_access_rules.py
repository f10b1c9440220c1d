"""Who stands how to a referral, who the consent must name, and what each reader is shown.

Pure cases use plain objects for the actor and the referral; the SQL filter is checked against
the same rules on a database.
"""

from collections import namedtuple
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from referrals.access import can_create, can_manage, can_view, is_plan_member, relations
from referrals.disclosure import (
    REVOKED,
    WITHHELD_FIELDS,
    Disclosure,
    consent_problems,
    disclosure_for,
    receiving_party,
)
from tests.referrals.access_cases import TODAY, _actor, _consent, _referral

# --- relations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "referral", "found"),
    [
        (_actor(), _referral(), {"referrer"}),
        (_actor(role="plan_staff"), _referral(), {"referrer"}),
        (_actor(role="partner"), _referral(), {"referrer"}),
        (
            _actor(role="clinician"),
            _referral(),
            set(),
        ),  # a practice's clinician never refers
        (_actor(org=2), _referral(), set()),
        (_actor(org=None), _referral(referring_organization_id=None), set()),
        (_actor(role="admin", org=9), _referral(), {"admin"}),
        (_actor(role="admin"), _referral(), {"admin", "referrer"}),
        (_actor("clinician", 5, npis=["1000000004"]), _referral(), {"receiver"}),
        (_actor("clinician", 5, npis=["1000000004"]), _referral(sent_at=None), set()),
        (_actor("clinician", 5, npis=["1000000012"]), _referral(), set()),
        (_actor("plan_staff", 7, plans=["AcmeGold"]), _referral(), {"plan"}),
        (_actor("plan_staff", 7, plans=["AcmeGold"]), _referral(sent_at=None), {"plan"}),
        (
            _actor("plan_staff", 7, plans=["AcmeGold"]),
            _referral(patient_member_id=None),
            set(),
        ),
        (
            _actor("plan_staff", 7, plans=["AcmeGold"]),
            _referral(patient_member_id=" "),
            set(),
        ),
        (_actor("plan_staff", 7, plans=["BeaconPPO"]), _referral(), set()),
        (_actor("plan_staff", 7, plans=["AcmeGold"]), _referral(plan_id=None), set()),
        (
            _actor("partner", 1, npis=["1000000004"], plans=["AcmeGold"]),
            _referral(),
            {"referrer", "receiver", "plan"},
        ),
    ],
)
def test_relations(actor, referral, found):
    assert relations(actor, referral) == found
    assert can_view(actor, referral) is bool(found)
    assert can_manage(actor, referral) is bool({"referrer", "admin"} & found)


def test_nobody_stands_to_a_referral():
    assert relations(None, _referral()) == frozenset()


@pytest.mark.parametrize(
    ("plan", "member", "member_of_plan"),
    [
        ("AcmeGold", "A1", True),
        ("AcmeGold", None, False),
        ("AcmeGold", "", False),
        (None, "A1", False),
    ],
)
def test_is_plan_member(plan, member, member_of_plan):
    assert is_plan_member(_referral(plan_id=plan, patient_member_id=member)) is member_of_plan


@pytest.mark.parametrize(
    ("actor", "may"),
    [
        (_actor(), True),
        (_actor(role="plan_staff"), True),
        (_actor(role="partner"), True),
        (_actor(role="admin"), True),
        (_actor(role="clinician"), False),
        (_actor(org=None), False),
        (None, False),
    ],
)
def test_can_create(actor, may):
    assert can_create(actor) is may


# --- who the consent must name ------------------------------------------------------------


Practice = namedtuple("Practice", "name npi")  # hashable, as the ORM's organizations are


def _practice(name, npi=None):
    return Practice(name, npi)


def _clinician_at(*links, **names):
    fields = {
        "npi": "1000000004",
        "first_name": "Jane",
        "last_name": "Smith",
        "middle_name": None,
        "name_suffix": None,
    }
    fields.update(names)
    locations = [SimpleNamespace(location_id=i, organization=o) for i, o in links]
    return SimpleNamespace(locations=locations, **fields)


def test_receiving_party_is_the_clinician_and_the_practice_at_the_referrals_location():
    harbor, summit = _practice("Harbor Counseling", "1000000012"), _practice("Summit BH")
    clinician = _clinician_at((1, harbor), (2, summit), (3, None))
    party = receiving_party(_referral(clinician=clinician, location_id=1))
    assert party.npis == {"1000000004", "1000000012"}
    assert party.organization_names == {"Harbor Counseling"}
    assert receiving_party(_referral(clinician=clinician, location_id=2)).organization_names == {
        "Summit BH"
    }
    anywhere = receiving_party(_referral(clinician=clinician, location_id=None))
    assert anywhere.organization_names == {"Harbor Counseling", "Summit BH"}


def test_the_referrals_own_location_names_its_practice():
    clinician = _clinician_at()
    place = SimpleNamespace(organization=_practice("Harbor Counseling"))
    party = receiving_party(_referral(clinician=clinician, location_id=4, location=place))
    assert party.organization_names == {"Harbor Counseling"}
    bare = SimpleNamespace(organization=None)
    assert receiving_party(_referral(clinician=clinician, location=bare)).organization_names == (
        frozenset()
    )


def test_receiving_party_carries_the_middle_name_and_suffix():
    clinician = _clinician_at(middle_name="Ann", name_suffix="Jr")
    party = receiving_party(_referral(clinician=clinician))
    assert tuple(party.person_names[0]) == ("Jane", "Smith", "Ann", "Jr")


# --- what each reader is shown ------------------------------------------------------------


REVOKED_AT = datetime(2026, 12, 2, tzinfo=UTC)
NO_CONSENT = "a substance use disorder referral needs a 42 CFR part 2 consent"
NOT_NAMED = "the consent's recipients do not name the receiving clinician or practice"


@pytest.mark.parametrize("relation", ["referrer", "admin"])
@pytest.mark.parametrize("part2", [True, False])
def test_the_referring_side_always_sees_its_record(relation, part2):
    referral = _referral(part2=part2, consent=_consent(revoked_at=REVOKED_AT))
    shown = disclosure_for(_actor(), frozenset({relation}), referral, TODAY)
    assert shown == Disclosure(allowed=True, problems={}, part2=part2)
    assert shown.withheld == ()


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, {}),
        ({"part2": True, "consent": _consent()}, {}),
        ({"part2": True}, {"consent": NO_CONSENT}),
        ({"consent": _consent(revoked_at=REVOKED_AT)}, {"revoked": REVOKED}),
        ({"consent": _consent(recipients=[])}, {}),  # not Part 2: HIPAA treatment disclosure
        (
            {"part2": True, "consent": _consent(recipients=[{"name": "Omar Diaz"}])},
            {"recipients": NOT_NAMED},
        ),
    ],
)
def test_the_receiver_sees_what_the_consent_permits(changes, problems):
    referral = _referral(**changes)
    shown = disclosure_for(_actor("clinician"), frozenset({"receiver"}), referral, TODAY)
    assert shown.problems == problems
    assert shown.allowed is (not problems)
    assert shown.part2 is bool(changes.get("part2"))
    assert shown.withheld == (() if not problems else WITHHELD_FIELDS)
    assert consent_problems(referral, receiving_party(referral), TODAY) == problems


def test_the_withheld_fields():
    assert WITHHELD_FIELDS == (
        "patient.name", "patient.birth_date", "patient.phone", "patient.preferred_language",
        "patient.member_id", "reason", "diagnoses", "conditions", "medications", "needs",
        "notes", "part2_basis", "consent", "events.note", "checklist.note",
    )  # fmt: skip
