"""A plan's in-network, accepting BH clinicians near a state, read from the directory."""

from __future__ import annotations

import math
from collections import defaultdict

from sqlalchemy import and_, func, or_, select

from adequacy.compute import Providers
from adequacy.geometry import MILES_PER_DEGREE_LAT, SPHERE_ERROR
from adequacy.standards import taxonomy_specialties
from directory.extensions import db
from directory.models import Clinician, ClinicianLocation, ClinicianTaxonomy, License, Location
from directory.models.network import NetworkParticipation

TELEHEALTH_MODALITIES = frozenset({"video", "phone"})


def _in_network(network_ids: set[str]):
    """Ids of active clinicians who take part in any of the networks."""
    return (
        select(NetworkParticipation.clinician_id)
        .join(Clinician, Clinician.id == NetworkParticipation.clinician_id)
        .where(NetworkParticipation.network_id.in_(sorted(network_ids)), Clinician.active)
    )


def clinician_types(network_ids: set[str]) -> dict[int, str]:
    """Each in-network clinician's one HSD type: the primary taxonomy's, else the lowest code's."""
    mapping = taxonomy_specialties()
    rows = db.session.execute(
        select(ClinicianTaxonomy.clinician_id, ClinicianTaxonomy.code, ClinicianTaxonomy.is_primary)
        .join(Clinician, Clinician.id == ClinicianTaxonomy.clinician_id)
        .join(NetworkParticipation, NetworkParticipation.clinician_id == Clinician.id)
        .where(NetworkParticipation.network_id.in_(sorted(network_ids)), Clinician.active)
        .where(ClinicianTaxonomy.code.in_(sorted(mapping)))
    )
    best: dict[int, tuple] = {}
    for clinician_id, code, primary in rows:
        rank = (not primary, code)  # CMS lists a provider under one type only
        if clinician_id not in best or rank < best[clinician_id]:
            best[clinician_id] = rank
    return {cid: mapping[rank[1]] for cid, rank in best.items()}


def provider_points(
    network_ids: set[str], types: dict[int, str], box: tuple[float, float, float, float]
) -> dict[str, Providers]:
    """Accepting in-network locations inside `box` (south, west, north, east), by HSD type."""
    south, west, north, east = box
    # The participation covers every location (NULL) or names one; accepting unless it says no,
    # as search does: the location's answer when it gives one, else the clinician's.
    accepting = func.coalesce(
        ClinicianLocation.accepting_new_patients, Clinician.accepting_new_patients
    )
    rows = db.session.execute(
        select(NetworkParticipation.clinician_id, Location.lat, Location.lon)
        .distinct()
        .join(Clinician, Clinician.id == NetworkParticipation.clinician_id)
        .join(ClinicianLocation, ClinicianLocation.clinician_id == Clinician.id)
        .join(Location, Location.id == ClinicianLocation.location_id)
        .where(NetworkParticipation.network_id.in_(sorted(network_ids)), Clinician.active)
        .where(
            or_(
                NetworkParticipation.location_id.is_(None),
                NetworkParticipation.location_id == ClinicianLocation.location_id,
            )
        )
        .where(or_(accepting.is_(None), accepting.is_(True)))
        .where(and_(Location.lat.between(south, north), Location.lon.between(west, east)))
    )
    columns: dict[str, tuple[list, list, list]] = defaultdict(lambda: ([], [], []))
    for clinician_id, lat, lon in rows:
        code = types.get(clinician_id)
        if code:
            lats, lons, ids = columns[code]
            lats.append(lat)
            lons.append(lon)
            ids.append(clinician_id)
    return {code: Providers(*cols) for code, cols in columns.items()}


def telehealth_types(network_ids: set[str], types: dict[int, str], state: str) -> set[str]:
    """HSD types with an in-network, accepting clinician licensed in `state` who sees by video."""
    rows = db.session.execute(
        select(Clinician.id, Clinician.modalities)
        .where(Clinician.id.in_(_in_network(network_ids)))
        .where(Clinician.accepting_new_patients.is_not(False))
        .where(Clinician.id.in_(select(License.clinician_id).where(License.state == state)))
    )
    return {
        types[cid]
        for cid, modalities in rows
        if cid in types and TELEHEALTH_MODALITIES & set(modalities or [])
    }


def box_around(lats: list[float], lons: list[float], miles: float):
    """The points' bounding box grown by `miles` on every side (south, west, north, east)."""
    miles *= 1 + SPHERE_ERROR
    grow_lat = miles / MILES_PER_DEGREE_LAT
    top = min(max(abs(v) for v in lats) + grow_lat, 89.0)
    grow_lon = miles / (MILES_PER_DEGREE_LAT * math.cos(math.radians(top)))
    return min(lats) - grow_lat, min(lons) - grow_lon, max(lats) + grow_lat, max(lons) + grow_lon
