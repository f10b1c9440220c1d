"""Synthetic practices: a solo clinician or a group with an organization, sites and plans."""

import random
from dataclasses import dataclass, replace
from datetime import date
from math import gcd

from demo.clinician import make_clinician
from demo.places import (
    STATE_POPULATION,
    StreetNumbers,
    Zip,
    fictional_phone,
    jitter,
    street_line,
    suite_line,
    zip_table,
)
from directory.npi import npi_check_digit
from ingest.records import ClinicianRecord, LocationRecord


@dataclass(frozen=True)
class DemoPlan:
    """A demo insurance plan; `network_id` names the network serving it, if any."""

    id: str
    name: str
    plan_type: str
    payer: str
    chance: float  # of a clinician taking part
    network_id: str | None = None
    network_name: str | None = None
    member_id_format: str | None = None  # synthetic, for the call console's plan from member id


DEMO_PLANS = (
    DemoPlan("demo-ppo", "Demo Health PPO", "PPO", "Demo Health Plan", 0.65,
             member_id_format=r"^DHP\d{9}$"),
    DemoPlan(
        "demo-hmo", "Demo Health HMO", "HMO", "Demo Health Plan", 0.45,
        "demo-select-net", "Demo Select Network", r"^DHH\d{9}$",
    ),
    DemoPlan("demo-epo", "Demo Health EPO", "EPO", "Demo Health Plan", 0.25,
             member_id_format=r"^DHE\d{9}$"),
    DemoPlan("demo-medicaid", "Demo Community Medicaid", "Medicaid", "Demo Community Health", 0.35,
             member_id_format=r"^DCM\d{8}[A-Z]$"),
    DemoPlan(
        "demo-medicare", "Demo Senior Advantage", "Medicare Advantage", "Demo Health Plan", 0.3,
        member_id_format=r"^DSA\d{9}$",
    ),
)  # fmt: skip
_ORG_KINDS = (("group_practice", 0.65), ("bh_practice", 0.15), ("cmhc", 0.15), ("hospital", 0.05))
_ORG_NAMES = {
    "group_practice": ("{} Counseling Associates", "{} Psychotherapy Group", "{} Therapy Center"),
    "bh_practice": ("{} Behavioral Health", "{} Psychiatry Associates", "{} Recovery Center"),
    "cmhc": ("{} Community Mental Health Center", "{} Community Counseling"),
    "hospital": ("{} Hospital Outpatient Psychiatry",),
}
_NATURE = (
    "Riverside", "Oak Hill", "Bayview", "Northside", "Evergreen", "Harbor", "Summit", "Lakeside",
    "Cedar", "Willow", "Pinecrest", "Meadowbrook", "Clearwater", "Brightside", "Pathways",
    "Beacon", "Compass", "Lighthouse", "Open Door",
)  # fmt: skip
_ACCESSIBILITY = (
    ("wheelchair", 0.7),
    ("accessible_restroom", 0.5),
    ("accessible_parking", 0.4),
    ("public_transit", 0.35),
    ("asl", 0.03),
    ("hearing_loop", 0.02),
    ("sensory_friendly", 0.05),
)
TELEHEALTH_LICENSE_SHARE = 0.06


@dataclass
class Practice:
    """What one practice adds: maybe an organization, and its clinicians."""

    organization: dict | None
    records: list[ClinicianRecord]


