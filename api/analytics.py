"""Analytics API: the referral funnel for a period, for plans, practices and admins."""

from __future__ import annotations

from flask import jsonify, request

from accounts.identity import current_actor, require_scope
from api.routing import Routes
from referrals import use_cases
from referrals.funnel_schemas import FunnelArgsSchema
from referrals.use_cases.funnel import funnel_report

routes = Routes()


@routes.get("/analytics/referrals")
@require_scope("analytics:read")
def referral_funnel_route():
    """Sent -> acknowledged -> scheduled -> attended per group, small cells withheld."""
    args = FunnelArgsSchema().load(request.args.to_dict(flat=True))
    report = funnel_report(
        current_actor(), args["group_by"], args["start"], args["end"], use_cases.zone()
    )
    return jsonify(report)
