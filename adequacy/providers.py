"""A plan's in-network, accepting BH clinicians near a state, read from the directory."""

from __future__ import annotations

import math
from itertools import chain

import numpy as np
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.engine import Connection

from adequacy.compute import Providers
from adequacy.geometry import MILES_PER_DEGREE_LAT, SPHERE_ERROR
from adequacy.standards import taxonomy_specialties
from directory.models import Clinician, ClinicianLocation, ClinicianTaxonomy, License, Location
from directory.models.network import NetworkParticipation

TELEHEALTH_MODALITIES = frozenset({"video", "phone"})
CHUNK = 50_000  # rows per fetch: the float block of a chunk is built while the rest waits
IDS_PER_QUERY = 900  # clinicians re-read per query: under SQLite's oldest limit of 999 variables


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


def _in_plan(query, network_ids: set[str], mapped=None):
    """`query` limited to active clinicians in the networks, with their mapped taxonomies."""
    if mapped is None:
        mapped = ClinicianTaxonomy.code.in_(sorted(taxonomy_specialties()))
    return (
        query.join(Clinician, Clinician.id == NetworkParticipation.clinician_id)
        .join(ClinicianTaxonomy, ClinicianTaxonomy.clinician_id == Clinician.id)
        .where(NetworkParticipation.network_id.in_(sorted(network_ids)), Clinician.active)
        .where(mapped)
    )


def _places_query(network_ids: set[str], box: tuple[float, float, float, float], codes: list):
    """(clinician id x 2 len(codes) + taxonomy's rank, lat, lon) for every place: the rank is
    the code's index in `codes`, plus len(codes) unless the taxonomy is primary."""
    south, west, north, east = box
    # The participation covers every location (NULL) or names one; accepting unless it says no,
    # as search does: the location's answer when it gives one, else the clinician's.
    accepting = func.coalesce(
        ClinicianLocation.accepting_new_patients, Clinician.accepting_new_patients
    )
    # The code as its index: every column a number, so a chunk of rows is one float array.
    code = case({c: i for i, c in enumerate(codes)}, value=ClinicianTaxonomy.code)
    # best_types' order over (not primary, code) as one number: a primary taxonomy first, then
    # the lowest code; packed with the clinician's id, as each column fetched costs Python
    # objects (~0.15 us a row and column). Exact as a float below 2**53.
    later = case((ClinicianTaxonomy.is_primary.is_(False), len(codes)), else_=0)
    packed = NetworkParticipation.clinician_id * (2 * len(codes)) + code + later
    query = select(packed, Location.lat, Location.lon)
    # Mapped codes as "has an index", not `code IN (...)`: SQLite would probe the (clinician,
    # code) index once per listed code for every row (20 probes; 4.9 -> 1.7 s CPU at 1M).
    return (
        _in_plan(query, network_ids, code.is_not(None))
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
    )


def _float_rows(connection: Connection, statement, width: int) -> np.ndarray:
    """The statement's all-numeric rows as one float array, read by the driver's own cursor."""
    # SQLAlchemy's Row objects cost as much as the query itself at a million rows.
    compiled = statement.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = connection.connection.dbapi_connection.cursor()
    chunks = [np.empty((0, width))]
    try:
        cursor.execute(str(compiled), params)
        while rows := cursor.fetchmany(CHUNK):
            flat = np.fromiter(chain.from_iterable(rows), dtype=float, count=len(rows) * width)
            chunks.append(flat.reshape(-1, width))
    finally:
        cursor.close()
    return np.concatenate(chunks)


