"""The structured return: who may send it, what is kept, what is refused (Part 2 by content,
and the PCP's notice: test_returns_part2.py)."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from referrals import use_cases
from referrals.errors import Conflict, Denied, Malformed, NotFound
from referrals.return_models import ReferralReturn, ReturnScore
from tests.referrals.returns_cases import (
    FULL,
    NOW,
    _audit,
)
from tests.referrals.world import actor_of, referral_payload, signed_in


def test_the_clinician_sends_a_return_and_everything_is_kept(db, clinician, acknowledged):
    sent = use_cases.send_return(actor_of(clinician), acknowledged, FULL, NOW)

    row = db.session.get(ReferralReturn, sent.row.id)
    assert (row.referral_status, row.created_by_role, row.created_at.year) == (
        "acknowledged",
        "clinician",
        2026,
    )
    assert row.diagnoses == ["F33.1", "F41.1"]
    assert row.medications == [
        {"change": "started", "name": "sertraline 50 mg", "rxnorm": "312940"},
        {"change": "stopped", "name": "the sleeping pill from her sister", "rxnorm": None},
    ]
    assert (row.treatment, row.note) == (FULL["treatment"], FULL["note"])
    scores = [(s.instrument, s.answers, s.score, s.severity, s.positive) for s in row.scores]
    assert scores == [
        ("phq9", [2, 2, 1, 1, 1, 1, 1, 1, 0], 10, "moderate", True),
        ("gad7", None, 11, "moderate", True),
    ]
    assert (row.part2, row.part2_basis) == (False, [])
    assert _audit(db, "referral_return") == [("create", "ok", str(row.id))]


def test_a_return_satisfies_the_treatment_information_step(db, clinician, acknowledged):
    use_cases.send_return(actor_of(clinician), acknowledged, {"note": "Seen twice."}, NOW)

    shown = use_cases.read(actor_of(clinician), acknowledged)
    step = next(c for c in shown.referral.checklist if c.item == "treatment_info_requested")
    assert (step.done, step.done_by) == (True, clinician.user.label)


def test_a_tick_alone_cannot_satisfy_the_treatment_information_step(db, pcp, acknowledged):
    with pytest.raises(Conflict) as raised:
        use_cases.set_checklist(actor_of(pcp), acknowledged, "treatment_info_requested", {}, NOW)

    assert (raised.value.status, raised.value.code) == (409, "received")
    shown = use_cases.read(actor_of(pcp), acknowledged)
    step = next(c for c in shown.referral.checklist if c.item == "treatment_info_requested")
    assert step.done is False


def test_the_referral_form_cannot_tick_the_step_either(db, pcp, world):
    referral = use_cases.open_and_send(
        actor_of(pcp), referral_payload(world), ["treatment_info_requested"], NOW
    )

    step = next(c for c in referral.checklist if c.item == "treatment_info_requested")
    assert step.done is False


def test_several_returns_are_kept_dated_and_attributed(db, pcp, clinician, acknowledged):
    later = datetime(2026, 12, 18, 16, 0, tzinfo=UTC)
    use_cases.send_return(actor_of(clinician), acknowledged, {"note": "First visit."}, NOW)
    use_cases.move(actor_of(clinician), acknowledged, {"type": "accept"}, later)
    use_cases.send_return(actor_of(clinician), acknowledged, {"diagnoses": ["F32.1"]}, later)

    found = use_cases.read_with_returns(actor_of(pcp), acknowledged)
    rows = [(v.row.referral_status, v.row.created_at.day, v.allowed) for v in found.returns]
    assert rows == [("acknowledged", 4, True), ("accepted", 18, True)]
    assert {v.row.created_by for v in found.returns} == {clinician.user.label}
    ids = [str(v.row.id) for v in found.returns]
    assert _audit(db, "referral_return")[-2:] == [
        ("disclose", "ok", ids[0]),
        ("disclose", "ok", ids[1]),
    ]


def test_someone_outside_the_care_relationship_gets_not_found_audited(app, db, world, acknowledged):
    stranger = actor_of(signed_in(app, "clinician", world.other_practice, npi=world.omar.npi))

    with pytest.raises(NotFound):
        use_cases.send_return(stranger, acknowledged, {"note": "Hello"}, NOW)
    with pytest.raises(NotFound):
        use_cases.read_with_returns(stranger, acknowledged)

    assert _audit(db, "referral")[-2:] == [
        ("return", "denied", str(acknowledged)),
        ("read", "denied", str(acknowledged)),
    ]
    assert db.session.scalars(select(ReferralReturn)).all() == []


def test_the_referring_side_may_read_but_not_send_a_return(db, pcp, acknowledged):
    with pytest.raises(Denied) as raised:
        use_cases.send_return(actor_of(pcp), acknowledged, {"note": "From the PCP"}, NOW)

    assert (raised.value.status, raised.value.code) == (403, "return_role")
    assert _audit(db, "referral")[-1] == ("return", "denied", str(acknowledged))


def test_no_return_before_the_referral_is_acknowledged(db, pcp, clinician, world):
    referral = use_cases.open_and_send(actor_of(pcp), referral_payload(world), [], NOW)

    with pytest.raises(Conflict) as raised:
        use_cases.send_return(actor_of(clinician), referral.id, {"note": "Too early"}, NOW)

    assert raised.value.code == "not_acknowledged"
    assert _audit(db, "referral")[-1] == ("return", "invalid", str(referral.id))
    assert db.session.scalars(select(ReferralReturn)).all() == []


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"diagnoses": ["depression"]},
            {"diagnoses": {0: ["Not an ICD-10-CM code (e.g. F41.1)."]}},
        ),
        (
            {"medications": [{"change": "paused", "name": "sertraline"}]},
            {"medications": {0: {"change": ["Must be one of: started, changed, stopped."]}}},
        ),
        (
            {"medications": [{"change": "started", "name": "sertraline", "rxnorm": "RX12"}]},
            {"medications": {0: {"rxnorm": ["Not an RxNorm code (digits, e.g. 312940)."]}}},
        ),
        (
            {"scores": [{"instrument": "phq9"}]},
            {"scores": {0: {"answers": ["Send either the answers or the score."]}}},
        ),
        (
            {"scores": [{"instrument": "phq7", "score": 3}]},
            {
                "scores": {
                    0: {
                        "instrument": [
                            "Must be one of: ahc_hrsn, auditc, gad2, gad7, isi, phq2, phq9, phqa."
                        ]
                    }
                }
            },
        ),
        (
            {},
            {
                "_schema": [
                    "Send at least one of: diagnoses, medications, treatment, "
                    "next_appointment_at, scores, note."
                ]
            },
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(db, clinician, acknowledged, body, errors):
    with pytest.raises(Malformed) as raised:
        use_cases.send_return(actor_of(clinician), acknowledged, body, NOW)

    assert raised.value.status == 400
    assert raised.value.errors == errors
    assert _audit(db, "referral")[-1] == ("return", "invalid", str(acknowledged))


@pytest.mark.parametrize(
    ("score", "errors"),
    [
        (
            {"instrument": "phq9", "answers": [0, 0, 0, 0, 0, 0, 0, 0, 4]},
            {"answers": {8: ["item 9 (/44260-8): 4 is not one of 0, 1, 2, 3"]}},
        ),
        (
            {"instrument": "phq9", "answers": [0, 0]},
            {"answers": ["item 3 (/44259-0) is missing (phq9 has 9 items; 2 answers given)"]},
        ),
        (
            {"instrument": "phq9", "score": 28},
            {"score": ["phq9 totals range from 0 to 27; 28 given"]},
        ),
        (
            {"instrument": "ahc_hrsn", "score": 2},
            {"score": ["ahc_hrsn is scored from its answers; send them"]},
        ),
    ],
)
def test_a_repeat_score_the_engine_refuses_names_the_item(
    db, clinician, acknowledged, score, errors
):
    with pytest.raises(Malformed) as raised:
        use_cases.send_return(actor_of(clinician), acknowledged, {"scores": [score]}, NOW)

    assert raised.value.errors == {"scores": {0: errors}}


def test_a_total_at_the_top_of_the_range_is_kept(db, clinician, acknowledged):
    sent = use_cases.send_return(
        actor_of(clinician), acknowledged, {"scores": [{"instrument": "phq9", "score": 27}]}, NOW
    )

    [score] = db.session.scalars(select(ReturnScore).where(ReturnScore.return_id == sent.row.id))
    assert (score.score, score.severity, score.crisis, score.answers) == (27, "severe", False, None)
