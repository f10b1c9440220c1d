"""Listing triggers: every write that can change a listing logs the clinician it changes."""

import pytest
from sqlalchemy import text

from directory.models import ClinicianCompetency, ClinicianTaxonomy, License, ListingChange
from tests.matching.match_directory import add_clinician, add_location, add_plan


@pytest.fixture
def listed(db):
    # Rows may be left from an earlier test's teardown (PostgreSQL logs its TRUNCATE).
    before = top(db)
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    here = add_location(42.35, -71.07)
    ana = add_clinician(1, [here], ["GoldNet"], ["es"], ["MA"])
    ben = add_clinician(2, [here], ["GoldNet"], ["en"])
    db.session.commit()
    return {"ana": ana, "ben": ben, "here": here, "before": before}


def logged(db, after: int) -> list:
    rows = db.session.execute(
        text("SELECT clinician_id FROM listing_change WHERE seq > :s ORDER BY seq"), {"s": after}
    )
    return sorted({r[0] for r in rows}, key=lambda v: (v is None, v or 0))


def top(db) -> int:
    return db.session.execute(text("SELECT coalesce(max(seq), 0) FROM listing_change")).scalar()


def test_inserting_a_clinician_with_children_logs_it(db, listed):
    assert logged(db, listed["before"]) == [listed["ana"].id, listed["ben"].id]


@pytest.mark.parametrize(
    "write",
    [
        lambda c: setattr(c, "accepting_new_patients", False),
        lambda c: c.taxonomies.append(ClinicianTaxonomy(code="2084P0800X")),
        lambda c: c.competencies.append(ClinicianCompetency(code="veterans")),
        lambda c: c.licenses.append(License(state="NH", number="NH-9")),
        lambda c: setattr(c.languages[0], "code", "pt"),
        lambda c: c.languages.clear(),
        lambda c: setattr(c.participations[0], "source", "roster:acme"),
        lambda c: setattr(c.locations[0], "accepting_new_patients", False),
    ],
    ids=["clinician", "taxonomy", "competency", "license", "language", "delete-language",
         "participation", "location-link"],
)  # fmt: skip
def test_each_listing_write_logs_the_clinician(db, listed, write):
    start = top(db)

    write(listed["ana"])
    db.session.commit()

    assert logged(db, start) == [listed["ana"].id]


def test_a_location_change_logs_everyone_there(db, listed):
    start = top(db)

    listed["here"].evening_hours = True
    db.session.commit()

    assert logged(db, start) == [listed["ana"].id, listed["ben"].id]


def test_a_row_moved_to_another_clinician_logs_both(db, listed):
    start = top(db)
    db.session.execute(
        text("UPDATE clinician_language SET clinician_id = :to WHERE clinician_id = :frm"),
        {"to": listed["ben"].id, "frm": listed["ana"].id},
    )
    db.session.commit()

    assert logged(db, start) == [listed["ana"].id, listed["ben"].id]


def test_deleting_a_location_logs_its_clinicians_through_the_cascade(db, listed):
    start = top(db)

    db.session.execute(text("DELETE FROM location"))
    db.session.commit()

    assert logged(db, start) == [listed["ana"].id, listed["ben"].id]


def test_deleting_a_clinician_logs_it(db, listed):
    start = top(db)

    db.session.delete(listed["ben"])
    db.session.commit()

    assert logged(db, start) == [listed["ben"].id]


def test_unrelated_writes_log_nothing(db, listed):
    from directory.models import Organization

    start = top(db)
    db.session.add(Organization(name="A PCP practice", kind="primary_care"))
    db.session.commit()

    assert logged(db, start) == []


def test_a_rolled_back_write_leaves_no_row(db, listed):
    start = top(db)

    listed["ana"].gender = "male"
    db.session.flush()
    db.session.rollback()

    assert logged(db, start) == []
    assert db.session.get(ListingChange, start) is not None


def test_truncate_logs_everything_on_postgresql(db, listed):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    start = top(db)

    db.session.execute(text("TRUNCATE clinician_taxonomy"))
    db.session.commit()

    assert logged(db, start) == [None]
