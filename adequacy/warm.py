"""A worker that just started reads the places of the plans and states reported lately, in the
background, so a plan's first report in that worker does not pay the full read and the grid."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from adequacy import cache
from adequacy.standards import known_state, load_reference
from adequacy.use_cases import county_rows
from audit.models import AuditEvent
from directory.extensions import db
from directory.models import Network
from directory.models.verification import utcnow

RECENT = timedelta(days=30)  # reports older than this are not worth a worker's start-up
SCANNED = 500  # newest report events looked at for the distinct (plan, state) pairs

log = logging.getLogger(__name__)


def recent_reports(limit: int = cache.KEPT) -> list[tuple[str, str]]:
    """(plan, state) of the adequacy reports served in the last 30 days, newest first."""
    rows = db.session.scalars(
        select(AuditEvent.object_id)
        .where(AuditEvent.object_type == "network_adequacy", AuditEvent.outcome == "ok")
        .where(AuditEvent.at >= utcnow() - RECENT)
        .order_by(AuditEvent.id.desc())
        .limit(SCANNED)
    )
    found: list[tuple[str, str]] = []
    for object_id in rows:
        plan_id, _, state = (object_id or "").rpartition(":")
        if plan_id and known_state(state) and (plan_id, state) not in found:
            found.append((plan_id, state))
    return found[:limit]


def _warm(app: Flask) -> None:
    """The reference files, then each recent plan and state's places and rows."""
    with app.app_context():
        try:
            load_reference()
            for plan_id, state in recent_reports():
                plan = db.session.get(Network, plan_id)
                if plan is not None:
                    county_rows(plan.network_ids(), state)
        except Exception:  # a warm-up is an optimization: the first report reads as usual
            log.exception("adequacy warm-up failed")
        finally:
            db.session.remove()


def warm(app: Flask) -> threading.Thread | None:
    """Start warming in a daemon thread (None when ADEQUACY_WARM is off)."""
    if not app.config.get("ADEQUACY_WARM", True):
        return None
    thread = threading.Thread(target=_warm, args=(app,), name="adequacy-warm", daemon=True)
    thread.start()
    return thread
