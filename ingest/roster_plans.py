"""The plans and networks a roster names: kept consistent across rows, upserted before use."""

from dataclasses import dataclass, field

from sqlalchemy import select

from directory.extensions import db
from directory.models import Network
from ingest.roster_fields import CellFault
from ingest.roster_rows import PlanRef

SOURCE = "roster"


@dataclass
class PlanBook:
    """Every plan and network seen in one roster file, and which are already in the database."""

    plans: dict[str, tuple[PlanRef, int]] = field(default_factory=dict)
    networks: dict[str, tuple[str | None, int]] = field(default_factory=dict)
    served_by: set[tuple[str, str]] = field(default_factory=set)
    saved: dict[str, tuple] = field(default_factory=dict)

    def check(self, plan: PlanRef) -> None:
        """Raise CellFault when a row describes a known plan or network differently."""
        known = self.plans.get(plan.plan_id)
        if known is not None:
            earlier, line = known
            for column in ("plan_name", "plan_type", "payer"):
                mine, theirs = getattr(plan, column), getattr(earlier, column)
                if mine is not None and theirs is not None and mine != theirs:
                    raise CellFault(
                        column, f"differs from line {line} for plan {plan.plan_id}", mine
                    )
        if plan.network_id and plan.network_id in self.networks:
            name, line = self.networks[plan.network_id]
            if plan.network_name and name and plan.network_name != name:
                raise CellFault(
                    "network_name",
                    f"differs from line {line} for network {plan.network_id}",
                    plan.network_name,
                )
        if plan.network_id == plan.plan_id:
            raise CellFault("network_id", "must differ from plan_id", plan.network_id)

    def note(self, plan: PlanRef, line: int) -> None:
        """Remember a checked row's plan (first values win; later rows may fill gaps)."""
        earlier, first_line = self.plans.get(plan.plan_id, (plan, line))
        self.plans[plan.plan_id] = (
            PlanRef(
                plan_id=plan.plan_id,
                plan_name=earlier.plan_name,
                plan_type=earlier.plan_type or plan.plan_type,
                payer=earlier.payer or plan.payer,
            ),
            first_line,
        )
        if plan.network_id:
            name, first_line = self.networks.get(plan.network_id, (None, line))
            self.networks[plan.network_id] = (name or plan.network_name, first_line)
            self.served_by.add((plan.plan_id, plan.network_id))

    def save(self, plan_ids: set[str]) -> None:
        """Upsert the plans (and their networks) that a batch's records refer to."""
        state = {p: self._state(p) for p in plan_ids}
        wanted = {p for p, now in state.items() if self.saved.get(p) != now}
        if not wanted:
            return
        network_ids = {n for p, n in self.served_by if p in wanted}
        query = select(Network).where(Network.id.in_(sorted(wanted | network_ids)))
        rows = {n.id: n for n in db.session.scalars(query)}
        for network_id in sorted(network_ids):
            _set(rows, network_id, name=self.networks[network_id][0] or network_id, kind="network")
        for plan_id in sorted(wanted):
            self._save_plan(rows, plan_id)
            self.saved[plan_id] = state[plan_id]
        db.session.flush()

    def _state(self, plan_id: str) -> tuple:
        """What is known of a plan now; saved again only when this changes."""
        networks = sorted((n, self.networks[n][0]) for p, n in self.served_by if p == plan_id)
        return self.plans[plan_id][0], tuple(networks)

    def _save_plan(self, rows: dict[str, Network], plan_id: str) -> None:
        plan = self.plans[plan_id][0]
        row = _set(rows, plan_id, name=plan.plan_name, kind="plan")
        for attr in ("plan_type", "payer"):
            value = getattr(plan, attr)
            if value is not None and getattr(row, attr) != value:
                setattr(row, attr, value)
        for served in sorted(n for p, n in self.served_by if p == plan_id):
            if rows[served] not in row.networks:
                row.networks.append(rows[served])


def _set(rows: dict[str, Network], network_id: str, name: str, kind: str) -> Network:
    """The Network row for `network_id`, created or brought up to date."""
    row = rows.get(network_id)
    if row is None:
        row = Network(id=network_id, name=name, kind=kind, source=SOURCE)
        db.session.add(row)
        rows[network_id] = row
        return row
    if row.name != name:
        row.name = name
    if row.kind != kind:
        row.kind = kind
    return row
