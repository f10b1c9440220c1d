"""A practice manager's reports count their own practice's referrals, and nothing else."""

import pytest
from sqlalchemy import func, select

from accounts.identity import actor_for_user
from accounts.models import User
from accounts.users import create_user
from directory.extensions import db
from referrals.access import can_view
from referrals.listing import visible_referrals
from referrals.models import Referral
from referrals.report_scope import report_filter
from referrals.use_cases.directory_report import directory_figures
from referrals.use_cases.funnel import funnel_figures
from tests.conftest import DEFAULT_PASSWORD
from tests.referrals.practice_world import (
    EASTERN,
    END,
    MONDAY,
    START,
    build_practice_history,
    manager,
)


@pytest.fixture
def history(app):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    return build_practice_history()


def _sent(user, group_by="plan") -> tuple[dict, int]:
    """Referrals sent per group and in total, as the user's funnel counts them."""
    groups, total = funnel_figures(actor_for_user(user), group_by, START, END, EASTERN)
    return {g["key"]: g["sent"] for g in groups}, total["sent"]


def _counted(user) -> int:
    return db.session.scalar(
        select(func.count(Referral.id)).where(report_filter(actor_for_user(user)))
    )


def test_a_referring_practice_counts_only_what_it_sent(history):
    riverside = manager(history.pcp_org, "pm-riverside@example.org")
    # Hilltop's 13 referrals go to the same clinician and are not Riverside's.
    assert _sent(riverside) == ({"AcmeGold": 12}, 12)
    assert _sent(riverside, "clinician") == ({str(history.jane.id): 12}, 12)
    # The unsent draft is its referral too, but never reaches a funnel.
    assert _counted(riverside) == 13
    hilltop = manager(history.other_pcp_org, "pm-hilltop@example.org")
    assert _sent(hilltop) == ({"BeaconPPO": 13, "unknown": 14}, 27)


def test_a_bh_practice_counts_what_its_clinicians_received_from_anyone(history):
    harbor = manager(history.practice, "pm-harbor@example.org")
    assert _sent(harbor, "clinician") == ({str(history.jane.id): 25}, 25)
    assert _sent(harbor) == ({"AcmeGold": 12, "BeaconPPO": 13}, 25)


def test_a_directory_affiliation_without_a_clinician_account_counts_nothing(history):
    summit = manager(history.other_practice, "pm-summit@example.org")
    assert _sent(summit) == ({}, 0)
    create_user("omar@summit.example.org", "clinician", history.other_practice,
                DEFAULT_PASSWORD, history.omar.npi)  # fmt: skip
    db.session.commit()
    assert _sent(summit, "clinician") == ({str(history.omar.id): 14}, 14)


def test_an_inactive_clinician_account_stops_counting(history):
    harbor = manager(history.practice, "pm-harbor@example.org")
    jane = db.session.scalar(select(User).where(User.npi == history.jane.npi))
    jane.active = False
    db.session.commit()
    assert _sent(harbor) == ({}, 0)


def test_plan_staff_count_what_they_counted_before(history):
    acme, _ = create_user("acme@example.org", "plan_staff", history.plan_org, DEFAULT_PASSWORD,
                          plans=["AcmeGold"])  # fmt: skip
    db.session.commit()
    assert _sent(acme) == ({"AcmeGold": 12}, 12)


def test_a_practice_manager_opens_no_referral(history):
    harbor = actor_for_user(manager(history.practice, "pm-harbor@example.org"))
    riverside = actor_for_user(manager(history.pcp_org, "pm-riverside@example.org"))
    referrals = db.session.scalars(select(Referral)).all()
    assert [r for r in referrals if can_view(harbor, r) or can_view(riverside, r)] == []
    assert db.session.scalars(visible_referrals(harbor)).all() == []
    assert db.session.scalars(visible_referrals(riverside)).all() == []
    assert harbor.scopes == frozenset({"analytics:read"})
    assert harbor.npis == frozenset() and harbor.plan_ids == frozenset()


def test_the_directory_report_counts_the_practice_s_clinicians_listings(history):
    now = MONDAY.replace(day=31)
    harbor = actor_for_user(manager(history.practice, "pm-harbor@example.org"))
    report = directory_figures(harbor, START, END, now, EASTERN)
    assert report["verification"]["listings"] == 1
    assert [row["npi"] for row in report["responsiveness"]["clinicians"]] == [history.jane.npi]
    assert report["responsiveness"]["total"]["referrals"] == 25
    assert report["declines"]["total"]["referrals"] is None  # Riverside's one decline: withheld
    riverside = actor_for_user(manager(history.pcp_org, "pm-riverside@example.org"))
    report = directory_figures(riverside, START, END, now, EASTERN)
    assert report["verification"]["listings"] == 0
    assert report["responsiveness"]["clinicians"] == []
