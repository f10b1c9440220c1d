"""Reindex: a versioned index behind the alias, built with refresh off, swapped, old one dropped."""

import pytest

from search.lifecycle import ReindexError, building_alias, reindex, write_aliases
from tests.matching.match_directory import add_clinician, add_location
from tests.search.conftest import ALIAS


@pytest.fixture
def three_clinicians(db):
    here = add_location(42.35, -71.07)
    people = [
        add_clinician(1, [here]),
        add_clinician(2, [here], modalities=["in_person", "video"], licenses=["MA"]),
        add_clinician(3, [here], active=False),
    ]
    db.session.commit()
    return people


def test_first_build_creates_an_index_and_points_the_alias_at_it(
    three_clinicians, es_client, fake_es
):
    report = reindex(es_client, ALIAS)

    assert fake_es.aliases[ALIAS] == {report.index}
    assert report.index.startswith(f"{ALIAS}-")
    assert (report.clinicians, report.documents) == (3, 3)  # 1 + (1 + telehealth) + 0
    first, second, _inactive = (c.id for c in three_clinicians)
    assert sorted(fake_es.documents(ALIAS)) == [f"{first}-1", f"{second}-1", f"{second}-telehealth"]
    created = fake_es.bodies("PUT", report.index)[0]
    assert created["settings"]["refresh_interval"] == "-1"
    assert created["aliases"] == {building_alias(ALIAS): {}}
    assert fake_es.indices[report.index].settings["index"]["refresh_interval"] == "1s"
    assert not fake_es.aliases[building_alias(ALIAS)]


def test_documents_carry_external_versions(three_clinicians, es_client, fake_es):
    reindex(es_client, ALIAS)

    (bulk,) = fake_es.bodies("PUT", "/_bulk") or fake_es.bodies("POST", "/_bulk")
    actions = [line["index"] for line in bulk[::2]]
    assert {a["version_type"] for a in actions} == {"external"}
    assert all(a["version"] > 1_700_000_000_000_000 for a in actions)  # microseconds
    assert {a["_index"] for a in actions} == {building_alias(ALIAS)}


def test_second_build_swaps_the_alias_and_drops_the_old_index(three_clinicians, es_client, fake_es):
    first = reindex(es_client, ALIAS)
    second = reindex(es_client, ALIAS)

    assert second.index != first.index
    assert second.dropped == [first.index]
    assert set(fake_es.indices) == {second.index}
    assert fake_es.aliases[ALIAS] == {second.index}
    (swap,) = [b for b in fake_es.bodies("POST", "/_aliases") if len(b["actions"]) == 3]
    assert swap["actions"][0] == {"remove": {"index": first.index, "alias": ALIAS}}


def test_rejections_429_are_retried_until_they_pass(three_clinicians, es_client, fake_es):
    fake_es.item_rejections = 2

    report = reindex(es_client, ALIAS, initial_backoff=0.01)

    assert report.failures == []
    assert len(fake_es.documents(ALIAS)) == 3
    assert len(fake_es.bodies("PUT", "/_bulk")) == 2  # the rejected items were sent again


def test_persistent_rejections_leave_the_alias_alone(three_clinicians, es_client, fake_es):
    old = reindex(es_client, ALIAS)
    fake_es.item_rejections = 100

    with pytest.raises(ReindexError, match="rejected"):
        reindex(es_client, ALIAS, initial_backoff=0.01)

    assert fake_es.aliases[ALIAS] == {old.index}
    assert set(fake_es.indices) == {old.index}  # the half-built index was dropped


def test_write_aliases_include_a_build_in_progress(three_clinicians, es_client, fake_es):
    assert write_aliases(es_client, ALIAS) == []
    reindex(es_client, ALIAS)
    fake_es.aliases[building_alias(ALIAS)] = {"some-new-index"}

    assert write_aliases(es_client, ALIAS) == [ALIAS, building_alias(ALIAS)]


def test_reindex_command_reports_and_fails_cleanly_when_unreachable(
    three_clinicians, es_app, runner, fake_es, dead_es_url
):
    result = runner.invoke(args=["search", "reindex"])

    assert result.exit_code == 0, result.output
    assert "3 documents for 3 clinicians" in result.output
    es_app.config["ELASTICSEARCH_URL"] = dead_es_url
    failed = runner.invoke(args=["search", "reindex"])
    assert failed.exit_code == 1
    assert "Elasticsearch request failed: ConnectionError" in failed.output


def test_reindex_if_missing_builds_only_on_first_boot(three_clinicians, runner, es_app, fake_es):
    first = runner.invoke(args=["search", "reindex", "--if-missing"])
    second = runner.invoke(args=["search", "reindex", "--if-missing"])

    assert first.exit_code == second.exit_code == 0
    assert "3 documents" in first.output
    assert "already has an index; nothing to do" in second.output
    assert len(fake_es.indices) == 1
