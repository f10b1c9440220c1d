"""`flask demo registry`: six demo patients whose flags show every registry state, once."""

from __future__ import annotations

from sqlalchemy import func, select

from accounts.identity import actor_for_user
from accounts.models import User
from referrals.use_cases import local_today
from registry.models import RegistryEntry
from registry.schemas import RegistryQuery
from registry.use_cases import follow_up_counts, read_registry
from tests.web.seed_directory import seed_directory


def test_demo_registry_shows_each_flag_and_runs_once(app, db, runner):
    seed_directory()
    assert runner.invoke(args=["demo", "registry"]).exit_code == 1  # no demo users yet
    assert runner.invoke(args=["demo", "users"]).exit_code == 0

    first = runner.invoke(args=["demo", "registry"])
    again = runner.invoke(args=["demo", "registry"])

    assert "6 demo patients in the registry" in first.output, first.output
    assert "already has patients" in again.output
    assert db.session.scalar(select(func.count()).select_from(RegistryEntry)) == 8
    pcp = db.session.scalar(select(User).where(User.email == "pcp@demo.example.org"))
    actor, today = actor_for_user(pcp), local_today()
    rows = read_registry(actor, RegistryQuery(), today).rows
    flags = {row.entry.episode.patient_name: row.flags for row in rows}
    assert flags == {
        "Avery Demo": ("not_engaged",),
        "Blake Demo": ("no_response", "not_engaged"),
        "Casey Demo": ("remission", "not_engaged"),
        "Dana Demo": ("no_response", "overdue", "not_engaged"),
        "Emery Demo": ("overdue", "not_engaged"),
        "Finley Demo": (),
    }
    assert follow_up_counts(actor, today) == {
        "phq9": {"met": 4, "missed": 1, "open": 1},
        "gad7": {"met": 1, "missed": 1, "open": 0},
    }
