"""The adequacy report for a plan and a state: visibility, the audit, the referral standard."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from adequacy import cache
from adequacy.compute import assess
from adequacy.providers import box_around, provider_points, remote_types
from adequacy.standards import county_zctas, state_standards
from audit.log import record
from directory.extensions import db
from directory.models import Network
from directory.models.network import NetworkParticipation
from referrals.errors import Denied, NotFound
from referrals.funnel import APPOINTMENT_STANDARD_DAYS, suppress
from referrals.report_scope import PRACTICE_MANAGER
from referrals.use_cases.funnel import funnel_figures

STANDARD = "CMS Medicare Advantage HSD reference file, 2026"
APPOINTMENT_REQUIRED_SHARE = 0.90  # routine BH appointments within 10 business days, 90%
APPOINTMENT_PERIOD_DAYS = 365


def visible_plan(actor, plan_id: str) -> Network:
    """The plan, if the actor may report on it: admins any, others their organization's plans."""
    if actor.role == PRACTICE_MANAGER:
        # Adequacy is a plan's network against county standards: no practice's own report.
        record(actor, "read", "network_adequacy", plan_id, outcome="denied")
        db.session.commit()
        raise Denied(
            "network adequacy is reported per plan, for plans and administrators",
            code="plan_report_role",
        )
    plan = db.session.get(Network, plan_id)
    if plan is None or (actor.role != "admin" and plan_id not in actor.plan_ids):
        record(actor, "read", "network_adequacy", plan_id, outcome="denied")
        db.session.commit()
        raise NotFound("No plan by that id that you may report on.", code="not_yours")
    return plan


def reportable_plans(actor) -> list[Network]:
    """Plans the actor may report on, by name: admins every plan, others their own."""
    query = select(Network).order_by(Network.name, Network.id)
    if actor.role == "admin":
        return list(db.session.scalars(query.where(Network.kind == "plan")))
    return list(db.session.scalars(query.where(Network.id.in_(sorted(actor.plan_ids)))))


def _failing_first(row: dict) -> tuple:
    """Failing rows first, the furthest from the standard first; then by county and type."""
    return (row["meets"], -row["share_shortfall"], -row["provider_shortfall"], row["name"],
            row["specialty_code"])  # fmt: skip


def _appointments(actor, plan_id: str, today: date, tz: ZoneInfo) -> dict:
    """The plan's share of referrals booked within 10 business days over the last year."""
    start = today - timedelta(days=APPOINTMENT_PERIOD_DAYS - 1)
    groups, _ = funnel_figures(actor, "plan", start, today, tz)
    mine = [g for g in groups if g["key"] == plan_id]
    share = None
    if mine:
        # The funnel's own rule withholds a share resting on fewer than 11 referrals.
        suppress(mine, dict(mine[0]))
        share = mine[0]["share_appointment_within_10_business_days"]
    return {
        "from": start.isoformat(),
        "to": today.isoformat(),
        "business_days": APPOINTMENT_STANDARD_DAYS,
        "share_appointment_within_10_business_days": share,
        "required_share": APPOINTMENT_REQUIRED_SHARE,
        "meets": None if share is None else share >= APPOINTMENT_REQUIRED_SHARE,
    }


def county_rows(network_ids: set[str], state: str) -> list[dict]:
    """Every county standard of the state, measured against the networks' clinicians (no
    visibility check, no audit: the report's and the worker warm-up's own computation)."""
    standards = state_standards(state)
    zctas = [z for fips in {s.fips for s in standards} for z in county_zctas(fips)]
    box = None
    if zctas:
        reach = max(s.radius_miles for s in standards)
        box = box_around([z.lat for z in zctas], [z.lon for z in zctas], reach)

    def read(connection, clinicians=None) -> cache.Places:
        """Every clinician's places (`clinicians` None), or only those clinicians'."""
        providers = provider_points(connection, network_ids, box, clinicians) if box else {}
        remote = remote_types(connection, network_ids, state, clinicians)
        return cache.Places(providers, remote)

    key = (tuple(sorted(network_ids)), state)
    places = cache.current(db.engine, db.session.connection(), key, read)
    counties = assess(standards, county_zctas, places.providers, places.telehealth, places.rows)
    return sorted(counties, key=_failing_first)


def adequacy_report(actor, plan_id: str, state: str, today: date, tz: ZoneInfo) -> dict:
    """Per county and BH type, the plan against the CMS standards; the access is audited."""
    plan = visible_plan(actor, plan_id)
    network_ids = plan.network_ids()
    members = db.session.scalar(
        select(NetworkParticipation.id)
        .where(NetworkParticipation.network_id.in_(sorted(network_ids)))
        .limit(1)
    )
    counties = county_rows(network_ids, state)
    report = {
        "plan": plan.id,
        "plan_name": plan.name,
        "state": state,
        "standard": STANDARD,
        "networks": sorted(n.id for n in plan.networks),
        "counties": counties,
        "failing": sum(not row["meets"] for row in counties),
        "appointments": _appointments(actor, plan.id, today, tz),
    }
    if members is None:
        report["message"] = (
            f"{plan.name} has no networks with clinicians in them: no county can meet a standard."
        )
    record(actor, "read", "network_adequacy", f"{plan.id}:{state}")
    db.session.commit()
    return report
