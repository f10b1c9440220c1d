"""Network adequacy API: a plan against the CMS county standards in one state."""

from __future__ import annotations

from flask import jsonify, request

from accounts.identity import current_actor, require_scope
from adequacy.schemas import AdequacyArgsSchema
from adequacy.use_cases import adequacy_report
from api.routing import Routes
from referrals import use_cases
from referrals.clock import local_today

routes = Routes()


@routes.get("/analytics/adequacy")
@require_scope("analytics:read")
def network_adequacy_route():
    """Per county and BH type: share within the standard, providers against the minimum."""
    args = AdequacyArgsSchema().load(request.args.to_dict(flat=True))
    report = adequacy_report(
        current_actor(), args["plan"], args["state"], local_today(), use_cases.zone()
    )
    return jsonify(report)
