"""After listing changes the kept places re-read only the changed clinicians, and the report
equals one read afresh."""

import pytest
from sqlalchemy import select

from adequacy import cache, compute, use_cases
from directory.extensions import db
from directory.models import Clinician, Location, NetworkParticipation
from matching.index.feed import STALE_READER_SECONDS
from tests.adequacy.conftest import place_clinician
from tests.referrals.world import signed_in

URL = "/api/v1/analytics/adequacy?plan=AcmeGold&state=RI"
NEWPORT_02840 = (41.476681, -71.319627)
WESTERLY_02891 = (41.37039, -71.81419)  # far south-west: out of Bristol's and Newport's reach


@pytest.fixture
def reads(monkeypatch):
    """The `clinicians` argument of every places read: None for a full one."""
    seen = []
    real = use_cases.provider_points

    def spy(connection, network_ids, box, clinicians=None):
        seen.append(None if clinicians is None else sorted(int(i) for i in clinicians))
        return real(connection, network_ids, box, clinicians)

    monkeypatch.setattr(use_cases, "provider_points", spy)
    return seen


@pytest.fixture
def grids(monkeypatch):
    """The type code of every grid computed for the report."""
    seen = []
    real = compute.assess_type

    def spy(standards, zctas_of, providers, telehealth):
        seen.append(standards[0].specialty_code)
        return real(standards, zctas_of, providers, telehealth)

    monkeypatch.setattr(compute, "assess_type", spy)
    return seen


def _clinician(serial):
    return db.session.scalars(select(Clinician).where(Clinician.last_name == f"L{serial}")).one()


def _figures(body, *keys):
    rows = {(r["name"], r["specialty"]): r for r in body["counties"]}
    fields = ("population_within_standard", "providers", "share_with_credit", "meets")
    return {key: tuple(rows[key][f] for f in fields) for key in keys}


def _edit_every_kind_of_listing():
    """Move a place, join a network, start accepting, delete one clinician and add one; the
    ids of the clinicians changed."""
    changed = [_clinician(serial).id for serial in (1, 2, 3, 4)]
    office = db.session.scalars(select(Location).where(Location.name == "Office 1")).one()
    office.lat, office.lon = WESTERLY_02891  # the Bristol social worker moves to Westerly
    beacon = _clinician(3)  # Beacon's Bristol psychologist joins Acme's network
    db.session.query(NetworkParticipation).filter_by(clinician_id=beacon.id).update(
        {"network_id": "AcmeNet"}
    )
    _clinician(2).accepting_new_patients = True  # the Bristol psychiatrist takes patients
    db.session.delete(_clinician(4))  # the telehealth psychologist leaves the directory
    added = place_clinician(7, "1041C0700X", "AcmeNet", NEWPORT_02840)  # one in Newport
    db.session.commit()
    return sorted([*changed, added.id])


KEYS = [
    ("Bristol", "Clinical Social Work"),
    ("Washington", "Clinical Social Work"),
    ("Newport", "Clinical Social Work"),
    ("Bristol", "Clinical Psychology"),
    ("Bristol", "Psychiatry"),
]


def test_changed_clinicians_are_re_read_alone_and_the_report_equals_a_fresh_read(app, world, reads):
    admin = signed_in(app, "admin", world.pcp_org)
    before = _figures(admin.get(URL).get_json(), *KEYS)
    assert reads == [None]
    assert before == {
        ("Bristol", "Clinical Social Work"): (50793, 1, 1.0, True),
        ("Washington", "Clinical Social Work"): (44119, 1, 0.3398, False),
        ("Newport", "Clinical Social Work"): (85642, 1, 1.0, True),
        ("Bristol", "Clinical Psychology"): (0, 0, 0.1, False),
        ("Bristol", "Psychiatry"): (0, 0, 0.0, False),
    }
    changed = _edit_every_kind_of_listing()
    caught_up = admin.get(URL).get_json()
    assert reads[-1] == changed
    cache._KEPT.clear()
    fresh = admin.get(URL).get_json()
    assert reads[-1] is None
    assert caught_up["counties"] == fresh["counties"]
    assert _figures(caught_up, *KEYS) == {
        ("Bristol", "Clinical Social Work"): (50793, 1, 1.0, True),
        ("Washington", "Clinical Social Work"): (129839, 2, 1.0, True),
        ("Newport", "Clinical Social Work"): (85642, 1, 1.0, True),
        ("Bristol", "Clinical Psychology"): (50793, 1, 1.0, True),
        ("Bristol", "Psychiatry"): (50793, 1, 1.0, True),
    }


def test_a_repeat_report_reuses_the_rows_and_a_move_recomputes_its_type_only(app, world, grids):
    admin = signed_in(app, "admin", world.pcp_org)
    admin.get(URL)
    assert sorted(grids) == ["029", "036", "037", "068"]
    admin.get(URL)
    assert len(grids) == 4
    office = db.session.scalars(select(Location).where(Location.name == "Office 1")).one()
    office.lat, office.lon = WESTERLY_02891
    db.session.commit()
    moved = _figures(admin.get(URL).get_json(), ("Washington", "Clinical Social Work"))
    assert grids[4:] == ["037"]  # the social worker's type; the other three rows are kept
    assert moved == {("Washington", "Clinical Social Work"): (100123, 1, 0.7711, False)}


def test_many_changes_or_a_pruned_log_read_everything_again(app, world, reads, monkeypatch):
    admin = signed_in(app, "admin", world.pcp_org)
    admin.get(URL)
    monkeypatch.setattr(cache, "DELTA_MAX", 1)
    _clinician(2).accepting_new_patients = True
    _clinician(3).accepting_new_patients = False
    db.session.commit()
    admin.get(URL)
    assert reads == [None, None]  # two changed, more than DELTA_MAX: a full read
    monkeypatch.setattr(cache, "DELTA_MAX", 20_000)
    _clinician(2).accepting_new_patients = False
    db.session.commit()
    _clinician(3).accepting_new_patients = True
    db.session.commit()
    # Not looked at for half the log's keep: rows it needs may be pruned, so it starts over.
    (kept,) = cache._KEPT[db.engine].values()
    kept.looked_at -= STALE_READER_SECONDS + 1
    rows = _figures(admin.get(URL).get_json(), ("Bristol", "Psychiatry"))
    assert reads == [None, None, None]
    assert rows == {("Bristol", "Psychiatry"): (0, 0, 0.0, False)}
