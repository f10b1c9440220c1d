"""Search parameters of the referral resources (Task, ServiceRequest) and their parsing."""

from __future__ import annotations

from fhir_api.ids import parse_row_id
from fhir_api.params import Param, Search, SearchError, reference_id, token
from fhir_api.times import DateRange
from referrals.fhir import SERVICE_REQUEST_STATUS, TASK_STATUS
from referrals.use_cases import ReferralQuery

BASE_SP = "http://hl7.org/fhir/SearchParameter/"
# Each type's FHIR status codes, and the referral statuses that show as each.
STATUS_CODES = {"Task": TASK_STATUS, "ServiceRequest": SERVICE_REQUEST_STATUS}


LAST_UPDATED = Param(
    "_lastUpdated",
    "date",
    "When the referral last changed (ge, gt, le, lt, eq, sa, eb): poll for feedback with it.",
    BASE_SP + "Resource-lastUpdated",
)


def _params(kind: str) -> dict[str, Param]:
    params = (
        Param(
            "status",
            "token",
            f"The {kind}.status (for referrals to programs, the lifecycle's code).",
            f"{BASE_SP}{kind}-status",
        ),
        Param(
            "patient",
            "reference",
            "Patient/<id>: the patient's episode of care at the referring practice.",
            f"{BASE_SP}clinical-patient" if kind == "ServiceRequest" else f"{BASE_SP}Task-patient",
        ),
        Param(
            "requester",
            "reference",
            "Organization/<id>: the referring organization (its /fhir Organization id).",
            f"{BASE_SP}{kind}-requester",
        ),
    )
    return {p.name: p for p in (*params, LAST_UPDATED)}


PARAMS = {kind: _params(kind) for kind in STATUS_CODES}


def _one(search: Search, name: str) -> list[str] | None:
    groups = search.all(name)
    if len(groups) > 1:
        raise SearchError(f"give {name} once (commas for several values)", name)
    return groups[0] if groups else None


def _statuses(kind: str, values: list[str]) -> tuple[str, ...]:
    table = STATUS_CODES[kind]
    wanted = {token(v)[1] for v in values}
    known = set(table.values())
    if wanted - known:
        raise SearchError(f"status must be one of {', '.join(sorted(known))}", "status")
    # A status no referral shows as matches nothing: an impossible status, not "any".
    return tuple(code for code, shown in table.items() if shown in wanted) or ("-",)


def _episode(values: list[str]) -> int:
    if len(values) != 1:
        raise SearchError("give one patient", "patient")
    found = reference_id(values[0], "Patient")
    if not found.isdigit() or not 0 < int(found) < 2**31:
        raise SearchError("patient is Patient/<number>", "patient")
    return int(found)


def _requester(values: list[str]) -> tuple[int | None, str | None]:
    if len(values) != 1:
        raise SearchError("give one requester", "requester")
    found = reference_id(values[0], "Organization")
    row_id, external_id = parse_row_id("org", found)
    if row_id is not None and not 0 < row_id < 2**31:
        raise SearchError("requester is Organization/<id>", "requester")
    return row_id, external_id


def _bounds(wanted: DateRange) -> tuple:
    """[from, before) of one _lastUpdated comparison (None: open on that side)."""
    start, end = wanted.start, wanted.end
    return {
        "eq": (start, end),
        "gt": (end, None),
        "sa": (end, None),
        "ge": (start, None),
        "lt": (None, start),
        "eb": (None, start),
        "le": (None, end),
    }[wanted.prefix]


def referral_query(kind: str, search: Search) -> ReferralQuery:
    """The use case's query for a Task or ServiceRequest search."""
    statuses, patient, requester = (_one(search, n) for n in ("status", "patient", "requester"))
    return ReferralQuery(
        statuses=_statuses(kind, statuses) if statuses else (),
        episode_id=_episode(patient) if patient else None,
        requester=_requester(requester) if requester else None,
        updated=tuple(_bounds(d) for d in search.dates("_lastUpdated")),
        count=search.count,
        offset=search.offset,
    )
