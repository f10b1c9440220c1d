"""Serving never imports the libraries only the CLI, Elasticsearch or FHIR need (worker RSS)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Together ~33 MB resident per worker; each is imported where it is needed, never at the top.
HEAVY = (
    "alembic",
    "authlib",  # with joserfc and cryptography ~11 MB: only a SMART launch needs them
    "cryptography",
    "elastic_transport",
    "elasticsearch",
    "fhir",
    "fhir_core",
    "joserfc",
    "flask_migrate",
    "mako",
    "pydantic",
    "pydantic_core",
)
# A fresh interpreter: the test process itself has imported everything by now.
SERVE = """
import json, sys
from app import create_app
from directory.extensions import db

app = create_app({
    "SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "x", "SEARCH_BACKEND": "embedded",
})
with app.app_context():
    from accounts.keys import issue_api_key
    from directory.models import Organization

    db.create_all()
    _row, key = issue_api_key(Organization(name="Partner", kind="health_plan"), "directory:read")
    db.session.commit()
client = app.test_client()
needs = {"postal_code": "02139", "concerns": ["depression"], "modality": "either"}
statuses = [
    client.post("/api/v1/matches", json=needs, headers={"Authorization": f"Bearer {key}"}),
    client.get("/find"),
]
heavy = sorted({name.partition(".")[0] for name in sys.modules} & set(sys.argv[2:]))
print(json.dumps({"statuses": [r.status_code for r in statuses], "heavy": heavy}))
"""


def test_serving_imports_no_heavy_library(tmp_path):
    url = f"sqlite:///{tmp_path / 'imports.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-c", SERVE, url, *HEAVY],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["statuses"] == [200, 200]
    assert result["heavy"] == []


def test_flask_db_still_loads_flask_migrate(app):
    # Output is checked with --help only: Alembic binds its print stream to sys.stdout at import.
    helped = app.test_cli_runner().invoke(args=["db", "--help"])
    assert helped.exit_code == 0, helped.output
    assert "--directory" in helped.output and "upgrade" in helped.output
    result = app.test_cli_runner().invoke(args=["db", "heads"])
    assert result.exit_code == 0, result.output
    assert type(app.extensions["migrate"]).__module__ == "flask_migrate"


def test_flask_search_still_lists_its_commands(app):
    result = app.test_cli_runner().invoke(args=["search", "--help"])
    assert result.exit_code == 0, result.output
    assert "reindex" in result.output and "render-mapping" in result.output
