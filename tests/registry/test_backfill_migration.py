"""Migration 0005_registry summarizes the PHQ-9 / GAD-7 scores stored before it (SQLite, seeded
with foreign keys off; tests/test_migrations.py runs the migrations on PostgreSQL)."""

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from directory.extensions import db


def _seed(conn) -> None:
    conn.execute(
        text(
            "INSERT INTO episode (id, organization_id, plan_id, patient_name, patient_name_key, "
            "patient_birth_date, patient_member_id, created_by, created_at, updated_at) VALUES "
            "(1, 1, 'AcmeGold', 'Maria Lopez', 'lopez maria', '1988-04-12', 'ACME1', 'user:1', "
            "'2026-01-01', '2026-01-01')"
        )
    )
    conn.execute(
        text(
            "INSERT INTO referral (id, status, urgency, substance_use, part2, part2_basis, "
            "clinician_id, referring_organization_id, created_by, patient_name, "
            "patient_birth_date, reason, diagnoses, conditions, medications, needs, created_at, "
            "updated_at, appointment_at, episode_id) VALUES (1, 'attended', 'routine', false, "
            "false, '[]', 1, 1, 'user:1', 'Maria Lopez', '1988-04-12', 'Low mood', '[]', '[]', "
            "'[]', '{}', '2026-01-01', '2026-01-01', '2026-01-20 15:00:00', 1)"
        )
    )
    conn.execute(
        text(
            "INSERT INTO referral_event (id, referral_id, type, from_status, to_status, actor, "
            "actor_role, at) VALUES (1, 1, 'attend', 'scheduled', 'attended', 'user:2', "
            "'clinician', '2026-01-20 16:00:00')"
        )
    )
    # 18 (positive) on 1 January, 8 on 1 March (local dates: 17:00 UTC), a PHQ-2 ignored.
    conn.execute(
        text(
            "INSERT INTO screening_result (id, instrument, answers, score, severity, positive, "
            "crisis, needs, referral_id, episode_id, created_by, created_at) VALUES "
            "(1, 'phq9', '[]', 18, 'moderately severe', true, false, '[]', 1, 1, 'user:1', "
            "'2026-01-01 17:00:00'), (2, 'phq9', '[]', 8, 'mild', false, false, '[]', 1, 1, "
            "'user:1', '2026-03-01 17:00:00'), (3, 'phq2', '[]', 4, NULL, true, false, '[]', 1, "
            "1, 'user:1', '2026-03-01 17:00:00')"
        )
    )


def test_stored_scores_get_their_registry_rows_on_upgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade(revision="0005_episode")
        with db.engine.begin() as conn:
            conn.execute(text("PRAGMA foreign_keys = OFF"))
            _seed(conn)
        upgrade()
        db.engine.dispose()
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT episode_id, instrument, organization_id, plan_id, plan_member, part2, "
                "baseline_score, baseline_on, latest_score, latest_on, latest_severity, scores, "
                "treatment_start, last_visit_on, positive_on, followed_up_on, responded, "
                "remission FROM registry_entry"
            )
        ).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [
        (1, "phq9", 1, "AcmeGold", 1, 0, 18, "2026-01-01", 8, "2026-03-01", "mild", 2,
         "2026-01-20", "2026-01-20", "2026-01-01", "2026-01-20", 1, 0),
    ]  # fmt: skip
