"""Migration 0003_part2 classifies the referrals stored before it, by content (on SQLite:
the rows are seeded with foreign keys off; tests/test_migrations.py runs it on PostgreSQL)."""

import json

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from app import create_app
from directory.extensions import db

ROWS = {
    # id: (substance_use, diagnoses, medications, reason, event note)
    1: (False, ["F11.20"], [], "Low mood", None),
    2: (False, ["F32.1"], ["metformin"], "Low mood", None),
    3: (True, [], [], "Low mood", None),
    4: (False, [], [], "Stable on Suboxone", None),
    5: (False, ["F17.210"], [], "Wants to quit smoking", "Started Vivitrol"),
}


def _seed(conn) -> None:
    # Foreign keys are off: the rows the referral names need not exist for this check.
    for rid, (flag, codes, meds, reason, note) in ROWS.items():
        conn.execute(
            text(
                "INSERT INTO referral (id, status, urgency, substance_use, clinician_id, "
                "referring_organization_id, created_by, patient_name, patient_birth_date, "
                "reason, diagnoses, conditions, medications, needs, created_at, updated_at) "
                "VALUES (:id, 'sent', 'routine', :flag, 1, 1, 'user:1', 'M', '1988-04-12', "
                ":reason, :codes, '[]', :meds, '{}', '2026-01-01', '2026-01-01')"
            ),
            {
                "id": rid,
                "flag": flag,
                "reason": reason,
                "codes": json.dumps(codes),
                "meds": json.dumps(meds),
            },
        )
        if note:
            conn.execute(
                text(
                    "INSERT INTO referral_event (referral_id, type, from_status, to_status, "
                    "actor, actor_role, at, note) VALUES (:id, 'acknowledge', 'sent', "
                    "'acknowledged', 'user:2', 'clinician', '2026-01-02', :note)"
                ),
                {"id": rid, "note": note},
            )


def test_existing_referrals_are_classified_on_upgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path)
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as conn:
            conn.execute(text("PRAGMA foreign_keys = OFF"))
            _seed(conn)
        upgrade()
        db.engine.dispose()
    engine = create_engine(url)
    with engine.connect() as conn:
        found = {
            rid: (bool(part2), json.loads(basis))
            for rid, part2, basis in conn.execute(
                text("SELECT id, part2, part2_basis FROM referral ORDER BY id")
            )
        }
    engine.dispose()
    assert found == {
        1: (True, ["diagnoses:F11.20"]),
        2: (False, []),
        3: (True, ["flag"]),
        4: (True, ["reason:buprenorphine"]),
        5: (True, ["event_notes:naltrexone"]),
    }


def test_the_classify_command_finds_part2_in_stored_referrals(app, pcp, world, runner):
    from audit.models import AuditEvent
    from referrals.models import Referral
    from tests.referrals.world import referral_payload

    body = referral_payload(world, notes="Stable on methadone")
    rid = pcp.post("/api/v1/referrals", json=body).get_json()["id"]
    plain = pcp.post("/api/v1/referrals", json=referral_payload(world)).get_json()["id"]
    stored = db.session.get(Referral, rid)
    stored.part2, stored.part2_basis = False, []  # as a row classified by an older rule
    db.session.commit()
    result = runner.invoke(args=["referrals", "classify"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "part 2 newly found: 1"
    db.session.expire_all()
    assert db.session.get(Referral, rid).part2_basis == ["notes:methadone"]
    assert db.session.get(Referral, plain).part2 is False
    audited = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "classify")).all()
    assert [(a.actor, a.object_id) for a in audited] == [("system", str(rid))]
    again = runner.invoke(args=["referrals", "classify"])
    assert again.output.strip() == "part 2 newly found: 0"
