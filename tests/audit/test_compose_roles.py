"""docker-compose.yml: the app never connects as the PostgreSQL superuser (parsed, no engine)."""

import re
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("app", "search-init", "search-sync")


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))["services"]


def _user(service: dict) -> str:
    return make_url(service["environment"]["DATABASE_URL"]).username


def test_the_superuser_is_only_the_database_containers(services):
    assert services["db"]["environment"]["POSTGRES_USER"] == "postgres"
    users = {
        name: _user(s) for name, s in services.items() if "DATABASE_URL" in s.get("environment", {})
    }
    assert users == {
        "migrate": "directory_owner",
        "app": "directory_app",
        "search-init": "directory_app",
        "search-sync": "directory_app",
    }
    for name in users:
        url = services[name]["environment"]["DATABASE_URL"]
        assert "POSTGRES_PASSWORD" not in url


def test_migrations_run_as_the_owner_then_grant_the_app_role(services):
    command = " ".join(services["migrate"]["command"])
    assert re.search(
        r"db upgrade && flask --app app audit grants --app-role directory_app --apply$", command
    )


def test_the_init_script_creates_the_roles_the_services_use(services):
    mounts = dict(volume.split(":", 1) for volume in services["db"]["volumes"][1:])
    script = mounts["./migrations/initdb-roles.sh"]
    assert script.startswith("/docker-entrypoint-initdb.d/") and script.endswith(".sh:ro")
    text = (ROOT / "migrations" / "initdb-roles.sh").read_text()
    assert "-v owner_role=directory_owner" in text
    assert "-v app_role=directory_app" in text
    roles_sql = re.search(r"-f (\S+)", text).group(1)
    assert mounts["./migrations/roles.sql"] == f"{roles_sql}:ro"
    env = services["db"]["environment"]
    for variable in ("DIRECTORY_OWNER_PASSWORD", "DIRECTORY_APP_PASSWORD"):
        assert f'"${variable}"' in text
        assert env[variable].startswith(f"${{{variable}:?")


def test_roles_sql_makes_no_superuser_and_lets_the_app_create_nothing():
    sql = (ROOT / "migrations" / "roles.sql").read_text()
    creates = re.findall(r"CREATE ROLE .*?;", sql, flags=re.S)
    assert len(creates) == 2
    assert all("NOSUPERUSER" in c and "NOBYPASSRLS" in c for c in creates)
    assert 'GRANT USAGE ON SCHEMA public TO :"app_role";' in sql
    assert "REVOKE CREATE ON SCHEMA public FROM PUBLIC;" in sql


def test_every_process_shares_the_audit_key_and_the_app_keeps_its_checkpoints(services):
    for name in ("migrate", *APP_SERVICES):
        env = services[name]["environment"]
        assert env["AUDIT_KEY"].startswith("${AUDIT_KEY:?")
    app = services["app"]
    checkpoint_file = app["environment"]["AUDIT_CHECKPOINT_FILE"]
    volume, mount = app["volumes"][0].split(":")[:2]
    assert checkpoint_file.startswith(mount + "/")
    assert volume in yaml.safe_load((ROOT / "docker-compose.yml").read_text())["volumes"]
