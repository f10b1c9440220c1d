"""The /hsds routes: parse the query once, ask programs.hsds_read, answer JSON."""

from flask import Blueprint, abort, jsonify, request

from programs import hsds_read

hsds_blueprint = Blueprint("hsds", __name__, url_prefix="/hsds")


def _page(schema, listing):
    params = schema.load(request.args)
    return jsonify(listing(params).as_json())


def _found(body: dict | None, kind: str):
    if body is None:
        abort(404, f"no {kind} with this id")
    return jsonify(body)


@hsds_blueprint.get("/")
def about():
    """The HSDS version and profile this API follows."""
    return jsonify(hsds_read.about())


@hsds_blueprint.get("/services")
def services():
    """Services, paginated; by words (`search`) or organization (`organization_id`)."""
    return _page(hsds_read.ServiceQuerySchema(), hsds_read.services)


@hsds_blueprint.get("/services/<service_id>")
def service(service_id: str):
    """One fully nested service."""
    return _found(hsds_read.service(service_id), "service")


@hsds_blueprint.get("/service_at_locations")
def service_at_locations():
    """Services at locations, by postcode and proximity (metres), paginated."""
    return _page(hsds_read.SiteQuerySchema(), hsds_read.service_at_locations)


@hsds_blueprint.get("/service_at_locations/<site_id>")
def service_at_location(site_id: str):
    """One service at a location, its location and hours nested."""
    return _found(hsds_read.service_at_location(site_id), "service_at_location")


@hsds_blueprint.get("/organizations")
def organizations():
    """Organizations, paginated."""
    return _page(hsds_read.PageSchema(), hsds_read.organizations)


@hsds_blueprint.get("/organizations/<organization_id>")
def organization(organization_id: str):
    """One organization with its services."""
    return _found(hsds_read.organization(organization_id), "organization")


@hsds_blueprint.get("/taxonomies")
def taxonomies():
    """Taxonomies the services' terms come from, paginated."""
    return _page(hsds_read.PageSchema(), hsds_read.taxonomies)


@hsds_blueprint.get("/taxonomy_terms")
def taxonomy_terms():
    """Taxonomy terms the services name, paginated."""
    return _page(hsds_read.PageSchema(), hsds_read.taxonomy_terms)


@hsds_blueprint.get("/taxonomies/<taxonomy_id>")
def taxonomy(taxonomy_id: str):
    """One taxonomy."""
    return _found(hsds_read.taxonomy(taxonomy_id), "taxonomy")


@hsds_blueprint.get("/taxonomy_terms/<term_id>")
def taxonomy_term(term_id: str):
    """One taxonomy term."""
    return _found(hsds_read.taxonomy_term(term_id), "taxonomy term")
