"""`flask audit verify`: legacy unkeyed events, key rotation, what it says and its exit code."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from audit.checkpoint_file import Checkpoint, append_line, checkpoint_path, format_line
from audit.hashing import GENESIS_HASH, keyed_hash, legacy_hash
from audit.keys import AuditKey, forget_keyring
from audit.log import record, verify_chain
from tests.audit.tampering import add_events, as_attacker, checkpoint_lines, rewrite, rows

K1 = bytes(range(32)).hex()  # key id 630dcd29
K2 = "cd" * 32
K2_ID = AuditKey(bytes.fromhex(K2)).key_id


def _verify(runner, *options):
    result = runner.invoke(args=["audit", "verify", *options])
    return result.exit_code, result.output


def _legacy_events(db, count):
    """Events as the app wrote them before migration 0003: plain SHA-256 links, no key id."""
    prev = GENESIS_HASH
    for i in range(count):
        fields = {
            "at": datetime(2026, 11, 1, 9, 0, i, tzinfo=UTC),
            "actor": "system",
            "actor_kind": "system",
            "action": "create",
            "object_type": "user",
            "object_id": str(i),
            "outcome": "ok",
        }
        digest = legacy_hash(fields, prev)
        db.session.execute(
            text(
                "INSERT INTO audit_event (at, actor, actor_kind, action, object_type, object_id,"
                " outcome, prev_hash, hash) VALUES (:at, :actor, :actor_kind, :action,"
                " :object_type, :object_id, :outcome, :prev, :hash)"
            ),
            {**fields, "prev": prev, "hash": digest},
        )
        prev = digest
    db.session.commit()


def test_legacy_events_verify_and_keyed_events_continue_their_chain(db, runner):
    _legacy_events(db, 2)
    add_events(db, 1)
    events = rows(db)
    assert [(e["key_id"] is None, e["chain_count"]) for e in events] == [
        (True, None),
        (True, None),
        (False, 3),
    ]
    assert events[2]["prev_hash"] == events[1]["hash"]
    code, output = _verify(runner)
    assert code == 0
    assert "audit chain ok: 3 events verified (2 legacy unkeyed; signed with keys: " in output
    assert "2 legacy unkeyed events are covered by no checkpoint" in output
    assert _verify(runner, "--strict")[0] == 1


def test_a_checkpoint_after_the_upgrade_covers_the_legacy_events(db, runner, app):
    _legacy_events(db, 2)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    assert [(c["sequence"], c["count"]) for c in checkpoint_lines(app)] == [(2, 2)]
    add_events(db, 1)
    code, output = _verify(runner, "--strict")
    assert code == 0, output
    assert "warning" not in output


def test_a_legacy_event_holding_new_fields_is_refused(db, runner):
    _legacy_events(db, 2)
    first = rows(db)[0]["id"]
    as_attacker(
        db, ("UPDATE audit_event SET client_addr = '10.0.0.1' WHERE id = :id", {"id": first})
    )
    code, output = _verify(runner)
    assert code == 1
    assert (
        f"BROKEN at event {first} (0 events before it verified): a legacy event holding" in output
    )


def test_key_rotation_keeps_old_events_verifiable_with_previous_keys(db, runner, app):
    app.config["AUDIT_KEY"] = K1
    forget_keyring(app)
    add_events(db, 3)
    runner.invoke(args=["audit", "checkpoint"])
    app.config.update(AUDIT_KEY=K2, AUDIT_PREVIOUS_KEYS=K1)
    forget_keyring(app)
    add_events(db, 2, start=3)
    runner.invoke(args=["audit", "checkpoint"])

    assert [e["key_id"] for e in rows(db)] == ["630dcd29"] * 3 + [K2_ID] * 2
    assert [c["key_id"] for c in checkpoint_lines(app)] == ["630dcd29", K2_ID]
    code, output = _verify(runner, "--strict")
    assert code == 0, output
    assert f"signed with keys: 630dcd29 (3), {K2_ID} (2))" in output
    assert "checkpoints ok (2); the newest: event 5 (5 events)" in output


def test_without_the_previous_key_verify_names_the_key_it_lacks(db, runner, app):
    app.config["AUDIT_KEY"] = K1
    forget_keyring(app)
    add_events(db, 2)
    runner.invoke(args=["audit", "checkpoint"])
    app.config.update(AUDIT_KEY=K2, AUDIT_PREVIOUS_KEYS="")
    forget_keyring(app)

    code, output = _verify(runner)
    assert code == 1
    assert (
        "BROKEN at event 1 (0 events before it verified): signed with another key (630dcd29), "
        "neither AUDIT_KEY nor one of AUDIT_PREVIOUS_KEYS"
    ) in output
    assert "line 1: signed with another key (630dcd29)" in output


def test_verify_with_no_key_at_all_fails_on_keyed_events(db, runner, app):
    app.config["AUDIT_KEY"] = None
    forget_keyring(app)
    add_events(db, 1)  # signed with a new instance/audit_key
    Path(app.instance_path, "audit_key").unlink()
    forget_keyring(app)
    code, output = _verify(runner)
    assert code == 1
    assert "signed with another key" in output
    assert not Path(app.instance_path, "audit_key").exists()  # verify creates no key


def test_a_clean_log_with_checkpoints_verifies_without_warnings(db, runner, app):
    app.config["AUDIT_CHECKPOINT_EVERY"] = 4
    add_events(db, 9)
    code, output = _verify(runner, "--strict")
    assert code == 0
    assert output.splitlines()[1].startswith(
        "checkpoints ok (2); the newest: event 8 (8 events) as of 20"
    )
    assert output.splitlines()[1].endswith("; 1 events after it are not yet checkpointed")
    assert len(output.splitlines()) == 2


def test_verify_chain_reports_ok_checked_and_first_bad_id(db):
    add_events(db, 3)
    assert verify_chain() == (True, 3, None)
    with db.engine.connect() as conn:
        assert verify_chain(conn) == (True, 3, None)
    record(None, "read", "referral", 1)  # uncommitted, but this session sees it
    assert verify_chain() == (True, 4, None)
    db.session.rollback()


def test_a_changed_legacy_event_breaks_the_chain_at_it(db, runner):
    _legacy_events(db, 3)
    second = rows(db)[1]["id"]
    as_attacker(db, ("UPDATE audit_event SET outcome = 'denied' WHERE id = :id", {"id": second}))
    code, output = _verify(runner)
    assert code == 1
    assert f"BROKEN at event {second} (1 events before it verified): its hash does not" in output


def test_a_removed_legacy_event_breaks_the_link_of_the_next(db, runner):
    _legacy_events(db, 3)
    ids = [e["id"] for e in rows(db)]
    as_attacker(db, ("DELETE FROM audit_event WHERE id = :id", {"id": ids[1]}))
    code, output = _verify(runner)
    assert code == 1
    assert f"BROKEN at event {ids[2]} (1 events before it verified): it does not link" in output


def test_a_broken_chain_says_nothing_is_ok(db, runner, app):
    app.config["AUDIT_CHECKPOINT_EVERY"] = 2
    add_events(db, 3)
    as_attacker(db, ("UPDATE audit_event SET hash = :h WHERE id = 3", {"h": "f" * 64}))
    code, output = _verify(runner)
    assert code == 1
    assert output.count("\n") == 1 and "BROKEN at event 3" in output and " ok" not in output


def test_a_key_holder_writing_a_wrong_chain_count_is_caught(db, runner, app):
    app.config["AUDIT_KEY"] = K1
    forget_keyring(app)
    add_events(db, 2)
    event = rows(db)[1]
    event["chain_count"] = 5
    event["hash"] = keyed_hash(event, event["prev_hash"], AuditKey(bytes.fromhex(K1)))
    rewrite(db, [event])
    code, output = _verify(runner)
    assert code == 1
    assert "BROKEN at event 2 (1 events before it verified): it says it is event 5 of the" in output


def test_a_checkpoint_with_another_count_is_caught(db, runner, app):
    app.config["AUDIT_KEY"] = K1
    forget_keyring(app)
    add_events(db, 2)
    head = rows(db)[1]
    wrong = Checkpoint(2, 3, head["hash"], "2026-12-04T00:00:00.000000Z", "630dcd29", "cli")
    append_line(checkpoint_path(app), format_line(wrong, AuditKey(bytes.fromhex(K1))))
    code, output = _verify(runner)
    assert code == 1
    assert "2 events up to event 2, but the checkpoint of 2026-12-04T00:00:00.000000Z" in output


def test_one_event_without_a_checkpoint_file_is_a_warning(db, runner):
    add_events(db, 1)
    code, output = _verify(runner)
    assert code == 0
    assert "while the log has 1 events" in output


def test_a_checkpoint_is_overdue_exactly_at_the_next_multiple(db, runner, app):
    app.config["AUDIT_CHECKPOINT_EVERY"] = 3
    add_events(db, 5)
    path = checkpoint_path(app)
    kept = path.read_text()
    add_events(db, 1, start=5)  # event 6 crosses 6: its line is then cut from the file
    assert _verify(runner)[1].count("warning") == 0
    path.write_text(kept)
    code, output = _verify(runner)
    assert code == 0
    assert "the newest checkpoint is at event 3, but the log has passed event 6" in output


def test_legacy_events_beyond_the_newest_checkpoint_are_a_warning(db, runner):
    _legacy_events(db, 1)
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    _legacy_events_after(db, 1)
    code, output = _verify(runner)
    assert code == 0
    assert "2 legacy unkeyed events are covered by no checkpoint" in output


def _legacy_events_after(db, count):
    """More pre-0003 events chained onto the current head (as the old app would have)."""
    head = rows(db)[-1]
    prev = head["hash"]
    for i in range(count):
        fields = {
            "at": datetime(2026, 11, 2, 9, 0, i, tzinfo=UTC),
            "actor": "system",
            "actor_kind": "system",
            "action": "read",
            "object_type": "user",
            "object_id": str(i),
            "outcome": "ok",
        }
        digest = legacy_hash(fields, prev)
        db.session.execute(
            text(
                "INSERT INTO audit_event (at, actor, actor_kind, action, object_type, object_id,"
                " outcome, prev_hash, hash) VALUES (:at, :actor, :actor_kind, :action,"
                " :object_type, :object_id, :outcome, :prev, :hash)"
            ),
            {**fields, "prev": prev, "hash": digest},
        )
        prev = digest
    db.session.commit()
