"""Threat: someone with write access to the database hides what happened by editing the audit log.

Issue 12 section 4 reproductions, each of which used to pass `flask audit verify`: rewriting an
event and recomputing the following hashes with the project's own function, deleting the
newest events, and TRUNCATE (PostgreSQL) or deleting every row (SQLite). Then what the
checkpoint file adds, and what it cannot catch.
"""

import json
import secrets
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from audit.checkpoint_file import checkpoint_path
from audit.hashing import keyed_hash
from audit.keys import AuditKey
from tests.audit.tampering import (
    add_events,
    as_attacker,
    checkpoint_lines,
    relink_unkeyed,
    rewrite,
    rows,
)


@pytest.fixture
def every_three(app):
    """A checkpoint whenever an event id crosses a multiple of 3."""
    app.config["AUDIT_CHECKPOINT_EVERY"] = 3
    return app


def _verify(runner, *options):
    result = runner.invoke(args=["audit", "verify", *options])
    return result.exit_code, result.output


def test_rewriting_an_event_and_rehashing_with_the_unkeyed_function_fails(db, runner):
    add_events(db, 5)
    events = rows(db)
    events[1]["outcome"] = "denied"
    rewrite(db, relink_unkeyed(events[1:], events[0]["hash"], downgrade=False))

    code, output = _verify(runner)
    assert code == 1
    assert f"BROKEN at event {events[1]['id']} (1 events before it verified)" in output
    assert "HMAC" in output


def test_rehashed_events_passed_off_as_legacy_unkeyed_ones_fail(db, runner):
    add_events(db, 5)
    events = rows(db)
    events[2]["actor"] = "user:99"
    rewrite(db, relink_unkeyed(events[2:], events[1]["hash"], downgrade=True))

    code, output = _verify(runner)
    assert code == 1
    assert f"BROKEN at event {events[2]['id']}" in output
    assert "unkeyed (legacy) event after keyed ones" in output


def test_a_rewrite_signed_with_a_guessed_key_fails(db, runner):
    add_events(db, 3)
    events = rows(db)
    guessed = AuditKey(secrets.token_bytes(32))
    forged = dict(events[2], object_id="404")
    forged["hash"] = keyed_hash(forged, forged["prev_hash"], guessed)  # keeps the real key id
    rewrite(db, [forged])

    code, output = _verify(runner)
    assert code == 1
    assert f"BROKEN at event {events[2]['id']} (2 events before it verified)" in output


def test_the_whole_log_rewritten_as_legacy_fails_its_checkpoint(db, runner, every_three):
    add_events(db, 4)
    events = rows(db)
    events[0]["outcome"] = "denied"
    rewrite(db, relink_unkeyed(events, "0" * 64, downgrade=True))

    code, output = _verify(runner)
    assert code == 1
    assert "audit chain ok: 4 events verified (4 legacy unkeyed" in output
    assert "FAILS 1 of 1 checkpoints; the newest: " in output
    assert f"event {events[2]['id']} is not the one checkpointed (another hash)" in output


def test_the_whole_log_rewritten_as_legacy_without_a_checkpoint_file_is_only_a_warning(
    db, runner, app
):
    add_events(db, 2)
    rewrite(db, relink_unkeyed(rows(db), "0" * 64, downgrade=True))
    assert not Path(checkpoint_path(app)).exists()

    code, output = _verify(runner)
    assert code == 0
    assert "2 legacy unkeyed events are covered by no checkpoint" in output
    assert _verify(runner, "--strict")[0] == 1


def test_deleting_the_newest_events_fails_against_the_checkpoint(db, runner, every_three):
    ids = add_events(db, 6)
    assert [line["sequence"] for line in checkpoint_lines(every_three)] == [ids[2], ids[5]]
    as_attacker(db, ("DELETE FROM audit_event WHERE id >= :id", {"id": ids[4]}))

    code, output = _verify(runner)
    assert code == 1
    assert "audit chain ok: 4 events verified" in output
    assert "FAILS 1 of 2 checkpoints; the newest: " in output
    assert (
        f"the log is shorter than its checkpoint: it ends at event {ids[3]} (4 events), but "
        in output
    )
    assert f"counted 6 events up to event {ids[5]}: the newest events were removed" in output