class NpiSequence:
    """Distinct valid NPIs from a seed: '1', an affine permutation of 8 digits, a check digit.

    The 8-digit part stays below 90,000,000 so demo NPIs never start '19', the range the
    sample roster uses. They can still equal a real NPI: they are not reserved numbers.
    """

    SPACE = 90_000_000

    def __init__(self, seed: int):
        rng = random.Random(f"demo-npi:{seed}")
        step = rng.randrange(self.SPACE // 10, self.SPACE)
        while gcd(step, self.SPACE) != 1:  # coprime, so index -> number is one-to-one
            step += 1
        self.step, self.offset = step, rng.randrange(self.SPACE)

    def npi(self, index: int) -> str:
        """The NPI of the index-th demo clinician."""
        body = f"1{(self.step * index + self.offset) % self.SPACE:08d}"
        return body + str(npi_check_digit(body))


class PracticeMaker:
    """Makes practice after practice; the same seed and order give the same directory."""

    def __init__(self, seed: int, as_of: date):
        self.seed = seed
        self.as_of = as_of
        self.table = zip_table()
        self.numbers = StreetNumbers()
        self.npis = NpiSequence(seed)
        self.clinicians = 0
        self.locations = 0

    def make(self, index: int, room: int) -> Practice:
        """Practice number `index`, with at most `room` clinicians."""
        rng = random.Random(f"demo:{self.seed}:{index}")
        size = min(room, _size(rng))
        home = self.table.pick(rng)
        org = _organization(rng, index, home) if size > 1 else None
        site_count = 1 if size < 5 else rng.randrange(1, 4 if size < 11 else 5)
        sites = [
            self._site(rng, home if i == 0 else self.table.near(rng, home), org)
            for i in range(site_count)
        ]
        records = [self._clinician(rng, sites, org, home) for _ in range(size)]
        return Practice(org, records)

    def _site(self, rng: random.Random, zip_: Zip, org: dict | None) -> LocationRecord:
        self.locations += 1
        lat, lon = jitter(rng, zip_)
        return LocationRecord(
            line1=street_line(rng, self.numbers.next(rng, zip_.code)),
            city=zip_.city,
            state=zip_.state,
            postal_code=zip_.code,
            line2=suite_line(rng),
            lat=lat,
            lon=lon,
            phone=fictional_phone(rng, zip_),
            name=_site_name(rng, org),
            external_id=f"demo-loc-{self.locations}",
            organization_external_id=org["external_id"] if org else None,
            accessibility=[code for code, chance in _ACCESSIBILITY if rng.random() < chance],
            hours=_hours(rng),
        )

    def _clinician(
        self, rng: random.Random, sites: list[LocationRecord], org: dict | None, home: Zip
    ) -> ClinicianRecord:
        npi = self.npis.npi(self.clinicians)
        self.clinicians += 1
        places = [rng.choice(sites)]
        for chance in (0.24, 0.06):  # ~1.3 locations per clinician, a few at three
            if rng.random() < chance:
                spare = [s for s in sites if s not in places]
                # No other site of their own practice: a private office in the same area.
                places.append(
                    rng.choice(spare)
                    if spare
                    else self._site(rng, self.table.near(rng, home), None)
                )
        states = [p.state for p in places]
        if rng.random() < TELEHEALTH_LICENSE_SHARE:
            states.append(rng.choice(sorted(STATE_POPULATION)))
        record = make_clinician(rng, npi, states, self.as_of)
        record.locations = [_link(rng, place, record, len(places)) for place in places]
        record.networks = _networks(rng, len(places), org)
        return record


def _size(rng: random.Random) -> int:
    """Solo 85% of the time; groups of 2-4, 5-10 or 11-30 otherwise (~55% of clinicians)."""
    draw = rng.random()
    if draw < 0.85:
        return 1
    if draw < 0.925:
        return rng.randrange(2, 5)
    if draw < 0.9775:
        return rng.randrange(5, 11)
    return rng.randrange(11, 31)


def _site_name(rng: random.Random, org: dict | None) -> str | None:
    """The practice's name; a solo office has a name some of the time."""
    if org:
        return org["name"]
    return f"{rng.choice(_NATURE)} Counseling" if rng.random() < 0.4 else None


def _organization(rng: random.Random, index: int, home: Zip) -> dict:
    draw, kind = rng.random(), "group_practice"
    for name, share in _ORG_KINDS:
        if draw < share:
            kind = name
            break
        draw -= share
    place = home.city.title() if rng.random() < 0.5 else rng.choice(_NATURE)
    return {
        "external_id": f"demo-org-{index}",
        "name": rng.choice(_ORG_NAMES[kind]).format(place),
        "kind": kind,
        "phone": fictional_phone(rng, home),
        "source": "demo",
    }


def _hours(rng: random.Random) -> list[dict]:
    """Weekdays; evenings at ~30% of sites, Saturday mornings at ~15%."""
    opens = rng.choice(("08:00", "08:30", "09:00"))
    if rng.random() < 0.3:
        slots = [
            {"days": ["mon", "tue", "wed", "thu"], "opens": opens, "closes": "20:00"},
            {"days": ["fri"], "opens": opens, "closes": "17:00"},
        ]
    else:
        slots = [{"days": ["mon", "tue", "wed", "thu", "fri"], "opens": opens, "closes": "17:00"}]
    if rng.random() < 0.15:
        slots.append({"days": ["sat"], "opens": "09:00", "closes": "13:00"})
    return slots


def _link(
    rng: random.Random, place: LocationRecord, record: ClinicianRecord, count: int
) -> LocationRecord:
    """The clinician's own copy of a site: one of several may be closed to new patients."""
    closed = record.accepting_new_patients and count > 1 and rng.random() < 0.1
    return replace(place, accepting_new_patients=False if closed else None)


def _networks(rng: random.Random, places: int, org: dict | None) -> list[tuple[str, int | None]]:
    """1-4 plans; community mental health centers take Medicaid far more often."""
    chosen = []
    for plan in DEMO_PLANS:
        chance = plan.chance
        if org and org["kind"] == "cmhc" and plan.plan_type == "Medicaid":
            chance = 0.85
        if rng.random() < chance:
            chosen.append(plan)
    chosen = chosen or [DEMO_PLANS[0]]
    if len(chosen) > 4:
        chosen = rng.sample(chosen, 4)
    networks = []
    for plan in chosen:
        target = plan.network_id or plan.id
        if places > 1 and rng.random() < 0.2:  # in this plan at one location only
            networks.append((target, rng.randrange(places)))
        else:
            networks.append((target, None))
    return networks
