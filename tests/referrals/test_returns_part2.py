"""The structured return (continued): Part 2 decided from its content, withheld from a PCP the
consent does not name, and the PCP's notice carrying nothing clinical."""

import pytest

from referrals import use_cases
from tests.referrals.returns_cases import (
    FULL,
    NOW,
    _acknowledged,
    _audit,
)
from tests.referrals.world import actor_of, part2_consent, referral_payload, sud_payload


@pytest.mark.parametrize(
    ("body", "part2", "basis"),
    [
        ({"diagnoses": ["F11.20"]}, True, ["diagnoses:F11.20"]),
        (
            {"medications": [{"change": "started", "name": "Suboxone 8 mg"}]},
            True,
            ["medications:buprenorphine"],
        ),
        ({"note": "Started naltrexone last week"}, True, ["notes:naltrexone"]),
        ({"diagnoses": ["F17.210"]}, False, []),
        ({"scores": [{"instrument": "auditc", "score": 9}]}, False, []),
    ],
)
def test_part2_is_decided_from_the_return_content(db, clinician, acknowledged, body, part2, basis):
    sent = use_cases.send_return(actor_of(clinician), acknowledged, body, NOW)

    assert (sent.row.part2, sent.row.part2_basis) == (part2, basis)


def test_a_part2_return_is_withheld_from_a_pcp_the_consent_does_not_name(db, pcp, clinician, world):
    rid = _acknowledged(pcp, clinician, sud_payload(world, NOW.date()))
    use_cases.send_return(actor_of(clinician), rid, {"diagnoses": ["F11.20"]}, NOW)
    use_cases.send_return(actor_of(clinician), rid, {"diagnoses": ["F32.1"]}, NOW)

    found = use_cases.read_with_returns(actor_of(pcp), rid)

    assert [v.allowed for v in found.returns] == [False, True]
    assert set(found.returns[0].problems) == {"recipients"}
    assert _audit(db, "referral_return")[-2:] == [
        ("disclose", "blocked", str(found.returns[0].row.id)),
        ("disclose", "ok", str(found.returns[1].row.id)),
    ]
    own = use_cases.read_with_returns(actor_of(clinician), rid)
    assert [v.allowed for v in own.returns] == [True, True]


def test_a_part2_return_reaches_a_pcp_the_consent_names(db, pcp, clinician, world):
    recipients = [{"name": "Jane Smith", "npi": world.jane.npi}, {"name": "Riverside Primary Care"}]
    body = referral_payload(
        world,
        diagnoses=["F11.20"],
        consent=part2_consent(world, recipients=recipients, sent_on=NOW.date()),
    )
    rid = _acknowledged(pcp, clinician, body)
    use_cases.send_return(actor_of(clinician), rid, {"diagnoses": ["F11.20"]}, NOW)

    found = use_cases.read_with_returns(actor_of(pcp), rid)

    assert [(v.allowed, v.problems) for v in found.returns] == [(True, {})]


def test_a_revoked_consent_withholds_every_return_from_the_pcp(db, pcp, clinician, world):
    consent = {"form_type": "plan_cei", "recipients": ["Harbor Counseling"]}
    rid = _acknowledged(pcp, clinician, referral_payload(world, consent=consent))
    use_cases.send_return(actor_of(clinician), rid, {"diagnoses": ["F32.1"]}, NOW)
    use_cases.revoke_consent(actor_of(pcp), rid, NOW)

    found = use_cases.read_with_returns(actor_of(pcp), rid)

    assert [(v.allowed, v.problems) for v in found.returns] == [
        (False, {"revoked": "the consent has been revoked"})
    ]


def test_the_pcp_is_emailed_a_link_and_nothing_clinical(
    db, pcp, clinician, acknowledged, smtp_sink
):
    use_cases.send_return(actor_of(clinician), acknowledged, FULL, NOW)

    [message] = [m for m in smtp_sink.to(pcp.user.email) if "information back" in m["Subject"]]
    body = message.get_payload(decode=True).decode()
    assert message["Subject"] == f"Referral #{acknowledged}: information back"
    assert f"https://bh.example.org/referrals/{acknowledged}" in body
    for phi in ("F33.1", "sertraline", "CBT", "TSH", "Maria", "phq9"):
        assert phi not in body
