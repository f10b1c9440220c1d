"""Who may see and act on a referral: pure functions of the Actor and the referral."""

from __future__ import annotations

# Roles that may open a referral for their organization (an API key acts as "partner").
REFERRING_ROLES = frozenset({"pcp", "plan_staff", "admin", "partner"})


def relations(actor, referral) -> frozenset[str]:
    """How `actor` stands to `referral`: referrer, receiver, plan, admin (possibly several)."""
    if actor is None:
        return frozenset()
    found: set[str] = set()
    if actor.role == "admin":
        found.add("admin")
    if (
        actor.role in REFERRING_ROLES
        and actor.organization_id is not None
        and actor.organization_id == referral.referring_organization_id
    ):
        found.add("referrer")
    # The receiving side sees nothing until the referral has been sent to them.
    if referral.sent_at is not None and is_receiver(actor, referral):
        found.add("receiver")
    if is_plan_member(referral) and referral.plan_id in actor.plan_ids:
        found.add("plan")
    return frozenset(found)


def is_receiver(actor, referral) -> bool:
    """The referral's clinician, or the staff of the organization running its program."""
    if referral.clinician is not None:
        return referral.clinician.npi in actor.npis
    owner = program_organization_id(referral)
    return (
        actor.role == "community"
        and owner is not None
        and getattr(actor, "program_organization_id", None) == owner
    )


def program_organization_id(referral) -> int | None:
    """The organization running the program a program referral goes to (None otherwise)."""
    site = referral.site
    return site.service.organization_id if site is not None else None


def is_plan_member(referral) -> bool:
    """A plan's member id on a referral for that plan: what proves the patient is the plan's."""
    return referral.plan_id is not None and bool((referral.patient_member_id or "").strip())


def can_view(actor, referral) -> bool:
    """A PCP sees their organization's, a clinician theirs, plan staff their plan's, admin all."""
    return bool(relations(actor, referral))


def can_manage(actor, referral) -> bool:
    """Consent revocation, the checklist and re-referral belong to the referring side."""
    return bool({"referrer", "admin"} & relations(actor, referral))


def can_create(actor) -> bool:
    """Referring roles with an organization to refer for."""
    return actor is not None and actor.role in REFERRING_ROLES and actor.organization_id is not None


def episode_relations(actor, episode) -> frozenset[str]:
    """How `actor` stands to an episode of care: its referring organization's staff, or admin."""
    if actor is None:
        return frozenset()
    found: set[str] = set()
    if actor.role == "admin":
        found.add("admin")
    if (
        actor.role in REFERRING_ROLES
        and actor.organization_id is not None
        and actor.organization_id == episode.organization_id
    ):
        found.add("referrer")
    return frozenset(found)