def _best_code(clinicians: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Per row, the lowest `rank` among its clinician's rows."""
    # Stable: timsort runs through rows the join already gives in clinician order.
    order = np.argsort(clinicians, kind="stable")
    ordered = clinicians[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    lowest = np.minimum.reduceat(rank[order], starts)
    best = np.empty(len(rank), dtype=rank.dtype)
    best[order] = np.repeat(lowest, np.diff(np.r_[starts, len(order)]))
    return best


def _clinician_rows(connection: Connection, statement, clinicians, width: int) -> np.ndarray:
    """The statement's rows for every clinician (None) or for the listed ones only."""
    if clinicians is None:
        return _float_rows(connection, statement, width)
    ids = [int(i) for i in clinicians]
    parts = [np.empty((0, width))]
    for start in range(0, len(ids), IDS_PER_QUERY):
        mine = statement.where(
            NetworkParticipation.clinician_id.in_(ids[start : start + IDS_PER_QUERY])
        )
        parts.append(_float_rows(connection, mine, width))
    return np.concatenate(parts)


def provider_points(
    connection: Connection,
    network_ids: set[str],
    box: tuple[float, float, float, float],
    clinicians=None,
) -> dict[str, Providers]:
    """Accepting in-network locations inside `box` (south, west, north, east), by HSD type: of
    every clinician, or of the `clinicians` (ids) only."""
    mapping = taxonomy_specialties()
    codes = sorted(mapping)
    rows = _clinician_rows(connection, _places_query(network_ids, box, codes), clinicians, 3)
    if not len(rows):
        return {}
    clinicians, rank = np.divmod(rows[:, 0].astype(np.int64), 2 * len(codes))
    code = rank % len(codes)
    best = _best_code(clinicians, rank) % len(codes)
    # Types as small integers: comparing and sorting a million strings cost ~0.3 s.
    names = sorted(set(mapping.values()))
    kind_of = np.array([names.index(mapping[c]) for c in codes])
    kind, best_kind = kind_of[code], kind_of[best]
    # A place counts under the clinician's type only. One listed twice (two participations, two
    # taxonomies of one type) stays twice: coverage is any provider and owners a set, so only
    # the work grows, and dropping copies would cost a sort of every place.
    keep = kind == best_kind
    found = {}
    for index in np.flatnonzero(np.bincount(kind[keep], minlength=len(names))).tolist():
        mine = keep & (kind == index)
        found[names[index]] = Providers(rows[mine, 1], rows[mine, 2], clinicians[mine])
    return found


def remote_types(
    connection: Connection, network_ids: set[str], state: str, clinicians=None
) -> dict[int, str]:
    """In-network, accepting clinicians licensed in `state` who see by video or phone, each
    with their HSD type: every such clinician, or among the `clinicians` (ids) only."""
    query = select(
        Clinician.id, ClinicianTaxonomy.code, ClinicianTaxonomy.is_primary, Clinician.modalities
    ).select_from(NetworkParticipation)
    query = (
        _in_plan(query, network_ids)
        .where(Clinician.accepting_new_patients.is_not(False))
        .where(Clinician.id.in_(select(License.clinician_id).where(License.state == state)))
    )
    if clinicians is None:
        rows = connection.execute(query).all()
    else:
        ids = [int(i) for i in clinicians]
        rows = [
            row
            for start in range(0, len(ids), IDS_PER_QUERY)
            for row in connection.execute(
                query.where(Clinician.id.in_(ids[start : start + IDS_PER_QUERY]))
            )
        ]
    types = best_types(rows)
    return {row[0]: types[row[0]] for row in rows if TELEHEALTH_MODALITIES & set(row[3] or [])}


def box_around(lats: list[float], lons: list[float], miles: float):
    """The points' bounding box grown by `miles` on every side (south, west, north, east)."""
    miles *= 1 + SPHERE_ERROR
    grow_lat = miles / MILES_PER_DEGREE_LAT
    top = min(max(abs(v) for v in lats) + grow_lat, 89.0)
    grow_lon = miles / (MILES_PER_DEGREE_LAT * math.cos(math.radians(top)))
    return min(lats) - grow_lat, min(lons) - grow_lon, max(lats) + grow_lat, max(lons) + grow_lon
