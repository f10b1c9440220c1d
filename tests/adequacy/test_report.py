"""GET /api/v1/analytics/adequacy on Rhode Island: hand-placed clinicians, visibility, audit."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from accounts.organizations import link_plans
from audit.models import AuditEvent
from directory.extensions import db
from directory.models import ClinicianLocation, ClinicianTaxonomy, Location, NetworkParticipation
from referrals.models import Referral, ReferralEvent
from tests.adequacy.conftest import BOSTON, place_clinician
from tests.clock import SERVICE_ZONE, service_today
from tests.referrals.world import bearer, signed_in

URL = "/api/v1/analytics/adequacy?plan=AcmeGold&state=RI"


def _rows(body):
    return {(r["name"], r["specialty"]): r for r in body["counties"]}


def test_hand_computed_bristol_and_newport(app, world):
    admin = signed_in(app, "admin", world.pcp_org)
    body = admin.get(URL).get_json()
    rows = _rows(body)
    assert len(body["counties"]) == 20  # 5 RI counties x 4 BH types
    bristol = rows[("Bristol", "Clinical Social Work")]
    # 02806 17,153 + 02809 22,493 + 02885 11,147, all within 20 miles of the 02809 office.
    assert bristol == {
        "fips": "44001", "name": "Bristol", "designation": "Metro",
        "specialty": "Clinical Social Work", "specialty_code": "037", "population": 50793,
        "population_within_standard": 50793, "max_miles": 20, "max_minutes": 30,
        "radius_miles": 20.0, "share_within_standard": 1.0, "telehealth_credit": 0,
        "share_with_credit": 1.0, "required_share": 0.9, "share_shortfall": 0.0,
        "beneficiaries": 1377, "providers": 1, "min_providers": 1, "provider_shortfall": 0,
        "meets": True,
    }  # fmt: skip
    newport = rows[("Newport", "Clinical Social Work")]
    assert (newport["population"], newport["share_within_standard"]) == (85642, 1.0)
    assert newport["meets"] is True


def test_not_accepting_and_other_plans_clinicians_do_not_count(app, world):
    admin = signed_in(app, "admin", world.pcp_org)
    rows = _rows(admin.get(URL).get_json())
    psychiatry = rows[("Bristol", "Psychiatry")]
    assert (psychiatry["providers"], psychiatry["share_within_standard"]) == (0, 0.0)
    assert psychiatry["share_shortfall"] == 0.9
    assert psychiatry["provider_shortfall"] == 1
    assert psychiatry["meets"] is False


def test_a_telehealth_psychologist_earns_the_credit_but_not_the_minimum(app, world):
    admin = signed_in(app, "admin", world.pcp_org)
    rows = _rows(admin.get(URL).get_json())
    psychology = rows[("Bristol", "Clinical Psychology")]
    assert psychology["share_within_standard"] == 0.0
    assert psychology["telehealth_credit"] == 0.1
    assert psychology["share_with_credit"] == 0.1
    assert psychology["share_shortfall"] == 0.8
    assert psychology["providers"] == 0
    assert rows[("Bristol", "Clinical Social Work")]["telehealth_credit"] == 0


def test_failing_rows_come_first_furthest_first(app, world):
    admin = signed_in(app, "admin", world.pcp_org)
    body = admin.get(URL).get_json()
    meets = [r["meets"] for r in body["counties"]]
    assert meets == sorted(meets)
    assert body["failing"] == meets.count(False)
    first = body["counties"][0]
    assert (first["share_shortfall"], first["meets"]) == (0.9, False)


def test_plan_staff_see_their_plans_only_and_each_access_is_audited(app, world):
    own = signed_in(app, "plan_staff", world.plan_org, plans=["AcmeGold"])
    assert own.get(URL).status_code == 200
    other = signed_in(app, "plan_staff", world.other_plan_org, plans=["BeaconPPO"])
    refused = other.get(URL)
    assert refused.status_code == 404
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == "network_adequacy")
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.object_id, e.outcome) for e in events] == [
        ("AcmeGold:RI", "ok"), ("AcmeGold", "denied")
    ]  # fmt: skip


def test_practices_and_clinicians_may_not_ask(app, world):
    pcp = signed_in(app, "pcp", world.pcp_org)
    assert pcp.get(URL).status_code == 404
    jane = signed_in(app, "clinician", world.practice, npi=world.jane.npi)
    assert jane.get(URL).status_code == 403


def test_an_api_key_needs_the_analytics_scope(app, client, world, make_api_key):
    link_plans(world.plan_org, ["AcmeGold"])
    reader = make_api_key(world.plan_org, ["analytics:read"])
    assert client.get(URL, headers=bearer(reader)).status_code == 200
    worker = make_api_key(world.plan_org, ["directory:read"])
    assert client.get(URL, headers=bearer(worker)).status_code == 403


@pytest.mark.parametrize(
    "query", ["plan=AcmeGold&state=ZZ", "plan=AcmeGold", "state=RI", "plan=&state=RI"]
)
def test_bad_input_is_400(app, world, query):
    admin = signed_in(app, "admin", world.pcp_org)
    answer = admin.get("/api/v1/analytics/adequacy?" + query)
    assert answer.status_code == 400


def test_a_lower_case_state_is_accepted(app, world):
    admin = signed_in(app, "admin", world.pcp_org)
    assert admin.get("/api/v1/analytics/adequacy?plan=AcmeGold&state=ri").status_code == 200


def test_a_plan_without_networks_gets_a_message_and_every_row_failing(app, world):
    admin = signed_in(app, "admin", world.pcp_org)
    body = admin.get("/api/v1/analytics/adequacy?plan=EmptyHMO&state=RI").get_json()
    assert body["message"] == (
        "Empty HMO has no networks with clinicians in them: no county can meet a standard."
    )
    assert body["failing"] == 20
    assert "message" not in admin.get(URL).get_json()


def _referrals(w, count, booked_after_days):
    """`count` AcmeGold referrals sent 30 days ago, booked `booked_after_days` later."""
    sent = datetime.combine(service_today() - timedelta(days=30), time(10), SERVICE_ZONE)
    for _ in range(count):
        referral = Referral(status="scheduled", plan_id="AcmeGold", patient_member_id="M1",
                            referring_organization_id=w.pcp_org.id, clinician_id=w.jane.id,
                            created_by="user:1", patient_name="P", reason="Low mood",
                            patient_birth_date=date(1980, 1, 1),
                            sent_at=sent.astimezone(UTC))  # fmt: skip
        db.session.add(referral)
        booked = (sent + timedelta(days=booked_after_days)).astimezone(UTC)
        for kind, at, appointment in [("send", sent, None), ("schedule", sent, booked)]:
            referral.events.append(
                ReferralEvent(type=kind, from_status="x", to_status="y", actor="user:1",
                              actor_role="pcp", at=at.astimezone(UTC),
                              appointment_at=appointment)
            )  # fmt: skip
    db.session.commit()


def test_the_appointment_standard_comes_from_the_plans_referrals(app, world):
    _referrals(world, 11, 7)  # a week later: within 10 business days
    admin = signed_in(app, "admin", world.pcp_org)
    appointments = admin.get(URL).get_json()["appointments"]
    assert appointments["share_appointment_within_10_business_days"] == 1.0
    assert appointments["meets"] is True
    assert appointments["to"] == service_today().isoformat()


def test_an_appointment_share_on_fewer_than_11_referrals_is_withheld(app, world):
    _referrals(world, 10, 7)
    admin = signed_in(app, "admin", world.pcp_org)
    appointments = admin.get(URL).get_json()["appointments"]
    assert appointments["share_appointment_within_10_business_days"] is None
    assert appointments["meets"] is None


def test_the_answer_matches_its_openapi_schema(app, world):
    from openapi_schema_validator import OAS30Validator, OAS31Validator

    admin = signed_in(app, "admin", world.pcp_org)
    document = admin.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/analytics/adequacy"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    validator = OAS31Validator if document["openapi"].startswith("3.1") else OAS30Validator
    root = {**schema, "components": document["components"]}
    for url in (URL, "/api/v1/analytics/adequacy?plan=EmptyHMO&state=RI"):
        validator(root).validate(admin.get(url).get_json())
    assert {p["name"] for p in operation["parameters"]} >= {"plan", "state"}


NEWPORT_02840 = (41.476681, -71.319627)


def test_the_primary_taxonomy_decides_the_type(app, world):
    both = place_clinician(5, "2084P0800X", "AcmeNet", NEWPORT_02840)
    both.taxonomies.append(ClinicianTaxonomy(code="1041C0700X", is_primary=False))
    db.session.commit()
    admin = signed_in(app, "admin", world.pcp_org)
    rows = _rows(admin.get(URL).get_json())
    assert rows[("Newport", "Psychiatry")]["providers"] == 1
    assert rows[("Newport", "Psychiatry")]["share_within_standard"] == 1.0
    # Still only the Bristol social worker, who reaches Newport too.
    assert rows[("Newport", "Clinical Social Work")]["providers"] == 1


def test_a_participation_at_one_location_counts_only_there(app, world):
    psychologist = place_clinician(6, "103TC0700X", "EmptyHMO", BOSTON)
    bristol = Location(name="Bristol office", lat=41.67573, lon=-71.273331, state="RI")
    psychologist.locations.append(ClinicianLocation(location=bristol))
    db.session.flush()
    boston_id = psychologist.locations[0].location_id
    db.session.query(NetworkParticipation).filter_by(clinician_id=psychologist.id).update(
        {"location_id": boston_id}
    )
    db.session.commit()
    admin = signed_in(app, "admin", world.pcp_org)
    url = "/api/v1/analytics/adequacy?plan=EmptyHMO&state=RI"
    rows = _rows(admin.get(url).get_json())
    assert rows[("Bristol", "Clinical Psychology")]["providers"] == 0
    db.session.query(NetworkParticipation).filter_by(clinician_id=psychologist.id).update(
        {"location_id": bristol.id}
    )
    db.session.commit()
    rows = _rows(admin.get(url).get_json())
    assert rows[("Bristol", "Clinical Psychology")]["providers"] == 1
