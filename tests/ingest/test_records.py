"""The shared clinician upsert: inserts, updates, idempotency, sources, locations, networks."""

from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from directory.models import (
    Clinician,
    ClinicianLocation,
    Location,
    Network,
    NetworkParticipation,
    Organization,
)
from directory.models.verification import as_utc
from ingest.addresses import address_key
from ingest.records import ClinicianRecord, LocationRecord, record_digest
from ingest.report import LoadSummary
from ingest.saving import save_clinicians

WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def save(db, *records: ClinicianRecord) -> LoadSummary:
    """Save one batch and commit, as Batcher does."""
    summary = LoadSummary()
    save_clinicians(list(records), summary)
    db.session.commit()
    db.session.expunge_all()
    return summary


def clinician(db, npi: str) -> Clinician:
    return db.session.scalars(select(Clinician).where(Clinician.npi == npi)).one()


def office(**changes) -> LocationRecord:
    base = LocationRecord("100 Main Street", "Cambridge", "MA", "02139", line2="Suite 2")
    return replace(base, **changes)


def nppes_record(**changes) -> ClinicianRecord:
    base = ClinicianRecord(
        npi="1184627184",
        last_name="Rivera",
        first_name="Ana",
        source="nppes",
        gender="female",
        credentials=["LICSW"],
        taxonomies=[("1041C0700X", True), ("1041C0700X", False), ("101YM0800X", False)],
        licenses=[("MA", "LICSW", "115623", None), ("NH", None, "998", date(2026, 1, 31))],
        locations=[office(phone="617-555-0100")],
        verified_at=WHEN,
    )
    return replace(base, **changes)


def test_insert_creates_clinician_children_and_location(db):
    summary = save(db, nppes_record())

    assert (summary.inserted, summary.updated, summary.unchanged) == (1, 0, 0)
    found = clinician(db, "1184627184")
    assert (found.first_name, found.last_name, found.gender) == ("Ana", "Rivera", "female")
    assert found.credentials == ["LICSW"]
    assert [(t.code, t.is_primary) for t in found.taxonomies] == [
        ("101YM0800X", False),
        ("1041C0700X", True),
    ]
    assert sorted((lic.state, lic.license_type, lic.number) for lic in found.licenses) == [
        ("MA", "LICSW", "115623"),
        ("NH", None, "998"),
    ]
    (link,) = found.locations
    assert link.phone == "617-555-0100" and link.source == "nppes"
    assert as_utc(link.verified_at) == WHEN and link.verified_source == "nppes"
    assert as_utc(found.verified_at) == WHEN and found.verified_source == "nppes"
    place = link.location
    assert (place.line1, place.postal_code, place.source) == ("100 Main Street", "02139", "nppes")
    assert (round(place.lat, 4), round(place.lon, 4)) == (42.3624, -71.1023)


def test_update_of_one_field_keeps_the_rest(db):
    save(db, nppes_record())
    first_id = clinician(db, "1184627184").id

    summary = save(db, nppes_record(first_name="Anna"))

    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 1, 0)
    found = clinician(db, "1184627184")
    assert found.id == first_id and found.first_name == "Anna"
    assert len(found.taxonomies) == 2 and len(found.licenses) == 2 and len(found.locations) == 1
    assert db.session.scalar(select(func.count(Location.id))) == 1


def test_unchanged_reload_touches_nothing(db):
    save(db, nppes_record())
    stamp = clinician(db, "1184627184").updated_at

    summary = save(db, nppes_record())

    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 0, 1)
    assert clinician(db, "1184627184").updated_at == stamp


def test_none_leaves_another_sources_facts_alone(db):
    save(db, nppes_record())
    plan_place = LocationRecord(
        "9 Elm St", "Boston", "MA", "02115", external_id="Loc-9", accepting_new_patients=False
    )
    plan_net = ClinicianRecord(
        npi="1184627184",
        last_name="Rivera",
        source="plan-net",
        languages=[("es", "native")],
        accepting_new_patients=True,
        locations=[plan_place],
    )

    summary = save(db, plan_net)

    assert summary.updated == 1
    found = clinician(db, "1184627184")
    assert (found.first_name, found.gender, found.credentials) == ("Ana", "female", ["LICSW"])
    assert len(found.taxonomies) == 2 and found.accepting_new_patients is True
    assert [(lang.code, lang.proficiency) for lang in found.languages] == [("es", "native")]
    links = {link.source: link for link in found.locations}
    assert set(links) == {"nppes", "plan-net"}
    assert links["plan-net"].accepting_new_patients is False
    assert links["plan-net"].location.external_id == "Loc-9"

    save(db, replace(plan_net, locations=[]))

    assert [link.source for link in clinician(db, "1184627184").locations] == ["nppes"]


