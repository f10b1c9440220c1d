"""Find the organization a CLI names, create one when asked, link a payer to its plans."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from accounts.models import ROLE_ORG_KIND, ROLE_ORG_KINDS, organization_plan
from directory.extensions import db
from directory.models import Network, Organization


class OrganizationError(ValueError):
    """An organization reference that cannot be used."""


def find_organization(ref: str) -> Organization | None:
    """By numeric id, then external id, then exact name (which must be unambiguous)."""
    ref = ref.strip()
    if ref.isdigit():
        found = db.session.get(Organization, int(ref))
        if found is not None:
            return found
    found = db.session.scalar(select(Organization).where(Organization.external_id == ref))
    if found is not None:
        return found
    named = db.session.scalars(select(Organization).where(Organization.name == ref)).all()
    if len(named) > 1:
        ids = ", ".join(str(o.id) for o in named)
        raise OrganizationError(f"{len(named)} organizations are named {ref!r}; use an id: {ids}")
    return named[0] if named else None


def organization_for_role(ref: str, role: str) -> tuple[Organization, bool]:
    """The organization `ref` names, created with a kind fitting `role` if unknown."""
    org = find_organization(ref)
    if org is None:
        if not ref.strip() or ref.strip().isdigit():
            raise OrganizationError(f"no organization with id {ref!r}")
        org = Organization(name=ref.strip(), kind=ROLE_ORG_KIND[role], source="accounts")
        db.session.add(org)
        db.session.flush()
        return org, True
    allowed = ROLE_ORG_KINDS.get(role)
    if allowed is not None and org.kind not in allowed:
        raise OrganizationError(
            f"a {role} user cannot belong to organization {org.id} of kind {org.kind}"
        )
    return org, False


def parse_plan_ids(plans: str | Iterable[str] | None) -> list[str]:
    """Plan ids from a comma-separated string or a list."""
    if not plans:
        return []
    items = plans.split(",") if isinstance(plans, str) else list(plans)
    return sorted({p.strip() for p in items if p.strip()})


def link_plans(org: Organization, plan_ids: Iterable[str]) -> list[str]:
    """Record that a health-plan organization administers these plans; returns new links."""
    plan_ids = list(plan_ids)
    if not plan_ids:
        return []
    if org.kind != "health_plan":
        raise OrganizationError(f"organization {org.id} is not a health plan ({org.kind})")
    known = set(db.session.scalars(select(Network.id).where(Network.id.in_(plan_ids))))
    unknown = sorted(set(plan_ids) - known)
    if unknown:
        raise OrganizationError(f"unknown plan/network id(s): {', '.join(unknown)}")
    linked = set(
        db.session.scalars(
            select(organization_plan.c.network_id).where(
                organization_plan.c.organization_id == org.id
            )
        )
    )
    new = [p for p in plan_ids if p not in linked]
    if new:
        db.session.execute(
            organization_plan.insert(), [{"organization_id": org.id, "network_id": p} for p in new]
        )
    return new
