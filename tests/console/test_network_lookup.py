"""The in-network lookup on the call console: by name or NPI, per plan and place, with source."""

from __future__ import annotations

from datetime import UTC, datetime

from directory.models.network import NetworkParticipation
from web.i18n import LOCALE_COOKIE


def _only_in_plan_at_first_place(db, world):
    ana = world.ana
    ana.participations.clear()
    place = ana.locations[0].location
    fact = NetworkParticipation(network_id=world.plan, location_id=place.id, source="roster")
    fact.verify("plan_roster", datetime(2026, 11, 2, 15, 0, tzinfo=UTC))
    ana.participations.append(fact)
    db.session.commit()
    return place


def test_by_npi_each_plan_and_place_is_answered_with_source_and_date(db, world, signed_in):
    place = _only_in_plan_at_first_place(db, world)
    staff = signed_in("plan_staff", plans=(world.plan, world.other_plan))
    html = staff.get(f"/staff/lookup?q={world.ana.npi}").get_data(as_text=True)
    rows = html.split("<tr>")[2:]
    assert len(rows) == 2 * len(world.ana.locations)
    yes = [r for r in rows if "<strong>Yes</strong>" in r]
    assert len(yes) == 1 and place.address in yes[0] and "plan_roster" in yes[0]
    assert "verified" in yes[0]
    assert sum("Not on file" in r for r in rows) == len(rows) - 1


def test_by_name_in_any_case_and_nothing_for_an_unknown_name(db, world, signed_in):
    _only_in_plan_at_first_place(db, world)
    staff = signed_in("plan_staff")
    html = staff.get("/staff/lookup?q=rIVERA").get_data(as_text=True)
    assert world.ana.display_name in html and f"NPI {world.ana.npi}" in html
    none = staff.get("/staff/lookup?q=Nobodyhere").get_data(as_text=True)
    assert "No active clinician matches." in none


def test_the_lookup_speaks_spanish(db, world, signed_in):
    staff = signed_in("plan_staff")
    staff.set_cookie(LOCALE_COOKIE, "es")
    html = staff.get("/staff/lookup?q=Nobodyhere").get_data(as_text=True)
    assert "Ningún profesional activo coincide." in html
    assert "Nombre o NPI del profesional" in html
