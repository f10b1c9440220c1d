"""A small demo directory and the index documents the backend builds from it, measured.

The documents come from `search.documents.documents_for`, the function the sync worker and
`search reindex` call, over a seeded demo directory (`demo.generator.generate`) in a SQLite
file of its own; the sizes are those of the compact JSON the bulk request carries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from benchmarks.common import sqlite_url


@dataclass(frozen=True)
class DocumentStats:
    """What one sample of index documents weighs."""

    clinicians: int  # in the sample directory
    documents: int  # index documents (listings): one per clinician-location, plus telehealth
    in_person: int
    telehealth: int
    source_bytes: int  # compact JSON of every document, summed
    largest_bytes: int

    @property
    def mean_bytes(self) -> float:
        """Mean compact JSON size of a document (the `_source` Elasticsearch stores)."""
        return self.source_bytes / self.documents

    @property
    def per_clinician(self) -> float:
        """Documents per clinician in the sample."""
        return self.documents / self.clinicians


def compact(doc: dict) -> bytes:
    """A document as the bulk request sends it."""
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def document_stats(clinicians: int, docs: list[dict]) -> DocumentStats:
    """Counts and sizes of `docs`, built from `clinicians` clinicians."""
    sizes = [len(compact(d)) for d in docs]
    in_person = sum(1 for d in docs if d["visit"] == "in_person")
    return DocumentStats(
        clinicians=clinicians,
        documents=len(docs),
        in_person=in_person,
        telehealth=len(docs) - in_person,
        source_bytes=sum(sizes),
        largest_bytes=max(sizes),
    )


def sample_app(path: Path, clinicians: int, seed: int, as_of: date):
    """An app over a new SQLite file holding a generated directory of `clinicians`."""
    from app import create_app
    from demo.generator import generate
    from directory.extensions import db

    path.unlink(missing_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlite_url(path), "SECRET_KEY": "es-sample"})
    with app.app_context():
        db.create_all()
        generate(clinicians, seed, as_of)
        db.session.commit()
    return app


def sample_documents() -> tuple[int, list[dict]]:
    """(clinicians, documents) of the directory in the current app context."""
    from search.documents import clinician_id_batches, documents_for

    count, docs = 0, []
    for batch in clinician_id_batches():
        count += len(batch)
        docs += documents_for(batch).values()
    return count, sorted(docs, key=lambda d: d["doc_key"])
