"""docs/integrations/bser.md: the documented referral message works and answers as shown."""

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from referrals.models import Referral
from tests.fhir.bser_world import post, resource
from tests.referrals.world import build_world

DOC = Path(__file__).resolve().parents[2] / "docs" / "integrations" / "bser.md"


def _examples() -> dict[str, dict]:
    """Each "### Example: <name>" section's JSON block, by name."""
    text = DOC.read_text()
    found = re.findall(r"### Example: ([^\n]+)\n.*?```json\n(.*?)\n```", text, re.S)
    return {name.strip(): json.loads(body) for name, body in found}


@pytest.fixture
def world(app, db):
    return build_world()


def test_the_documented_message_is_sent_and_answered_as_documented(client, db, world, make_api_key):
    examples = _examples()
    key = make_api_key(world.pcp_org, ("referrals:write",))

    response = post(client, key, examples["referral message"])

    assert response.status_code == 200, response.get_data(as_text=True)
    referral = db.session.scalars(select(Referral)).one()
    assert (referral.status, referral.clinician.npi) == ("sent", world.jane.npi)
    assert referral.patient_name == "Maria Lopez"
    assert referral.diagnoses == ["F41.1"]
    assert referral.notes == "Supporting observations: GAD-7 total score: 12"
    assert referral.referrer_name == "Dr. Ann Lee"
    answer = response.get_json()
    documented = examples["the answer"]
    header, shown = answer["entry"][0]["resource"], documented["entry"][0]["resource"]
    assert header["response"] == shown["response"]
    assert header["eventCoding"]["code"] == shown["eventCoding"]["code"]
    ours = [f["reference"].split("/")[0] for f in header["focus"]]
    assert ours == [f["reference"].split("/")[0] for f in shown["focus"]]
    task, shown_task = resource(answer, "Task"), documented["entry"][1]["resource"]
    assert task["status"] == shown_task["status"]
    assert task["businessStatus"]["coding"] == shown_task["businessStatus"]["coding"]
