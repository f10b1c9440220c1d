"""Messages on a referral: post, list, download; only its two sides, every read audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from audit.log import record
from directory.extensions import db
from outbox.queue import deliver_ids
from referrals.attachment_store import AttachmentStore
from referrals.attachments import Checked, check
from referrals.clock import local_today
from referrals.disclosure import disclosure_for
from referrals.errors import Blocked, Denied, Invalid, NotFound, Unavailable
from referrals.message_consent import WITHHELD, admit, withheld_from
from referrals.message_models import MessageAttachment, ReferralMessage
from referrals.message_schemas import MessageSchema
from referrals.messages import queue_message_notice
from referrals.part2 import Content, classify
from referrals.use_cases.reads import load_visible
from referrals.use_cases.trail import audit_refusal, parse, refusals
from referrals.virus_scan import ScannerUnavailable, scan

SIDES = ("referrer", "receiver")


@dataclass(frozen=True)
class Thread:
    """A referral's messages, oldest first, the reader's side, and what is withheld (by id)."""

    referral_id: int
    side: str
    messages: list[ReferralMessage]
    withheld: dict[int, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Download:
    """An attachment's record and its bytes."""

    attachment: MessageAttachment
    data: bytes


def store() -> AttachmentStore:
    """ATTACHMENT_DIR, else the instance folder's attachments/ (never under static/)."""
    configured = current_app.config.get("ATTACHMENT_DIR")
    return AttachmentStore(Path(configured or Path(current_app.instance_path) / "attachments"))


def _side(actor, referral_id: int, action: str):
    """The referral and the actor's side of its thread; 404 for outsiders, 403 for others."""
    referral, found = load_visible(actor, referral_id, action)
    side = next((s for s in SIDES if s in found), None)
    if side is None:
        audit_refusal(actor, action, referral_id, "denied")
        raise Denied(
            "only the referring practice and the receiving clinician take part in messages",
            code="message_role",
        )
    if side == "receiver" and not disclosure_for(actor, found, referral, local_today()).allowed:
        # What the referring side writes is the patient's record: the consent gates it too.
        audit_refusal(actor, action, referral_id, "blocked")
        raise Blocked("the consent does not permit disclosure to you", code="message_blocked")
    return referral, side


def _checked_files(files: Sequence[tuple[str, bytes]]) -> list[Checked]:
    config = current_app.config
    if len(files) > config["MESSAGE_ATTACHMENTS_MAX"]:
        most = config["MESSAGE_ATTACHMENTS_MAX"]
        raise Invalid(
            f"at most {most} files per message",
            {"files": [f"at most {most} files"]},
            code="attachment_count",
        )
    checked = [check(name, data, config["MESSAGE_ATTACHMENT_MAX_BYTES"]) for name, data in files]
    if config["CLAMD_ADDRESS"]:
        for item in checked:
            _scanned(item, config["CLAMD_ADDRESS"], config["CLAMD_TIMEOUT_SECONDS"])
    return checked


def _scanned(item: Checked, address: str, timeout: float) -> None:
    """Refuse a file the virus scanner flags, or cannot vouch for."""
    try:
        found = scan(item.data, address, timeout)
    except ScannerUnavailable as err:
        raise Unavailable(
            "the attachment scanner did not answer; nothing was sent, try again later",
            {"files": ["could not be scanned"]},
            code="attachment_scanner",
            error_code="attachment_scanner",
        ) from err
    if not found.clean:
        raise Invalid(
            f"{item.filename} was refused: the virus scanner found {found.signature}",
            {"files": [f"{item.filename}: {found.signature}"]},
            code="attachment_infected",
            error_code="attachment_infected",
            outcome="blocked",
        )


def _classified(text: str, files: list[Checked]):
    """Part 2 from the body and every text attachment's content."""
    notes = (text, *(f.text for f in files if f.text is not None))
    return classify(Content(event_notes=tuple(notes)))


def _message(actor, referral, side: str, text: str, files: list[Checked], now: datetime):
    """The new message, labelled Part 2 from its own content (basis "message:..."), if admitted."""
    finding = _classified(text, files)
    basis = [b.replace("event_notes:", "message:") for b in finding.basis]
    admit(referral, side, finding, basis, local_today())
    return ReferralMessage(
        referral_id=referral.id,
        author=actor.label,
        author_role=actor.role,
        author_organization_id=actor.organization_id,
        side=side,
        body=text,
        part2=finding.part2,
        part2_basis=basis,
        created_at=now,
    )


def post(actor, referral_id: int, body, files: Sequence[tuple[str, bytes]], now: datetime):
    """Keep the message and its files, tell the other side (no PHI in the email); commits."""
    referral, side = _side(actor, referral_id, "message")
    saved = store()
    keys: list[str] = []
    try:
        with refusals(actor, "message", referral_id):
            text = parse(MessageSchema(), body if isinstance(body, dict) else {})["body"]
            checked = _checked_files(files)
            message = _message(actor, referral, side, text, checked, now)
            for item in checked:
                keys.append(saved.put(item.data))
                message.attachments.append(
                    MessageAttachment(
                        filename=item.filename,
                        media_type=item.media_type,
                        size=item.size,
                        sha256=item.sha256,
                        storage_key=keys[-1],
                    )
                )
            db.session.add(message)
            db.session.flush()
            record(actor, "create", "referral_message", message.id)
            ids = queue_message_notice(current_app.config, referral, side)
            db.session.commit()
    except BaseException:
        for key in keys:
            saved.remove(key)  # no file outlives the message it came with
        raise
    deliver_ids(current_app.config, ids)
    return message


def thread(actor, referral_id: int) -> Thread:
    """The referral's messages, oldest first, each read audited; commits the audit."""
    referral, side = _side(actor, referral_id, "read")
    rows = list(
        db.session.scalars(
            select(ReferralMessage)
            .where(ReferralMessage.referral_id == referral_id)
            .order_by(ReferralMessage.id)
        )
    )
    today = local_today()
    withheld = {}
    for row in rows:
        problems = withheld_from(referral, row, side, today)
        if problems:
            withheld[row.id] = problems
        record(actor, "read", "referral_message", row.id, outcome="blocked" if problems else "ok")
    if not rows:
        record(actor, "read", "referral_message", None)
    db.session.commit()
    return Thread(referral_id, side, rows, withheld)


def download(actor, referral_id: int, attachment_id: int) -> Download:
    """One attachment's bytes, to either side of its referral; audited; commits."""
    referral, side = _side(actor, referral_id, "read")
    found = db.session.get(MessageAttachment, attachment_id) if 0 < attachment_id < 2**31 else None
    if found is None or found.message.referral_id != referral_id:
        audit_refusal(actor, "read", referral_id, "denied")
        raise NotFound("attachment not found", code="attachment_missing")
    problems = withheld_from(referral, found.message, side, local_today())
    if problems:
        audit_refusal(actor, "read", referral_id, "blocked")
        raise Blocked(
            WITHHELD, {"consent": problems}, code="part2_withheld", error_code="part2_withheld"
        )
    data = store().read(found.storage_key)
    record(actor, "read", "message_attachment", found.id)
    db.session.commit()
    return Download(found, data)
