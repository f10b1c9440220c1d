"""The index definition in code: one document per clinician and visit (location or telehealth)."""

# Bump when a field changes meaning or type: `flask search reindex` builds a fresh index anyway.
MAPPING_VERSION = 2
NAME_ANALYZER = "folded_name"

_KEYWORD = {"type": "keyword"}
_BOOLEAN = {"type": "boolean"}
_INTEGER = {"type": "integer"}
_DATE = {"type": "date"}
# Kept in _source for building candidates, never searched.
_STORED_ONLY = {"type": "keyword", "index": False, "doc_values": False}
_NAME = {"type": "text", "analyzer": NAME_ANALYZER}

# Code lists from the controlled vocabularies: exact-match keyword arrays.
KEYWORD_ARRAYS = (
    "taxonomies",
    "languages",
    "network_ids",
    "competencies",
    "age_groups",
    "modalities",
    "conditions_treated",
    "conditions_not_treated",
    "credentials",
    "accessibility",
)


def index_settings(replicas: int = 0, building: bool = False) -> dict:
    """Shards, replicas, refresh and the ASCII-folding name analyzer."""
    return {
        "number_of_shards": 1,
        "number_of_replicas": 0 if building else replicas,
        # No refresh while a bulk build runs; the alias swap follows an explicit refresh.
        "refresh_interval": "-1" if building else "1s",
        "analysis": {
            "analyzer": {
                NAME_ANALYZER: {
                    "type": "custom",
                    "tokenizer": "standard",
                    # "José Núñez" matches "jose nunez".
                    "filter": ["lowercase", "asciifolding"],
                }
            }
        },
    }


def index_mappings() -> dict:
    """Strict mappings: a document with an unexpected field is rejected, not guessed at."""
    properties = {name: dict(_KEYWORD) for name in KEYWORD_ARRAYS}
    properties.update(
        {
            "visit": dict(_KEYWORD),  # in_person | telehealth
            "doc_key": dict(_KEYWORD),  # the document id, for sorting and search_after
            "clinician_id": {"type": "long"},
            "location_id": {"type": "long"},
            "npi": dict(_KEYWORD),
            "name": dict(_NAME),
            "first_name": dict(_NAME),
            "last_name": dict(_NAME),
            "gender": dict(_KEYWORD),
            "licenses": {
                "type": "nested",
                "properties": {"state": dict(_KEYWORD), "expires_on": dict(_DATE)},
            },
            "accepting_new_patients": dict(_BOOLEAN),
            "wait_days": dict(_INTEGER),
            "next_available_on": dict(_DATE),
            "referral_capacity": dict(_INTEGER),
            "verified_at": dict(_DATE),
            "flagged": dict(_BOOLEAN),
            # Cost (directory/cost.py): USD per self-pay session and tri-state payment answers.
            "fee_min": dict(_INTEGER),
            "fee_max": dict(_INTEGER),
            "sliding_scale": dict(_BOOLEAN),
            "free_care": dict(_BOOLEAN),
            "accepts_medicaid": dict(_BOOLEAN),
            "accepts_medicare": dict(_BOOLEAN),
            "accepts_uninsured": dict(_BOOLEAN),
            "location": {"type": "geo_point"},
            "address": dict(_STORED_ONLY),
            "evening_hours": dict(_BOOLEAN),
            "weekend_hours": dict(_BOOLEAN),
            "digest": dict(_STORED_ONLY),
        }
    )
    return {
        "dynamic": "strict",
        "_meta": {"bh_directory": {"mapping_version": MAPPING_VERSION}},
        "properties": dict(sorted(properties.items())),
    }


def index_body(replicas: int = 0, building: bool = False) -> dict:
    """The indices.create request body."""
    return {"settings": index_settings(replicas, building), "mappings": index_mappings()}
