"""The embedded backend: retrieval from the system-of-record database (SQLite or PostgreSQL).

In-person candidates come from a bounding box on the (lat, lon) index, then an exact geodesic
radius in Python; telehealth candidates come from current licenses in the patient's state,
whatever the distance. Every required need but the radius is decided in SQL (clauses,
json_clauses), so count() reads narrow rows; the ranker still re-checks with filters.admits.
Rows are read with Core (no ORM objects) and the per-clinician lists come from correlated
string aggregates, so one query per visit kind serves a search.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.orm import Session, aliased

from directory.cost import cost_of
from directory.geography import bounding_box
from directory.models import (
    Clinician,
    ClinicianCompetency,
    ClinicianLanguage,
    ClinicianLocation,
    ClinicianTaxonomy,
    License,
    Location,
    NetworkParticipation,
)
from matching.backend import IN_PERSON, TELEHEALTH, Candidate, Place
from matching.clauses import (
    aggregate,
    always_required,
    current_license_states,
    selected_required,
)
from matching.distance import within
from matching.json_clauses import json_required, listing_rules
from matching.needs import Needs


def _raw(column):
    """A JSON column as its text: parsed once per distinct value (_json_list), not per row."""
    return cast(column, Text).label(column.key)


_CLINICIAN_COLUMNS = (
    Clinician.id,
    Clinician.npi,
    Clinician.first_name,
    Clinician.last_name,
    _raw(Clinician.credentials),
    Clinician.gender,
    _raw(Clinician.conditions_treated),
    _raw(Clinician.conditions_not_treated),
    _raw(Clinician.age_groups),
    _raw(Clinician.modalities),
    Clinician.wait_days,
    Clinician.next_available_on,
    Clinician.referral_capacity,
    Clinician.verified_at,
    Clinician.flagged_reason,
    Clinician.fee_min,
    Clinician.fee_max,
    Clinician.sliding_scale,
    Clinician.free_care,
    Clinician.accepts_medicaid,
    Clinician.accepts_medicare,
    Clinician.accepts_uninsured,
)
_LOCATION_COLUMNS = (
    Location.id.label("location_id"),
    Location.line1,
    Location.line2,
    Location.city,
    Location.state,
    Location.postal_code,
    Location.lat,
    Location.lon,
    _raw(Location.accessibility),
    Location.evening_hours,
    Location.weekend_hours,
)


def _lists() -> tuple:
    """Per-clinician code lists, as comma-joined strings."""
    return (
        aggregate(ClinicianLanguage.code, ClinicianLanguage).label("languages"),
        aggregate(ClinicianCompetency.code, ClinicianCompetency).label("competencies"),
        aggregate(ClinicianTaxonomy.code, ClinicianTaxonomy).label("taxonomies"),
    )


@lru_cache(maxsize=8192)
def _codes(joined: str | None) -> frozenset[str]:
    return frozenset(joined.split(",")) if joined else frozenset()


@lru_cache(maxsize=8192)
def _json_list(text: str | None) -> tuple[str, ...]:
    # Thousands of rows share a few dozen distinct lists: decode each text once.
    return tuple(json.loads(text) or ()) if text else ()


@lru_cache(maxsize=8192)
def _json_set(text: str | None) -> frozenset[str]:
    return frozenset(_json_list(text))


def _address(row) -> str:
    street = ", ".join(p for p in (row.line1, row.line2) if p)
    tail = " ".join(p for p in (row.state, row.postal_code) if p)
    return ", ".join(p for p in (street, row.city, tail) if p)


def _candidate(
    row, visit: str, place: Place | None, distance: float | None, licenses: str | None = None
) -> Candidate:
    name = " ".join(p for p in (row.first_name, row.last_name) if p)
    return Candidate(
        clinician_id=row.id,
        npi=row.npi,
        name=name,
        visit=visit,
        place=place,
        distance_miles=distance,
        credentials=_json_list(row.credentials),
        gender=row.gender,
        languages=_codes(row.languages),
        competencies=_codes(row.competencies),
        taxonomies=_codes(row.taxonomies),
        conditions_treated=_json_set(row.conditions_treated),
        conditions_not_treated=_json_set(row.conditions_not_treated),
        age_groups=_json_set(row.age_groups),
        modalities=_json_set(row.modalities),
        license_states=_codes(licenses),
        network_ids=_codes(row.network_ids),
        accepting_new_patients=row.accepting,
        wait_days=row.wait_days,
        next_available_on=row.next_available_on,
        referral_capacity=row.referral_capacity,
        verified_at=row.verified_at,
        flagged=row.flagged_reason is not None,
        cost=cost_of(row),
    )


def _location_accepting():
    """The location's answer on new patients, else the clinician's."""
    return func.coalesce(ClinicianLocation.accepting_new_patients, Clinician.accepting_new_patients)


def _lon_clause(min_lon: float, max_lon: float):
    """Longitude range, split in two where the box crosses the antimeridian."""
    if min_lon < -180:
        return or_(Location.lon >= min_lon + 360, Location.lon <= max_lon)
    if max_lon > 180:
        return or_(Location.lon >= min_lon, Location.lon <= max_lon - 360)
    return Location.lon.between(min_lon, max_lon)


class EmbeddedBackend:
    """MatchBackend over the SQLAlchemy session of the system of record."""

    def __init__(self, session: Session, now: datetime | None = None):
        self.session = session
        self.today = (now or datetime.now(UTC)).date()

    def retrieve(self, needs: Needs) -> list[Candidate]:
        """In-person candidates within the radius and telehealth candidates in the state."""
        found: list[Candidate] = []
        if needs.allows_in_person:
            found.extend(self._in_person(needs))
        if needs.allows_telehealth and needs.state:
            found.extend(self._telehealth(needs))
        return found

    def count(self, needs: Needs) -> int:
        """Distinct clinicians that meet every required need, from narrow rows."""
        found: set[int] = set()
        if needs.allows_in_person:
            query = self._in_person_rows(
                needs, ClinicianLocation.clinician_id, Location.lat, Location.lon
            )
            found.update(
                row.clinician_id
                for row in self.session.execute(query)
                if within(needs.point, row.lat, row.lon, needs.max_distance_miles) is not None
            )
        if needs.allows_telehealth and needs.state:
            query = self._telehealth_rows(needs, Clinician.id)
            found.update(self.session.scalars(query))
        return len(found)

    def _in_person_rows(self, needs: Needs, *columns):
        """`columns` of clinician-location pairs in the box that pass every required need."""
        min_lat, max_lat, min_lon, max_lon = bounding_box(needs.point, needs.max_distance_miles)
        return (
            select(*columns)
            .select_from(Location)
            .join(ClinicianLocation, ClinicianLocation.location_id == Location.id)
            .join(Clinician, Clinician.id == ClinicianLocation.clinician_id)
            .where(
                Location.lat.between(min_lat, max_lat),
                _lon_clause(min_lon, max_lon),
                *always_required(needs, _location_accepting(), IN_PERSON),
                *selected_required(needs, IN_PERSON),
                *listing_rules(needs, IN_PERSON),
                *json_required(needs, IN_PERSON, self.today),
            )
        )

    def _telehealth_rows(self, needs: Needs, *columns):
        """`columns` of clinicians with a current license in the patient's state that pass."""
        # Driven from the license index: an EXISTS over every clinician would scan them all.
        # Aliased, so the license-states subquery still correlates to the clinician only.
        in_state = aliased(License, name="in_state")
        return (
            select(*columns)
            .select_from(in_state)
            .join(Clinician, Clinician.id == in_state.clinician_id)
            .where(
                in_state.state == needs.state,
                or_(in_state.expires_on.is_(None), in_state.expires_on >= self.today),
                *always_required(needs, Clinician.accepting_new_patients, TELEHEALTH),
                *selected_required(needs, TELEHEALTH),
                *listing_rules(needs, TELEHEALTH),
                *json_required(needs, TELEHEALTH, self.today),
            )
        )

    def _in_person(self, needs: Needs) -> list[Candidate]:
        networks = aggregate(
            NetworkParticipation.network_id,
            NetworkParticipation,
            or_(
                NetworkParticipation.location_id.is_(None),
                NetworkParticipation.location_id == Location.id,
            ),
        )
        query = self._in_person_rows(
            needs,
            *_CLINICIAN_COLUMNS,
            *_LOCATION_COLUMNS,
            _location_accepting().label("accepting"),
            networks.label("network_ids"),
            *_lists(),
        )
        out = []
        for row in self.session.execute(query):
            miles = within(needs.point, row.lat, row.lon, needs.max_distance_miles)
            if miles is None:
                continue
            place = Place(
                id=row.location_id,
                address=_address(row),
                lat=row.lat,
                lon=row.lon,
                accessibility=_json_set(row.accessibility),
                evening_hours=bool(row.evening_hours),
                weekend_hours=bool(row.weekend_hours),
            )
            out.append(_candidate(row, IN_PERSON, place, miles))
        return out

    def _telehealth(self, needs: Needs) -> list[Candidate]:
        query = self._telehealth_rows(
            needs,
            *_CLINICIAN_COLUMNS,
            Clinician.accepting_new_patients.label("accepting"),
            aggregate(NetworkParticipation.network_id, NetworkParticipation).label("network_ids"),
            current_license_states(self.today).label("license_states"),
            *_lists(),
        )
        return [
            _candidate(row, TELEHEALTH, None, None, row.license_states)
            for row in self.session.execute(query)
        ]
