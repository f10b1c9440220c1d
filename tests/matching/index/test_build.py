"""Reading a segment: every fact the required needs and the ranker read, per clinician."""

from datetime import date, timedelta

import numpy as np
import pytest

from directory.models import License
from matching.index.build import read_segment
from matching.index.segment import NO_CAPACITY, NO_WAIT, UNKNOWN, day, moment
from tests.matching.match_directory import NOW, add_clinician, add_location, add_plan


@pytest.fixture
def directory(db):
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    add_plan("Silver", "Acme Silver", ["SilverNet"])
    north = add_location(42.40, -71.10, accessibility=["wheelchair"], evening_hours=True)
    south = add_location(42.30, -71.10)
    nowhere = add_location(None, None)
    ana = add_clinician(
        1,
        [(north, False), south, nowhere],
        ["GoldNet", ("SilverNet", south)],
        ["es", "en"],
        [("MA", None), ("NH", date(2020, 1, 1))],
        taxonomies=["101YM0800X", "2084P0800X"],
        competencies=["lgbtq_affirming"],
        gender="female",
        conditions_treated=["depression"],
        conditions_not_treated=["insomnia"],
        age_groups=["adults"],
        modalities=["in_person", "video"],
        wait_days=3,
        next_available_on=date(2026, 3, 10),
        referral_capacity=4,
        flagged_reason="declined: not accepting",
    )
    ana.licenses.append(License(state="NH", number="NH-renewed", expires_on=date(2030, 1, 1)))
    ben = add_clinician(2, [north], ["GoldNet"], accepting_new_patients=None, verified_at=None)
    add_clinician(3, [north], ["GoldNet"], active=False)
    db.session.commit()
    return {"ana": ana, "ben": ben, "north": north, "south": south}


def _segment(db, ids=None):
    with db.engine.connect() as connection:
        return read_segment(connection, ids)


def test_active_clinicians_only_sorted_by_id(db, directory):
    segment = _segment(db)

    assert segment.clinicians.ids.tolist() == [directory["ana"].id, directory["ben"].id]


def test_clinician_facts(db, directory):
    c = _segment(db).clinicians

    assert c.languages.codes(0) == {"es", "en"}
    assert c.taxonomies.codes(0) == {"101YM0800X", "2084P0800X"}
    assert c.competencies.codes(0) == {"lgbtq_affirming"}
    assert c.treated.codes(0) == {"depression"} and c.not_treated.codes(0) == {"insomnia"}
    assert c.ages.codes(0) == {"adults"} and c.modalities.codes(0) == {"in_person", "video"}
    assert c.genders[c.gender[0]] == "female" and c.gender[1] == UNKNOWN
    assert c.accepting.tolist() == [1, UNKNOWN]
    assert c.wait_days.tolist() == [3, NO_WAIT]
    assert day(c.next_open[0]) == date(2026, 3, 10) and day(c.next_open[1]) is None
    assert c.capacity.tolist() == [4, NO_CAPACITY]
    assert moment(c.verified[0]) == NOW and moment(c.verified[1]) is None
    assert c.flagged.tolist() == [True, False]


def test_networks_everywhere_and_at_one_location(db, directory):
    segment = _segment(db)
    c, p = segment.clinicians, segment.places

    assert c.networks_all.codes(0) == {"GoldNet", "SilverNet"}
    assert c.networks_wide.codes(0) == {"GoldNet"}
    south = int(np.flatnonzero(p.ids == directory["south"].id)[0])
    links = np.flatnonzero(p.link_location == south)
    assert [p.link_networks.codes(int(i)) for i in links] == [{"SilverNet"}]


def test_licenses_keep_the_latest_expiry_per_state(db, directory):
    licenses = _segment(db).licenses

    assert licenses.current_states(0, NOW.date()) == {"MA", "NH"}
    assert licenses.current_states(0, date(2031, 1, 1)) == {"MA"}
    rows, expiry = licenses.by_state["NH"]
    assert rows.tolist() == [0] and day(expiry[0]) == date(2030, 1, 1)


def test_places_sorted_by_latitude_with_the_locations_answer_on_accepting(db, directory):
    p = _segment(db).places

    assert p.ids.tolist() == [directory["south"].id, directory["north"].id]  # no point: left out
    assert p.lat.tolist() == sorted(p.lat.tolist())
    assert p.accessibility.codes(1) == {"wheelchair"} and bool(p.evening[1])
    at_north = range(p.link_start[1], p.link_start[2])
    answers = {int(p.link_clinician[i]): int(p.link_accepting[i]) for i in at_north}
    assert answers == {0: 0, 1: UNKNOWN}  # ana's override; ben inherits his unknown


def test_named_clinicians_only(db, directory):
    segment = _segment(db, [directory["ben"].id, 999_999])

    assert segment.clinicians.ids.tolist() == [directory["ben"].id]
    assert len(segment.places.link_clinician) == 1
    assert segment.licenses.by_state == {}


def test_an_empty_directory(db):
    segment = _segment(db)

    assert len(segment.clinicians) == 0 and len(segment.places.ids) == 0
    assert segment.nbytes >= 0


def test_far_future_and_past_dates_round_trip(db, directory):
    directory["ben"].next_available_on = NOW.date() + timedelta(days=3650)
    db.session.commit()

    assert day(_segment(db).clinicians.next_open[1]) == NOW.date() + timedelta(days=3650)
