"""Analytics API: the referral funnel and directory accuracy for a period."""

from __future__ import annotations

from flask import jsonify, request

from accounts.identity import current_actor, require_scope
from api.routing import Routes
from directory.models.verification import utcnow
from referrals import use_cases
from referrals.directory_schemas import DirectoryArgsSchema
from referrals.funnel_schemas import FunnelArgsSchema
from referrals.use_cases.directory_report import directory_report
from referrals.use_cases.funnel import funnel_report

routes = Routes()


@routes.get("/analytics/referrals")
@require_scope("analytics:read")
def referral_funnel_route():
    """Sent -> acknowledged -> scheduled -> attended per group, small cells withheld."""
    args = FunnelArgsSchema().load(request.args.to_dict(flat=True))
    report = funnel_report(
        current_actor(),
        args["group_by"],
        args["start"],
        args["end"],
        use_cases.zone(),
        reference=args["reference"],
    )
    return jsonify(report)


@routes.get("/analytics/directory")
@require_scope("analytics:read")
def directory_accuracy_route():
    """Verification ages, flags and their clocks, declines, responsiveness, inactive listings."""
    args = DirectoryArgsSchema().load(request.args.to_dict(flat=True))
    report = directory_report(
        current_actor(), args["start"], args["end"], utcnow(), use_cases.zone()
    )
    return jsonify(report)
