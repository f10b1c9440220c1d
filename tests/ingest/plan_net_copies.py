"""The real Plan-Net IG examples in other input forms, broken copies, and what a load left."""

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from directory.extensions import db
from directory.models import Clinician, Location, Network, Organization
from ingest.plan_net import load_plan_net
from ingest.report import LoadSummary, RejectReport, read_rejects

IG_EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "plan-net" / "ig-examples"
TEST_DATA = IG_EXAMPLES.parent / "test-data"


def example_resources(folder: Path = IG_EXAMPLES) -> list[dict]:
    """The resources of a folder of one-resource files, in file-name order."""
    return [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))]


def as_bundle(dest: Path, folder: Path = IG_EXAMPLES) -> Path:
    """One collection Bundle holding every resource of `folder`."""
    entries = [
        {"fullUrl": f"{r['resourceType']}/{r['id']}", "resource": r}
        for r in example_resources(folder)
    ]
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    path = dest / "plan-net-bundle.json"
    path.write_text(json.dumps(bundle), "utf-8")
    return path


def as_ndjson(dest: Path, folder: Path = IG_EXAMPLES) -> Path:
    """One NDJSON file per resource type, as a FHIR bulk export writes them, in a folder."""
    out = dest / "ndjson"
    out.mkdir()
    for resource in example_resources(folder):
        with (out / f"{resource['resourceType']}.ndjson").open("a", encoding="utf-8") as f:
            f.write(json.dumps(resource) + "\n")
    return out


def copy_examples(dest: Path) -> Path:
    """A writable copy of the IG examples folder."""
    return Path(shutil.copytree(IG_EXAMPLES, dest / "ig-examples"))


def edit(folder: Path, name: str, change: Callable[[dict], None]) -> None:
    """Change one resource file of a copied folder in place."""
    path = folder / name
    resource = json.loads(path.read_text("utf-8"))
    change(resource)
    path.write_text(json.dumps(resource), "utf-8")


def load(path: Path, tmp_path: Path, batch_size: int = 1000) -> tuple[LoadSummary, list[dict]]:
    """Load `path` with a fresh reject report; the summary and the reject rows."""
    rejects = tmp_path / f"rejects-{len(list(tmp_path.glob('rejects-*')))}.csv"
    with RejectReport(rejects) as report:
        summary = load_plan_net(path, report, batch_size=batch_size)
    return summary, (read_rejects(rejects) if rejects.exists() else [])


def counts(summary: LoadSummary) -> tuple[int, ...]:
    """(read, inserted, updated, unchanged, out_of_scope, rejected)."""
    counted = ("read", "inserted", "updated", "unchanged", "out_of_scope", "rejected")
    return tuple(getattr(summary, name) for name in counted)


def only_clinician() -> Clinician:
    """The one clinician a load left."""
    return db.session.scalars(select(Clinician)).one()


def snapshot() -> dict:
    """What a load left, by external ids, so loads of different input forms compare equal."""
    db.session.expire_all()
    return {
        "clinicians": [
            _clinician(c) for c in db.session.scalars(select(Clinician).order_by(Clinician.npi))
        ],
        "networks": [
            (n.id, n.name, n.kind, n.plan_type, n.payer, [m.id for m in n.networks])
            for n in db.session.scalars(select(Network).order_by("id"))
        ],
        "organizations": [
            (o.external_id, o.name, o.kind, o.npi, o.phone, o.website)
            for o in db.session.scalars(select(Organization).order_by("external_id"))
        ],
        "locations": [
            (loc.external_id, loc.address, loc.lat, loc.lon, loc.hours, loc.accessibility,
             loc.organization.external_id if loc.organization else None)
            for loc in db.session.scalars(select(Location).order_by("external_id"))
        ],
    }  # fmt: skip


def _clinician(c: Clinician) -> tuple:
    return (
        c.npi,
        c.display_name,
        c.modalities,
        c.accepting_new_patients,
        [(t.code, t.is_primary) for t in c.taxonomies],
        [(lang.code, lang.proficiency) for lang in c.languages],
        sorted((lic.state, lic.license_type or "", lic.number) for lic in c.licenses),
        sorted((link.location.external_id, link.external_id) for link in c.locations),
        sorted(
            (p.network_id, p.location.external_id if p.location else "") for p in c.participations
        ),
    )
