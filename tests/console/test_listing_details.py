"""A clinician corrects languages, places, hours and approaches; each change dated and sourced."""

from __future__ import annotations

from sqlalchemy import select, text

from audit.models import AuditEvent
from directory.facts import clinician as subject
from directory.facts import history
from directory.models import Clinician, ClinicianLocation, Location

PAGE = "/clinician/listing/details"


def _ana(world, signed_in):
    return signed_in("clinician", npi=world.ana.npi)


def _own(db, world) -> Clinician:
    db.session.expire_all()
    return db.session.get(Clinician, world.ana.id)


def _self_reports(clinician_id: int, kind: str) -> list:
    return [
        o for o in history(subject(clinician_id)) if o.kind == kind and o.source == "self_reported"
    ]


def test_the_page_shows_each_section_with_the_stored_values(world, signed_in):
    response = _ana(world, signed_in).get(PAGE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for heading in ("Languages you offer care in", "How you work", "Where you see patients"):
        assert heading in html
    assert "Add a place" in html


def _audits(db, clinician_id: int) -> int:
    query = select(AuditEvent).where(
        AuditEvent.action == "self_report", AuditEvent.object_id == str(clinician_id)
    )
    return len(db.session.scalars(query).all())


def test_languages_with_proficiency_are_saved_dated_sourced_and_audited(db, world, signed_in):
    ana = _ana(world, signed_in)
    form = {"language": ["es", "pt", ""], "proficiency": ["native", "full_professional", ""]}
    response = ana.post(f"{PAGE}/languages", data=form)
    assert response.status_code == 303 and response.headers["Location"].endswith(PAGE)
    clinician = _own(db, world)
    assert [(r.code, r.proficiency) for r in clinician.languages] == [
        ("es", "native"),
        ("pt", "full_professional"),
    ]
    [codes] = _self_reports(clinician.id, "languages")
    assert codes.value == ["es", "pt"] and codes.actor_id is not None
    assert codes.source_ref == f"user:{codes.actor_id}" and codes.observed_at is not None
    [levels] = _self_reports(clinician.id, "language_proficiency")
    assert levels.value == {"es": "native", "pt": "full_professional"}
    assert _audits(db, clinician.id) == 1
    html = ana.get(PAGE).get_data(as_text=True)
    assert "Languages: from the clinician&#39;s own listing, today." in html
    # Saving the same again changes nothing: no new observation, no audit of a change.
    ana.post(f"{PAGE}/languages", data=form)
    assert len(_self_reports(clinician.id, "languages")) == 1 and _audits(db, clinician.id) == 1


def test_unknown_codes_are_refused_with_a_clear_message_and_nothing_is_saved(db, world, signed_in):
    ana = _ana(world, signed_in)
    refused = ana.post(f"{PAGE}/languages", data={"language": ["xx"], "proficiency": [""]})
    assert refused.status_code == 400
    assert "Choose each language once, from the list, with a listed fluency." in refused.get_data(
        as_text=True
    )
    twice = ana.post(f"{PAGE}/languages", data={"language": ["es", "es"], "proficiency": ["", ""]})
    assert twice.status_code == 400
    bad = ana.post(f"{PAGE}/practice", data={"approaches": ["cbt", "astrology"]})
    assert bad.status_code == 400
    assert "Choose approaches from the list." in bad.get_data(as_text=True)
    how = ana.post(f"{PAGE}/practice", data={"competency.veterans": "rumour"})
    assert how.status_code == 400
    code = ana.post(f"{PAGE}/practice", data={"competency.martians": "trained"})
    assert code.status_code == 400
    clinician = _own(db, world)
    assert sorted(r.code for r in clinician.languages) == ["en", "es"]
    assert clinician.approaches == [] or clinician.approaches is None
    assert history(subject(clinician.id)) == [] and _audits(db, clinician.id) == 0


def test_approaches_and_competencies_with_how_known(db, world, signed_in):
    ana = _ana(world, signed_in)
    form = {
        "approaches": ["dbt", "cbt"],
        "competency.latino_hispanic": "lived_experience",
        "competency.veterans": "trained",
    }
    assert ana.post(f"{PAGE}/practice", data=form).status_code == 303
    clinician = _own(db, world)
    assert clinician.approaches == ["cbt", "dbt"]
    assert [(r.code, r.provenance) for r in clinician.competencies] == [
        ("latino_hispanic", "lived_experience"),
        ("veterans", "trained"),
    ]
    [approaches] = _self_reports(clinician.id, "approaches")
    [competencies] = _self_reports(clinician.id, "competencies")
    assert approaches.value == ["cbt", "dbt"]
    assert competencies.value == {"latino_hispanic": "lived_experience", "veterans": "trained"}
    profile = signed_in("pcp").get(f"/clinicians/{clinician.npi}").get_data(as_text=True)
    assert "Approaches: from the clinician&#39;s own listing, today." in profile
    assert "Identity, faith and culture: from the clinician&#39;s own listing, today." in profile
    assert "Experienced with veterans (has had training)" in profile


PLACE = {
    "line1": "12 Harvard Sq",
    "line2": "Suite 4",
    "city": "Cambridge",
    "state": "ma",
    "postal_code": "02138",
    "phone": "(617) 555-0199",
    "accessibility": ["wheelchair", "asl"],
    "opens.mon": "09:00",
    "closes.mon": "17:00",
    "opens.tue": "09:00",
    "closes.tue": "17:00",
    "opens.sat": "10:00",
    "closes.sat": "14:00",
}


def test_a_shared_place_is_copied_so_a_colleague_keeps_the_old_one(db, world, signed_in):
    clinician = _own(db, world)
    [link] = clinician.locations
    shared = link.location_id
    response = _ana(world, signed_in).post(f"{PAGE}/places/{link.id}", data=PLACE)
    assert response.status_code == 303, response.get_data(as_text=True)[-800:]
    clinician = _own(db, world)
    [link] = clinician.locations
    place = link.location
    assert place.id != shared and place.address == "12 Harvard Sq, Suite 4, Cambridge, MA 02138"
    assert (place.geo_precision, round(place.lat, 1), round(place.lon, 1)) == (
        "zcta_centroid",
        42.4,
        -71.1,
    )
    assert place.hours == [
        {"days": ["mon", "tue"], "opens": "09:00", "closes": "17:00"},
        {"days": ["sat"], "opens": "10:00", "closes": "14:00"},
    ]
    assert (place.weekend_hours, place.evening_hours) == (True, False)
    assert place.accessibility == ["asl", "wheelchair"] and link.phone == "6175550199"
    colleague = db.session.get(Clinician, world.dev.id)
    assert [ln.location.line1 for ln in colleague.locations] == ["1 Main St"]
    kinds = {o.kind: o for o in history(subject(clinician.id))}
    assert kinds["location"].value[0]["line1"] == "12 Harvard Sq"
    assert kinds["phone"].value == ["6175550199"]
    assert kinds["hours"].location_id == place.id and kinds["accessibility"].location_id == place.id
    assert {o.source for o in kinds.values()} == {"self_reported"}
    assert _audits(db, clinician.id) == 1
    html = _ana(world, signed_in).get(PAGE).get_data(as_text=True)
    assert "Hours: from the clinician&#39;s own listing, today." in html
    assert 'value="09:00"' in html and 'value="wheelchair" checked' in html


def test_a_place_is_added_and_removed(db, world, signed_in):
    ana = _ana(world, signed_in)
    assert ana.post(f"{PAGE}/places", data=PLACE).status_code == 303
    clinician = _own(db, world)
    assert sorted(ln.location.line1 for ln in clinician.locations) == ["1 Main St", "12 Harvard Sq"]
    added = next(ln for ln in clinician.locations if ln.location.line1 == "12 Harvard Sq")
    assert ana.post(f"{PAGE}/places/{added.id}", data={"remove": "1"}).status_code == 303
    clinician = _own(db, world)
    assert [ln.location.line1 for ln in clinician.locations] == ["1 Main St"]
    places = [o.value for o in _self_reports(clinician.id, "location")]
    assert [len(value) for value in places] == [1, 2]  # newest first: removed, then added


def test_a_place_must_be_a_real_address_and_someone_elses_place_is_not_found(db, world, signed_in):
    ana = _ana(world, signed_in)
    bad = {**PLACE, "postal_code": "2138", "state": "ZZ", "phone": "555", "opens.mon": "18:00"}
    refused = ana.post(f"{PAGE}/places", data=bad)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    for words in (
        "Give the 5-digit ZIP code.",
        "Choose the state.",
        "Give a 10-digit US phone number.",
        "Give both times, closing after opening, or neither if closed.",
    ):
        assert words in html
    dev_link = db.session.scalar(
        select(ClinicianLocation).where(ClinicianLocation.clinician_id == world.dev.id)
    )
    assert ana.post(f"{PAGE}/places/{dev_link.id}", data=PLACE).status_code == 404
    assert db.session.scalar(select(Location).where(Location.line1 == "12 Harvard Sq")) is None


def _logged_since(db, seq: int) -> set:
    rows = db.session.execute(
        text("SELECT clinician_id FROM listing_change WHERE seq > :s"), {"s": seq}
    )
    return {row[0] for row in rows}


def test_the_listing_change_log_sees_each_correction_and_spares_the_colleague(db, world, signed_in):
    ana, link_id = _ana(world, signed_in), _own(db, world).locations[0].id
    for path, form in (
        ("/practice", {"approaches": ["cbt"]}),
        ("/languages", {"language": ["es"], "proficiency": ["native"]}),
        (f"/places/{link_id}", PLACE),
    ):
        before = db.session.execute(text("SELECT coalesce(max(seq), 0) FROM listing_change"))
        seq = before.scalar()
        assert ana.post(f"{PAGE}{path}", data=form).status_code == 303
        assert _logged_since(db, seq) == {world.ana.id}, path
