"""Turn admitted index rows back into matching.backend.Candidate, as EmbeddedBackend builds them.

Only for the few rows the page needs: names, credentials and street addresses come from the
database by primary key (they are not indexed), every other fact from the segment.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
from sqlalchemy.engine import Connection

from matching.backend import IN_PERSON, TELEHEALTH, Candidate, Place
from matching.distance import within
from matching.embedded import _address, _json_list
from matching.index.cost import cost_at
from matching.index.query import Admitted
from matching.index.segment import NO_CAPACITY, NO_WAIT, UNKNOWN, Segment, day, moment
from matching.needs import Needs

_NAMES = "SELECT id, npi, first_name, last_name, CAST(credentials AS TEXT) FROM clinician"
_ADDRESSES = "SELECT id, line1, line2, city, state, postal_code FROM location"


def by_id(connection: Connection, sql: str, ids: list[int]) -> list:
    """Rows of `sql` for these primary keys, the ids written in as integer literals."""
    if not ids:
        return []
    # int() makes the literals safe, and a plain driver call skips SQLAlchemy's compiler.
    listed = ",".join(str(int(i)) for i in ids)
    return connection.exec_driver_sql(f"{sql} WHERE id IN ({listed})").fetchall()


def _answer(value: int) -> bool | None:
    return None if value == UNKNOWN else bool(value)


class Materializer:
    """Builds candidates for rows of one segment, reading names and addresses once."""

    def __init__(self, connection: Connection, segment: Segment, needs: Needs, today: date):
        self.connection, self.segment, self.needs, self.today = connection, segment, needs, today

    def _texts(self, clinician_ids: list[int], location_ids: list[int]):
        names = {r[0]: r for r in by_id(self.connection, _NAMES, clinician_ids)}
        addresses = {}
        if location_ids:
            found = by_id(self.connection, _ADDRESSES, location_ids)
            addresses = {r[0]: _address(r) for r in found}
        return names, addresses

    def candidates(self, adm: Admitted, picked: np.ndarray) -> list[Candidate]:
        """Candidates for the admitted rows at `picked` indexes (gone rows are left out)."""
        seg = self.segment
        rows, links = adm.clinician[picked], adm.link[picked]
        locations = seg.places.link_location[links[links >= 0]]
        names, addresses = self._texts(
            sorted({int(i) for i in seg.clinicians.ids[rows]}),
            sorted({int(i) for i in seg.places.ids[locations]}),
        )
        found = []
        for row, link in zip(rows.tolist(), links.tolist(), strict=True):
            candidate = self._candidate(row, link, names, addresses)
            if candidate is not None:
                found.append(candidate)
        return found

    def _place(self, link: int, addresses: dict) -> tuple[Place, float] | None:
        p = self.segment.places
        location = int(p.link_location[link])
        lat, lon = float(p.lat[location]), float(p.lon[location])
        miles = within(self.needs.point, lat, lon, self.needs.max_distance_miles)
        address = addresses.get(int(p.ids[location]))
        if miles is None or address is None:
            return None
        place = Place(
            id=int(p.ids[location]),
            address=address,
            lat=lat,
            lon=lon,
            accessibility=p.accessibility.codes(location),
            evening_hours=bool(p.evening[location]),
            weekend_hours=bool(p.weekend[location]),
        )
        return place, miles

    def _candidate(self, row: int, link: int, names: dict, addresses: dict) -> Candidate | None:
        seg = self.segment
        c = seg.clinicians
        named = names.get(int(c.ids[row]))
        if named is None:
            return None  # deleted since the index last caught up
        place = miles = None
        if link >= 0:
            located = self._place(link, addresses)
            if located is None:
                return None
            place, miles = located
            networks = c.networks_wide.value(row) | seg.places.link_networks.value(link)
            accepting = _answer(int(seg.places.link_accepting[link]))
            states = frozenset()
        else:
            networks = c.networks_all.value(row)
            accepting = _answer(int(c.accepting[row]))
            states = seg.licenses.current_states(row, self.today)
        return self._build(row, named, place, miles, networks, accepting, states)

    def _build(self, row, named, place, miles, networks, accepting, states) -> Candidate:
        c = self.segment.clinicians
        _, npi, first, last, credentials = named
        wait, capacity, gender = int(c.wait_days[row]), int(c.capacity[row]), int(c.gender[row])
        return Candidate(
            clinician_id=int(c.ids[row]),
            npi=npi,
            name=" ".join(p for p in (first, last) if p),
            visit=IN_PERSON if place is not None else TELEHEALTH,
            place=place,
            distance_miles=miles,
            credentials=_json_list(credentials),
            gender=None if gender == UNKNOWN else c.genders[gender],
            languages=c.languages.codes(row),
            competencies=c.competencies.codes(row),
            taxonomies=c.taxonomies.codes(row),
            conditions_treated=c.treated.codes(row),
            conditions_not_treated=c.not_treated.codes(row),
            age_groups=c.ages.codes(row),
            modalities=c.modalities.codes(row),
            license_states=states,
            network_ids=self.segment.networks.codes(networks),
            accepting_new_patients=accepting,
            wait_days=None if wait == NO_WAIT else wait,
            next_available_on=day(int(c.next_open[row])),
            referral_capacity=None if capacity == NO_CAPACITY else capacity,
            verified_at=moment(int(c.verified[row])),
            flagged=bool(c.flagged[row]),
            cost=cost_at(c, row),
        )


def rows_of_clinicians(adm: Admitted, rows: Iterable[int]) -> np.ndarray:
    """Indexes of the admitted rows that belong to the given clinician rows."""
    wanted = np.zeros(int(adm.clinician.max()) + 1 if len(adm) else 0, dtype=bool)
    picked = np.fromiter(rows, dtype=np.int64)
    wanted[picked[picked < len(wanted)]] = True
    # One gather instead of np.isin's pass over every admitted row per picked clinician.
    return np.flatnonzero(wanted[adm.clinician]) if len(adm) else np.zeros(0, np.int64)
