"""The compose topology parses and wires Elasticsearch as documented (no container engine here)."""

from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))["services"]


def test_elasticsearch_is_a_secured_single_node_with_a_fixed_heap(services):
    es = services["elasticsearch"]
    env = es["environment"]

    assert es["image"].startswith(
        "docker.elastic.co/elasticsearch/elasticsearch:${ELASTIC_VERSION:-9."
    )
    assert env["discovery.type"] == "single-node"
    assert env["xpack.security.enabled"] == "true"
    assert env["ELASTIC_PASSWORD"].startswith("${ELASTIC_PASSWORD:?")
    assert "-Xms${ES_HEAP:-1g} -Xmx${ES_HEAP:-1g}" in env["ES_JAVA_OPTS"]
    assert "_cluster/health" in " ".join(es["healthcheck"]["test"])


def test_app_and_worker_use_elasticsearch_and_start_in_order(services):
    for name in ("app", "search-sync", "search-init"):
        env = services[name]["environment"]
        assert env["SEARCH_BACKEND"] == "elasticsearch"
        assert env["ELASTICSEARCH_URL"] == "http://elasticsearch:9200"
    assert services["search-init"]["depends_on"]["elasticsearch"]["condition"] == "service_healthy"
    assert services["search-sync"]["command"][3:5] == ["search", "sync"]
    for name in ("app", "search-sync"):
        wait = services[name]["depends_on"]["search-init"]["condition"]
        assert wait == "service_completed_successfully"
        assert "healthcheck" in services[name]


def test_gunicorn_access_log_leaves_out_query_strings_and_bodies():
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text("utf-8"), namespace)

    assert namespace["access_log_format"]
    for leaky in ("%(q)s", "%(r)s", "%(a)s", "%(f)s", "{"):
        assert leaky not in namespace["access_log_format"]
    assert namespace["timeout"] > 0 and namespace["workers"] >= 1


def test_the_app_scans_message_files_with_the_clamav_service(services):
    assert services["app"]["environment"]["CLAMD_ADDRESS"] == "tcp://clamav:3310"
    assert services["app"]["depends_on"]["clamav"]["condition"] == "service_started"
    clamav = services["clamav"]
    assert clamav["image"].startswith("clamav/clamav:")
    assert "ports" not in clamav  # reachable from the compose network only
    assert clamav["volumes"] == ["clamdb:/var/lib/clamav"]
