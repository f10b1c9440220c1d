"""/hsds answers in a fixed number of queries, however many programs a page holds."""

from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, select

from demo.programs import demo_programs
from directory.extensions import db
from ingest.program_store import save_services
from ingest.report import LoadSummary
from programs.hsds_ids import hsds_id
from programs.models import ProgramOrganization, ProgramService, ProgramSite

AREAS = [
    ("02139", "Cambridge", "MA", 42.362391, -71.102336),
    ("02143", "Somerville", "MA", 42.381929, -71.099861),
    ("02138", "Cambridge", "MA", 42.380968, -71.134730),
]
# (path, queries): a count and a page; + the nested sites; one read for a computed list.
LISTS = (
    ("/hsds/services", 2),
    ("/hsds/services?full=true", 3),
    ("/hsds/organizations", 2),
    ("/hsds/service_at_locations", 2),
    ("/hsds/service_at_locations?full=true", 2),
    ("/hsds/service_at_locations?postcode=02139&proximity=20000&full=true", 1),
    ("/hsds/taxonomy_terms", 1),
)
# One probe by stored id; a service's sites and an organization's services one more query.
BY_ID = {"services": 2, "service_at_locations": 1, "organizations": 2}


@contextmanager
def counted():
    """The SQL statements run inside the block."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _load(areas: int) -> None:
    save_services(demo_programs(AREAS[:areas], 7, date(2026, 11, 22)), LoadSummary())


def _queries(client, path: str) -> int:
    with counted() as statements:
        response = client.get(path)
    assert response.status_code == 200, response.get_json()
    return len(statements)


@pytest.mark.parametrize(("path", "queries"), LISTS)
def test_a_list_costs_the_same_queries_for_9_or_27_programs(app, client, path, queries):
    _load(1)
    few = _queries(client, path)
    _load(3)
    many = _queries(client, path)

    assert client.get(path).get_json()["total_items"] >= 27 or "taxonomy" in path
    assert (few, many) == (queries, queries)


def _ids() -> dict[str, str]:
    service = db.session.scalars(select(ProgramService).order_by(ProgramService.id)).first()
    site = db.session.scalars(select(ProgramSite).order_by(ProgramSite.id)).first()
    org = db.session.scalars(select(ProgramOrganization).order_by(ProgramOrganization.id)).first()
    return {
        "services": service.hsds_id,
        "service_at_locations": site.hsds_id,
        "organizations": org.hsds_id,
    }


def test_an_id_is_found_by_its_stored_hsds_id_in_one_query(app, client):
    _load(3)
    for kind, wanted in _ids().items():
        with counted() as statements:
            response = client.get(f"/hsds/{kind}/{wanted}")

        assert response.get_json()["id"] == wanted
        lookups = [s for s in statements if ".hsds_id = " in s]
        assert len(lookups) == 1, statements
        assert len(statements) == BY_ID[kind], statements


def test_stored_ids_are_the_ids_derived_from_the_source_keys(app):
    _load(1)
    for model, kind in (
        (ProgramService, "service"),
        (ProgramSite, "service_at_location"),
        (ProgramOrganization, "organization"),
    ):
        rows = db.session.execute(select(model.external_id, model.hsds_id)).all()
        assert len(rows) == 9
        assert all(stored == hsds_id(kind, key) for key, stored in rows)
