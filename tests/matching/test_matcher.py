"""The Matcher in the app: MATCH_INDEX, one keeper per app, the same API answers either way."""

import pytest

from matching.embedded import EmbeddedBackend
from matching.index.backend import IndexedBackend
from matching.matcher import check_index_config, matcher
from tests.matching.match_directory import add_clinician, add_location, add_plan


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="MATCH_INDEX"):
        check_index_config({"MATCH_INDEX": "disk"})


def test_the_index_by_default_and_sql_when_off(app, db):
    assert isinstance(matcher.embedded_backend(db.session), IndexedBackend)
    assert matcher.keeper(app) is matcher.keeper(app)

    app.config["MATCH_INDEX"] = "off"
    assert type(matcher.embedded_backend(db.session)) is EmbeddedBackend
    assert matcher.keeper(app) is None


def test_the_api_answers_the_same_with_the_index_off(app, client, db):
    add_plan("Gold", "Acme Gold", ["GoldNet"])
    here = add_location(42.35, -71.07, state="MA", postal_code="02116")
    for serial in range(1, 8):
        add_clinician(serial, [here], ["GoldNet"], ["es"] if serial % 2 else ["en"], ["MA"],
                      modalities=["in_person", "video"], wait_days=serial)  # fmt: skip
    db.session.commit()
    body = {"postal_code": "02139", "plan": "Gold", "modality": "either", "languages": ["es"],
            "limit": 3, "offset": 1}  # fmt: skip

    with_index = client.post("/api/v1/matches", json=body).get_json()
    app.config["MATCH_INDEX"] = "off"
    without = client.post("/api/v1/matches", json=body).get_json()

    assert with_index == without
    assert with_index["total"] == 7 and len(with_index["results"]) == 3
    # The index answered the first request (it was built for it):
    app.config["MATCH_INDEX"] = "memory"
    assert matcher.state() == "ready"


def test_a_worker_warms_the_index_only_when_it_is_the_search_backend(app, db):
    app.config["SEARCH_BACKEND"] = "elasticsearch"
    matcher.warm(app)
    assert matcher.state() == "cold"

    app.config["SEARCH_BACKEND"] = "embedded"
    matcher.warm(app)
    assert matcher.keeper(app).wait(timeout=60)
    assert matcher.state() == "ready"
