"""Plan look-up for NeedsSchema: a plan or network id -> the network ids that count as in it."""

from collections.abc import Callable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from directory.models import Network
from directory.models.network import plan_network
from matching.needs import PlanScope

_network = Network.__table__
# One row per network of the plan (Network.networks), or one with NULL for a network or a plan
# without any; the foreign key guarantees each network_id names a network. Built once: every
# match with a plan runs it, and composing a statement costs more CPU than running it.
_SCOPE = (
    select(_network.c.id, _network.c.name, plan_network.c.network_id)
    .outerjoin(plan_network, plan_network.c.plan_id == _network.c.id)
    .where(_network.c.id == bindparam("plan_id"))
)


def _storable(plan_id: str) -> bool:
    """False for an id no network can have and the driver would refuse (a 500, not a 400)."""
    # PostgreSQL refuses NUL in text; a lone surrogate (JSON allows "\ud800") is not UTF-8.
    if "\x00" in plan_id:
        return False
    try:
        plan_id.encode()
    except UnicodeEncodeError:
        return False
    return True


def plan_lookup(session: Session) -> Callable[[str], PlanScope | None]:
    """A look-up bound to `session`: None for an unknown id."""

    def lookup(plan_id: str) -> PlanScope | None:
        if not _storable(plan_id):
            return None
        rows = session.execute(_SCOPE, {"plan_id": plan_id}).all()
        if not rows:
            return None
        found = rows[0]
        # As Network.network_ids(): the plan itself and its networks.
        ids = {found.id, *(row.network_id for row in rows if row.network_id is not None)}
        return PlanScope(found.id, found.name, frozenset(ids))

    return lookup
