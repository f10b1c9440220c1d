"""The checkpoint file: appended only, one JSON line per checkpoint, each with its own HMAC."""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import Flask

from audit.keys import AuditKey, Keyring

DEFAULT_NAME = "audit-checkpoints.log"


@dataclass(frozen=True)
class Checkpoint:
    """What the log looked like at one moment: its head event, how many events, the head hash."""

    sequence: int  # the head event's id
    count: int  # events in the chain up to and including it
    head: str  # its hash
    at: str  # when the checkpoint was written (UTC)
    key_id: str  # the key the line's HMAC was made with
    reason: str  # every | exit | cli


def checkpoint_path(app: Flask) -> Path:
    """AUDIT_CHECKPOINT_FILE, else instance/audit-checkpoints.log."""
    configured = app.config.get("AUDIT_CHECKPOINT_FILE")
    return Path(configured) if configured else Path(app.instance_path) / DEFAULT_NAME


def _body(checkpoint: Checkpoint) -> bytes:
    return json.dumps(asdict(checkpoint), sort_keys=True, separators=(",", ":")).encode()


def format_line(checkpoint: Checkpoint, key: AuditKey) -> str:
    """The checkpoint as one JSON line whose `hmac` covers every other field."""
    fields = {**asdict(checkpoint), "hmac": key.mac("checkpoint", _body(checkpoint))}
    return json.dumps(fields, separators=(",", ":")) + "\n"


def append_line(path: Path, line: str) -> None:
    """One write with O_APPEND: lines from several workers never interleave or overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def _well_formed(checkpoint: Checkpoint) -> bool:
    numbers = (checkpoint.sequence, checkpoint.count)
    texts = (checkpoint.head, checkpoint.at, checkpoint.key_id, checkpoint.reason)
    return all(type(n) is int for n in numbers) and all(isinstance(t, str) for t in texts)


def parse_line(line: str, keyring: Keyring) -> Checkpoint | str:
    """The checkpoint on this line, or why it cannot be trusted."""
    try:
        fields = json.loads(line)
        claimed = fields.pop("hmac")
        checkpoint = Checkpoint(**fields)
    except (ValueError, TypeError, KeyError, AttributeError):
        return "not a checkpoint line (damaged or edited)"
    if not _well_formed(checkpoint):
        return "not a checkpoint line (damaged or edited)"
    key = keyring.get(checkpoint.key_id)
    if key is None:
        return f"signed with another key ({checkpoint.key_id}), not AUDIT_KEY or a previous key"
    if not isinstance(claimed, str) or not hmac.compare_digest(
        claimed, key.mac("checkpoint", _body(checkpoint))
    ):
        return "bad HMAC (forged or edited)"
    return checkpoint


def read_checkpoints(path: Path, keyring: Keyring) -> tuple[list[Checkpoint], list[str]]:
    """Every trusted checkpoint in the file, and a problem per line that is not one."""
    checkpoints, problems = [], []
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            parsed = parse_line(line, keyring)
            if isinstance(parsed, Checkpoint):
                checkpoints.append(parsed)
            else:
                problems.append(f"{path} line {number}: {parsed}")
    return checkpoints, problems
