"""One immutable slice of the match index: clinicians, their places and licenses as columns.

A segment holds every fact the required needs and the ranker read, for the active clinicians
it was built over; names and street addresses stay in the database and are read for the page
only. Clinicians are sorted by id, locations by latitude (a radius search is a slice), links
(clinician at location) by location.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

import numpy as np

from matching.index.codes import CodeBook, CodeColumn

NO_DATE = 0  # date ordinals start at 1
NEVER_EXPIRES = np.iinfo(np.int32).max
NO_TIME = np.iinfo(np.int64).min
UNKNOWN = -1  # accepting, gender: not stated
NO_WAIT = np.iinfo(np.int32).min  # wait_days not stated
NO_CAPACITY = np.iinfo(np.int32).min  # referral_capacity not stated
NO_FEE = np.iinfo(np.int32).min  # self-pay fee not stated
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def tristate(value) -> int:
    """True / False / None as 1 / 0 / UNKNOWN."""
    return UNKNOWN if value is None else int(bool(value))


def micros(moment: datetime | None) -> int:
    """Microseconds since the epoch (naive datetimes are UTC, as SQLite returns them)."""
    if moment is None:
        return int(NO_TIME)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)


def moment(us: int) -> datetime | None:
    """The inverse of micros()."""
    return None if us == NO_TIME else _EPOCH + timedelta(microseconds=int(us))


def day(ordinal: int) -> date | None:
    """A stored date ordinal as a date."""
    return None if ordinal == NO_DATE else date.fromordinal(int(ordinal))


@dataclass(frozen=True, eq=False)
class Clinicians:
    """Per clinician, sorted by id."""

    ids: np.ndarray  # int64
    gender: np.ndarray  # int16 index into genders, UNKNOWN for none
    genders: list[str]
    accepting: np.ndarray  # int8: 1 yes, 0 no, UNKNOWN
    modalities: CodeColumn
    ages: CodeColumn
    treated: CodeColumn
    not_treated: CodeColumn
    languages: CodeColumn
    competencies: CodeColumn
    taxonomies: CodeColumn
    networks_wide: CodeColumn  # participations at every location
    networks_all: CodeColumn  # any participation (telehealth)
    wait_days: np.ndarray  # int32, NO_WAIT for none
    next_open: np.ndarray  # int32 date ordinal, NO_DATE for none
    capacity: np.ndarray  # int32, NO_CAPACITY for none
    verified: np.ndarray  # int64 micros, NO_TIME for never
    flagged: np.ndarray  # bool
    # Cost (directory.cost.Cost): int8 tri-states per flag (1 yes, 0 no, UNKNOWN), fees in USD.
    sliding_scale: np.ndarray
    free_care: np.ndarray
    medicaid: np.ndarray
    medicare: np.ndarray
    uninsured: np.ndarray
    fee_min: np.ndarray  # int32, NO_FEE for none
    fee_max: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def soonest_wait(self) -> int:
        """The fewest stated wait days, 0 unless one is below (nothing stops a stored -3)."""
        stated = self.wait_days[self.wait_days != NO_WAIT]
        return min(0, int(stated.min())) if len(stated) else 0

    def rows_of(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows, found) for clinician ids."""
        rows = np.searchsorted(self.ids, ids)
        rows = np.minimum(rows, max(len(self.ids) - 1, 0))
        found = (self.ids[rows] == ids) if len(self.ids) else np.zeros(len(ids), bool)
        return rows, found


@dataclass(frozen=True, eq=False)
class Licenses:
    """Current-or-not licenses: per state for retrieval, per clinician for the page."""

    states: CodeBook
    by_state: dict[str, tuple[np.ndarray, np.ndarray]]  # state -> (clinician rows, expiry)
    start: np.ndarray  # int32, len(clinicians) + 1: a clinician's licenses in the arrays below
    state: np.ndarray  # int16 bit in `states`
    expiry: np.ndarray  # int32 ordinal, NEVER_EXPIRES when none

    def current_states(self, row: int, today: date) -> frozenset[str]:
        """States of the clinician's licenses that have not expired by `today`."""
        names = list(self.states.bits)
        lo, hi = self.start[row], self.start[row + 1]
        ordinal = today.toordinal()
        return frozenset(
            names[s] for s, e in zip(self.state[lo:hi], self.expiry[lo:hi], strict=True)
            if e >= ordinal
        )  # fmt: skip


@dataclass(frozen=True, eq=False)
class Places:
    """Locations (sorted by latitude) and the links of clinicians to them (by location)."""

    ids: np.ndarray  # int64 location id
    lat: np.ndarray  # float64
    lon: np.ndarray
    # Unit vectors of (lat, lon): the radius pre-check measures chords, without trigonometry.
    x: np.ndarray  # float64
    y: np.ndarray
    z: np.ndarray
    accessibility: CodeColumn
    evening: np.ndarray  # bool
    weekend: np.ndarray
    link_start: np.ndarray  # int32, len(ids) + 1
    link_clinician: np.ndarray  # int32 clinician row
    link_location: np.ndarray  # int32 location row
    link_accepting: np.ndarray  # int8: the location's answer, else the clinician's
    link_networks: CodeColumn  # participations at this location only


@dataclass(frozen=True, eq=False)
class Segment:
    """Clinicians, licenses and places built together from one read of the database."""

    clinicians: Clinicians
    licenses: Licenses
    places: Places
    networks: CodeBook = field(repr=False)

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (books and dicts aside)."""
        total = 0
        for part in (self.clinicians, self.licenses, self.places):
            for value in vars(part).values():
                if isinstance(value, np.ndarray | CodeColumn):
                    total += value.nbytes
        total += sum(r.nbytes + e.nbytes for r, e in self.licenses.by_state.values())
        return total
