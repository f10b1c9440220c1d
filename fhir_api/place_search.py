"""SQL for Location, Organization (practices and networks) and InsurancePlan searches."""

from __future__ import annotations

import math

from sqlalchemy import ColumnElement, Select, false, or_, select

from directory.extensions import db
from directory.geography import Point, bounding_box, distance_miles
from directory.models import Location, Network, Organization, plan_network
from fhir_api.clauses import any_of, string_clauses, token_codes
from fhir_api.codes import NPI_SYSTEM, ORGANIZATION_TYPES, PRODUCT_TYPE_CODES
from fhir_api.ids import network_fhir_id
from fhir_api.params import Search, SearchError, reference_id
from fhir_api.resolve import location_pk, organization_pk
from fhir_api.times import date_clause

KM_PER_MILE = 1.609344
UNITS = {"km": 1 / KM_PER_MILE, "mi": 1.0, "[mi_i]": 1.0, "[mi_us]": 1.0}
DEFAULT_NEAR_KM = 50.0


def location_query(search: Search) -> Select:
    """Ids of matching locations by row id (near= is applied afterwards, see near_filter)."""
    clauses = [date_clause(Location.updated_at, d) for d in search.dates("_lastUpdated")]
    clauses += _location_ids(search)
    for group in search.all("address-postalcode"):
        clauses.append(
            any_of([Location.postal_code.startswith(v[:5], autoescape=True) for v in group])
        )
    for group in search.all("address-state"):
        clauses.append(Location.state.in_([v.upper() for v in group]))
    clauses += string_clauses(search, "address-city", [Location.city])
    clauses += string_clauses(
        search, "address", [Location.line1, Location.city, Location.state, Location.postal_code]
    )
    for group in search.all("organization"):
        pks = [organization_pk(reference_id(v, "Organization")) for v in group]
        clauses.append(Location.organization_id.in_([p for p in pks if p is not None]))
    for near in search.all("near"):
        clauses.append(_bounding_box(parse_near(near)))
    return select(Location.id).where(*clauses).order_by(Location.id)


def _location_ids(search: Search) -> list[ColumnElement]:
    out = []
    for group in search.all("_id"):
        out.append(any_of([_one_row(Location, v) for v in group]))
    return out


def _one_row(model, value: str) -> ColumnElement:
    """The Location or Organization row an id names."""
    pk = (location_pk if model is Location else organization_pk)(value)
    return model.id == pk if pk is not None else false()


def parse_near(group: list[str]) -> tuple[float, float, float]:
    """near=lat|lon|distance|unit as (lat, lon, miles); distance defaults to 50 km."""
    if len(group) != 1:
        raise SearchError("near takes one latitude|longitude[|distance|unit]", "near")
    parts = group[0].split("|")
    try:
        lat, lon = float(parts[0]), float(parts[1])
        distance = float(parts[2]) if len(parts) > 2 and parts[2] else DEFAULT_NEAR_KM
    except (IndexError, ValueError) as err:
        raise SearchError("near is latitude|longitude|distance|unit", "near") from err
    unit = parts[3] if len(parts) > 3 and parts[3] else "km"
    if unit not in UNITS:
        raise SearchError("near units are km or [mi_i]", "near")
    values_ok = all(math.isfinite(v) for v in (lat, lon, distance))
    if not values_ok or not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= distance <= 1e4):
        raise SearchError("near: latitude, longitude or distance out of range", "near")
    return lat, lon, distance * UNITS[unit]


def _bounding_box(near: tuple[float, float, float]) -> ColumnElement:
    """A box holding every place within the distance (near_filter makes the exact check)."""
    lat, lon, miles = near
    low_lat, high_lat, low_lon, high_lon = bounding_box(Point(lat, lon), miles)
    return Location.lat.between(low_lat, high_lat) & Location.lon.between(low_lon, high_lon)


def near_filter(search: Search, locations: list[Location]) -> list[Location]:
    """The places within every near= distance, geodesically."""
    for group in search.all("near"):
        lat, lon, miles = parse_near(group)
        here = Point(lat, lon)
        locations = [
            loc for loc in locations if distance_miles(here, Point(loc.lat, loc.lon)) <= miles
        ]
    return locations


def organization_queries(search: Search) -> tuple[Select | None, Select | None]:
    """(network ids, organization row ids) for an Organization search; None: that part is out."""
    types = [set(token_codes(group, None, "type")) for group in search.all("type")]
    want_networks = all("ntwk" in group for group in types)
    net = [date_clause(Network.updated_at, d) for d in search.dates("_lastUpdated")]
    org = [date_clause(Organization.updated_at, d) for d in search.dates("_lastUpdated")]
    for group in search.all("_id"):
        net.append(Network.id.in_(_network_ids(group)))
        org.append(any_of([_one_row(Organization, v) for v in group]))
    net += string_clauses(search, "name", [Network.name])
    org += string_clauses(search, "name", [Organization.name])
    for group in search.all("identifier"):
        org.append(Organization.npi.in_(token_codes(group, NPI_SYSTEM, "identifier")))
        net.append(false())
    for group in types:
        kinds = [k for k, (code, _) in ORGANIZATION_TYPES.items() if code in group]
        org.append(Organization.kind.in_(kinds))
    using = select(plan_network.c.plan_id)
    networks = select(Network.id).where(
        or_(Network.kind == "network", Network.id.not_in(using)), *net
    )
    orgs = select(Organization.id).where(*org)
    return (networks.order_by(Network.id) if want_networks else None), orgs.order_by(
        Organization.id
    )


def _network_ids(group: list[str]) -> list[str]:
    """Network ids the FHIR ids name (digest ids need the list of all ids)."""
    wanted = set(group)
    everything = db.session.scalars(select(Network.id))
    return [n for n in everything if network_fhir_id(n) in wanted]


def plan_query(search: Search) -> Select:
    """Network ids of matching plans for an InsurancePlan search."""
    clauses = [Network.kind == "plan"]
    clauses += [date_clause(Network.updated_at, d) for d in search.dates("_lastUpdated")]
    for group in search.all("_id"):
        clauses.append(Network.id.in_(_network_ids(group)))
    clauses += string_clauses(search, "name", [Network.name])
    for group in search.all("type"):
        codes = set(token_codes(group, None, "type"))
        labels = [label for label, code in PRODUCT_TYPE_CODES.items() if code in codes]
        clauses.append(Network.plan_type.in_(labels))
    return select(Network.id).where(*clauses).order_by(Network.id)