def test_deleting_events_after_the_newest_checkpoint_goes_unnoticed(db, runner, every_three):
    """The documented limit: only what a checkpoint covers is protected (hence every N, at exit)."""
    ids = add_events(db, 5)
    as_attacker(db, ("DELETE FROM audit_event WHERE id = :id", {"id": ids[4]}))

    code, output = _verify(runner)
    assert code == 0
    assert "checkpoints ok (1); the newest: event 3 (3 events)" in output
    assert "1 events after it are not yet checkpointed" in output


def test_a_checkpoint_written_after_a_deletion_does_not_hide_it(db, runner, every_three):
    """Worker exit or `flask audit checkpoint` after the deletion pins the shortened log; the
    checkpoints from before still contradict it."""
    ids = add_events(db, 6)
    as_attacker(db, ("DELETE FROM audit_event WHERE id >= :id", {"id": ids[4]}))
    assert runner.invoke(args=["audit", "checkpoint"]).exit_code == 0
    add_events(db, 2, start=100)  # the app goes on (SQLite reuses ids 5 and 6, PostgreSQL not)

    code, output = _verify(runner)
    assert code == 1
    assert "FAILS 1 of 4 checkpoints; the newest: " in output
    assert f"counted 6 events up to event {ids[5]}" in output


def test_emptying_the_log_fails_against_the_checkpoint(db, runner, every_three):
    add_events(db, 3)
    if db.engine.dialect.name == "postgresql":
        # The superuser lifts the TRUNCATE trigger first (the app's role cannot: not the owner).
        as_attacker(
            db,
            ("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_truncate", {}),
            ("TRUNCATE audit_event", {}),
            ("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_truncate", {}),
        )
    else:
        as_attacker(db, ("DELETE FROM audit_event", {}))
    assert rows(db) == []

    code, output = _verify(runner)
    assert code == 1
    assert "audit chain ok: 0 events verified" in output
    assert "the log is empty, but the checkpoint of " in output
    assert "counted 3 events up to event 3: events were removed (TRUNCATE or DELETE)" in output


def test_truncate_is_refused_on_postgresql_even_for_the_superuser(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL trigger")
    add_events(db, 2)
    with pytest.raises(DBAPIError, match="append-only; refused TRUNCATE"):
        db.session.execute(text("TRUNCATE audit_event"))
    db.session.rollback()
    assert len(rows(db)) == 2


def test_a_forged_checkpoint_line_fails(db, runner, every_three):
    ids = add_events(db, 3)
    as_attacker(db, ("DELETE FROM audit_event WHERE id = :id", {"id": ids[2]}))
    forged = dict(checkpoint_lines(every_three)[-1], sequence=ids[1], count=2)
    forged["head"] = rows(db)[-1]["hash"]
    with Path(checkpoint_path(every_three)).open("a") as f:
        f.write(json.dumps(forged) + "\n")

    code, output = _verify(runner)
    assert code == 1
    assert "line 2: bad HMAC (forged or edited)" in output


def test_an_emptied_checkpoint_file_is_a_warning_and_fails_under_strict(db, runner, every_three):
    add_events(db, 4)
    Path(checkpoint_path(every_three)).write_text("")

    code, output = _verify(runner)
    assert code == 0
    assert "no checkpoint in " in output
    assert "(missing, emptied or never written) while the log has 4 events" in output
    assert _verify(runner, "--strict")[0] == 1


def test_checkpoint_lines_cut_from_the_file_are_a_warning(db, runner, every_three):
    add_events(db, 7)
    path = Path(checkpoint_path(every_three))
    first, _second = path.read_text().splitlines()
    path.write_text(first + "\n")

    code, output = _verify(runner)
    assert code == 0
    assert "the newest checkpoint is at event 3, but the log has passed event 6" in output
    assert _verify(runner, "--strict")[0] == 1
