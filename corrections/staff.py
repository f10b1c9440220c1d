"""Staff use cases on the queue: list (audited), assign, resolve, verify a listing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from accounts.models import User
from audit.log import record
from corrections.errors import ItemNotFound, ListingNotFound, NotStaff
from corrections.intake import open_item
from corrections.models import CorrectionItem
from corrections.resolving import close
from corrections.schemas import Resolution
from corrections.statuses import OPEN_STATUSES, STATUS_TABLE
from directory.extensions import db
from directory.models import Clinician

STAFF_ROLES = ("admin",)


@dataclass(frozen=True)
class QueueFilter:
    """Which items a staff member asked to see."""

    overdue: bool = False
    owner: str = ""  # "" anyone, "me", "none" (unassigned), or a user id
    status: str = "open"  # "open" (not resolved), "all", or one STATUS_TABLE code


def _owner_clause(actor, owner: str):
    if owner == "me":
        return CorrectionItem.owner_id == actor.id
    if owner == "none":
        return CorrectionItem.owner_id.is_(None)
    if owner.isdigit():
        return CorrectionItem.owner_id == int(owner)
    return None


def _where(actor, wanted: QueueFilter, now: datetime) -> list:
    where = []
    if wanted.status == "open":
        where.append(CorrectionItem.status.in_(OPEN_STATUSES))
    elif wanted.status in STATUS_TABLE:
        where.append(CorrectionItem.status == wanted.status)
    if wanted.overdue:
        where.append(CorrectionItem.status.in_(OPEN_STATUSES))
        where.append(or_(CorrectionItem.update_due_at < now, CorrectionItem.reverify_due_at < now))
    owner = _owner_clause(actor, wanted.owner)
    if owner is not None:
        where.append(owner)
    return where


def queue(actor, wanted: QueueFilter, now: datetime, limit: int = 100) -> list[CorrectionItem]:
    """The items staff asked for, soonest due first; every item shown is an audited read."""
    items = db.session.scalars(
        select(CorrectionItem)
        .where(*_where(actor, wanted, now))
        .order_by(CorrectionItem.update_due_at, CorrectionItem.id)
        .limit(limit)
    ).all()
    for item in items:
        record(actor, "read", "correction_item", item.id)
    db.session.commit()
    return items


def staff_accounts() -> list[User]:
    """Who can own an item: active staff accounts."""
    return db.session.scalars(
        select(User).where(User.role.in_(STAFF_ROLES), User.active.is_(True)).order_by(User.email)
    ).all()


def _item(item_id: int) -> CorrectionItem:
    item = db.session.get(CorrectionItem, item_id)
    if item is None:
        raise ItemNotFound(item_id)
    return item


def assign(actor, item_id: int, owner_id: int | None) -> CorrectionItem:
    """Give an item an owner (None: nobody); an open item owned by someone is in progress."""
    item = _item(item_id)
    if owner_id is not None:
        owner = db.session.get(User, owner_id)
        if owner is None or not owner.active or owner.role not in STAFF_ROLES:
            raise NotStaff(owner_id)
    item.owner_id = owner_id
    if item.status == "open" and owner_id is not None:
        item.status = "in_progress"
    record(actor, "assign", "correction_item", item.id)
    db.session.commit()
    return item


def resolve(actor, item_id: int, resolution: Resolution, now: datetime) -> CorrectionItem:
    """Close an item with its outcome; a verified listing records the method and evidence."""
    item = _item(item_id)
    close(item, actor.label, resolution, now, actor_id=actor.id)
    record(actor, "resolve", "correction_item", item.id)
    db.session.commit()
    return item


def verify_listing(actor, clinician_id: int, method: str, evidence: str, now: datetime):
    """Staff checked a whole listing: kept as a resolved review item with method and evidence."""
    clinician = db.session.get(Clinician, clinician_id)
    if clinician is None:
        raise ListingNotFound(str(clinician_id))
    item = open_item(clinician, "review", "reverify", now, actor.label)
    resolution = Resolution("confirmed_correct", None, method, evidence)
    close(item, actor.label, resolution, now, actor_id=actor.id)
    record(actor, "verify", "clinician", clinician.id)
    db.session.commit()
    return item
