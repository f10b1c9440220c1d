"""A stored listing's facts as observations: what an attestation or a verification confirms."""

from __future__ import annotations

from datetime import datetime

from directory.cost import cost_of, fact_values
from directory.facts import Observation, clinician
from directory.models import Clinician


def address_fact(location) -> dict:
    """A place as the "location" fact states it."""
    return {
        "line1": location.line1,
        "city": location.city,
        "state": location.state,
        "postal_code": location.postal_code,
    }


def _stated(listing: Clinician):
    """(kind, value, network id) for each fact the listing shows; unknown ones are skipped."""
    if listing.accepting_new_patients is not None:
        yield "accepting_new_patients", listing.accepting_new_patients, None
    if listing.languages:
        yield "languages", sorted(language.code for language in listing.languages), None
    if listing.modalities:
        yield "telehealth", listing.offers_telehealth, None
    places = [link.location for link in listing.locations]
    if places:
        yield "location", [address_fact(place) for place in places], None
        phones = sorted({link.phone or link.location.phone for link in listing.locations} - {None})
        if phones:
            yield "phone", phones, None
    for network_id in sorted({p.network_id for p in listing.participations}):
        yield "network_participation", True, network_id
    for kind, value in fact_values(cost_of(listing)).items():
        yield kind, value, None


def listing_observations(
    listing: Clinician,
    source: str,
    observed_at: datetime,
    *,
    method: str | None = None,
    evidence: str | None = None,
    actor_id: int | None = None,
    source_ref: str | None = None,
) -> list[Observation]:
    """One observation per fact the listing shows, all by `source` at `observed_at`."""
    return [
        Observation(
            clinician(listing.id),
            kind,
            value,
            source,
            observed_at,
            network_id=network_id,
            method=method,
            evidence=evidence,
            actor_id=actor_id,
            source_ref=source_ref,
        )
        for kind, value, network_id in _stated(listing)
    ]
