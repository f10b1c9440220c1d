"""The records app writes as the serving app does, and imports none of what it serves."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ("before_flush", "after_flush", "before_commit", "after_commit", "after_rollback")
# A fresh interpreter per app: the test process has imported everything by now.
HOOKS = """
import json, sys
from directory.extensions import db
if sys.argv[1] == "serving":
    from app import create_app as make
else:
    from system_of_record import create_records_app as make
app = make({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
names = lambda fns: sorted(f"{fn.__module__}.{fn.__qualname__}" for fn in fns)
with app.app_context():
    session = db.session()
    found = {name: names(getattr(session.dispatch, name)) for name in sys.argv[2:]}
    found["do_orm_execute"] = names(session.dispatch.do_orm_execute)
    found["after_create"] = names(db.Model.metadata.dispatch.after_create)
    found["connect"] = names(db.engine.pool.dispatch.connect)
print(json.dumps({"hooks": found, "name": app.name, "instance": app.instance_path,
                  "modules": sorted({m.partition(".")[0] for m in sys.modules})}))
"""
SERVED = {"api", "web", "console", "fhir_api", "hsds_api", "cds_hooks", "pages", "edge"}


def _app(kind: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", HOOKS, kind, *EVENTS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def apps() -> tuple[dict, dict]:
    """What the serving app and the records app each hold, read in their own processes."""
    return _app("serving"), _app("records")


def test_the_records_app_fires_every_write_hook_the_serving_app_fires(apps):
    serving, records = apps

    assert records["hooks"] == serving["hooks"]
    hooks = records["hooks"]
    assert "directory.listing_changes._before_flush" in hooks["before_flush"]
    assert "search.outbox._after_flush" in hooks["after_flush"]
    assert "registry.refresh._refresh_touched" in hooks["before_commit"]
    assert "audit.checkpoints._after_commit" in hooks["after_commit"]
    assert "audit.models._refuse_bulk_changes" in hooks["do_orm_execute"]
    assert "directory.models.changes._after_create" in hooks["after_create"]
    assert (records["name"], records["instance"]) == ("app", str(ROOT / "instance"))
    assert serving["instance"] == records["instance"]


def test_the_records_app_imports_nothing_that_serves(apps):
    serving, records = apps

    assert set(serving["modules"]) >= SERVED  # the check can see them when they are there
    assert SERVED & set(records["modules"]) == set()
    assert "app" not in records["modules"]
