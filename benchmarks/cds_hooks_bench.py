"""CDS Hooks card latency: `python -m benchmarks.cds_hooks_bench [--calls N] [--database-url U]`.

The app in-process (Flask's test client) on a fresh SQLite file, or on --database-url
(PostgreSQL: its tables are dropped and re-created). Two runs of N signed patient-view calls:
every prefetch item sent, and every item fetched from a loopback FHIR server. Each call
verifies a JWT, records its jti, evaluates the rules, stores the card uuids and appends an
audit event. Prints one JSON object of latency summaries in milliseconds (target: p95 < 500).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from pathlib import Path

from app import create_app
from benchmarks.common import latency_summary
from cds.tokens import sign
from cds.use_cases import register_client
from directory.extensions import db
from tests.cds_hooks.builders import (
    PATIENT_VIEW,
    SECRET,
    bundle,
    claims,
    condition,
    medication,
    observation,
    patient,
    patient_view,
    prefetch,
)
from tests.cds_hooks.fhir_server import FhirServer

LOINC = "http://loinc.org"
SCREENS = [observation("44261-6", 14, "p1"), observation("70274-6", 11, "g1")]
WARMUP = 10


def _items() -> dict:
    return prefetch(
        SCREENS + [observation("75626-2", 5, "a1")],
        conditions=[condition("F32.1", "c1"), condition("F41.1", "c2")],
        medications=[medication("Suboxone 8 mg-2 mg film", "m1")],
        gender="male",
    )


def _serve(fhir: FhirServer) -> None:
    items = _items()
    codes = ",".join(f"{LOINC}|{c}" for c in ("44261-6", "70274-6", "75626-2", "44260-8"))
    pid = "1288992"
    fhir.answer(f"Patient/{pid}", patient("male"))
    fhir.answer(
        f"Observation?patient={pid}&code={codes}&_sort=-date&_count=50", items["screenings"]
    )
    fhir.answer(f"Condition?patient={pid}&clinical-status=active", items["conditions"])
    fhir.answer(f"MedicationRequest?patient={pid}&status=active", items["medications"])
    fhir.answer(f"ServiceRequest?patient={pid}&status=draft,active,on-hold", bundle())


def _run(client, body: dict, calls: int) -> list[float]:
    samples = []
    for index in range(calls + WARMUP):
        body = dict(body, hookInstance=str(uuid.uuid4()))
        token = sign(claims(PATIENT_VIEW), SECRET)
        started = time.perf_counter()
        response = client.post(
            f"/cds-services/{PATIENT_VIEW}", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200 or len(response.get_json()["cards"]) != 5:
            raise SystemExit(
                f"unexpected answer {response.status_code}: {response.get_data()[:300]}"
            )
        if index >= WARMUP:
            samples.append(elapsed)
    return samples


def main() -> None:
    """Run both scenarios and print their latency."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cds-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "AUDIT_KEY": "ab" * 32}
    app = create_app(
        config | {"RATELIMIT_ENABLED": False, "AUDIT_CHECKPOINT_FILE": str(folder / "cp")}
    )
    fhir = FhirServer().start()
    try:
        with app.app_context():
            db.drop_all()
            db.create_all()
            register_client("https://ehr.example.org", fhir.url, secret=SECRET)
            _serve(fhir)
            client = app.test_client()
            fetched = dict(patient_view({}), fhirServer=fhir.url)
            fetched["fhirAuthorization"] = {
                "access_token": "bench-token",
                "token_type": "Bearer",
                "expires_in": 300,
                "scope": "user/*.read",
                "subject": "cds",
            }
            result = {
                "calls": args.calls,
                "database": url.split(":", 1)[0],
                "prefetch_sent_ms": latency_summary(
                    _run(client, patient_view(_items()), args.calls)
                ),
                "prefetch_fetched_ms": latency_summary(_run(client, fetched, args.calls)),
            }
    finally:
        fhir.stop()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
