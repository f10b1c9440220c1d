"""`flask demo users` with demo programs: a community user and a few demo program referrals."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from demo.programs import demo_programs
from ingest.program_store import save_services
from ingest.report import LoadSummary
from referrals.models import Referral
from referrals.use_cases import patient_status
from tests.demo.test_users import _first_sign_in
from tests.web.seed_directory import seed_directory

AREA = [("02139", "Cambridge", "MA", 42.362391, -71.102336)]


def _programs(as_of):
    save_services(demo_programs(AREA, 7, as_of), LoadSummary())


def test_demo_users_add_a_community_user_and_program_referrals(app, db, runner):
    seed_directory()
    _programs(date(2026, 11, 22))
    result = runner.invoke(args=["demo", "users"])
    assert result.exit_code == 0, result.output
    assert "4 demo program referrals from Demo Primary Care Practice" in result.output
    line = next(x for x in result.output.splitlines() if x.startswith("community "))
    _role, email, password = line.split()
    referrals = db.session.scalars(select(Referral).order_by(Referral.id)).all()
    assert [(r.kind, r.status, r.program_status) for r in referrals] == [
        ("program", "sent", "pending"),
        ("program", "acknowledged", "needs_client_action"),
        ("program", "closed", "got_help"),
        ("program", "sent", "pending"),
    ]
    assert [r.part2 for r in referrals] == [False, False, False, True]
    code = next(x for x in result.output.splitlines() if "patient status code" in x).split()[-1]
    assert patient_status(code).words == "Sent. The organization has not answered yet."
    client = app.test_client()
    _first_sign_in(client, email, password)
    inbox = client.get("/community/").get_data(as_text=True)
    assert "Rosa Delgado" in inbox and "Amina Yusuf" in inbox
    assert "Dale Novak" not in inbox  # the opioid treatment program is another organization
    again = runner.invoke(args=["demo", "users"])
    assert "demo program referrals" not in again.output  # made once
    assert len(db.session.scalars(select(Referral)).all()) == 4
