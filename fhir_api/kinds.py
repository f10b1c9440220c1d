"""The resource types served at /fhir: their search parameters, readers and searchers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fhir_api import searches
from fhir_api.codes import PLAN_NET
from fhir_api.params import Param, Search

SP = PLAN_NET + "/SearchParameter/"
BASE_SP = "http://hl7.org/fhir/SearchParameter/"
LAST_UPDATED = Param(
    "_lastUpdated",
    "date",
    "When the resource last changed (ge, gt, le, lt, eq, sa, eb).",
    BASE_SP + "Resource-lastUpdated",
)
ID = Param("_id", "token", "The resource id.", BASE_SP + "Resource-id")
LANGUAGE = Param(
    "language", "token", "A language the practitioner offers care in (BCP 47 / ISO 639-1)."
)
NEW_PATIENT = Param(
    "new-patient", "token", "Accepting new patients: newpt, or nopt (AcceptingPatientsCS)."
)
SPECIALTY = Param("specialty", "token", "A NUCC taxonomy code.")


def _params(*params: Param) -> dict[str, Param]:
    return {p.name: p for p in (ID, LAST_UPDATED, *params)}


@dataclass(frozen=True)
class Kind:
    """One resource type: how to read it, search it, and what it includes."""

    name: str
    profile: str
    params: dict[str, Param]
    read: Callable[[str], dict | None]
    search: Callable[[Search], tuple[int, list[dict]]]
    includes: frozenset[str] = field(default_factory=frozenset)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "Practitioner",
            "plannet-Practitioner",
            _params(
                Param("identifier", "token", "The NPI (http://hl7.org/fhir/sid/us-npi|...)."),
                Param("name", "string", "Start of the first or last name."),
                Param("family", "string", "Start of the last name."),
                Param("given", "string", "Start of a given name."),
                Param("communication", "token", "A language (BCP 47)."),
                LANGUAGE,
                Param(
                    "qualification-code",
                    "token",
                    "A NUCC taxonomy code the practitioner holds.",
                    SP + "practitioner-qualification-code",
                ),
            ),
            searches.read_practitioner,
            searches.search_practitioners,
        ),
        Kind(
            "PractitionerRole",
            "plannet-PractitionerRole",
            _params(
                Param("practitioner", "reference", "The Practitioner (Practitioner/<NPI>)."),
                Param(
                    "specialty",
                    "token",
                    "A NUCC taxonomy code.",
                    SP + "practitionerrole-specialty",
                ),
                Param(
                    "network",
                    "reference",
                    "A network (Organization) covering the role.",
                    SP + "practitionerrole-network",
                ),
                Param(
                    "location",
                    "reference",
                    "Where the role is practised.",
                    SP + "practitionerrole-location",
                ),
                Param(
                    "organization",
                    "reference",
                    "The organization of the place.",
                    SP + "practitionerrole-organization",
                ),
                LANGUAGE,
                NEW_PATIENT,
            ),
            searches.read_role,
            searches.search_roles,
            frozenset(
                f"PractitionerRole:{target}"
                for target in ("practitioner", "location", "organization", "network", "service")
            ),
        ),
        Kind(
            "HealthcareService",
            "plannet-HealthcareService",
            _params(
                SPECIALTY,
                Param("category", "token", "HealthcareServiceCategoryCS; all are behav."),
                Param("location", "reference", "A place the service is offered at."),
                NEW_PATIENT,
            ),
            searches.read_service,
            searches.search_services,
        ),
        Kind(
            "Location",
            "plannet-Location",
            _params(
                Param("address", "string", "Start of the street, city, state or ZIP."),
                Param("address-city", "string", "Start of the city."),
                Param("address-state", "string", "The two-letter state."),
                Param("address-postalcode", "string", "The ZIP code (first five digits)."),
                Param("organization", "reference", "The managing organization."),
                Param("near", "special", "latitude|longitude|distance|unit (km or [mi_i])."),
            ),
            searches.read_location,
            searches.search_locations,
        ),
        Kind(
            "Organization",
            "plannet-Organization",
            _params(
                Param("name", "string", "Start of the name."),
                Param("identifier", "token", "The NPI (type-2)."),
                Param("type", "token", "OrgTypeCS: ntwk (networks), prvgrp, payer, fac."),
            ),
            searches.read_organization,
            searches.search_organizations,
        ),
        Kind(
            "InsurancePlan",
            "plannet-InsurancePlan",
            _params(
                Param("name", "string", "Start of the name."),
                Param("type", "token", "InsuranceProductTypeCS, e.g. commhmo, qhp."),
            ),
            searches.read_plan,
            searches.search_plans,
        ),
    )
}

READERS = {name: kind.read for name, kind in KINDS.items()}
