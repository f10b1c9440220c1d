"""A small directory built with the ORM: five clinicians, two locations, networks and plans."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from directory.cost import Cost
from directory.cost_facts import set_cost
from directory.models import (
    Clinician,
    ClinicianCompetency,
    ClinicianLanguage,
    ClinicianLocation,
    ClinicianTaxonomy,
    License,
    Location,
    Network,
    NetworkParticipation,
)
from directory.npi import npi_check_digit


def make_npi(serial: int) -> str:
    """A valid NPI (check digit included) from a small serial number."""
    first_nine = f"1{serial:08d}"
    return first_nine + str(npi_check_digit(first_nine))


def _networks(session) -> SimpleNamespace:
    hmo_net = Network(id="AcmeHMONet", name="Acme HMO Network", kind="network")
    std_net = Network(id="AcmeStdNet", name="Acme Standard Network", kind="network")
    gold = Network(
        id="AcmeGoldHMO",
        name="Acme Gold HMO",
        kind="plan",
        plan_type="HMO",
        payer="Acme Health",
        networks=[hmo_net],
    )
    session.add_all([hmo_net, std_net, gold])
    return SimpleNamespace(hmo_net=hmo_net, std_net=std_net, gold=gold)


def _locations(session) -> SimpleNamespace:
    boston = Location(
        name="Back Bay Counseling",
        line1="1 Main St",
        city="Boston",
        state="MA",
        postal_code="02116",
        lat=42.35,
        lon=-71.07,
        phone="617-555-0100",
    )
    providence = Location(line1="9 Elm St", city="Providence", state="RI", postal_code="02903")
    session.add_all([boston, providence])
    return SimpleNamespace(boston=boston, providence=providence)


def _ann(net, loc, now) -> Clinician:
    """Fresh, Boston, Spanish-speaking social worker in the HMO network at Boston only."""
    ann = Clinician(
        npi=make_npi(1),
        first_name="Ann",
        last_name="Lee",
        credentials=["LICSW"],
        gender="female",
        pronouns="she/her",
        accepting_new_patients=True,
        conditions_treated=["depression", "anxiety"],
        approaches=["cbt"],
        age_groups=["adults"],
        modalities=["in_person", "video"],
        wait_days=7,
        referral_capacity=3,
        next_available_on=date(2030, 1, 15),
        taxonomies=[ClinicianTaxonomy(code="1041C0700X", is_primary=True)],
        languages=[
            ClinicianLanguage(code="en", proficiency="native"),
            ClinicianLanguage(code="es", proficiency="professional_working"),
        ],
        licenses=[License(state="MA", license_type="LICSW", number="LICSW-1")],
        competencies=[ClinicianCompetency(code="lgbtq_affirming", provenance="trained")],
    )
    ann.verify("attestation", now - timedelta(days=3))
    ann.locations = [ClinicianLocation(location=loc.boston, phone="617-555-0199")]
    ann.participations = [NetworkParticipation(network=net.hmo_net, location=loc.boston)]
    return ann


def _bob(net, loc, now) -> Clinician:
    """Stale psychologist in Providence who stopped taking patients there; licensed in MA."""
    bob = Clinician(
        npi=make_npi(2),
        first_name="Bob",
        last_name="Smith",
        credentials=["PhD"],
        accepting_new_patients=True,
        taxonomies=[ClinicianTaxonomy(code="103TC0700X", is_primary=True)],
        languages=[ClinicianLanguage(code="en")],
        licenses=[License(state="MA", number="PSY-2", expires_on=date(2099, 1, 1))],
    )
    bob.verify("nppes", now - timedelta(days=200))
    bob.locations = [ClinicianLocation(location=loc.providence, accepting_new_patients=False)]
    bob.participations = [NetworkParticipation(network=net.gold)]
    return bob


def _cara(net) -> Clinician:
    """Never-verified psychologist with no location and an expired RI license."""
    return Clinician(
        npi=make_npi(3),
        first_name="Cara",
        last_name="Smithers",
        taxonomies=[ClinicianTaxonomy(code="103T00000X", is_primary=True)],
        languages=[ClinicianLanguage(code="fr")],
        licenses=[License(state="RI", number="PSY-3", expires_on=date(2001, 1, 1))],
        participations=[NetworkParticipation(network=net.std_net)],
    )


@pytest.fixture
def directory_data(db):
    """Ann Lee, Bob Smith, Cara Smithers, a first-name-less Lee and an inactive Aaron."""
    now = datetime.now(UTC)
    net = _networks(db.session)
    loc = _locations(db.session)
    ann, bob, cara = _ann(net, loc, now), _bob(net, loc, now), _cara(net)
    lee = Clinician(npi=make_npi(4), last_name="Lee", credentials=[])
    gone = Clinician(npi=make_npi(5), first_name="Al", last_name="Aaron", active=False)
    db.session.add_all([ann, bob, cara, lee, gone])
    db.session.flush()
    # Cara told us her cost (so documented bodies carry a known cost); the others did not.
    cost = Cost(fee_min=80, fee_max=160, sliding_scale=True, medicare=False)
    set_cost(cara, cost, "self_reported", observed_at=now)
    db.session.commit()
    return SimpleNamespace(
        ann=ann.npi,
        bob=bob.npi,
        cara=cara.npi,
        lee=lee.npi,
        gone=gone.npi,
        unknown=make_npi(99),
        boston_id=loc.boston.id,
        providence_id=loc.providence.id,
    )
