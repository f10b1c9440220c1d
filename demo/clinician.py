"""One synthetic clinician: identity, credentials, clinical focus, availability, verification."""

import math
import random
from bisect import bisect
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from itertools import accumulate

from demo.cost import demo_cost
from demo.names import FEMALE, HERITAGE, HERITAGE_ALIASES, MALE, NEUTRAL, SURNAMES
from demo.population import (
    COMPETENCY_CHANCES,
    FOCUS,
    GENDER_MIX,
    LANGUAGE_SHARES,
    OTHER_PROFICIENCIES,
    PRESCRIBERS,
    PRONOUNS,
    PROVENANCE_MIX,
    TAXONOMY_MIX,
    credentials_for,
)
from directory.taxonomy import matches_prefix
from directory.vocabulary import vocabulary
from ingest.records import ClinicianRecord

SOURCE = "demo"
STALE_SHARE = 0.15
# Fresh listings stay two days inside the 90-day window, stale ones two days past it, so the
# share holds on any hour of the day the directory is generated and read.
FRESH_DAYS = (0, 87)
STALE_DAYS = (92, 400)
# A native speaker of these lists the matching competency, from lived experience.
HERITAGE_COMPETENCIES = {
    "es": ("latino_hispanic",),
    "pt": ("immigrant_refugee",),
    "ht": ("black_african_american", "immigrant_refugee"),
    "ar": ("immigrant_refugee",),
    "fa": ("immigrant_refugee",),
    "so": ("immigrant_refugee", "black_african_american"),
    "am": ("immigrant_refugee", "black_african_american"),
    **{code: ("asian_american",) for code in ("zh", "vi", "ko", "tl", "hi", "ja", "gu", "ur")},
    **{code: ("asian_american",) for code in ("bn", "te", "km")},
}


class Weighted:
    """Draws items by weight with one bisect."""

    def __init__(self, pairs):
        pairs = list(pairs)
        self.items = [item for item, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random):
        """One item, by weight."""
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


@cache
def _tables() -> dict[str, Weighted]:
    return {
        "taxonomy": Weighted(((code, family), share) for code, share, family in TAXONOMY_MIX),
        "gender": Weighted(GENDER_MIX),
        "proficiency": Weighted(OTHER_PROFICIENCIES),
        "provenance": Weighted(PROVENANCE_MIX),
    }


