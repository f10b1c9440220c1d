"""Places read in clinician-id ranges at once equal one read."""

import numpy as np
import pytest
from sqlalchemy import select

from adequacy import providers as providers_module
from adequacy.providers import provider_points
from directory.extensions import db
from directory.models import Clinician, ClinicianTaxonomy
from tests.adequacy.conftest import BRISTOL_02809, place_clinician

NETWORKS = {"AcmeGold", "AcmeNet", "BeaconPPO"}
EVERYWHERE = (-90.0, -180.0, 90.0, 180.0)


def _as_sets(found):
    """Each type's places as a set of (clinician, lat, lon)."""
    return {
        kind: sorted(zip(p.clinician_ids.tolist(), p.lat.tolist(), p.lon.tolist(), strict=True))
        for kind, p in found.items()
    }


@pytest.fixture
def many(app, world):
    """Twelve more clinicians, one with a second taxonomy of another type (primary decides)."""
    for serial in range(10, 22):
        code = ("1041C0700X", "103TC0700X", "2084P0800X")[serial % 3]
        place_clinician(serial, code, "AcmeNet", (BRISTOL_02809[0] + serial / 100, -71.27))
    db.session.commit()
    two = db.session.scalars(select(Clinician).where(Clinician.last_name == "L15")).one()
    two.taxonomies.append(ClinicianTaxonomy(code="2084P0800X", is_primary=False))
    db.session.commit()


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_a_read_in_parts_equals_one_read(app, many, parts):
    with db.engine.connect() as connection:
        whole = provider_points(connection, NETWORKS, EVERYWHERE)
        split = provider_points(connection, NETWORKS, EVERYWHERE, parts=parts)
    assert _as_sets(split) == _as_sets(whole)
    assert sum(len(p.lat) for p in whole.values()) == 15  # 12 here, 3 of the world accepting


def test_each_range_is_read_once_and_covers_every_id(app, many, monkeypatch):
    spans = []
    real = providers_module._spans

    def spy(connection, parts):
        spans.extend(real(connection, parts))
        return spans

    monkeypatch.setattr(providers_module, "_spans", spy)
    with db.engine.connect() as connection:
        provider_points(connection, NETWORKS, EVERYWHERE, parts=3)
    ids = db.session.scalars(select(Clinician.id)).all()
    covered = np.concatenate([np.arange(a, b) for a, b in spans])
    assert sorted(covered.tolist()) == list(range(min(ids), max(ids) + 1))


def test_clinician_ids_of_a_given_list_are_never_split(app, many):
    with db.engine.connect() as connection:
        ids = db.session.scalars(select(Clinician.id).order_by(Clinician.id)).all()[-3:]
        found = provider_points(connection, NETWORKS, EVERYWHERE, ids, parts=4)
    assert sorted(i for p in found.values() for i in p.clinician_ids.tolist()) == ids
