"""Demo programs: every kind around the demo clinicians, the same for a seed, found by search."""

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from demo.programs import demo_programs
from programs.models import ProgramService
from programs.needs import ProgramNeedsSchema
from programs.search import find_programs

AREA = [("02139", "Cambridge", "MA", 42.362391, -71.102336)]


def test_the_same_seed_gives_the_same_programs():
    first = demo_programs(AREA, 7, date(2026, 11, 22))
    second = demo_programs(AREA, 7, date(2026, 11, 22))

    assert [r.digest() for r in first] == [r.digest() for r in second]
    assert len(first) == 9
    assert first[0].name == "Cambridge Community Food Pantry"
    assert first[0].sites[0].location.precision == "source"


def test_demo_load_adds_programs_a_search_near_the_clinicians_finds(runner, db):
    result = runner.invoke(args=["demo", "load", "--clinicians", "120", "--as-of", "2026-11-22"])

    assert result.exit_code == 0, result.output
    assert "demo programs: read 72 · inserted 72" in result.output
    assert db.session.scalar(select(func.count()).select_from(ProgramService)) == 72
    otp = db.session.scalars(
        select(ProgramService).where(ProgramService.external_id.like("demo:%:otp"))
    ).first()
    point = otp.sites[0].location
    needs = ProgramNeedsSchema().load(
        {"lat": point.lat, "lon": point.lon, "medications": ["methadone"], "limit": 1}
    )
    page = find_programs(needs, datetime(2026, 11, 22, 15, tzinfo=UTC))
    assert page.results[0].service.id == otp.id

    again = runner.invoke(args=["demo", "programs", "--as-of", "2026-11-22"])
    assert "demo programs: read 72 · inserted 0 · updated 0 · unchanged 72" in again.output
