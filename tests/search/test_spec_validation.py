"""The spec checks themselves: the subset is a faithful copy, and wrong bodies are rejected."""

import copy
import json

import pytest

from search.mapping import index_body
from tests.search.spec_extract import SOURCE, SUBSET, extract
from tests.search.spec_validation import (
    CLOSED_SCHEMAS,
    UNTAGGED_UNIONS,
    adjusted_spec,
    bulk_errors,
    request_errors,
)

SEARCH = {
    "query": {
        "bool": {
            "filter": [
                {"geo_distance": {"distance": "25mi", "location": {"lat": 42.3, "lon": -71.1}}},
                {"terms": {"languages": ["es"]}},
            ]
        }
    },
    "size": 10,
}


@pytest.mark.skipif(not SOURCE.exists(), reason=f"the full spec is not at {SOURCE}")
def test_subset_is_what_the_extractor_makes_from_the_official_spec():
    spec = json.loads(SOURCE.read_text("utf-8"))

    assert extract(spec, SOURCE.name) == json.loads(SUBSET.read_text("utf-8"))


def test_subset_ships_with_the_specification_license():
    text = (SUBSET.parent / "LICENSE.txt").read_text("utf-8")

    assert "Apache License" in text and "Version 2.0" in text


def test_every_adjusted_schema_still_exists_in_the_subset():
    schemas = adjusted_spec()["components"]["schemas"]

    for name in (*UNTAGGED_UNIONS, *CLOSED_SCHEMAS):
        assert name in schemas
    for name in CLOSED_SCHEMAS:
        assert schemas[name]["additionalProperties"] is False


def test_a_valid_search_passes():
    assert request_errors("search", SEARCH) == []


def test_geo_distance_with_a_number_for_distance_is_rejected():
    body = copy.deepcopy(SEARCH)
    body["query"]["bool"]["filter"][0]["geo_distance"]["distance"] = 25

    errors = request_errors("search", body)

    assert any("geo_distance/distance" in e and "not of type 'string'" in e for e in errors)


def test_unknown_top_level_search_key_is_rejected():
    body = dict(SEARCH, querry=SEARCH["query"])

    assert any("'querry' was unexpected" in e for e in request_errors("search", body))


def test_unknown_query_type_is_rejected():
    body = {"query": {"bool": {"filter": [{"termz": {"languages": ["es"]}}]}}}

    assert any("'termz' was unexpected" in e for e in request_errors("search", body))


def test_term_shorthand_the_spec_does_not_define_is_rejected():
    body = {"query": {"term": {"visit": "in_person"}}}

    assert request_errors("search", body)


def test_mapping_with_an_invalid_property_type_is_rejected():
    body = index_body()
    body["mappings"]["properties"]["location"] = {"type": "geopoint"}

    errors = request_errors("indices.create", body)

    assert any("mappings/properties/location" in e for e in errors)


def test_mapping_parameter_a_type_does_not_take_is_rejected():
    body = index_body()
    body["mappings"]["properties"]["location"] = {"type": "geo_point", "analyzer": "standard"}

    errors = request_errors("indices.create", body)

    assert any("'analyzer' was unexpected" in e for e in errors)


def test_bulk_lines_are_checked_by_position():
    good = [
        {"index": {"_index": "a", "_id": "1-2", "version": 7, "version_type": "external"}},
        {"clinician_id": 1},
        {"delete": {"_index": "a", "_id": "1-3", "version": 7, "version_type": "external"}},
    ]
    bad_type = copy.deepcopy(good)
    bad_type[0]["index"]["version_type"] = "externally"
    unknown_op = [{"remove": {"_index": "a", "_id": "1"}}]

    assert bulk_errors(good) == []
    assert any("version_type" in e for e in bulk_errors(bad_type))
    assert any("'remove' was unexpected" in e for e in bulk_errors(unknown_op))
    assert bulk_errors(good[:1]) == ["line 1: missing document after ['index']"]
