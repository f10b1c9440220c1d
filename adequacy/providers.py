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


def best_types(rows) -> dict[int, str]:
    """Each clinician's one HSD type from (clinician id, taxonomy, is primary) rows: the primary
    taxonomy's, else the lowest mapped code's (CMS lists a provider under one type only)."""
    best: dict[int, tuple] = {}
    for clinician_id, code, primary, *_ in rows:
        rank = (not primary, code)
        if clinician_id not in best or rank < best[clinician_id]:
            best[clinician_id] = rank
    mapping = taxonomy_specialties()
    return {cid: mapping[rank[1]] for cid, rank in best.items()}


def _in_plan(query, network_ids: set[str]):
    """`query` limited to active clinicians in the networks, with their mapped taxonomies."""
    return (
        query.join(Clinician, Clinician.id == NetworkParticipation.clinician_id)
        .join(ClinicianTaxonomy, ClinicianTaxonomy.clinician_id == Clinician.id)
        .where(NetworkParticipation.network_id.in_(sorted(network_ids)), Clinician.active)
        .where(ClinicianTaxonomy.code.in_(sorted(taxonomy_specialties())))
    )


def provider_points(
    network_ids: set[str], box: tuple[float, float, float, float]
) -> dict[str, Providers]:
    """Accepting in-network locations inside `box` (south, west, north, east), by HSD type."""
    south, west, north, east = box
    # The participation covers every location (NULL) or names one; accepting unless it says no,
    # as search does: the location's answer when it gives one, else the clinician's.
    accepting = func.coalesce(
        ClinicianLocation.accepting_new_patients, Clinician.accepting_new_patients
    )
    query = select(
        NetworkParticipation.clinician_id,
        ClinicianTaxonomy.code,
        ClinicianTaxonomy.is_primary,
        Location.lat,
        Location.lon,
    ).distinct()
    rows = db.session.execute(
        _in_plan(query, network_ids)
        .join(ClinicianLocation, ClinicianLocation.clinician_id == Clinician.id)
        .join(Location, Location.id == ClinicianLocation.location_id)
        .where(
            or_(
                NetworkParticipation.location_id.is_(None),
                NetworkParticipation.location_id == ClinicianLocation.location_id,
            )
        )
        .where(or_(accepting.is_(None), accepting.is_(True)))
        .where(and_(Location.lat.between(south, north), Location.lon.between(west, east)))
    ).all()
    types, codes = best_types(rows), taxonomy_specialties()
    columns: dict[str, tuple[list, list, list]] = defaultdict(lambda: ([], [], []))
    for clinician_id, code, _primary, lat, lon in rows:
        kind = codes[code]
        if types[clinician_id] == kind:
            lats, lons, ids = columns[kind]
            lats.append(lat)
            lons.append(lon)
            ids.append(clinician_id)
    return {kind: Providers(*cols) for kind, cols in columns.items()}


def telehealth_types(network_ids: set[str], state: str) -> set[str]:
    """HSD types with an in-network, accepting clinician licensed in `state` who sees by video."""
    query = select(
        Clinician.id, ClinicianTaxonomy.code, ClinicianTaxonomy.is_primary, Clinician.modalities
    ).select_from(NetworkParticipation)
    rows = db.session.execute(
        _in_plan(query, network_ids)
        .where(Clinician.accepting_new_patients.is_not(False))
        .where(Clinician.id.in_(select(License.clinician_id).where(License.state == state)))
    ).all()
    types = best_types(rows)
    remote = {row[0] for row in rows if TELEHEALTH_MODALITIES & set(row[3] or [])}
    return {types[cid] for cid in remote}


def box_around(lats: list[float], lons: list[float], miles: float):
    """The points' bounding box grown by `miles` on every side (south, west, north, east)."""
    miles *= 1 + SPHERE_ERROR
    grow_lat = miles / MILES_PER_DEGREE_LAT
    top = min(max(abs(v) for v in lats) + grow_lat, 89.0)
    grow_lon = miles / (MILES_PER_DEGREE_LAT * math.cos(math.radians(top)))
    return min(lats) - grow_lat, min(lons) - grow_lon, max(lats) + grow_lat, max(lons) + grow_lon
