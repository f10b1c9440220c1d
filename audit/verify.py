"""Verify the audit log: the keyed chain, then the chain against every checkpoint."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from audit.checkpoint_file import Checkpoint, read_checkpoints
from audit.hashing import GENESIS_HASH, keyed_hash, legacy_hash
from audit.keys import Keyring, keyring
from audit.models import AuditEvent

_BATCH = 1000
_LEGACY_ONLY = ("client_addr", "account_ref", "chain_count")


@dataclass
class ChainWalk:
    """How far the chain verified, and what was seen on the way."""

    checked: int = 0
    bad_id: int | None = None
    reason: str | None = None
    legacy: int = 0
    key_ids: dict[str, int] = field(default_factory=dict)
    head_id: int = 0
    pinned: dict[int, tuple[str, int]] = field(default_factory=dict)  # id: (hash, place)

    @property
    def ok(self) -> bool:
        return self.bad_id is None


def _legacy_problem(row, walk: ChainWalk) -> str | None:
    if walk.key_ids:
        return "an unkeyed (legacy) event after keyed ones: rewritten without the key"
    if any(row[name] is not None for name in _LEGACY_ONLY):
        return "a legacy event holding fields its hash does not cover"
    if row["hash"] != legacy_hash(row, row["prev_hash"]):
        return "its hash does not match its fields"
    return None


def _keyed_problem(row, walk: ChainWalk, ring: Keyring) -> str | None:
    key = ring.get(row["key_id"])
    if key is None:
        return (
            f"signed with another key ({row['key_id']}), "
            "neither AUDIT_KEY nor one of AUDIT_PREVIOUS_KEYS"
        )
    if row["chain_count"] != walk.checked + 1:
        return (
            f"it says it is event {row['chain_count']} of the chain, but it is {walk.checked + 1}"
        )
    if not hmac.compare_digest(row["hash"], keyed_hash(row, row["prev_hash"], key)):
        return f"its HMAC (key {key.key_id}) does not match its fields"
    return None


def _link_problem(row, prev: str, walk: ChainWalk, ring: Keyring) -> str | None:
    if row["prev_hash"] != prev:
        return "it does not link to the event before it (events removed or inserted)"
    if row["key_id"] is None:
        return _legacy_problem(row, walk)
    return _keyed_problem(row, walk, ring)


def walk_chain(bind, ring: Keyring, pins: frozenset[int] = frozenset()) -> ChainWalk:
    """Check every link in id order, stopping at the first bad event; remember `pins`."""
    table = AuditEvent.__table__
    stmt = select(table).order_by(table.c.id).execution_options(yield_per=_BATCH)
    walk, prev = ChainWalk(), GENESIS_HASH
    for row in bind.execute(stmt).mappings():
        problem = _link_problem(row, prev, walk, ring)
        if problem:
            walk.bad_id, walk.reason = row["id"], problem
            return walk
        walk.checked += 1
        if row["key_id"] is None:
            walk.legacy += 1
        else:
            walk.key_ids[row["key_id"]] = walk.key_ids.get(row["key_id"], 0) + 1
        prev, walk.head_id = row["hash"], row["id"]
        if row["id"] in pins:
            walk.pinned[row["id"]] = (row["hash"], walk.checked)
    return walk


def verify_chain(
    bind: Session | Connection | None = None, ring: Keyring | None = None
) -> tuple[bool, int, int | None]:
    """Walk the chain in id order: (ok, events checked, id of the first bad event or None)."""
    if bind is None:
        from directory.extensions import db

        bind = db.session
    walk = walk_chain(bind, ring or keyring(create=False))
    return walk.ok, walk.checked, walk.bad_id


def checkpoint_problem(walk: ChainWalk, cp: Checkpoint) -> str | None:
    """Why the verified chain contradicts this checkpoint, or None."""
    taken = f"the checkpoint of {cp.at} counted {cp.count} events up to event {cp.sequence}"
    if walk.checked == 0:
        return f"the log is empty, but {taken}: events were removed (TRUNCATE or DELETE)"
    pinned = walk.pinned.get(cp.sequence)
    if pinned is None and walk.head_id < cp.sequence:
        return (
            f"the log is shorter than its checkpoint: it ends at event {walk.head_id} "
            f"({walk.checked} events), but {taken}: the newest events were removed"
        )
    if pinned is None:
        return f"event {cp.sequence} is missing, but {taken}"
    head_hash, place = pinned
    if head_hash != cp.head:
        return f"event {cp.sequence} is not the one checkpointed (another hash): {taken}"
    if place != cp.count:
        return f"{place} events up to event {cp.sequence}, but {taken}: events removed or inserted"
    return None


@dataclass
class Verdict:
    """What `flask audit verify` says: failures exit 1; warnings exit 1 only under --strict."""

    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _chain_note(walk: ChainWalk) -> str:
    keys = ", ".join(f"{kid} ({n})" for kid, n in walk.key_ids.items()) or "none"
    return (
        f"audit chain ok: {walk.checked} events verified "
        f"({walk.legacy} legacy unkeyed; signed with keys: {keys})"
    )


def _coverage_warnings(walk: ChainWalk, newest: Checkpoint | None, every: int, path) -> list[str]:
    """What the checkpoints leave unprotected, or suggest was removed from their file."""
    found = []
    if newest is None and walk.checked:
        found.append(
            f"no checkpoint in {path} (missing, emptied or never written) while the log has "
            f"{walk.checked} events: nothing outside the database vouches for them"
        )
    if newest is not None and walk.head_id >= (newest.sequence // every + 1) * every:
        found.append(
            f"the newest checkpoint is at event {newest.sequence}, but the log has passed event "
            f"{(newest.sequence // every + 1) * every} (one every {every}): lines may have been "
            "removed from the checkpoint file, or a write failed"
        )
    if walk.legacy and (newest is None or newest.count < walk.legacy):
        found.append(
            f"{walk.legacy} legacy unkeyed events are covered by no checkpoint: "
            "run `flask audit checkpoint` once after upgrading"
        )
    return found


def _checkpoint_failure(walk: ChainWalk, checkpoints: list[Checkpoint]) -> str | None:
    """Every checkpoint must hold: a checkpoint written after tampering still has older ones."""
    failed = [(cp, why) for cp in checkpoints if (why := checkpoint_problem(walk, cp))]
    if not failed:
        return None
    _cp, why = max(failed, key=lambda pair: pair[0].sequence)
    return f"audit log FAILS {len(failed)} of {len(checkpoints)} checkpoints; the newest: {why}"


def verify_log(bind, ring: Keyring, path: Path, every: int) -> Verdict:
    """The chain with the key, then against every checkpoint in `path`."""
    verdict = Verdict()
    checkpoints, bad_lines = read_checkpoints(path, ring) if path.exists() else ([], [])
    newest = max(checkpoints, key=lambda cp: (cp.sequence, cp.at), default=None)
    walk = walk_chain(bind, ring, frozenset(cp.sequence for cp in checkpoints))
    verdict.failures.extend(f"checkpoint file {problem}" for problem in bad_lines)
    if not walk.ok:
        verdict.failures.insert(
            0,
            f"audit chain BROKEN at event {walk.bad_id} ({walk.checked} events before it "
            f"verified): {walk.reason}",
        )
        return verdict
    verdict.notes.append(_chain_note(walk))
    failure = _checkpoint_failure(walk, checkpoints)
    if failure:
        verdict.failures.append(failure)
    elif newest:
        verdict.notes.append(
            f"checkpoints ok ({len(checkpoints)}); the newest: event {newest.sequence} "
            f"({newest.count} events) as of {newest.at}; {walk.checked - newest.count} events "
            "after it are not yet checkpointed"
        )
    verdict.warnings.extend(_coverage_warnings(walk, newest, every, path))
    return verdict
