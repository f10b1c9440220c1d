"""The plan look-up behind `plan` in POST /matches: the same scope as Network.network_ids()."""

import json

import pytest

from directory.models import Network
from matching.needs import PlanScope
from matching.plans import plan_lookup


@pytest.fixture
def networks(db):
    hmo_net = Network(id="AcmeHMONet", name="Acme HMO Network", kind="network")
    std_net = Network(id="AcmeStdNet", name="Acme Standard Network", kind="network")
    gold = Network(id="AcmeGold", name="Acme Gold", kind="plan", networks=[hmo_net, std_net])
    bare = Network(id="AcmeBare", name="Acme Bare", kind="plan")
    db.session.add_all([hmo_net, std_net, gold, bare])
    db.session.commit()
    return [hmo_net, std_net, gold, bare]


def test_a_plan_covers_itself_and_its_networks(db, networks):
    lookup = plan_lookup(db.session)
    assert lookup("AcmeGold") == PlanScope(
        "AcmeGold", "Acme Gold", frozenset({"AcmeGold", "AcmeHMONet", "AcmeStdNet"})
    )
    for network in networks:
        scope = lookup(network.id)
        assert (scope.id, scope.name) == (network.id, network.name)
        assert scope.network_ids == frozenset(network.network_ids())


def test_an_unknown_id_is_none(db, networks):
    lookup = plan_lookup(db.session)
    assert lookup("NoSuchPlan") is None
    assert lookup("acmegold") is None  # ids are matched exactly, as the primary key


def test_a_plan_added_in_the_session_is_found_before_commit(db):
    db.session.add(Network(id="Pending", name="Pending Plan", kind="plan"))
    assert plan_lookup(db.session)("Pending").network_ids == frozenset({"Pending"})
    db.session.rollback()


@pytest.mark.parametrize("plan_id", ["Acme\x00Gold", "Acme\ud800Gold"])
def test_an_id_no_database_can_hold_is_unknown_not_a_server_error(client, db, networks, plan_id):
    assert plan_lookup(db.session)(plan_id) is None
    # json.dumps escapes both (\u0000, \ud800): valid JSON a partner may send.
    body = json.dumps({"postal_code": "02116", "plan": plan_id})
    response = client.post("/api/v1/matches", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "plan" in response.get_json()["errors"]
