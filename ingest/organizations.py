"""Organizations a feed names by external id: created when new, renamed when the feed says so."""

from sqlalchemy import select

from directory.extensions import db
from directory.models import Organization
from ingest.bulk import in_list, insert_rows

_IN_CHUNK = 500  # stay under SQLite's bound-parameter limit


def save_organizations(names: dict[str, str], source: str, kind: str = "group_practice") -> None:
    """Upsert organizations by external id (in the caller's transaction): new ones in bulk."""
    wanted = sorted(names)
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        stored = db.session.scalars(
            select(Organization).where(in_list(Organization.external_id, chunk))
        )
        known = set()
        for organization in stored:
            known.add(organization.external_id)
            if organization.name != names[organization.external_id]:
                organization.name = names[organization.external_id]
        fresh = [
            {"external_id": key, "name": names[key], "kind": kind, "source": source}
            for key in chunk
            if key not in known
        ]
        insert_rows(Organization.__table__, fresh)
    db.session.flush()
