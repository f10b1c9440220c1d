"""The reports page: the referral funnel, time to appointment and directory accuracy, with CSV."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError

from accounts.identity import current_actor
from console import staff_blueprint
from console.access import page_for
from console.equity import equity_charts, measure_labels
from console.referral_actions import PageRefusal, on_page
from console.report_tables import DIRECTORY_TABLES, FUNNEL_TABLES, TABLES, table_rows, to_csv
from corrections.statuses import KINDS, PROBLEMS
from directory.models.verification import utcnow
from pages.bars import bar_chart
from referrals import use_cases
from referrals.directory_accuracy import BUCKETS
from referrals.funnel import COUNTS
from referrals.funnel_schemas import FUNNEL_GROUPS, FunnelArgsSchema
from referrals.use_cases.directory_report import directory_report
from referrals.use_cases.funnel import funnel_report

DEFAULT_DAYS = 90  # the page opens on the last 90 days, today included


def stage_labels() -> dict[str, str]:
    """Funnel stages in the page's words."""
    return {
        "sent": _("Sent"),
        "acknowledged": _("Acknowledged"),
        "scheduled": _("Scheduled"),
        "attended": _("Attended"),
        "declined": _("Declined"),
        "no_show": _("No-show"),
        "expired": _("Expired"),
    }


def group_labels() -> dict[str, str]:
    """The funnel's group-by choices in the page's words."""
    return {
        "plan": _("Plan"),
        "language": _("Patient language"),
        "clinician": _("Clinician"),
        "kind": _("Referral kind"),
        "urgency": _("Urgency"),
        "race_ethnicity": _("Race and ethnicity"),
        "age_band": _("Age band"),
        "county_type": _("County type"),
    }


def bucket_labels() -> dict[str, str]:
    """Verification-age buckets in the page's words."""
    return {
        "0_30": _("0–30 days"),
        "31_90": _("31–90 days"),
        "91_180": _("91–180 days"),
        "181_365": _("181–365 days"),
        "over_365": _("More than a year"),
        "never": _("Never verified"),
    }


def _query(args: dict, today) -> dict:
    """The period and grouping asked for, the last 90 days by plan when nothing is asked."""
    given = {key: value for key, value in args.items() if key not in ("format", "table")}
    if not given.get("reference"):
        given.pop("reference", None)  # the form's "largest group" choice
    given.setdefault("from", (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat())
    given.setdefault("to", today.isoformat())
    given.setdefault("group_by", "plan")
    return FunnelArgsSchema().load(given)


def _charts(funnel: dict | None, directory: dict | None) -> dict:
    """Inline SVG bars for the funnel stages and the verification ages."""
    charts = {}
    if funnel is not None:
        stages = stage_labels()
        bars = [(stages[c], funnel["total"][c]) for c in COUNTS]
        charts["funnel"] = bar_chart(_("Referrals reaching each stage"), bars)
        charts["equity"] = equity_charts(funnel)
    if directory is not None:
        buckets = bucket_labels()
        found = directory["verification"]["buckets"]
        bars = [(buckets[b], found[b]) for b in BUCKETS]
        charts["verification"] = bar_chart(_("Listings by days since verified"), bars)
    return charts


def _csv(name: str, funnel, directory, args) -> Response:
    """One table as a CSV download."""
    body = to_csv(table_rows(name, funnel, directory))
    filename = f"{name}-{args['start']}-{args['end']}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _page(status: int, **context):
    """The page with its words; no figures when the query was refused."""
    return (
        render_template(
            "console/staff/reports.html",
            groups=FUNNEL_GROUPS,
            group_words=group_labels(),
            stages=stage_labels(),
            buckets=bucket_labels(),
            problems=PROBLEMS,
            kinds=KINDS,
            tables=TABLES,
            measures=measure_labels(),
            charts=context.pop("charts", {}),
            **context,
        ),
        status,
    )


def _read(args: dict, table: str | None) -> tuple[dict | None, dict | None]:
    """The funnel and directory reports; for one CSV table only the report it comes from."""
    actor, tz = current_actor(), use_cases.zone()
    funnel = directory = None
    # Each report read is audited, so a download reads only what it shows.
    if table is None or table in FUNNEL_TABLES:
        funnel = on_page(
            funnel_report,
            actor,
            args["group_by"],
            args["start"],
            args["end"],
            tz,
            reference=args["reference"],
        )
    if table is None or table in DIRECTORY_TABLES:
        directory = on_page(directory_report, actor, args["start"], args["end"], utcnow(), tz)
    return funnel, directory


def _refused(errors: dict):
    """The page without figures (nothing read, nothing audited) for input it cannot take."""
    return _page(400, args=request.args, errors=errors, funnel=None, directory=None)


@staff_blueprint.get("/reports")
@page_for("plan_staff", "admin", "practice_manager")
def reports():
    """Funnel, time to appointment and directory accuracy for a period; ?format=csv&table=…"""
    today = use_cases.local_today()
    table = request.args.get("table")
    wants_csv = request.args.get("format") == "csv"
    try:
        args = _query(request.args.to_dict(flat=True), today)
    except ValidationError as err:
        return _refused(err.messages)
    if wants_csv and table not in TABLES or "format" in request.args and not wants_csv:
        return _refused({"table": ["unknown table or format"]})
    query = {"from": args["start"], "to": args["end"], "group_by": args["group_by"]}
    if args["reference"] is not None:
        query["reference"] = args["reference"]
    try:
        funnel, directory = _read(args, table if wants_csv else None)
    except PageRefusal as err:
        return _page(
            err.status, args=query, errors={}, refusal=str(err), funnel=None, directory=None
        )
    if wants_csv:
        return _csv(table, funnel, directory, args)
    return _page(
        200,
        args=query,
        errors={},
        funnel=funnel,
        directory=directory,
        charts=_charts(funnel, directory),
    )
