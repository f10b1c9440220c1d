"""A Rhode Island world: Acme Gold's network with a few hand-placed BH clinicians."""

import pytest

from directory.extensions import db
from directory.models import (
    Clinician,
    ClinicianLocation,
    ClinicianTaxonomy,
    License,
    Location,
    Network,
    NetworkParticipation,
)
from tests.referrals.world import build_world, make_npi

BRISTOL_02809 = (41.67573, -71.273331)  # a Bristol County ZCTA centroid
BOSTON = (42.3601, -71.0589)


def place_clinician(serial, taxonomy, network, place, accepting=True, modalities=(), licensed=None):
    """A clinician of `taxonomy` at `place`, in `network`."""
    location = Location(name=f"Office {serial}", lat=place[0], lon=place[1], state="RI")
    clinician = Clinician(
        npi=make_npi(500 + serial),
        last_name=f"L{serial}",
        accepting_new_patients=accepting,
        modalities=list(modalities),
    )
    clinician.taxonomies.append(ClinicianTaxonomy(code=taxonomy, is_primary=True))
    clinician.locations.append(ClinicianLocation(location=location))
    if licensed:
        clinician.licenses.append(License(state=licensed, number=f"N{serial}"))
    db.session.add_all([location, clinician])
    db.session.flush()
    db.session.add(NetworkParticipation(clinician_id=clinician.id, network_id=network))
    return clinician


@pytest.fixture
def world(app):
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    w = build_world()
    net = Network(id="AcmeNet", name="Acme Network")
    w.plan.networks.append(net)
    db.session.add_all([net, Network(id="EmptyHMO", name="Empty HMO", kind="plan")])
    db.session.flush()
    # Clinical Social Work in Bristol; a psychiatrist not taking patients; a psychologist in
    # Beacon's network only; a telehealth psychologist licensed in RI but practising in Boston.
    place_clinician(1, "1041C0700X", "AcmeNet", BRISTOL_02809)
    place_clinician(2, "2084P0800X", "AcmeNet", BRISTOL_02809, accepting=False)
    place_clinician(3, "103TC0700X", "BeaconPPO", BRISTOL_02809)
    place_clinician(4, "103TC0700X", "AcmeGold", BOSTON, modalities=["video"], licensed="RI")
    db.session.commit()
    return w
