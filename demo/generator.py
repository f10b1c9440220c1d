"""The demo directory: a seeded synthetic behavioral-health directory of any size.

The same --clinicians, --seed and --as-of give the same directory. Generation streams practice
by practice and writes in batches (demo.store), so memory stays flat at a million
clinicians. Every generated row carries source "demo"; generating again first removes the
previous demo rows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import delete, func, insert, select

from demo.clinician import SOURCE
from demo.practice import DEMO_PLANS, Practice, PracticeMaker
from demo.store import BatchRows
from directory.extensions import db
from directory.models import (
    Clinician,
    FactObservation,
    IngestFingerprint,
    Location,
    Network,
    Organization,
)
from directory.models.network import plan_network
from directory.models.verification import utcnow

SAMPLE_ROSTER = Path(__file__).resolve().parent.parent / "ingest" / "samples" / "roster_sample.csv"
DEFAULT_CLINICIANS = 2000
FORMAT_SOURCE = "demo: synthetic member-id formats"


@dataclass
class DemoSummary:
    """What a generation wrote."""

    clinicians: int = 0
    organizations: int = 0
    skipped: int = 0  # NPIs another source already holds; left alone


def generate(
    clinicians: int,
    seed: int,
    as_of: date,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Replace the demo directory with `clinicians` synthetic clinicians."""
    clear_demo()
    save_demo_plans()
    maker = PracticeMaker(seed, as_of)
    summary = DemoSummary()
    # With no other source loaded, no NPI or address can clash: skip the per-batch checks.
    shared = _other_sources()
    pending: list[Practice] = []
    waiting = made = index = 0
    while made < clinicians:
        practice = maker.make(index, clinicians - made)
        index += 1
        made += len(practice.records)
        waiting += len(practice.records)
        pending.append(practice)
        if waiting >= batch_size or made == clinicians:
            _save_batch(pending, summary, shared)
            pending, waiting = [], 0
            if progress:
                progress(made)
    return summary


def clear_demo() -> None:
    """Remove every demo row (children go with their clinician by ON DELETE CASCADE)."""
    # Facts name their subject without a foreign key: the demo clinicians' go first, so a
    # regenerated clinician that reuses an id does not inherit them.
    demo_ids = select(Clinician.id).where(Clinician.source == SOURCE)
    db.session.execute(
        delete(FactObservation).where(
            FactObservation.subject_kind == "clinician", FactObservation.subject_id.in_(demo_ids)
        )
    )
    for model in (Clinician, Location, Organization, Network):
        db.session.execute(delete(model).where(model.source == SOURCE))
    db.session.execute(delete(IngestFingerprint).where(IngestFingerprint.source == SOURCE))
    db.session.commit()


def save_demo_plans() -> None:
    """The demo plans and the network serving the HMO."""
    now = utcnow()
    networks = {p.network_id: p.network_name for p in DEMO_PLANS if p.network_id}
    no_format = {"member_id_format": None, "member_id_format_source": None}
    rows = [
        {"id": net_id, "name": name, "kind": "network", "plan_type": None, "payer": None}
        | no_format
        for net_id, name in networks.items()
    ] + [
        {"id": p.id, "name": p.name, "kind": "plan", "plan_type": p.plan_type, "payer": p.payer}
        | {"member_id_format": p.member_id_format, "member_id_format_source": FORMAT_SOURCE}
        for p in DEMO_PLANS
    ]
    for row in rows:
        row.update(source=SOURCE, created_at=now, updated_at=now)
    db.session.execute(insert(Network), rows)
    links = [{"plan_id": p.id, "network_id": p.network_id} for p in DEMO_PLANS if p.network_id]
    db.session.execute(insert(plan_network), links)
    db.session.commit()


def _save_batch(practices: list[Practice], summary: DemoSummary, shared: bool) -> None:
    """Every table of one batch in one transaction."""
    records = [r for p in practices for r in p.records]
    taken = _taken_npis([r.npi for r in records]) if shared else set()
    if taken:
        records = [r for r in records if r.npi not in taken]
        summary.skipped += len(taken)
    organizations = [p.organization for p in practices if p.organization]
    try:
        BatchRows(organizations, records, SOURCE, check_addresses=shared).write()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    db.session.expunge_all()
    summary.clinicians += len(records)
    summary.organizations += len(organizations)


def _taken_npis(npis: list[str]) -> set[str]:
    """NPIs already held by a non-demo clinician (a real one, or the sample roster's)."""
    taken: set[str] = set()
    for start in range(0, len(npis), 500):
        chunk = npis[start : start + 500]
        taken.update(db.session.scalars(select(Clinician.npi).where(Clinician.npi.in_(chunk))))
    return taken


def _other_sources() -> bool:
    """True when clinicians or locations from another source are present."""
    for model in (Clinician, Location):
        if db.session.scalar(select(model.id).where(model.source != SOURCE).limit(1)):
            return True
    return False


def directory_is_empty() -> bool:
    """True when no clinician is listed at all."""
    return db.session.scalar(select(func.count()).select_from(Clinician)) == 0
