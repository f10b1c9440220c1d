"""The phone question "is Dr X in my plan?": a clinician by name or NPI, per plan and place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from directory.extensions import db
from directory.models import Clinician
from directory.models.network import Network

LOOKUP_LIMIT = 10


@dataclass(frozen=True)
class NetworkAnswer:
    """One plan at one place: in network or not, and where the yes came from and when."""

    plan: str
    place: str
    in_network: bool
    source: str | None = None
    verified_at: datetime | None = None


def find_clinicians(query: str) -> list[Clinician]:
    """Active clinicians whose NPI is `query`, or whose name contains it (at most 10)."""
    text = query.strip()
    if not text:
        return []
    if text.isdigit():
        where = Clinician.npi == text
    else:
        like = f"%{text.lower()}%"
        full = func.lower(func.coalesce(Clinician.first_name, "") + " " + Clinician.last_name)
        where = or_(full.like(like), func.lower(Clinician.last_name).like(like))
    query_ = select(Clinician).where(Clinician.active.is_(True), where)
    return list(db.session.scalars(query_.order_by(Clinician.last_name).limit(LOOKUP_LIMIT)))


def _participation(clinician: Clinician, plan: Network, location_id: int):
    """What puts `clinician` in `plan` at that place (one without a place counts)."""
    ids = plan.network_ids()
    for p in clinician.participations:
        if p.network_id in ids and p.location_id in (None, location_id):
            return p
    return None


def network_answers(clinician: Clinician, plans: list[Network]) -> list[NetworkAnswer]:
    """For each of the agent's plans and each of the clinician's places: in network or not."""
    found = []
    for plan in plans:
        for link in clinician.locations:
            p = _participation(clinician, plan, link.location_id)
            found.append(
                NetworkAnswer(
                    plan=plan.name,
                    place=link.location.address,
                    in_network=p is not None,
                    source=(p.verified_source or p.source) if p else None,
                    verified_at=p.verified_at if p else None,
                )
            )
    return found
