"""The places a report reads are kept until the listing change log moves."""

from sqlalchemy import select

from adequacy import cache
from directory.extensions import db
from directory.models import Location
from tests.adequacy.conftest import BOSTON
from tests.referrals.world import signed_in

URL = "/api/v1/analytics/adequacy?plan=AcmeGold&state=RI"
KEY = (("AcmeGold", "AcmeNet"), "RI")


def _counter():
    reads = []

    def read(connection, clinicians=None):
        reads.append(connection)
        return cache.Places({}, {7: "029"})

    return reads, read


def test_places_are_read_once_until_a_listing_changes(app, world):
    reads, read = _counter()
    first = cache.current(db.engine, db.session.connection(), KEY, read)
    again = cache.current(db.engine, db.session.connection(), KEY, read)
    assert again is first
    assert len(reads) == 1
    other = cache.current(db.engine, db.session.connection(), (("AcmeGold",), "MA"), read)
    assert other is not first
    assert len(reads) == 2
    office = db.session.scalars(select(Location).where(Location.name == "Office 1")).one()
    office.lat = BOSTON[0]
    db.session.commit()
    cache.current(db.engine, db.session.connection(), KEY, read)
    assert len(reads) == 3


def test_a_transactions_own_listing_writes_are_read_in_that_transaction(app, world):
    reads, read = _counter()
    cache.current(db.engine, db.session.connection(), KEY, read)
    office = db.session.scalars(select(Location).where(Location.name == "Office 1")).one()
    office.lat = BOSTON[0]
    db.session.flush()
    session_connection = db.session.connection()
    cache.current(db.engine, session_connection, KEY, read)
    assert reads[-1] is session_connection
    db.session.rollback()


def test_a_clinician_who_moves_away_leaves_the_next_report(app, world):
    admin = signed_in(app, "admin", world.pcp_org)
    row = {(r["name"], r["specialty"]): r for r in admin.get(URL).get_json()["counties"]}
    assert row[("Bristol", "Clinical Social Work")]["providers"] == 1
    office = db.session.scalars(select(Location).where(Location.name == "Office 1")).one()
    office.lat, office.lon = BOSTON
    db.session.commit()
    row = {(r["name"], r["specialty"]): r for r in admin.get(URL).get_json()["counties"]}
    assert row[("Bristol", "Clinical Social Work")]["providers"] == 0
