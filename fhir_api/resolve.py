"""From FHIR ids back to directory rows (the inverse of fhir_api/ids.py)."""

from __future__ import annotations

from sqlalchemy import select

from directory.extensions import db
from directory.models import Location, Network, Organization
from fhir_api.ids import is_digest_id, network_fhir_id, parse_row_id


def _pk(model, prefix: str, fhir_id: str) -> int | None:
    pk, external = parse_row_id(prefix, fhir_id)
    if pk is not None:
        row = db.session.get(model, pk) if pk < 2**31 else None
        # A row loaded with a usable Plan-Net id is known by that id only.
        if row is None or (row.external_id and parse_row_id(prefix, row.external_id)[1]):
            return None
        return pk
    if external is None:
        return None
    return db.session.scalar(select(model.id).where(model.external_id == external))


def location_pk(fhir_id: str) -> int | None:
    """The Location row a Location id names."""
    return _pk(Location, "loc", fhir_id)


def organization_pk(fhir_id: str) -> int | None:
    """The Organization row an Organization id names (networks are not Organization rows)."""
    return _pk(Organization, "org", fhir_id)


def network_by_fhir_id(fhir_id: str) -> Network | None:
    """The plan or network an Organization or InsurancePlan id names."""
    if is_digest_id(fhir_id):
        for network_id in db.session.scalars(select(Network.id)):
            if network_fhir_id(network_id) == fhir_id:
                return db.session.get(Network, network_id)
        return None
    network = db.session.get(Network, fhir_id) if len(fhir_id) <= 64 else None
    # An id the digest form replaced is not the resource's id.
    if network is None or network_fhir_id(network.id) != fhir_id:
        return None
    return network
