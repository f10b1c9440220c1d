"""Plan look-up for NeedsSchema: a plan or network id -> the network ids that count as in it."""

from collections.abc import Callable

from sqlalchemy.orm import Session, selectinload

from directory.models import Network
from matching.needs import PlanScope


def plan_lookup(session: Session) -> Callable[[str], PlanScope | None]:
    """A look-up bound to `session`: None for an unknown id."""

    def lookup(plan_id: str) -> PlanScope | None:
        network = session.get(Network, plan_id, options=[selectinload(Network.networks)])
        if network is None:
            return None
        return PlanScope(network.id, network.name, frozenset(network.network_ids()))

    return lookup
