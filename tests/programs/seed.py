"""Programs around Cambridge, MA (ZIP 02139), saved the way loaders save them."""

from ingest.program_store import save_services
from ingest.report import LoadSummary
from programs.records import LocationRecord, OrganizationRecord, ServiceRecord, SiteRecord

CAMBRIDGE = (42.362391, -71.102336)  # the 02139 ZCTA centroid
# A degree of latitude is about 69 miles: 0.0145 degrees north is about one mile.
MILE = 0.0145


def program(key: str, miles_north: float, **facets) -> ServiceRecord:
    """A program `miles_north` of Cambridge with the facets given."""
    hours = facets.pop("hours", [])
    location = LocationRecord(
        f"test:{key}", name=f"{key} site", line1="1 Main St", city="Cambridge", state="MA",
        postal_code="02139", lat=CAMBRIDGE[0] + miles_north * MILE, lon=CAMBRIDGE[1],
    )  # fmt: skip
    location.place()
    return ServiceRecord(
        f"test:{key}",
        key,
        OrganizationRecord(f"test:org:{key}", f"{key} organization"),
        "test",
        sites=[SiteRecord(f"test:{key}", location, hours)],
        **facets,
    )


def save(*records: ServiceRecord) -> None:
    """Save the records."""
    save_services(list(records), LoadSummary())
