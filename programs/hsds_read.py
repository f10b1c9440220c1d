"""The HSDS 3.0 reads: paginated lists and lookups by HSDS id, every object in HSDS shape."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import joinedload, selectinload

from directory.extensions import db
from directory.geography import Point, bounding_box, distance_miles, zip5, zip_centroid
from programs.hsds_shape import (
    hsds_id,
    organization_json,
    service_json,
    site_json,
    taxonomy_json,
    term_json,
    term_key,
)
from programs.models import ProgramLocation, ProgramOrganization, ProgramService, ProgramSite

HSDS_VERSION = "3.0"
PROFILE = "https://docs.openreferral.org/en/latest/hsds/"
OPENAPI = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
METERS_PER_MILE = 1609.344


class PageSchema(Schema):
    """page and per_page as the HSDS OpenAPI names them; `full` nests related objects."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    full = fields.Boolean(load_default=False)


class ServiceQuerySchema(PageSchema):
    """services filters: words in the name or description, and the organization's HSDS id."""

    search = fields.String(validate=validate.Length(min=1, max=200))
    organization_id = fields.String(validate=validate.Length(min=1, max=64))


class SiteQuerySchema(PageSchema):
    """service_at_locations filters: a postcode, and metres from its centroid."""

    postcode = fields.String(validate=validate.Length(min=1, max=12))
    proximity = fields.Float(validate=validate.Range(min=0, min_inclusive=False, max=500_000))

    @validates_schema
    def _proximity_needs_a_placed_postcode(self, data, **kwargs):
        if "proximity" not in data:
            return
        if "postcode" not in data:
            raise ValidationError("proximity is measured from a postcode: give one", "postcode")
        if zip_centroid(data["postcode"]) is None:
            raise ValidationError("no known centroid for this postcode", "postcode")


@dataclass
class Page:
    """One page of a list, as the HSDS OpenAPI's Page schema has it."""

    contents: list[dict]
    total_items: int
    page_number: int
    per_page: int

    def as_json(self) -> dict:
        """The Page object with its contents."""
        total_pages = max(1, math.ceil(self.total_items / self.per_page))
        return {
            "total_items": self.total_items,
            "total_pages": total_pages,
            "page_number": self.page_number,
            "size": len(self.contents),
            "first_page": self.page_number == 1,
            "last_page": self.page_number >= total_pages,
            "empty": self.total_items == 0,
            "contents": self.contents,
        }


def about() -> dict:
    """What GET /hsds/ answers: the HSDS version, its profile and the OpenAPI we follow."""
    return {"version": HSDS_VERSION, "profile": PROFILE, "openapi_url": OPENAPI}


def _page_of(query: Select, params: dict, shape: Callable) -> Page:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    offset = (params["page"] - 1) * params["per_page"]
    rows = db.session.scalars(query.offset(offset).limit(params["per_page"])).unique().all()
    return Page([shape(r) for r in rows], total, params["page"], params["per_page"])


def _service_filters(query: Select, params: dict) -> Select:
    """The OpenAPI's `search` (name or description) and `organization_id` filters."""
    if "search" in params:
        words = params["search"].strip()
        query = query.where(
            ProgramService.name.icontains(words, autoescape=True)
            | ProgramService.description.icontains(words, autoescape=True)
        )
    if "organization_id" in params:
        owner = _by_hsds_id(ProgramOrganization, params["organization_id"])
        # An id we do not know matches no service, as any unmatched filter does.
        query = query.where(ProgramService.organization_id == owner.id if owner else false())
    return query


def services(params: dict) -> Page:
    """Services by name; `full` nests each as /services/{id} does."""
    query = select(ProgramService).options(joinedload(ProgramService.organization))
    query = _service_filters(query, params)
    if params["full"]:
        # The nested sites, their places and owners in three queries, not three per service.
        sites = selectinload(ProgramService.sites)
        query = query.options(
            sites.joinedload(ProgramSite.location).joinedload(ProgramLocation.organization)
        )
    query = query.order_by(ProgramService.name, ProgramService.id)
    return _page_of(query, params, lambda s: service_json(s, full=params["full"]))


def organizations(params: dict) -> Page:
    """Organizations by name."""
    query = select(ProgramOrganization).order_by(ProgramOrganization.name, ProgramOrganization.id)
    return _page_of(query, params, organization_json)


def _by_hsds_id(model, wanted: str, *options):
    """The row whose stored HSDS id is `wanted`, or None (one probe of its unique index)."""
    return db.session.scalar(select(model).where(model.hsds_id == wanted).options(*options))


