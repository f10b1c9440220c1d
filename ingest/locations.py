"""Locations from feeds: bulk lookup and creation for one batch."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from directory.extensions import db
from directory.geography import GeoPrecision, place_zip, zip5
from directory.models import Location, Organization
from directory.models.verification import as_utc, utcnow
from ingest.addresses import hours_flags, record_address_key
from ingest.bulk import in_list, insert_rows_returning_ids

if TYPE_CHECKING:
    from ingest.records import LocationRecord

_IN_CHUNK = 500  # stay under SQLite's bound-parameter limit


def _select_in(column, values: set[str]) -> list:
    """Rows whose `column` is in `values`, in chunks."""
    values_ = sorted(values)
    found: list = []
    for start in range(0, len(values_), _IN_CHUNK):
        chunk = values_[start : start + _IN_CHUNK]
        found.extend(db.session.scalars(select(column.class_).where(in_list(column, chunk))))
    return found


def organization_ids(external_ids: Iterable[str]) -> dict[str, int]:
    """Organization ids by external id; unknown ones are absent (callers create organizations)."""
    wanted = sorted(set(external_ids))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        rows = db.session.execute(
            select(Organization.external_id, Organization.id).where(
                in_list(Organization.external_id, chunk)
            )
        )
        found.update((external_id, id_) for external_id, id_ in rows)
    return found


class _PlainLocation:
    """A location's column values for a bulk INSERT: plain attributes, ORM ones cost ~2 µs."""

    _columns = dict.fromkeys(Location.__table__.columns.keys())  # every column, None

    def __init__(self, **values):
        self.__dict__.update(self._columns, **values)


class LocationIndex:
    """Finds or creates the Location rows a batch of records refers to, in bulk."""

    def __init__(self, places: list[tuple], org_ids: dict[str, int], insert_now: bool = False):
        """Index (record, source[, verified_at]) pairs; new rows go to the session or, bulk, in."""
        places = [(rec, source, *rest, None)[:3] for rec, source, *rest in places]
        self.org_ids = org_ids
        self.by_key: dict[str, Location] = {}
        self._keys = {id(rec): _keys(rec) for rec, _, _ in places}  # address digests cost
        self._created: dict[Location, None] = {}  # insertion-ordered set
        self._inserted = insert_now
        self._filled: set[int] = set()  # ids of new rows a record has filled in this batch
        ids = {r.external_id for r, _, _ in places if r.external_id}
        addresses = {address for _, address in self._keys.values()}
        self._by_id = {loc.external_id: loc for loc in _select_in(Location.external_id, ids)}
        self._by_address = {
            loc.address_key: loc for loc in _select_in(Location.address_key, addresses)
        }
        for rec, source, _ in places:
            self._resolve(rec, source)
        if insert_now:
            self._insert_created(places)
        else:
            db.session.add_all(self._created)

    def get(self, rec: LocationRecord) -> Location:
        """The Location row for `rec`."""
        return self.by_key[self._keys[id(rec)][0]]

    def _resolve(self, rec: LocationRecord, source: str) -> None:
        key, address = self._keys[id(rec)]
        if key in self.by_key:
            return
        if rec.external_id:
            loc = self._by_id.get(rec.external_id) or self._adopt(rec.external_id, address)
        else:
            loc = self._by_address.get(address)
        if loc is None:
            loc = self._create(rec, address, source)
        self.by_key[key] = loc

    def _adopt(self, external_id: str, address: str) -> Location | None:
        """An id-less row at the same address becomes this resource (NPPES row, then Plan-Net)."""
        loc = self._by_address.get(address)
        if loc is None or loc.external_id is not None:
            return None
        loc.external_id = external_id
        self._by_id[external_id] = loc
        return loc

    def _create(self, rec: LocationRecord, address: str, source: str) -> Location:
        # Two resources with distinct ids may share an address; the key stays with the first.
        taken = address in self._by_address
        loc = (_PlainLocation if self._inserted else Location)(
            external_id=rec.external_id,
            address_key=None if taken else address,
            source=source,
            geo_precision=GeoPrecision.NONE.value,
            accessibility=[],
            hours=[],
            evening_hours=False,
            weekend_hours=False,
        )
        self._created[loc] = None
        if not taken:
            self._by_address[address] = loc
        if rec.external_id:
            self._by_id[rec.external_id] = loc
        return loc

    def _insert_created(self, places: list[tuple[LocationRecord, str, datetime | None]]) -> None:
        """INSERT the new locations in one statement (the unit of work is ~5x slower)."""
        if not self._created:
            return
        for rec, source, when in places:
            if self.get(rec) in self._created:
                self._fill_own(rec, source, when)
        now = utcnow()
        # A _PlainLocation's __dict__ is its columns (id None until inserted, so left out).
        rows = [{**loc.__dict__, "created_at": now, "updated_at": now} for loc in self._created]
        for row in rows:
            del row["id"]
        ids = insert_rows_returning_ids(Location.__table__, rows)
        for loc, id_ in zip(self._created, ids, strict=True):
            loc.id = id_  # a detached data holder from here on; links refer to the id

    def apply(self, rec: LocationRecord, source: str, verified_at: datetime | None) -> Location:
        """Copy what `rec` says onto its stored Location; None leaves a stored value alone."""
        loc = self.get(rec)
        if loc not in self._created:
            self._fill(loc, rec, source, verified_at, owned=rec.external_id is not None)
        elif not self._inserted:  # bulk-inserted rows were filled before the INSERT
            self._fill_own(rec, source, verified_at)
        return loc

    def _fill_own(self, rec: LocationRecord, source: str, when: datetime | None) -> None:
        """Fill a new row: the first record that names it owns it, later ones only add."""
        loc = self.get(rec)
        first = id(loc) not in self._filled
        self._filled.add(id(loc))
        self._fill(loc, rec, source, when, owned=first or rec.external_id is not None)

    def _fill(
        self, loc: Location, rec: LocationRecord, source: str, when: datetime | None, owned: bool
    ) -> None:
        _set_address(loc, rec, owned)
        if rec.name is not None and loc.name != rec.name:
            loc.name = rec.name
        # A clinician's NPPES phone is theirs; the place keeps the first one, or its owner's.
        if rec.phone is not None and (owned or not loc.phone) and loc.phone != rec.phone:
            loc.phone = rec.phone
        if rec.accessibility is not None and loc.accessibility != list(rec.accessibility):
            loc.accessibility = list(rec.accessibility)
        if rec.hours is not None and loc.hours != list(rec.hours):
            loc.hours = list(rec.hours)
            loc.evening_hours, loc.weekend_hours = hours_flags(rec.hours)
        org_id = self.org_ids.get(rec.organization_external_id or "")
        if org_id is not None and loc.organization_id != org_id:
            loc.organization_id = org_id
        mark_verified(loc, source, when)


