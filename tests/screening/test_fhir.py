"""A scored screening as FHIR R4: Observations coded with LOINC and a QuestionnaireResponse."""

from datetime import UTC, datetime

from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from screening.definitions import instruments
from screening.fhir import observations, questionnaire_response
from screening.scorer import score

AT = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def test_phq9_observations_carry_item_answer_and_total_loinc_codes():
    scored = score(instruments()["phq9"], [1, 2, 1, 0, 1, 2, 1, 0, 1])

    found = observations(scored, AT)

    for resource in found:
        Observation.model_validate(resource)
    assert len(found) == 10
    first = found[0]
    assert first["code"]["coding"][0]["code"] == "44250-9"
    assert first["valueCodeableConcept"]["coding"][0]["code"] == "LA6569-3"
    assert found[-1]["code"]["coding"][0]["code"] == "44261-6"
    assert found[-1]["valueInteger"] == 9
    assert found[-1]["category"][0]["coding"][0]["code"] == "survey"
    assert found[-1]["effectiveDateTime"] == "2026-12-04T15:00:00+00:00"


def test_phq9_questionnaire_response_answers_each_item_and_the_total():
    scored = score(instruments()["phq9"], [3, 3, 3, 3, 3, 3, 3, 3, 3])

    response = questionnaire_response(scored, AT)

    QuestionnaireResponse.model_validate(response)
    assert response["questionnaire"] == "urn:bh-directory:questionnaire:phq9"
    assert response["item"][8]["linkId"] == "/44260-8"
    nearly = {"system": "http://loinc.org", "code": "LA6571-9", "display": "Nearly every day"}
    assert response["item"][8]["answer"] == [{"valueCoding": nearly}]
    assert response["item"][-1] == {
        "linkId": "/44261-6",
        "text": "Patient health questionnaire 9 item total score",
        "answer": [{"valueInteger": 27}],
    }


def test_without_a_known_loinc_code_the_concept_is_text_only():
    scored = score(instruments()["isi"], [4, 4, 4, 4, 4, 4, 4])

    found = observations(scored, AT)
    response = questionnaire_response(scored, AT)

    for resource in found:
        Observation.model_validate(resource)
    QuestionnaireResponse.model_validate(response)
    assert found[0]["code"] == {"text": "Difficulty falling asleep"}
    assert found[0]["valueCodeableConcept"] == {"text": "Very severe"}
    assert found[-1]["code"] == {"text": "Insomnia Severity Index total score"}
    assert response["item"][0]["answer"] == [{"valueString": "Very severe"}]
    assert response["item"][-1]["linkId"] == "total"


def test_ahc_observations_code_the_safety_total():
    scored = score(instruments()["ahc_hrsn"], [2, 0, 1, 0, 1, 0, 5, 3, 2, 1])

    found = observations(scored, AT)

    assert found[0]["valueCodeableConcept"]["coding"][0]["code"] == "LA31995-6"
    assert found[-1]["code"]["coding"][0]["code"] == "95614-4"
    assert found[-1]["valueInteger"] == 11
