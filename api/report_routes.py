"""Report a problem with a listing: public, no sign-in, rate limited per address."""

from __future__ import annotations

from flask import abort, current_app, request
from flask_limiter.util import get_remote_address
from marshmallow import Schema, fields

from api.routing import Routes
from corrections.errors import ListingNotFound
from corrections.intake import file_report, reporter_ref
from corrections.schemas import ReportSchema
from directory.models.verification import utcnow
from edge.extensions import limiter

routes = Routes()


def report_limit() -> str:
    """Reports each address may send (PROBLEM_REPORT_RATE_LIMIT)."""
    return current_app.config["PROBLEM_REPORT_RATE_LIMIT"]


def reporter_key() -> str:
    """Reports count per address, keyed by its hash as stored on the report."""
    return reporter_ref(get_remote_address()) or "unknown"


class ReportReceivedDoc(Schema):
    """What the reporter is told: received, and when the listing must be checked by."""

    problem = fields.String(metadata={"description": "The problem reported."})
    received_at = fields.DateTime(metadata={"description": "When the report arrived."})
    update_due_at = fields.DateTime(
        metadata={"description": "Listing updated or confirmed by (2 business days)."}
    )


@routes.post("/clinicians/<npi>/reports")
@limiter.limit(report_limit, key_func=reporter_key, scope="problem-reports")
def report_problem(npi: str):
    """Say what is wrong with a listing; health information is neither asked nor wanted."""
    report = ReportSchema().load(request.get_json(silent=True) or {})
    try:
        item = file_report(npi, report, get_remote_address(), utcnow())
    except ListingNotFound:
        abort(404, description="No clinician with that NPI is listed.")
    return ReportReceivedDoc().dump(
        {
            "problem": item.problem,
            "received_at": item.opened_at,
            "update_due_at": item.update_due_at,
        }
    ), 201