def test_locations_dedupe_by_normalized_address(db):
    other = nppes_record(
        npi="1902809676",
        last_name="Chen",
        locations=[
            office(line1="100 MAIN ST.", line2="ste 2", city="CAMBRIDGE", phone="617-555-0199")
        ],
    )

    summary = save(db, nppes_record(), other)
    summary_again = save(db, nppes_record(npi="1215930367", locations=[office()]))

    assert summary.inserted == 2 and summary_again.inserted == 1
    place = db.session.scalars(select(Location)).one()
    # The place keeps the first phone it was given; each clinician keeps their own.
    assert (place.line1, place.phone) == ("100 Main Street", "617-555-0100")
    phones = db.session.scalars(select(ClinicianLocation.phone).order_by(ClinicianLocation.id))
    assert list(phones) == ["617-555-0100", "617-555-0199", None]


def test_location_hours_flags_and_organization(db):
    db.session.add(Organization(external_id="Org-1", name="Elm Counseling"))
    db.session.commit()
    hours = [
        {"days": ["mon", "tue"], "opens": "08:00", "closes": "20:00"},
        {"days": ["sat"], "opens": "09:00", "closes": "12:00"},
    ]
    place = office(hours=hours, organization_external_id="Org-1", external_id="Loc-1")

    save(db, nppes_record(locations=[place]))

    loc = db.session.scalars(select(Location)).one()
    assert (loc.evening_hours, loc.weekend_hours, loc.hours) == (True, True, hours)
    assert loc.organization.name == "Elm Counseling"
    assert clinician(db, "1184627184").locations[0].organization_id == loc.organization_id


def participations(db) -> set[tuple[str, str | None]]:
    rows = db.session.execute(
        select(NetworkParticipation.network_id, Location.line1)
        .outerjoin(Location, NetworkParticipation.location_id == Location.id)
        .order_by(NetworkParticipation.network_id)
    )
    return {(network, line1) for network, line1 in rows}


def test_network_participation_per_location(db):
    db.session.add_all([Network(id="net-a", name="A"), Network(id="net-b", name="B")])
    db.session.commit()
    two_places = [office(), LocationRecord("9 Elm St", "Boston", "MA", "02115")]
    record = nppes_record(
        source="roster:acme",
        locations=two_places,
        networks=[("net-a", 1), ("net-b", None), ("no-such-network", None), ("net-a", 7)],
    )

    save(db, record)

    assert participations(db) == {("net-a", "9 Elm St"), ("net-b", None)}
    found = clinician(db, "1184627184")
    assert {p.verified_source for p in found.participations} == {"roster:acme"}

    save(db, replace(record, networks=[("net-a", 0)]))

    assert participations(db) == {("net-a", "100 Main Street")}


def test_verification_never_moves_backwards(db):
    save(db, nppes_record())
    older = datetime(2020, 1, 1, tzinfo=UTC)

    save(db, nppes_record(first_name="Anna", verified_at=older))

    found = clinician(db, "1184627184")
    assert found.first_name == "Anna" and as_utc(found.verified_at) == WHEN


def test_same_npi_twice_in_one_batch_is_an_insert_then_an_update(db):
    summary = save(db, nppes_record(), nppes_record(first_name="Anna"))

    assert (summary.inserted, summary.updated) == (1, 1)
    found = clinician(db, "1184627184")
    assert found.first_name == "Anna" and len(found.locations) == 1


def test_a_records_digest_is_the_same_as_before_it_could_carry_one():
    record = ClinicianRecord(npi="1234567893", last_name="Doe", source="nppes")
    record.credentials = ["LICSW"]
    pinned = "4f28fa06b72cb4aaad0eefe7fc32cf339123e564e1bd4643949137f9028fa7f2"  # stored ones
    assert record_digest(record) == pinned
    record.content_digest = "carried"
    assert record_digest(record) == pinned  # never part of what it digests
    record.locations = [LocationRecord("1 Main St", "Boston", "MA", "02139")]
    with_place = "c8abcfdc48e4bd4de7355887c7223ee855d61cc52d7c137f813fb531d1af1c9b"
    assert record_digest(record) == with_place
    record.locations[0].address_digest = "carried"
    assert record_digest(record) == with_place


def test_a_carried_digest_is_the_one_remembered(db):
    record = ClinicianRecord(npi="1234567893", last_name="Doe", source="nppes")
    record.content_digest = "0" * 64
    summary = LoadSummary()
    save_clinicians([record], summary)
    again = LoadSummary()
    save_clinicians([replace(record, last_name="Roe", content_digest="0" * 64)], again)
    assert (summary.inserted, again.unchanged, again.updated) == (1, 1, 0)
    name = db.session.scalar(select(Clinician.last_name).where(Clinician.npi == "1234567893"))
    assert name == "Doe"  # the carried digest said nothing changed


def test_a_carried_address_key_finds_the_place(db):
    first = ClinicianRecord(npi="1234567893", last_name="Doe", source="nppes")
    first.locations = [LocationRecord("1 Main St", "Boston", "MA", "02139")]
    second = ClinicianRecord(npi="1245319599", last_name="Roe", source="nppes")
    second.locations = [LocationRecord("9 Elm St", "Salem", "MA", "01970")]
    second.locations[0].address_digest = address_key("1 MAIN ST", None, "BOSTON", "MA", "02139")
    save_clinicians([first, second], LoadSummary())
    assert db.session.scalar(select(func.count(Location.id))) == 1  # the key said: one place
