"""Build small directories with the ORM for matching tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from directory.extensions import db
from directory.models import (
    Clinician,
    ClinicianCompetency,
    ClinicianLanguage,
    ClinicianLocation,
    ClinicianTaxonomy,
    License,
    Location,
    Network,
    NetworkParticipation,
)
from directory.npi import npi_check_digit

NOW = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)  # a Wednesday


def make_npi(serial: int) -> str:
    """A valid NPI from a small serial number."""
    first_nine = f"1{serial:08d}"
    return first_nine + str(npi_check_digit(first_nine))


def add_plan(plan_id: str, name: str, networks: Iterable[str] = ()) -> Network:
    """A plan served by `networks` (created when missing)."""
    nets = [db.session.get(Network, n) or Network(id=n, name=f"{n} network") for n in networks]
    plan = Network(id=plan_id, name=name, kind="plan", plan_type="HMO", networks=nets)
    db.session.add(plan)
    db.session.flush()
    return plan


def add_network(network_id: str) -> Network:
    """A bare network."""
    network = Network(id=network_id, name=f"{network_id} network")
    db.session.add(network)
    db.session.flush()
    return network


def add_location(lat: float | None, lon: float | None, **fields) -> Location:
    """A location at (lat, lon)."""
    location = Location(
        line1=fields.pop("line1", "1 Main St"), city=fields.pop("city", "Town"), lat=lat, lon=lon
    )
    for key, value in fields.items():
        setattr(location, key, value)
    db.session.add(location)
    db.session.flush()
    return location


def add_clinician(
    serial: int,
    locations: Iterable[Location | tuple[Location, bool | None]] = (),
    networks: Iterable[str | tuple[str, Location]] = (),
    languages: Iterable[str] = (),
    licenses: Iterable[str | tuple[str, date | None]] = (),
    taxonomies: Iterable[str] = ("101YM0800X",),
    competencies: Iterable[str] = (),
    **fields,
) -> Clinician:
    """A clinician; entries may be (location, accepting), (network, location), (state, expiry)."""
    fields.setdefault("verified_at", NOW)
    fields.setdefault("accepting_new_patients", True)
    clinician = Clinician(
        npi=make_npi(serial),
        first_name=fields.pop("first_name", "Pat"),
        last_name=fields.pop("last_name", f"Clinician{serial}"),
        **fields,
    )
    clinician.languages = [ClinicianLanguage(code=c) for c in languages]
    for entry in licenses:
        state, expires_on = entry if isinstance(entry, tuple) else (entry, None)
        clinician.licenses.append(
            License(state=state, number=f"{state}-{serial}", expires_on=expires_on)
        )
    clinician.taxonomies = [ClinicianTaxonomy(code=c) for c in taxonomies]
    clinician.competencies = [ClinicianCompetency(code=c) for c in competencies]
    for entry in locations:
        location, accepting = entry if isinstance(entry, tuple) else (entry, None)
        clinician.locations.append(
            ClinicianLocation(location=location, accepting_new_patients=accepting)
        )
    for entry in networks:
        network_id, location = entry if isinstance(entry, tuple) else (entry, None)
        clinician.participations.append(
            NetworkParticipation(network_id=network_id, location=location)
        )
    db.session.add(clinician)
    db.session.flush()
    return clinician
