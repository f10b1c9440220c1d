"""Where a clinician practises and in which networks, for one batch of records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from directory.extensions import db
from directory.models import Clinician, ClinicianLocation, Network, NetworkParticipation
from ingest.bulk import in_list
from ingest.children import sync_rows
from ingest.locations import LocationIndex, mark_verified, organization_ids

if TYPE_CHECKING:
    from ingest.records import ClinicianRecord

_IN_CHUNK = 500


def known_networks(ids: set[str]) -> set[str]:
    """The network ids in `ids` that exist (callers create networks; unknown ones are skipped)."""
    wanted = sorted(ids)
    found: set[str] = set()
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        found.update(db.session.scalars(select(Network.id).where(in_list(Network.id, chunk))))
    return found


class BatchLinks:
    """Resolves a batch's locations, organizations and networks up front, then links rows."""

    def __init__(self, records: list[ClinicianRecord]):
        places = [loc for r in records for loc in r.locations or []]
        org_refs = {loc.organization_external_id for loc in places if loc.organization_external_id}
        self.org_ids = organization_ids(org_refs)
        self.locations = LocationIndex(
            [(loc, r.source, r.verified_at) for r in records for loc in r.locations or []],
            self.org_ids,
            insert_now=True,
        )
        self.networks: set[str] = set()
        network_refs = {net for r in records for net, _ in r.networks or []}
        if network_refs:
            self.networks = known_networks(network_refs)

    def wanted_links(self, record: ClinicianRecord) -> tuple[dict[int, dict], list[int]]:
        """Link attributes by location id, and the ids in the record's order (for networks)."""
        ids: list[int] = []
        wanted: dict[int, dict] = {}
        for rec in record.locations or []:
            loc = self.locations.apply(rec, record.source, record.verified_at)
            ids.append(loc.id)
            attrs = {
                "organization_id": self.org_ids.get(rec.organization_external_id or ""),
                "external_id": rec.link_external_id,
                "phone": rec.phone,
                "accepting_new_patients": rec.accepting_new_patients,
            }
            wanted[loc.id] = {k: v for k, v in attrs.items() if v is not None}
        return wanted, ids

    def wanted_participations(
        self, record: ClinicianRecord, ids: list[int]
    ) -> dict[tuple[str, int | None], dict]:
        """(network id, location id or None) for the record's known networks."""
        wanted: dict[tuple[str, int | None], dict] = {}
        for network_id, position in record.networks or []:
            if network_id not in self.networks:
                continue
            if position is None:
                wanted[(network_id, None)] = {}
            elif 0 <= position < len(ids):
                wanted[(network_id, ids[position])] = {}
        return wanted

    def rows(self, clinician_id: int, record: ClinicianRecord) -> tuple[list[dict], list[dict]]:
        """Insertable link and participation rows for a new clinician."""
        wanted, ids = self.wanted_links(record)
        common = {"clinician_id": clinician_id, "source": record.source}
        if record.verified_at is not None:
            common.update(verified_at=record.verified_at, verified_source=record.source)
        links = [{**common, "location_id": key, **attrs} for key, attrs in wanted.items()]
        participations = [
            {**common, "network_id": network_id, "location_id": location_id}
            for network_id, location_id in self.wanted_participations(record, ids)
        ]
        return links, participations

    def apply(self, clinician: Clinician, record: ClinicianRecord) -> None:
        """Replace this source's location links and participations when the record gives them."""
        ids: list[int] = []
        if record.locations is not None:
            wanted, ids = self.wanted_links(record)
            self._sync_links(clinician, record, wanted)
        if record.networks is not None:
            self._sync_participations(clinician, record, self.wanted_participations(record, ids))

    def _sync_links(self, clinician: Clinician, record: ClinicianRecord, wanted: dict) -> None:
        """Upsert links for the record's locations; drop this source's other links."""

        def make(location_id: int, attrs: dict) -> ClinicianLocation:
            return ClinicianLocation(location_id=location_id, source=record.source, **attrs)

        sync_rows(
            clinician.locations,
            wanted,
            lambda link: link.location_id,
            make,
            removable=lambda link: link.source == record.source,
        )
        for link in clinician.locations:
            if link.location_id in wanted:
                mark_verified(link, record.source, record.verified_at)

    def _sync_participations(
        self, clinician: Clinician, record: ClinicianRecord, wanted: dict
    ) -> None:
        """Upsert participations (per location, or all locations); drop this source's others."""

        def make(key: tuple[str, int | None], attrs: dict) -> NetworkParticipation:
            return NetworkParticipation(network_id=key[0], location_id=key[1], source=record.source)

        sync_rows(
            clinician.participations,
            wanted,
            lambda p: (p.network_id, p.location_id),
            make,
            removable=lambda p: p.source == record.source,
        )
        for participation in clinician.participations:
            if (participation.network_id, participation.location_id) in wanted:
                mark_verified(participation, record.source, record.verified_at)
