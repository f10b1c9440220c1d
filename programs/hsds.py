"""An HSDS 3.0 service object (as the JSON examples nest it) -> a ServiceRecord, or why not."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from programs.records import (
    LocationRecord,
    OrganizationRecord,
    ServiceRecord,
    SiteRecord,
    postal_code,
)
from programs.schedules import hours_of
from programs.vocabulary import taxonomy_need

SOURCE = "hsds"


class Refusal(ValueError):
    """The object cannot be a program: (field, reason)."""

    def __init__(self, field_name: str, reason: str):
        super().__init__(f"{field_name}: {reason}")
        self.field = field_name
        self.reason = reason


@dataclass
class Parsed:
    """A record and the taxonomy terms it named that no known vocabulary has."""

    record: ServiceRecord
    unknown_terms: list[dict] = field(default_factory=list)


def _text(item: dict, key: str) -> str | None:
    value = item.get(key)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip() or None
    return None


def _age(item: dict, key: str) -> int | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    try:
        age = int(str(value).strip())
    except ValueError:
        raise Refusal(key, f"not a whole number of years: {value!r}") from None
    if not 0 <= age <= 130:
        raise Refusal(key, f"out of range 0-130: {age}")
    return age


def _when(item: dict) -> datetime | None:
    for key in ("assured_date", "last_modified"):
        text = _text(item, key)
        if text:
            try:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                continue
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def _organization(item: dict, service_id: str, name: str) -> OrganizationRecord:
    org = item.get("organization") if isinstance(item.get("organization"), dict) else None
    if not org or not _text(org, "id"):
        # HSDS requires an organization; a file without one still lists the service.
        return OrganizationRecord(f"{SOURCE}:service-org:{service_id}", name)
    return OrganizationRecord(
        f"{SOURCE}:{_text(org, 'id')}",
        _text(org, "name") or name,
        _text(org, "description"),
        _text(org, "website"),
        _text(org, "email"),
    )


def location_record(location: dict) -> LocationRecord:
    """An HSDS location, its first physical address (else its first), placed."""
    addresses = [a for a in location.get("addresses") or [] if isinstance(a, dict)]
    physical = [a for a in addresses if a.get("address_type") in (None, "", "physical")]
    address = (physical or addresses or [{}])[0]
    record = LocationRecord(
        f"{SOURCE}:{_text(location, 'id')}",
        name=_text(location, "name"),
        line1=_text(address, "address_1"),
        line2=_text(address, "address_2"),
        city=_text(address, "city"),
        state=_text(address, "state_province"),
        postal_code=postal_code(_text(address, "postal_code")),
        lat=_number(location.get("latitude")),
        lon=_number(location.get("longitude")),
    )
    record.place()
    return record


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _sites(item: dict, service_schedules: list) -> list[SiteRecord]:
    sites = []
    for number, sal in enumerate(item.get("service_at_locations") or [], start=1):
        location = sal.get("location") if isinstance(sal, dict) else None
        if not isinstance(location, dict):
            continue
        sal_id = _text(sal, "id") or f"{_text(item, 'id')}:site-{number}"
        # A location without an id is still a place: it is named after its site.
        location = {**location, "id": _text(location, "id") or f"{sal_id}:location"}
        schedules = service_schedules + (sal.get("schedules") or [])
        schedules += location.get("schedules") or []
        sites.append(
            SiteRecord(f"{SOURCE}:{sal_id}", location_record(location), hours_of(schedules))
        )
    return sites


def _costs(record: ServiceRecord, item: dict) -> None:
    amounts = []
    for option in item.get("cost_options") or []:
        amount = _number(option.get("amount")) if isinstance(option, dict) else None
        if amount is not None:
            amounts.append(amount)
            record.currency = (_text(option, "currency") or "")[:3].upper() or None
    if amounts:
        record.fee_min, record.fee_max = min(amounts), max(amounts)
    text = " ".join(filter(None, (_text(item, "fees_description"), _text(item, "fees")))).lower()
    payments = set()
    if (amounts and max(amounts) == 0) or "free of charge" in text or "no cost" in text:
        payments.add("free")
    if "sliding" in text:
        payments.add("sliding_scale")
    record.payments = sorted(payments)
    record.fees_description = _text(item, "fees_description")


def _terms(record: ServiceRecord, item: dict) -> list[dict]:
    unknown, needs = [], set()
    for attribute in item.get("attributes") or []:
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if not isinstance(term, dict):
            continue
        said = {"taxonomy": _text(term, "taxonomy"), "code": _text(term, "code"),
                "name": _text(term, "name")}  # fmt: skip
        record.taxonomy_terms.append(said)
        known, need = taxonomy_need(said["taxonomy"], said["code"])
        if not known:
            unknown.append(said)
        elif need:
            needs.add(need)
    record.needs = sorted(needs)
    return unknown


def _languages(item: dict) -> list[str]:
    codes = {(_text(lang, "code") or "").lower() for lang in item.get("languages") or []}
    return sorted(code for code in codes if len(code) == 2 and code.isalpha())


def parse_service(item: dict) -> Parsed:
    """The record an HSDS 3.0 service object describes; Refusal when it has no id or name."""
    service_id, name = _text(item, "id"), _text(item, "name")
    if not service_id:
        raise Refusal("id", "a service needs an id")
    if not name:
        raise Refusal("name", "a service needs a name")
    phones = [p for p in item.get("phones") or [] if isinstance(p, dict)]
    record = ServiceRecord(
        f"{SOURCE}:{service_id}",
        name,
        _organization(item, service_id, name),
        SOURCE,
        sites=_sites(item, list(item.get("schedules") or [])),
        description=_text(item, "description"),
        status=_text(item, "status") or "active",
        url=_text(item, "url"),
        email=_text(item, "email"),
        phone=_text(phones[0], "number").strip('"')
        if phones and _text(phones[0], "number")
        else None,
        minimum_age=_age(item, "minimum_age"),
        maximum_age=_age(item, "maximum_age"),
        eligibility=_text(item, "eligibility_description"),
        languages=_languages(item),
        verified_at=_when(item),
    )
    _costs(record, item)
    return Parsed(record, _terms(record, item))