def service(wanted: str) -> dict | None:
    """The fully nested service with HSDS id `wanted`, or None."""
    sites = selectinload(ProgramService.sites)
    found = _by_hsds_id(
        ProgramService,
        wanted,
        joinedload(ProgramService.organization),
        sites.joinedload(ProgramSite.location).joinedload(ProgramLocation.organization),
    )
    return service_json(found) if found else None


def organization(wanted: str) -> dict | None:
    """The organization with HSDS id `wanted` and its services' ids, or None."""
    found = _by_hsds_id(ProgramOrganization, wanted)
    if found is None:
        return None
    offered = db.session.scalars(
        select(ProgramService).where(ProgramService.organization_id == found.id)
    ).all()
    body = organization_json(found)
    body["services"] = [service_json(s, full=False) for s in offered]
    return body


def _sites_query() -> Select:
    return (
        select(ProgramSite)
        .join(ProgramSite.location)
        .options(
            joinedload(ProgramSite.location).joinedload(ProgramLocation.organization),
            joinedload(ProgramSite.service),
        )
    )


def _sites_near(params: dict) -> Page:
    """Sites within `proximity` metres of the postcode's centroid, nearest first."""
    center = zip_centroid(params["postcode"])
    miles = params["proximity"] / METERS_PER_MILE
    min_lat, max_lat, min_lon, max_lon = bounding_box(center, miles)
    candidates = db.session.scalars(
        _sites_query().where(
            ProgramLocation.lat.between(min_lat, max_lat),
            ProgramLocation.lon.between(min_lon, max_lon),
        )
    ).all()
    near = []
    for site in candidates:
        away = distance_miles(center, Point(site.location.lat, site.location.lon))
        if away <= miles:
            near.append((away, site.service.name, site.id, site))
    near.sort(key=lambda item: item[:3])
    offset = (params["page"] - 1) * params["per_page"]
    chosen = [item[3] for item in near[offset : offset + params["per_page"]]]
    contents = [site_json(s, full=params["full"]) for s in chosen]
    return Page(contents, len(near), params["page"], params["per_page"])


def service_at_locations(params: dict) -> Page:
    """Services at locations: near a postcode (proximity), at it (postcode alone), or all."""
    if "proximity" in params:
        return _sites_near(params)
    query = _sites_query()
    if "postcode" in params:
        # No service areas are loaded, so a postcode alone means sites at that postcode.
        wanted = zip5(params["postcode"]) or params["postcode"].strip()
        query = query.where(ProgramLocation.postal_code == wanted)
    query = query.order_by(ProgramSite.id)
    return _page_of(query, params, lambda s: site_json(s, full=params["full"]))


def _named_terms() -> dict[tuple[str, str], dict]:
    """Every taxonomy term a loaded service names, once, by (taxonomy, code)."""
    terms: dict[tuple[str, str], dict] = {}
    for named in db.session.scalars(select(ProgramService.taxonomy_terms)):
        for term in named or []:
            terms.setdefault(term_key(term), term)
    return dict(sorted(terms.items()))


def _listed(items: list[dict], params: dict) -> Page:
    offset = (params["page"] - 1) * params["per_page"]
    chosen = items[offset : offset + params["per_page"]]
    return Page(chosen, len(items), params["page"], params["per_page"])


def taxonomies(params: dict) -> Page:
    """The taxonomies the loaded services' terms come from."""
    names = sorted({taxonomy for taxonomy, _ in _named_terms()})
    return _listed([taxonomy_json(name) for name in names], params)


def taxonomy_terms(params: dict) -> Page:
    """The taxonomy terms the loaded services name."""
    return _listed([term_json(term) for term in _named_terms().values()], params)


def taxonomy(wanted: str) -> dict | None:
    """The taxonomy with HSDS id `wanted`, or None."""
    names = {taxonomy for taxonomy, _ in _named_terms()}
    return next((taxonomy_json(n) for n in names if hsds_id("taxonomy", n) == wanted), None)


def taxonomy_term(wanted: str) -> dict | None:
    """The taxonomy term with HSDS id `wanted`, or None."""
    shaped = (term_json(term) for term in _named_terms().values())
    return next((body for body in shaped if body["id"] == wanted), None)


def service_at_location(wanted: str) -> dict | None:
    """The service_at_location with HSDS id `wanted`, its location and hours nested, or None."""
    found = _by_hsds_id(
        ProgramSite,
        wanted,
        joinedload(ProgramSite.location).joinedload(ProgramLocation.organization),
        joinedload(ProgramSite.service),
    )
    return site_json(found) if found else None
