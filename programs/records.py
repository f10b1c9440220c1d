"""The clean program record every program loader produces, before it is saved."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from directory.geography import valid_coordinates, zip5, zip_centroid


@dataclass
class OrganizationRecord:
    """The organization a service belongs to."""

    external_id: str
    name: str
    description: str | None = None
    website: str | None = None
    email: str | None = None


@dataclass
class LocationRecord:
    """A place, placed by its own coordinates, else by its ZIP's centroid, else unplaced."""

    external_id: str
    name: str | None = None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None

    def place(self) -> None:
        """Keep valid coordinates ('source'); else the ZIP centroid ('zcta_centroid'); else none."""
        if self.lat is not None and valid_coordinates(self.lat, self.lon):
            self.precision = "source"
            return
        centroid = zip_centroid(self.postal_code)
        if centroid is None:
            self.lat = self.lon = self.precision = None
            return
        self.lat, self.lon, self.precision = centroid.lat, centroid.lon, "zcta_centroid"


@dataclass
class SiteRecord:
    """A service at a location, with the hours kept there."""

    external_id: str
    location: LocationRecord
    hours: list[dict] = field(default_factory=list)


@dataclass
class ServiceRecord:
    """One service with its organization and sites, every facet as codes."""

    external_id: str
    name: str
    organization: OrganizationRecord
    source: str
    sites: list[SiteRecord] = field(default_factory=list)
    description: str | None = None
    status: str = "active"
    url: str | None = None
    email: str | None = None
    phone: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    eligibility: str | None = None
    populations: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    taxonomy_terms: list[dict] = field(default_factory=list)
    levels_of_care: list[str] = field(default_factory=list)
    medications: list[str] = field(default_factory=list)
    detox: bool = False
    residential: bool = False
    payments: list[str] = field(default_factory=list)
    fee_min: float | None = None
    fee_max: float | None = None
    currency: str | None = None
    fees_description: str | None = None
    verified_at: datetime | None = None

    def digest(self) -> str:
        """SHA-256 of everything the record says: an unchanged record is skipped on re-runs."""
        text = json.dumps(asdict(self), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def postal_code(value: str | None) -> str | None:
    """A US 5-digit ZIP, or the text as given (trimmed, at most 12 characters) when not one."""
    if not value:
        return None
    return zip5(value) or value.strip()[:12] or None
