"""Checkpoints: written after commit when an event id crosses a multiple of N, at worker exit,
on demand; appended to a 0600 file and optionally sent to syslog."""

import json
import logging
import socket
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from audit.checkpoint_file import checkpoint_path, parse_line
from audit.checkpoints import syslog_address
from audit.keys import keyring
from audit.log import record
from audit.models import AuditEvent
from tests.audit.tampering import add_events, checkpoint_lines

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def every_three(app):
    app.config["AUDIT_CHECKPOINT_EVERY"] = 3
    return app


def test_a_checkpoint_each_time_an_id_crosses_a_multiple_of_n(db, every_three):
    add_events(db, 2)
    assert checkpoint_lines(every_three) == []
    add_events(db, 1, start=2)
    add_events(db, 3, start=3)
    lines = checkpoint_lines(every_three)
    heads = db.session.execute(select(AuditEvent.hash).order_by(AuditEvent.id)).all()
    assert [(line["sequence"], line["count"], line["reason"]) for line in lines] == [
        (3, 3, "every"),
        (6, 6, "every"),
    ]
    assert [line["head"] for line in lines] == [heads[2].hash, heads[5].hash]


def test_the_default_is_every_100_events(db, app):
    add_events(db, 99)
    assert checkpoint_lines(app) == []
    add_events(db, 1, start=99)
    assert [line["sequence"] for line in checkpoint_lines(app)] == [100]


def test_a_transaction_that_crosses_checkpoints_its_last_event(db, every_three):
    for i in range(5):
        record(None, "read", "referral", i)
    assert checkpoint_lines(every_three) == []  # nothing before the commit
    db.session.commit()
    assert [(line["sequence"], line["count"]) for line in checkpoint_lines(every_three)] == [(5, 5)]


def test_a_rolled_back_crossing_writes_nothing(db, every_three):
    add_events(db, 2)
    record(None, "read", "referral", 2)
    db.session.rollback()
    assert checkpoint_lines(every_three) == []
    add_events(db, 1, start=3)  # the id after the rolled-back one may cross again
    sequences = [line["sequence"] for line in checkpoint_lines(every_three)]
    crossed = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
    assert sequences == ([crossed] if crossed >= 3 else [])


def test_a_rollback_forgets_the_checkpoint_it_would_have_written(db, every_three):
    add_events(db, 2)
    record(None, "read", "referral", 2)  # crosses 3
    db.session.rollback()
    every_three.config["AUDIT_CHECKPOINT_EVERY"] = 100  # the next event crosses nothing
    add_events(db, 1, start=3)
    assert checkpoint_lines(every_three) == []


def test_the_line_is_json_with_an_hmac_over_the_rest(db, every_three):
    add_events(db, 3)
    path = Path(checkpoint_path(every_three))
    line = path.read_text()
    fields = json.loads(line)
    assert sorted(fields) == ["at", "count", "head", "hmac", "key_id", "reason", "sequence"]
    assert fields["key_id"] == keyring().current.key_id
    assert parse_line(line, keyring()).sequence == 3
    assert parse_line(line.replace('"count":3', '"count":2'), keyring()) == (
        "bad HMAC (forged or edited)"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_lines_are_appended_after_whatever_the_file_holds(db, every_three):
    path = Path(checkpoint_path(every_three))
    path.parent.mkdir(parents=True)
    path.write_text("kept\n")
    add_events(db, 6)
    assert path.read_text().splitlines()[0] == "kept"
    assert len(path.read_text().splitlines()) == 3


def test_a_failed_checkpoint_write_never_fails_the_committed_request(
    db, every_three, caplog, monkeypatch
):
    # Alembic's fileConfig (any earlier `db upgrade` in this process) disables existing loggers.
    monkeypatch.setattr(logging.getLogger("audit.checkpoints"), "disabled", False)
    every_three.config["AUDIT_CHECKPOINT_FILE"] = str(Path(every_three.instance_path))  # a dir
    Path(every_three.instance_path).mkdir(parents=True, exist_ok=True)
    add_events(db, 3)
    assert len(db.session.scalars(select(AuditEvent)).all()) == 3
    assert "audit checkpoint not written: IsADirectoryError" in caplog.text


def test_flask_audit_checkpoint_pins_the_committed_head(db, runner, app):
    assert runner.invoke(args=["audit", "checkpoint"]).output == (
        "nothing to checkpoint: the audit log is empty\n"
    )
    add_events(db, 2)
    record(None, "read", "referral", 99)  # not committed: not checkpointed
    result = runner.invoke(args=["audit", "checkpoint"])
    db.session.rollback()
    assert result.exit_code == 0
    assert "event 2, 2 events, key " in result.output
    assert [(line["sequence"], line["reason"]) for line in checkpoint_lines(app)] == [(2, "cli")]


def test_gunicorn_worker_exit_writes_a_checkpoint(db, app):
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text("utf-8"), namespace)
    add_events(db, 4)
    namespace["worker_exit"](None, SimpleNamespace(wsgi=app))
    namespace["worker_exit"](None, SimpleNamespace(wsgi=None))  # never loaded: nothing, no error
    assert [(line["sequence"], line["reason"]) for line in checkpoint_lines(app)] == [(4, "exit")]


def test_an_empty_log_writes_no_exit_checkpoint(db, app):
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text("utf-8"), namespace)
    namespace["worker_exit"](None, SimpleNamespace(wsgi=app))
    assert checkpoint_lines(app) == []


@pytest.mark.parametrize(
    "value, address",
    [
        ("/dev/log", "/dev/log"),
        ("logs.internal:514", ("logs.internal", 514)),
        ("127.0.0.1:5514", ("127.0.0.1", 5514)),
        ("[::1]:6514", ("::1", 6514)),
        ("logs.internal", ("logs.internal", 514)),
        ("[::1]", ("::1", 514)),
        ("::1", ("::1", 514)),
    ],
)
def test_syslog_addresses(value, address):
    assert syslog_address(value) == address


def test_checkpoints_also_go_to_syslog(db, every_three):
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    every_three.config.update(
        AUDIT_SYSLOG=True, AUDIT_SYSLOG_ADDRESS=f"127.0.0.1:{receiver.getsockname()[1]}"
    )
    try:
        add_events(db, 3)
        datagram = receiver.recv(4096).decode()
    finally:
        receiver.close()
    # <86>: facility authpriv (10) * 8 + severity info (6).
    prefix = "<86>bh-audit-checkpoint: "
    assert datagram.startswith(prefix)
    assert json.loads(datagram[len(prefix) :].rstrip("\x00")) == checkpoint_lines(every_three)[0]


def test_an_unreachable_syslog_leaves_the_file_line_and_logs(db, every_three, caplog, monkeypatch):
    monkeypatch.setattr(logging.getLogger("audit.checkpoints"), "disabled", False)
    missing = Path(every_three.instance_path) / "no-such-socket"
    every_three.config.update(AUDIT_SYSLOG=True, AUDIT_SYSLOG_ADDRESS=str(missing))
    add_events(db, 3)
    assert [line["sequence"] for line in checkpoint_lines(every_three)] == [3]
    assert "audit checkpoint not sent to syslog: FileNotFoundError" in caplog.text
