"""`flask demo registry`: two demo patients carry a structured return and a shared care plan."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from accounts.identity import actor_for_user
from accounts.models import User
from episodes.models import Episode
from referrals import use_cases
from referrals.return_models import ReferralReturn
from tests.web.seed_directory import seed_directory


def _user(db, email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _loaded(db, runner) -> None:
    seed_directory()
    assert runner.invoke(args=["demo", "users"]).exit_code == 0
    result = runner.invoke(args=["demo", "registry"])
    assert result.exit_code == 0, result.output


def _episode(db, member_id: str) -> Episode:
    return db.session.scalar(select(Episode).where(Episode.patient_member_id == member_id))


def test_two_demo_patients_have_a_coded_and_an_uncoded_medication_sent_back(app, db, runner):
    _loaded(db, runner)

    rows = db.session.scalars(select(ReferralReturn).order_by(ReferralReturn.id)).all()

    names = [row.referral.patient_name for row in rows]
    assert names == ["Avery Demo", "Casey Demo"]
    avery = rows[0]
    assert avery.diagnoses == ["F32.1"]
    assert avery.medications == [
        {"change": "started", "name": "sertraline 50 MG Oral Tablet", "rxnorm": "312940"},
        {
            "change": "stopped",
            "name": "over-the-counter sleep aid (brand unknown)",
            "rxnorm": None,
        },
    ]
    assert (avery.part2, avery.referral_status) == (False, "attended")
    today = use_cases.local_today()
    assert use_cases.local_today(avery.next_appointment_at) == today + timedelta(days=14)


def test_the_shared_plan_has_the_team_goals_in_the_patients_words_and_owned_tasks(app, db, runner):
    _loaded(db, runner)
    pcp = actor_for_user(_user(db, "pcp@demo.example.org"))
    episode = _episode(db, "DEMO0001")

    plan = use_cases.read_care_plan(pcp, episode.id)

    assert [m.role for m in plan.members] == ["bh_clinician", "care_manager", "patient_family"]
    assert plan.members[1].name == "Demo Health Plan Member Services"
    assert [g.text for g in plan.goals] == [
        "I want to enjoy cooking dinner with my kids again",
        "Sleep through most nights",
    ]
    visit = use_cases.local_today() - timedelta(days=110)
    assert [(t.description, t.owner.role, t.due_on, t.status) for t in plan.tasks] == [
        (
            "Call Avery two weeks after starting sertraline",
            "care_manager",
            visit + timedelta(days=14),
            "done",
        ),
        ("Repeat PHQ-9 at the next visit", "bh_clinician", visit + timedelta(days=28), "done"),
        (
            "Walk together three evenings a week",
            "patient_family",
            visit + timedelta(days=120),
            "open",
        ),
    ]


def test_the_plan_care_manager_reads_the_demo_timeline(app, db, runner):
    _loaded(db, runner)
    staff = actor_for_user(_user(db, "plan-staff@demo.example.org"))
    episode = _episode(db, "DEMO0003")

    timeline = use_cases.read_timeline(staff, episode.id)

    kinds = [entry.kind for entry in timeline.entries]
    assert kinds.count("referral_return") == 1
    assert kinds.count("goal_created") == 1
    assert all(entry.shown for entry in timeline.entries)
    assert _episode(db, "DEMO0002") is not None
    blake = use_cases.read_care_plan(
        actor_for_user(_user(db, "pcp@demo.example.org")), _episode(db, "DEMO0002").id
    )
    assert (blake.goals, blake.tasks) == ([], [])