@cache
def concern_candidates(code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Concerns the vocabulary ties to this exact code, and those tied by 4-character prefix."""
    exact, broad = [], []
    for term in vocabulary("concerns").values():
        codes = term.extra.get("taxonomies", [])
        if code in codes:
            exact.append(term.code)
        elif matches_prefix(code, codes):
            broad.append(term.code)
    if len(exact) + len(broad) < 3:  # a narrow specialty still sees the common concerns
        broad += [c for c in ("depression", "anxiety", "stress") if c not in exact]
    return tuple(exact), tuple(broad)


def make_clinician(rng: random.Random, npi: str, states: list[str], as_of: date) -> ClinicianRecord:
    """A clinician licensed in `states` (the first is where they practise), drawn from `rng`."""
    tables = _tables()
    code, family = tables["taxonomy"].pick(rng)
    gender = tables["gender"].pick(rng)
    languages, native = _languages(rng)
    first, last = _name(rng, gender, native)
    credentials, license_type = credentials_for(family, states[0], rng.random())
    treated, not_treated = _concerns(rng, code)
    record = ClinicianRecord(
        npi=npi,
        last_name=last,
        source=SOURCE,
        first_name=first,
        middle_name=chr(65 + rng.randrange(26)) if rng.random() < 0.25 else None,
        gender=gender,
        pronouns=PRONOUNS[gender] if rng.random() < 0.7 else None,
        credentials=credentials,
        taxonomies=_taxonomies(rng, code, family),
        licenses=_licenses(rng, states, license_type, as_of),
        languages=languages,
        competencies=_competencies(rng, native),
        conditions_treated=treated,
        conditions_not_treated=not_treated,
        approaches=_approaches(rng, family),
        age_groups=_age_groups(rng, family),
        modalities=_modalities(rng),
        verified_at=_verified_at(rng, as_of),
    )
    _availability(rng, record, family in PRESCRIBERS, as_of)
    record.cost = demo_cost(npi, family in PRESCRIBERS)
    return record


def _languages(rng: random.Random) -> tuple[list[tuple[str, str | None]], str | None]:
    """English for everyone, other languages at census shares; returns the native one too."""
    others = []
    for code, share in LANGUAGE_SHARES:
        if rng.random() < share:
            others.append((code, _tables()["proficiency"].pick(rng)))
    native = next((code for code, level in others if level == "native"), None)
    english = "full_professional" if native and rng.random() < 0.6 else "native"
    return sorted([("en", english), *others]), native


def _name(rng: random.Random, gender: str, native: str | None) -> tuple[str, str]:
    pool = HERITAGE.get(HERITAGE_ALIASES.get(native or "", native or ""))
    if pool and rng.random() < 0.8:
        female, male, surnames = pool
    else:
        female, male, surnames = FEMALE, MALE, SURNAMES
    if gender == "nonbinary":
        firsts = NEUTRAL if rng.random() < 0.6 else rng.choice((female, male))
    else:
        firsts = female if gender == "female" else male
    return rng.choice(firsts), rng.choice(surnames)


def _taxonomies(rng: random.Random, code: str, family: str) -> list[tuple[str, bool]]:
    """The primary code, and now and then a second one that often goes with it."""
    second = {"counseling": "101YA0400X", "social_work": "101YM0800X", "psychiatry": "2084P0802X"}
    extra = second.get(family)
    if extra and extra != code and rng.random() < 0.1:
        return [(code, True), (extra, False)]
    return [(code, True)]


def _licenses(rng: random.Random, states: list[str], kind: str, as_of: date) -> list[tuple]:
    """A license in each state the clinician practises in (or offers telehealth to)."""
    licenses = []
    for state in dict.fromkeys(states):
        # About 2% have let the license lapse: a directory must not list them as current.
        days = -rng.randrange(1, 200) if rng.random() < 0.02 else rng.randrange(30, 1100)
        number = f"{kind}-{rng.randrange(10000, 999999)}"
        licenses.append((state, kind, number, as_of + timedelta(days=days)))
    return licenses


def _concerns(rng: random.Random, code: str) -> tuple[list[str], list[str]]:
    """Mostly what the specialty is for, depression and anxiety often, a few more."""
    exact, broad = concern_candidates(code)
    chance = min(0.8, 4 / len(exact)) if exact else 0.0
    treated = [c for c in exact if rng.random() < chance]
    treated += [c for c in ("depression", "anxiety") if c in broad and rng.random() < 0.85]
    rest = [c for c in broad if c not in treated]
    treated += rng.sample(rest, k=min(len(rest), rng.randrange(0 if treated else 1, 4)))
    known = set(exact) | set(broad)
    outside = [c for c in vocabulary("concerns") if c not in known]
    refused = rng.sample(outside, k=rng.randrange(0, 4)) if rng.random() < 0.5 else []
    order = list(vocabulary("concerns"))
    return sorted(treated, key=order.index), sorted(refused, key=order.index)


def _approaches(rng: random.Random, family: str) -> list[str]:
    choices = FOCUS[family].approaches
    return sorted(rng.sample(choices, k=min(len(choices), rng.randrange(1, 5))))


def _age_groups(rng: random.Random, family: str) -> list[str]:
    chosen = [code for code, chance in FOCUS[family].age_groups if rng.random() < chance]
    order = list(vocabulary("age_groups"))
    return sorted(chosen or [FOCUS[family].age_groups[0][0]], key=order.index)


def _modalities(rng: random.Random) -> list[str]:
    """In person for most; video for about 60%; phone for about a quarter."""
    chosen = [
        code
        for code, chance in (("in_person", 0.9), ("video", 0.6), ("phone", 0.25))
        if rng.random() < chance
    ]
    return chosen or ["video"]


def _competencies(rng: random.Random, native: str | None) -> list[tuple[str, str]]:
    found = {code: "lived_experience" for code in HERITAGE_COMPETENCIES.get(native or "", ())}
    for code, chance in COMPETENCY_CHANCES:
        if code not in found and rng.random() < chance:
            found[code] = _tables()["provenance"].pick(rng)
    return sorted(found.items())


def _availability(rng: random.Random, record: ClinicianRecord, prescriber: bool, as_of: date):
    """About 25% not taking new patients; the rest wait ~10 days (prescribers ~4 weeks)."""
    if rng.random() < 0.25:
        record.accepting_new_patients = False
        record.referral_capacity = 0
        return
    median = 28 if prescriber else 10
    wait = min(120, round(rng.lognormvariate(math.log(median), 0.6)))
    record.accepting_new_patients = True
    record.wait_days = wait
    record.next_available_on = as_of + timedelta(days=wait)
    record.referral_capacity = rng.randrange(2, 11) if prescriber else rng.randrange(1, 7)


def _verified_at(rng: random.Random, as_of: date) -> datetime:
    """Within the 90-day window for ~85%, older for ~15%."""
    low, high = STALE_DAYS if rng.random() < STALE_SHARE else FRESH_DAYS
    midnight = datetime.combine(as_of, time(), tzinfo=UTC)
    return midnight - timedelta(days=rng.randint(low, high), seconds=rng.randrange(1, 86400))