def _keys(rec: LocationRecord) -> tuple[str, str]:
    """(how the batch refers to the location, its address key)."""
    address = rec.address_digest or record_address_key(rec)
    return ("id:" + rec.external_id if rec.external_id else "addr:" + address), address


def _set_address(loc: Location, rec: LocationRecord, owned: bool) -> None:
    """Address fields: set on new rows and on rows the record owns by id; coordinates filled."""
    if owned or loc.line1 is None:
        for name in ("line1", "line2", "city", "state"):
            value = getattr(rec, name)
            if value is not None and getattr(loc, name) != value:
                setattr(loc, name, value)
        postal = zip5(rec.postal_code)
        if postal and loc.postal_code != postal:
            loc.postal_code = postal
    _set_point(loc, rec)


def _set_point(loc: Location, rec: LocationRecord) -> None:
    """The source's coordinates ('address'), else a point placed by ZIP or city, if none yet."""
    if rec.lat is not None and rec.lon is not None:
        if (loc.lat, loc.lon) != (rec.lat, rec.lon):
            loc.lat, loc.lon = rec.lat, rec.lon
        if loc.geo_precision != GeoPrecision.ADDRESS:
            loc.geo_precision = GeoPrecision.ADDRESS.value
    elif loc.lat is None or loc.lon is None:
        # Unplaced stays unplaced (lat/lon NULL, 'none'): kept, out of distance searches only.
        placed = rec.placed or place_zip(rec.postal_code, rec.city, rec.state)
        if placed.point is not None:
            loc.lat, loc.lon = placed.point.lat, placed.point.lon
        if loc.geo_precision != placed.precision:
            loc.geo_precision = placed.precision.value


def mark_verified(row, source: str, when: datetime | None) -> None:
    """Record a verification by `source`, never moving verified_at backwards."""
    if when is None:
        return
    when = as_utc(when)
    current = as_utc(row.verified_at)
    if current is None or when >= current:
        if current != when:
            row.verified_at = when
        if row.verified_source != source:
            row.verified_source = source
