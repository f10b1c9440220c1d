"""A fixed, seeded mix of 200 realistic needs drawn from a benchmark directory's ZIPs and plans.

Shares are rough but deliberate: most patients live where clinicians practise (ZIPs drawn one
per location, so dense areas come up as often as they hold sites), a tenth live anywhere
(rural ZIPs that often find nothing and so exercise the relaxations), most carry a plan, and
depression and anxiety dominate the concerns. Only the always-required needs (plan, distance,
modality, age, accepting) filter, as in a typical referral; languages, gender, culture, hours,
wait and accessibility are preferences, so the peers can answer the same required needs.
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from contextlib import closing
from pathlib import Path

MIX_SIZE = 200
RADII = ((5, 15), (10, 25), (15, 20), (25, 25), (50, 15))  # (miles, weight)
AGES = (((6, 12), 10), ((13, 17), 10), ((18, 64), 65), ((65, 90), 15))
CONCERNS = (
    ("depression", 30), ("anxiety", 30), ("trauma", 10), ("stress", 8), ("substance_use", 6),
    ("alcohol_use", 4), ("relationship", 4), ("grief", 3), ("adhd", 4), ("bipolar", 2),
    ("ocd", 2), ("insomnia", 2), ("eating_disorder", 1), ("perinatal", 1), ("anger", 1),
)  # fmt: skip
LANGUAGES = (("es", 60), ("zh", 8), ("vi", 6), ("pt", 5), ("ht", 4), ("ru", 4), ("ko", 3))
CULTURE = ("lgbtq_affirming", "trauma_informed", "faith_christian", "latino_hispanic", "veterans")
MODALITIES = (("in_person", 70), ("either", 22), ("telehealth", 8))


def _pick(rng: random.Random, pairs):
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights)[0]


def directory_facts(db_path: Path) -> tuple[list[str], list[str], list[str]]:
    """(ZIP per location, every known ZCTA, plan and network ids) of a benchmark directory."""
    from directory.geography import DATA_DIR

    with (DATA_DIR / "zcta_centroids.csv").open(encoding="utf-8", newline="") as f:
        zctas = sorted(row["zcta5"] for row in csv.DictReader(f))
    known = set(zctas)
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as con:
        site_zips = [r[0] for r in con.execute("SELECT postal_code FROM location ORDER BY id")]
        plans = [r[0] for r in con.execute("SELECT id FROM network ORDER BY id")]
    return [z for z in site_zips if z in known], zctas, plans


def make_needs(rng: random.Random, site_zips: list[str], zctas: list[str], plans: list[str]):
    """One needs body for POST /api/v1/matches."""
    body: dict = {"postal_code": rng.choice(site_zips if rng.random() < 0.9 else zctas)}
    if rng.random() < 0.85:
        body["plan"] = rng.choice(plans)
    body["max_distance_miles"] = _pick(rng, RADII)
    body["age"] = rng.randint(*_pick(rng, AGES))
    body["concerns"] = sorted({_pick(rng, CONCERNS) for _ in range(rng.randint(1, 3))})
    body["modality"] = _pick(rng, MODALITIES)
    _preferences(rng, body)
    return body


def _preferences(rng: random.Random, body: dict) -> None:
    """Needs that only rank (preferred by default, or made preferred explicitly)."""
    if rng.random() < 0.15:
        body["languages"] = [_pick(rng, LANGUAGES)]
    if rng.random() < 0.25:
        body["clinician_gender"] = "female" if rng.random() < 0.8 else "male"
    if rng.random() < 0.10:
        body["cultural_preferences"] = [rng.choice(CULTURE)]
    if rng.random() < 0.15:
        body["availability"] = [rng.choice(("evening", "weekend"))]
    if rng.random() < 0.20:
        body["max_wait_days"] = rng.choice((7, 14, 30))
    if rng.random() < 0.05:
        body["accessibility"] = ["wheelchair"]
        body["preferred"] = ["accessibility"]  # required by default; kept a preference here


def needs_mix(db_path: Path, seed: int, count: int = MIX_SIZE) -> list[dict]:
    """The seeded mix for a directory, cached next to it as JSON."""
    cache = db_path.with_name(f"{db_path.stem}-needs{count}.json")
    if cache.exists():
        return json.loads(cache.read_text("utf-8"))
    rng = random.Random(f"needs-{seed}")
    site_zips, zctas, plans = directory_facts(db_path)
    mix = [make_needs(rng, site_zips, zctas, plans) for _ in range(count)]
    cache.write_text(json.dumps(mix, indent=0), "utf-8")
    return mix


def bodies_file(db_path: Path, mix: list[dict]) -> Path:
    """The mix as one JSON body per line, for the wrk script."""
    path = db_path.with_name(f"{db_path.stem}-bodies.ndjson")
    path.write_text("".join(json.dumps(body) + "\n" for body in mix), "utf-8")
    return path
