"""What the peer baselines share: the needs mix resolved to plain values, and the source rows.

The peers answer only the required needs of the mix (plan, accepting, distance, age group,
modality, concerns the clinician says they do not treat), exactly as matching.filters defines
them, and return every admitted (clinician, place) row: the same retrieval work our service
does before it ranks. They do not rank or explain.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

# Clinician columns the peers need; JSON arrays are decoded to lists.
CLINICIAN_SQL = (
    "SELECT id, active, accepting_new_patients, age_groups, modalities, conditions_not_treated"
    " FROM clinician ORDER BY id"
)
LOCATION_SQL = "SELECT id, lat, lon FROM location WHERE lat IS NOT NULL ORDER BY id"
LINK_SQL = "SELECT clinician_id, location_id, accepting_new_patients FROM clinician_location"
PARTICIPATION_SQL = "SELECT clinician_id, network_id, location_id FROM network_participation"
LICENSE_SQL = "SELECT clinician_id, state, expires_on FROM license"


@dataclass(frozen=True)
class PeerNeeds:
    """The required needs of one mix entry, resolved the way NeedsSchema resolves them."""

    lat: float
    lon: float
    miles: float
    networks: tuple[str, ...] | None  # None: no plan given
    age_groups: tuple[str, ...] | None  # None: no age given
    concerns: tuple[str, ...]
    in_person: bool
    telehealth: bool
    state: str | None
    today: date

    @property
    def metres(self) -> float:
        """The radius in metres."""
        return self.miles * 1609.344


def plan_networks(db_path: Path) -> dict[str, tuple[str, ...]]:
    """Plan or network id -> the network ids that count as in it (itself and its networks)."""
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as con:
        ids = [r[0] for r in con.execute("SELECT id FROM network")]
        links = con.execute("SELECT plan_id, network_id FROM plan_network").fetchall()
    found = {i: {i} for i in ids}
    for plan, network in links:
        found[plan].add(network)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def resolve(body: dict, plans: dict[str, tuple[str, ...]]) -> PeerNeeds:
    """A needs body (postal_code form, as in the mix) -> PeerNeeds."""
    from directory.geography import zip_centroid
    from directory.vocabulary import age_groups_for
    from matching.states import state_for_zip

    point = zip_centroid(body["postal_code"])
    # An age outside every group filters nothing (matching.filters.age_ok), as no age does.
    groups = tuple(age_groups_for(body["age"])) if "age" in body else ()
    modality = body.get("modality", "in_person")
    return PeerNeeds(
        lat=point.lat,
        lon=point.lon,
        miles=float(body.get("max_distance_miles", 25.0)),
        networks=plans[body["plan"]] if "plan" in body else None,
        age_groups=groups or None,
        concerns=tuple(body.get("concerns", ())),
        in_person=modality in ("in_person", "either"),
        telehealth=modality in ("telehealth", "either"),
        state=state_for_zip(body["postal_code"]),
        today=datetime.now(UTC).date(),
    )


def read_rows(db_path: Path, sql: str):
    """Rows of the demo directory, JSON arrays decoded."""
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as con:
        for row in con.execute(sql):
            yield tuple(json.loads(v) if isinstance(v, str) and v[:1] == "[" else v for v in row)
