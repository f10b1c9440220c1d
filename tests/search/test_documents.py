"""Index documents from the database: one per clinician and visit, fitting the strict mapping."""

import json
from datetime import date

from directory.models import License
from search.documents import clinician_documents, documents_for
from search.mapping import KEYWORD_ARRAYS, NAME_ANALYZER, index_body, index_mappings
from tests.matching.match_directory import add_clinician, add_location, add_network
from tests.search.mapping_check import document_errors
from tests.search.spec_validation import assert_valid_request


def test_mapping_is_strict_with_a_geo_point_keyword_arrays_and_folded_names():
    mappings = index_mappings()
    properties = mappings["properties"]

    assert mappings["dynamic"] == "strict"
    assert properties["location"] == {"type": "geo_point"}
    assert all(properties[name] == {"type": "keyword"} for name in KEYWORD_ARRAYS)
    for name in ("name", "first_name", "last_name"):
        assert properties[name] == {"type": "text", "analyzer": NAME_ANALYZER}
    assert properties["licenses"]["type"] == "nested"


def test_name_analyzer_folds_accents_and_case():
    analysis = index_body()["settings"]["analysis"]["analyzer"][NAME_ANALYZER]

    assert analysis["filter"] == ["lowercase", "asciifolding"]


def test_building_settings_turn_refresh_and_replicas_off():
    building = index_body(replicas=1, building=True)["settings"]
    live = index_body(replicas=1)["settings"]

    assert (building["refresh_interval"], building["number_of_replicas"]) == ("-1", 0)
    assert (live["refresh_interval"], live["number_of_replicas"]) == ("1s", 1)
    assert_valid_request("indices.create", index_body(replicas=1, building=True))


def test_one_document_per_location_with_coordinates_plus_telehealth(db):
    here = add_location(42.35, -71.07, state="MA", postal_code="02116", evening_hours=True)
    there = add_location(42.37, -71.11, state="MA", postal_code="02139")
    unplaced = add_location(None, None)
    add_network("AllNet")
    add_network("HereNet")
    c = add_clinician(
        1,
        [(here, False), there, unplaced],
        ["AllNet", ("HereNet", here)],
        ["es"],
        ["MA", "RI"],
        modalities=["in_person", "video"],
        first_name="José",
    )
    c.licenses[1].expires_on = date(2025, 1, 1)
    db.session.commit()

    docs = clinician_documents(c)

    assert sorted(docs) == [f"{c.id}-{here.id}", f"{c.id}-{there.id}", f"{c.id}-telehealth"]
    at_here, at_there = docs[f"{c.id}-{here.id}"], docs[f"{c.id}-{there.id}"]
    assert at_here["network_ids"] == ["AllNet", "HereNet"]
    assert at_there["network_ids"] == ["AllNet"]
    assert at_here["accepting_new_patients"] is False  # the location's override wins
    assert at_there["accepting_new_patients"] is True
    assert at_here["location"] == {"lat": 42.35, "lon": -71.07}
    assert at_here["evening_hours"] is True
    assert at_here["name"] == "José Clinician1"
    tele = docs[f"{c.id}-telehealth"]
    assert tele["network_ids"] == ["AllNet", "HereNet"]
    assert tele["licenses"] == [
        {"state": "MA", "expires_on": None},
        {"state": "RI", "expires_on": "2025-01-01"},
    ]
    assert "location" not in tele
    for doc in docs.values():
        assert document_errors(doc) == []


def test_inactive_clinicians_and_in_person_only_clinicians(db):
    here = add_location(42.35, -71.07)
    gone = add_clinician(1, [here], active=False)
    local = add_clinician(2, [here], modalities=["in_person"])
    db.session.commit()

    assert clinician_documents(gone) == {}
    assert list(clinician_documents(local)) == [f"{local.id}-{here.id}"]


def test_digest_changes_with_content_only(db):
    here = add_location(42.35, -71.07)
    c = add_clinician(1, [here], languages=["en"])
    db.session.commit()
    before = documents_for([c.id])

    assert documents_for([c.id]) == before
    c.licenses.append(License(state="MA", number="x"))  # not on in-person documents
    db.session.commit()
    assert documents_for([c.id]) == before
    c.wait_days = 5
    db.session.commit()
    after = documents_for([c.id])
    (doc_id,) = after
    assert after[doc_id]["digest"] != before[doc_id]["digest"]


def test_render_mapping_prints_the_create_body(runner):
    result = runner.invoke(args=["search", "render-mapping", "--replicas", "1"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == index_body(replicas=1)


def test_cost_is_in_every_document_and_an_unknown_value_is_missing_not_false(db):
    here = add_location(42.35, -71.07, state="MA", postal_code="02116")
    c = add_clinician(
        1,
        [here],
        licenses=["MA"],
        modalities=["in_person", "video"],
        fee_min=60,
        fee_max=120,
        sliding_scale=True,
        accepts_medicaid=False,
    )
    silent = add_clinician(2, [here])
    db.session.commit()

    docs = list(clinician_documents(c).values())

    assert len(docs) == 2
    for doc in docs:
        cost = {k: doc.get(k) for k in ("fee_min", "fee_max", "sliding_scale", "accepts_medicaid")}
        assert cost == {
            "fee_min": 60,
            "fee_max": 120,
            "sliding_scale": True,
            "accepts_medicaid": False,
        }
        assert "free_care" not in doc and "accepts_medicare" not in doc
        assert document_errors(doc) == []
    [quiet] = clinician_documents(silent).values()
    assert not {"fee_min", "sliding_scale", "free_care", "accepts_uninsured"} & set(quiet)
