"""The instrument files: valid FHIR Questionnaires whose codes match the published sources."""

import csv
import json
import re

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from screening.definitions import (
    INSTRUMENTS_DIR,
    DefinitionError,
    instruments,
    parse_definition,
)
from tests.conftest import SHARED

SCREENING = SHARED / "screening"


def test_every_instrument_is_defined_once():
    assert list(instruments()) == [
        "ahc_hrsn",
        "auditc",
        "gad2",
        "gad7",
        "isi",
        "phq2",
        "phq9",
        "phqa",
    ]


@pytest.mark.parametrize("key", sorted(instruments()))
def test_each_definition_is_a_valid_r4_questionnaire_with_its_source(key):
    instrument = instruments()[key]

    Questionnaire.model_validate(instrument.questionnaire)
    assert instrument.questionnaire["copyright"]
    assert {"citation", "cut_offs", "items"} <= set(instrument.source)


def test_phq9_items_and_answer_codes_match_the_lhc_forms_questionnaire():
    lforms = json.loads((SCREENING / "lhncbc-lforms_phq9_44249-1.json").read_text())
    scored = [i for i in lforms["item"] if i["linkId"] not in ("/44261-6", "/69722-7")]
    phq9 = instruments()["phq9"]

    assert [i.link_id for i in phq9.items] == [i["linkId"] for i in scored]
    for ours, theirs in zip(phq9.items, scored, strict=True):
        options = theirs["answerOption"]
        codes = [(o["valueCoding"]["code"], o["extension"][-1]["valueDecimal"]) for o in options]
        assert [(o.code, o.value) for o in ours.options] == codes
    assert (phq9.panel_loinc, phq9.total_loinc) == ("44249-1", "44261-6")


def test_gad7_items_match_the_hl7_phr_questionnaire():
    fsh = (SCREENING / "hl7-phr-ig" / "Questionnaire-ScoredAssessment-GAD7.fsh").read_text()
    gad7 = instruments()["gad7"]

    assert [i.loinc for i in gad7.items] == re.findall(r'linkId = "([0-9-]+)"', fsh)
    assert (gad7.panel_loinc, gad7.total_loinc) == ("69737-5", "70274-6")


def test_ahc_items_match_the_core_loinc_list():
    with (SCREENING / "ahc_hrsn_core_loinc.csv").open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["domain"] != "panel"]
    ahc = instruments()["ahc_hrsn"]

    questions = [r["loinc"] for r in rows if not r["item"].startswith("Total")]
    assert [i.loinc for i in ahc.items] == questions
    assert (ahc.panel_loinc, ahc.total_loinc) == ("96777-8", "95614-4")


def test_codes_we_could_not_verify_are_left_out_not_invented():
    found = instruments()

    assert (found["gad2"].total_loinc, found["isi"].total_loinc) == (None, None)
    assert [i.loinc for i in found["isi"].items] == [None] * 7
    assert (found["phqa"].panel_loinc, found["phqa"].total_loinc) == ("89206-7", "89204-2")
    assert (found["auditc"].panel_loinc, found["auditc"].total_loinc) == ("72109-2", "75626-2")


def _document(key: str) -> dict:
    """A fresh copy of the instrument's definition file."""
    return json.loads((INSTRUMENTS_DIR / f"{key}.json").read_text())


def test_a_rule_naming_an_unknown_item_is_refused():
    document = _document("phq9")
    document["scoring"]["flags"][0]["items"] = ["/99999-9"]

    with pytest.raises(DefinitionError, match=r"phq9: unknown items \['/99999-9'\]"):
        parse_definition(document)


def test_bands_with_a_gap_are_refused():
    document = _document("gad7")
    document["scoring"]["bands"][1]["min"] = 6

    with pytest.raises(DefinitionError, match="gad7: bands leave a gap after 4"):
        parse_definition(document)
