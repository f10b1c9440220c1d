"""Read the places part of a segment: locations with a point, and clinicians' links to them."""

from __future__ import annotations

import numpy as np

from matching.index.codes import CodeBook, CodeColumn, JsonCodes
from matching.index.geodesy import unit_vectors
from matching.index.segment import UNKNOWN, Places, tristate

_LINKS = "SELECT clinician_id, location_id, accepting_new_patients FROM clinician_location"
_LOCATIONS = (
    "SELECT id, lat, lon, CAST(accessibility AS TEXT), evening_hours, weekend_hours "
    "FROM location WHERE lat IS NOT NULL AND lon IS NOT NULL"
)


def _links(reader, rows_of):
    """(clinician rows, location ids, per-location accepting) of known clinicians' links."""
    rows, locations, accepting = [], [], []
    for chunk in reader.chunks(_LINKS):
        cols = list(zip(*chunk, strict=True))
        found, known = rows_of(cols[0])
        rows.append(found[known])
        locations.append(np.array(cols[1], dtype=np.int64)[known])
        accepting.append(np.array([tristate(a) for a in cols[2]], dtype=np.int8)[known])
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int8)
    return np.concatenate(rows), np.concatenate(locations), np.concatenate(accepting)


def _locations(reader, wanted: np.ndarray):
    """Columns of the wanted locations that have a point, sorted by latitude."""
    access = JsonCodes(CodeBook())
    parts: list[list] = [[], [], [], [], [], []]
    chunks = (
        reader.chunks_in(_LOCATIONS, "id", wanted.tolist())
        if reader.ids is not None
        else reader.chunks(_LOCATIONS, "id")
    )
    for chunk in chunks:
        cols = list(zip(*chunk, strict=True))
        parts[0] += cols[0]
        parts[1] += cols[1]
        parts[2] += cols[2]
        parts[3] += [access(t) for t in cols[3]]
        parts[4] += [bool(v) for v in cols[4]]
        parts[5] += [bool(v) for v in cols[5]]
    ids = np.array(parts[0], dtype=np.int64)
    keep = np.isin(ids, wanted)
    lat = np.array(parts[1], dtype=np.float64)[keep]
    order = np.lexsort((ids[keep], lat))
    pick = np.flatnonzero(keep)[order]
    columns = [ids[pick], lat[order], np.array(parts[2], dtype=np.float64)[pick]]
    columns.append(access.column(np.array(parts[3], dtype=np.int32)[pick]))
    columns += [np.array(parts[4], dtype=bool)[pick], np.array(parts[5], dtype=bool)[pick]]
    return columns


def _link_keys(clinician_rows: np.ndarray, location_ids: np.ndarray, scale: int) -> np.ndarray:
    return clinician_rows.astype(np.int64) * scale + location_ids


def read_places(reader, rows_of, accepting, at_rows, at_bits, at_locations, networks: CodeBook):
    """Places for the segment; at_* are participations at one location (clinician row, bit)."""
    rows, location_ids, override = _links(reader, rows_of)
    ids, lat, lon, accessibility, evening, weekend = _locations(reader, np.unique(location_ids))
    by_id = np.argsort(ids)
    where = np.searchsorted(ids, location_ids, sorter=by_id) if len(ids) else location_ids * 0
    where = np.minimum(where, max(len(ids) - 1, 0))
    location_rows = by_id[where] if len(ids) else where
    keep = (ids[location_rows] == location_ids) if len(ids) else np.zeros(len(rows), bool)
    rows, location_rows = rows[keep], location_rows[keep]
    location_ids, override = location_ids[keep], override[keep]
    order = np.lexsort((rows, location_rows))
    rows, location_rows = rows[order], location_rows[order]
    location_ids, override = location_ids[order], override[order]
    link_accepting = np.where(override == UNKNOWN, accepting[rows], override).astype(np.int8)
    located = _located_networks(rows, location_ids, at_rows, at_bits, at_locations, networks)
    x, y, z = unit_vectors(lat, lon)
    return Places(
        ids=ids,
        lat=lat,
        lon=lon,
        x=x,
        y=y,
        z=z,
        accessibility=accessibility,
        evening=evening,
        weekend=weekend,
        link_start=np.searchsorted(location_rows, np.arange(len(ids) + 1)).astype(np.int32),
        link_clinician=rows.astype(np.int32),
        link_location=location_rows.astype(np.int32),
        link_accepting=link_accepting,
        link_networks=located,
    )


def _located_networks(rows, location_ids, at_rows, at_bits, at_locations, networks):
    """Per link, the networks the clinician joined at that location only."""
    at_locations = np.array(at_locations.tolist(), dtype=np.int64)
    scale = int(max(location_ids.max(initial=0), at_locations.max(initial=0))) + 1
    keys = _link_keys(rows, location_ids, scale)
    order = np.argsort(keys)
    wanted = _link_keys(at_rows, at_locations, scale)
    where = np.minimum(np.searchsorted(keys, wanted, sorter=order), max(len(keys) - 1, 0))
    links = order[where] if len(keys) else where
    hit = (keys[links] == wanted) if len(keys) else np.zeros(len(wanted), bool)
    return CodeColumn.from_pairs(len(rows), links[hit], at_bits[hit], networks)
