"""Network adequacy page for plan staff and admins: pick a plan and a state; CSV export."""

from __future__ import annotations

import csv
import io

from flask import Response, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError

from accounts.identity import current_actor
from adequacy.basemap import state_map
from adequacy.schemas import MapArgsSchema
from adequacy.standards import SPECIALTIES, states
from adequacy.use_cases import adequacy_report, reportable_plans
from console import staff_blueprint
from console.access import page_for
from console.referral_actions import on_page
from pages.county_map import Shade, county_map, legend
from referrals import use_cases

CSV_COLUMNS = (
    "fips", "name", "designation", "specialty", "population", "share_within_standard",
    "telehealth_credit", "share_with_credit", "required_share", "share_shortfall", "providers",
    "min_providers", "provider_shortfall", "meets", "max_miles", "max_minutes", "radius_miles",
)  # fmt: skip


def _report(args):
    """The report for parsed arguments, or None when the form has not been filled in."""
    if args is None:
        return None
    actor = current_actor()
    today = use_cases.local_today()
    return on_page(adequacy_report, actor, args["plan"], args["state"], today, use_cases.zone())


def _args():
    """The parsed plan and state, None before a choice, and whether the choice was bad."""
    given = {key: value for key, value in request.args.items() if value}
    if not given:
        return None, False
    try:
        return MapArgsSchema().load(given), False
    except ValidationError:
        return None, True


def _county_map(report: dict | None, asked: str | None) -> dict | None:
    """The chosen specialty's counties on the bundled basemap, with the rows behind it."""
    if not report or not report["counties"]:
        return None
    present = [code for code in SPECIALTIES if any(r["specialty_code"] == code
                                                   for r in report["counties"])]  # fmt: skip
    specialty = asked if asked in present else present[0]
    rows = sorted(
        (r for r in report["counties"] if r["specialty_code"] == specialty),
        key=lambda r: r["name"],
    )
    shapes, width, height = state_map(rows[0]["fips"][:2])
    shades = {r["fips"]: Shade(r["share_within_standard"], not r["meets"]) for r in rows}
    words = SPECIALTIES[specialty]
    title = _("%(specialty)s: share of people within the standard, by county", specialty=words)
    description = _(
        "Darker counties have more of their people within the time and distance standard; "
        "counties that fail are outlined. The table after the map lists the same figures."
    )
    drawn = {shape.fips for shape in shapes}
    return {
        "specialty": specialty,
        "specialties": {code: SPECIALTIES[code] for code in present},
        "svg": county_map("county-map", title, description, shapes, (width, height), shades),
        "legend": legend(),
        "rows": rows,
        "missing": [r for r in rows if r["fips"] not in drawn],
        "title": title,
    }


@staff_blueprint.get("/adequacy")
@page_for("plan_staff", "admin")
def adequacy():
    """The plan's counties against the CMS standards, those that fail first."""
    args, invalid = _args()
    report = _report(args)
    page = render_template(
        "console/staff/adequacy.html",
        plans=reportable_plans(current_actor()),
        states=states(),
        chosen=args or {},
        report=report,
        county_map=_county_map(report, (args or {}).get("specialty")),
        invalid=invalid,
    )
    return page, 400 if invalid else 200


@staff_blueprint.get("/adequacy.csv")
@page_for("plan_staff", "admin")
def adequacy_csv():
    """The same rows as a CSV file."""
    args, invalid = _args()
    if args is None:
        return Response(_("Choose a plan and a state."), 400, mimetype="text/plain")
    report = _report(args)
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(report["counties"])
    name = f"adequacy-{report['plan']}-{report['state']}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
