"""Output schemas for clinicians: a search-result summary and the full detail."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import Schema, fields

from api.cost_schemas import cost_json
from directory.acceptance import accepts_new_patients, location_accepts
from directory.cost import cost_of
from directory.cost_facts import cost_lines
from directory.fact_resolution import Finding
from directory.models import Clinician, ClinicianLocation, ClinicianTaxonomy, is_stale
from directory.models.verification import as_utc
from directory.taxonomy import nucc
from directory.vocabulary import languages, vocabulary


def taxonomy_display(code: str) -> str:
    """The NUCC display name, or the code itself for one the shipped table lacks."""
    found = nucc().get(code)
    return found.display_name if found else code


def language_name(code: str) -> str:
    """The English name of an ISO 639-1 code."""
    found = languages().get(code)
    return found.label if found else code


def competency_label(code: str) -> str:
    """The label of a competency code."""
    found = vocabulary("competencies").get(code)
    return found.label if found else code


def iso_utc(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC; SQLite hands back naive datetimes, PostgreSQL the session zone."""
    return as_utc(moment).astimezone(UTC).isoformat() if moment else None


def _word(observation) -> dict:
    return {
        "source": observation.source,
        "method": observation.method,
        "value": observation.value,
        "observed_at": iso_utc(observation.observed_at),
    }


def provenance_json(findings: list[Finding]) -> list[dict]:
    """One entry per fact a source told us; staff's evidence notes stay in the console."""
    return [
        {
            "fact": f.kind,
            "network": f.network_id,
            "value": f.value,
            "source": f.winner.source,
            "method": f.winner.method,
            "observed_at": iso_utc(f.winner.observed_at),
            "confidence": f.confidence,
            "agreeing": [_word(o) for o in f.agreeing],
            "conflicts": [_word(o) for o in f.conflicts],
        }
        for f in findings
    ]


class TaxonomySchema(Schema):
    """A NUCC code the clinician holds."""

    code = fields.String()
    display = fields.Function(lambda t: taxonomy_display(t.code))
    primary = fields.Boolean(attribute="is_primary")


class LanguageSchema(Schema):
    """A language the clinician offers care in."""

    code = fields.String()
    name = fields.Function(lambda lang: language_name(lang.code))
    proficiency = fields.String()


class LocationSchema(Schema):
    """Where the clinician practises (dumps a ClinicianLocation)."""

    id = fields.Integer(attribute="location.id")
    name = fields.String(attribute="location.name")
    address = fields.String(attribute="location.address")
    city = fields.String(attribute="location.city")
    state = fields.String(attribute="location.state")
    postal_code = fields.String(attribute="location.postal_code")
    lat = fields.Float(attribute="location.lat")
    lon = fields.Float(attribute="location.lon")
    geo_precision = fields.String(attribute="location.geo_precision")
    # The clinician's own line at this place, else the place's main line.
    phone = fields.Function(lambda link: link.phone or link.location.phone)


class LicenseSchema(Schema):
    """A state license."""

    state = fields.String()
    license_type = fields.String()
    number = fields.String()
    expires_on = fields.Date()


class CompetencySchema(Schema):
    """A cultural competency and how we know it."""

    code = fields.String()
    label = fields.Function(lambda c: competency_label(c.code))
    provenance = fields.String()


def ordered_locations(clinician: Clinician) -> list[ClinicianLocation]:
    """Locations in a stable order (the relationship has none)."""
    return sorted(clinician.locations, key=lambda link: link.id)


def ordered_taxonomies(clinician: Clinician) -> list[ClinicianTaxonomy]:
    """The primary taxonomy first, then by code."""
    return sorted(clinician.taxonomies, key=lambda t: (not t.is_primary, t.code))


class ClinicianSummarySchema(Schema):
    """A clinician as one search result."""

    npi = fields.String()
    name = fields.String(attribute="display_name")
    first_name = fields.String()
    last_name = fields.String()
    credentials = fields.List(fields.String())
    gender = fields.String()
    pronouns = fields.String()
    taxonomies = fields.Function(lambda c: TaxonomySchema(many=True).dump(ordered_taxonomies(c)))
    languages = fields.List(fields.Nested(LanguageSchema))
    accepting_new_patients = fields.Function(accepts_new_patients)
    plans = fields.Function(lambda c: sorted({p.network_id for p in c.participations}))
    locations = fields.Method("_locations")
    last_verified = fields.Function(lambda c: iso_utc(c.verified_at))
    verification_source = fields.String(attribute="verified_source")
    stale = fields.Method("_stale")
    provenance = fields.Method("_provenance")
    cost = fields.Method("_cost")

    def __init__(
        self,
        *,
        stale_after_days: int,
        now: datetime | None = None,
        findings: dict[int, list[Finding]] | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.stale_after_days = stale_after_days
        self.now = now
        self.findings = findings or {}

    def _provenance(self, clinician: Clinician) -> list[dict]:
        return provenance_json(self.findings.get(clinician.id, []))

    def _cost(self, clinician: Clinician) -> dict:
        cost = cost_of(clinician)
        return cost_json(cost, cost_lines(cost, self.findings.get(clinician.id, [])))

    def _locations(self, clinician: Clinician) -> list[dict]:
        return LocationSchema(many=True).dump(ordered_locations(clinician))

    def _stale(self, clinician: Clinician) -> bool:
        return is_stale(clinician.verified_at, self.now, self.stale_after_days)


class ClinicianDetailSchema(ClinicianSummarySchema):
    """Everything the directory shows about one clinician."""

    licenses = fields.Function(
        lambda c: LicenseSchema(many=True).dump(sorted(c.licenses, key=lambda x: (x.state, x.id)))
    )
    competencies = fields.List(fields.Nested(CompetencySchema))
    conditions_treated = fields.List(fields.String())
    conditions_not_treated = fields.List(fields.String())
    approaches = fields.List(fields.String())
    age_groups = fields.List(fields.String())
    modalities = fields.List(fields.String())
    next_available_on = fields.Date()
    wait_days = fields.Integer()
    referral_capacity = fields.Integer()

    def _locations(self, clinician: Clinician) -> list[dict]:
        """Each location adds the plans taken there and whether it takes new patients."""
        out = []
        for link in ordered_locations(clinician):
            row = LocationSchema().dump(link)
            row["plans"] = sorted(
                {
                    p.network_id
                    for p in clinician.participations
                    if p.location_id in (None, link.location_id)
                }
            )
            row["accepting_new_patients"] = location_accepts(clinician, link)
            row["accepting_override"] = link.accepting_new_patients
            out.append(row)
        return out
