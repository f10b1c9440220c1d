"""Migration 0005_episode puts the referrals stored before it into episodes, and their
screenings with them (on SQLite, seeded with foreign keys off; tests/test_migrations.py runs
the migrations on PostgreSQL)."""

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from directory.extensions import db

# id: (organization, name, birth date, member id, plan)
ROWS = {
    1: (1, "Maria Lopez", "1988-04-12", None, None),
    2: (1, "LOPEZ, María", "1988-04-12", " acme123 ", "AcmeGold"),  # 1, learns the member id
    3: (1, "M. Lopez", "1988-04-12", "ACME123", "AcmeGold"),  # 1 by member id
    4: (1, "Maria Lopez", "1988-04-12", "ACME999", "AcmeGold"),  # another member: new
    5: (2, "Maria Lopez", "1988-04-12", None, None),  # another organization: new
    6: (1, "Maria Lopez", "1988-04-13", None, None),  # another birth date: new
}


def _seed(conn) -> None:
    for rid, (org, name, birth, member, plan) in ROWS.items():
        conn.execute(
            text(
                "INSERT INTO referral (id, status, urgency, substance_use, clinician_id, "
                "referring_organization_id, created_by, patient_name, patient_birth_date, "
                "patient_member_id, plan_id, reason, diagnoses, conditions, medications, needs, "
                "created_at, updated_at) VALUES (:id, 'sent', 'routine', false, 1, :org, "
                "'user:1', :name, :birth, :member, :plan, 'Low mood', '[]', '[]', '[]', '{}', "
                "'2026-01-01', '2026-01-01')"
            ),
            {"id": rid, "org": org, "name": name, "birth": birth, "member": member, "plan": plan},
        )
    conn.execute(
        text(
            "INSERT INTO screening_result (id, instrument, answers, score, crisis, needs, "
            "referral_id, created_by, created_at) VALUES (1, 'phq2', '[1, 1]', 2, false, '[]', "
            "3, 'user:1', '2026-01-01'), (2, 'phq2', '[0, 0]', 0, false, '[]', NULL, 'user:1', "
            "'2026-01-01')"
        )
    )


def test_existing_referrals_and_screenings_join_episodes_on_upgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade(revision="0004_reports")
        with db.engine.begin() as conn:
            conn.execute(text("PRAGMA foreign_keys = OFF"))
            _seed(conn)
        upgrade()
        db.engine.dispose()
    engine = create_engine(url)
    with engine.connect() as conn:
        referrals = dict(conn.execute(text("SELECT id, episode_id FROM referral")).all())
        episodes = conn.execute(
            text(
                "SELECT id, organization_id, patient_name_key, patient_member_id, plan_id "
                "FROM episode ORDER BY id"
            )
        ).all()
        screenings = dict(conn.execute(text("SELECT id, episode_id FROM screening_result")).all())
    engine.dispose()
    assert referrals == {1: 1, 2: 1, 3: 1, 4: 2, 5: 3, 6: 4}
    assert [tuple(row) for row in episodes] == [
        (1, 1, "lopez maria", "ACME123", "AcmeGold"),
        (2, 1, "lopez maria", "ACME999", "AcmeGold"),
        (3, 2, "lopez maria", None, None),
        (4, 1, "lopez maria", None, None),
    ]
    assert screenings == {1: 1, 2: None}
