"""Programs in HSDS 3.0 shape: the objects /hsds answers with, valid against its JSON Schemas."""

from __future__ import annotations

from datetime import UTC, datetime

from programs.hsds_ids import hsds_id
from programs.models import ProgramLocation, ProgramOrganization, ProgramService, ProgramSite

DAYS = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
__all__ = ["hsds_id"]  # re-exported: callers name the shape module


def _uri(value: str | None) -> str | None:
    """A web address as a URI: a bare 'www.x.org' gets the http scheme it implies."""
    if not value:
        return None
    return value if "://" in value else f"http://{value}"


def _email(value: str | None) -> str | None:
    return value if value and "@" in value else None


def _stamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def _present(body: dict) -> dict:
    """The body without the fields we do not know (HSDS leaves unknown fields out)."""
    return {k: v for k, v in body.items() if v is not None}


def organization_json(org: ProgramOrganization) -> dict:
    """An HSDS organization (one-to-one fields)."""
    return _present(
        {
            "id": hsds_id("organization", org.external_id),
            "name": org.name,
            # Required by HSDS; empty when the source gave none.
            "description": org.description or "",
            "email": _email(org.email),
            "website": _uri(org.website),
        }
    )


def address_json(loc: ProgramLocation) -> dict | None:
    """The physical address, or None when the source gave neither street nor ZIP."""
    if not (loc.line1 or loc.postal_code):
        return None
    body = {
        "id": hsds_id("address", loc.external_id),
        "location_id": hsds_id("location", loc.external_id),
        "address_1": loc.line1 or "",
        "address_2": loc.line2,
        "city": loc.city or "",
        "state_province": loc.state or "",
        "postal_code": loc.postal_code or "",
        "country": "US",  # every source loaded is a US directory
        "address_type": "physical",
    }
    return _present(body)


def location_json(loc: ProgramLocation) -> dict:
    """An HSDS physical location with its address and coordinates, when known."""
    address = address_json(loc)
    body = {
        "id": hsds_id("location", loc.external_id),
        "location_type": "physical",
        "name": loc.name,
        "organization_id": (
            hsds_id("organization", loc.organization.external_id) if loc.organization else None
        ),
        "latitude": loc.lat,
        "longitude": loc.lon,
        "addresses": [address] if address else [],
    }
    return _present(body)


def schedules_json(site: ProgramSite) -> list[dict]:
    """The site's weekly opening hours as HSDS schedules (RRULE-style byday)."""
    site_id = hsds_id("service_at_location", site.external_id)
    found = []
    for number, hours in enumerate(site.hours or []):
        days = [DAYS[d] for d in hours.get("days", []) if d in DAYS]
        body = {
            "id": hsds_id("schedule", f"{site.external_id}#{number}"),
            "service_at_location_id": site_id,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": ",".join(days) or None,
            "opens_at": hours.get("opens"),
            "closes_at": hours.get("closes"),
        }
        found.append(_present(body))
    return found


def site_json(site: ProgramSite, full: bool = True) -> dict:
    """An HSDS service_at_location; `full` nests its location and schedules."""
    body = {
        "id": hsds_id("service_at_location", site.external_id),
        "service_id": hsds_id("service", site.service.external_id),
        "location_id": hsds_id("location", site.location.external_id),
    }
    if full:
        body["location"] = location_json(site.location)
        body["schedules"] = schedules_json(site)
    return body


def term_key(term: dict) -> tuple[str, str]:
    """(taxonomy, code or name) naming a source's taxonomy term."""
    return (term.get("taxonomy") or "unnamed taxonomy", term.get("code") or term.get("name") or "")


def taxonomy_json(name: str) -> dict:
    """An HSDS taxonomy a source named."""
    return {
        "id": hsds_id("taxonomy", name),
        "name": name,
        "description": f"The {name} taxonomy, as the sources loaded name its terms.",
    }


def term_json(term: dict) -> dict:
    """An HSDS taxonomy term as the source named it."""
    taxonomy, code = term_key(term)
    name = term.get("name") or code
    body = {
        "id": hsds_id("taxonomy_term", f"{taxonomy}:{code}"),
        "code": term.get("code"),
        "name": name,
        "description": name,  # sources give a name only; HSDS requires a description
        "taxonomy": taxonomy,
        "taxonomy_id": hsds_id("taxonomy", taxonomy),
    }
    return _present(body)


def _service_fields(service: ProgramService) -> dict:
    """The service's one-to-one fields, age from the source's assurance and our last change."""
    return {
        "id": hsds_id("service", service.external_id),
        "organization_id": hsds_id("organization", service.organization.external_id),
        "name": service.name,
        "description": service.description,
        "url": _uri(service.url),
        "email": _email(service.email),
        "status": service.status if service.status in STATUSES else "active",
        "eligibility_description": service.eligibility,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "fees_description": service.fees_description,
        "assured_date": service.verified_at.date().isoformat() if service.verified_at else None,
        "last_modified": _stamp(service.updated_at),
    }


def _languages(service: ProgramService) -> list[dict]:
    service_id = hsds_id("service", service.external_id)
    return [
        {"id": hsds_id("language", f"{service.external_id}:{code}"), "service_id": service_id,
         "code": code}
        for code in service.languages
    ]  # fmt: skip


def _cost_options(service: ProgramService) -> list[dict]:
    """The fee range as one cost option, when the source gave an amount."""
    amount = service.fee_min if service.fee_min is not None else service.fee_max
    if amount is None:
        return []
    body = {
        "id": hsds_id("cost_option", service.external_id),
        "service_id": hsds_id("service", service.external_id),
        "currency": service.currency,
        "amount": amount,
        "amount_description": service.fees_description,
    }
    return [_present(body)]


def _attributes(service: ProgramService) -> list[dict]:
    """The source's taxonomy terms, linked to the service."""
    service_id = hsds_id("service", service.external_id)
    found = []
    for term in service.taxonomy_terms:
        body = term_json(term)
        found.append(
            {"id": hsds_id("attribute", f"{service.external_id}:{body['id']}"),
             "link_id": service_id, "link_type": "service", "link_entity": "service",
             "taxonomy_term_id": body["id"], "taxonomy_term": body}
        )  # fmt: skip
    return found


def _provenance(service: ProgramService) -> list[dict]:
    """HSDS metadata saying which source gave the listing and when we last loaded it."""
    return [
        {"id": hsds_id("metadata", service.external_id),
         "resource_id": hsds_id("service", service.external_id), "resource_type": "service",
         "last_action_date": _stamp(service.updated_at) or "", "last_action_type": "import",
         "field_name": "", "previous_value": "", "replacement_value": "",
         "updated_by": service.source}
    ]  # fmt: skip


def service_json(service: ProgramService, full: bool = True) -> dict:
    """An HSDS service; `full` nests organization, sites, phones, languages, costs and terms."""
    body = _present(_service_fields(service))
    if not full:
        return body
    service_id = body["id"]
    phones = [{"id": hsds_id("phone", service.external_id), "service_id": service_id,
               "number": service.phone}] if service.phone else []  # fmt: skip
    body.update(
        organization=organization_json(service.organization),
        service_at_locations=[site_json(site) for site in service.sites],
        phones=phones,
        languages=_languages(service),
        cost_options=_cost_options(service),
        attributes=_attributes(service),
        metadata=_provenance(service),
    )
    return body
