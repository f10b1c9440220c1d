"""Reading FHIR R4 data types: extensions, codings, telecoms, dates; and a resource's faults."""

from datetime import UTC, date, datetime

NUCC_SYSTEMS = frozenset(
    {"http://nucc.org/provider-taxonomy", "https://nucc.org/provider-taxonomy"}
)
NPI_SYSTEMS = frozenset({"http://hl7.org/fhir/sid/us-npi", "urn:oid:2.16.840.1.113883.4.6"})
BCP47_SYSTEMS = frozenset({"urn:ietf:bcp:47", "http://tools.ietf.org/html/bcp47"})
DEGREE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0360"


class ResourceFault(Exception):
    """A resource cannot be loaded: the FHIR path at fault, why, and the offending value."""

    def __init__(self, field: str, reason: str, value: str = ""):
        super().__init__(reason)
        self.field = field
        self.reason = reason
        self.value = value


def extension_name(url: str | None) -> str:
    """'.../StructureDefinition/network-reference' -> 'network-reference' (NDH 'base-ext-' too)."""
    name = (url or "").rstrip("/").rsplit("/", 1)[-1]
    return name.removeprefix("base-ext-")


def extensions(element: dict | None, name: str) -> list[dict]:
    """The extensions of `element` named `name` (by the last segment of their URL)."""
    found = (element or {}).get("extension") or []
    return [e for e in found if isinstance(e, dict) and extension_name(e.get("url")) == name]


def extension(element: dict | None, name: str) -> dict | None:
    """The first extension named `name`, or None."""
    found = extensions(element, name)
    return found[0] if found else None


def _system_matches(system: str | None, wanted: str | frozenset[str] | None) -> bool:
    """Exact system, one of a set, or a Plan-Net/NDH code system named by its last segment."""
    if wanted is None:
        return True
    if isinstance(wanted, frozenset):
        return system in wanted
    return system == wanted or (system or "").endswith("/" + wanted)


def codes(concept: dict | None, system: str | frozenset[str] | None = None) -> list[str]:
    """The codes of a CodeableConcept from `system` (None: any system)."""
    out = []
    for coding in (concept or {}).get("coding") or []:
        if (
            isinstance(coding, dict)
            and coding.get("code")
            and _system_matches(coding.get("system"), system)
        ):
            out.append(str(coding["code"]).strip())
    return out


def all_codes(concepts: list | None, system: str | frozenset[str] | None = None) -> list[str]:
    """The codes of a list of CodeableConcepts, in order, without repeats."""
    out: list[str] = []
    for concept in concepts or []:
        out.extend(c for c in codes(concept, system) if c not in out)
    return out


def first_code(concept: dict | None, system: str | frozenset[str] | None = None) -> str | None:
    """The first code from `system`, or None."""
    found = codes(concept, system)
    return found[0] if found else None


def extension_codes(element: dict | None, name: str, system: str | None = None) -> list[str]:
    """The valueCodeableConcept codes of every extension named `name`."""
    out: list[str] = []
    for ext in extensions(element, name):
        out.extend(c for c in codes(ext.get("valueCodeableConcept"), system) if c not in out)
    return out


def telecom(resource: dict, system: str) -> str | None:
    """The best-ranked telecom value of `system` ('phone', 'url', ...)."""
    points = [
        t
        for t in resource.get("telecom") or []
        if isinstance(t, dict) and t.get("system") == system
    ]
    points = [t for t in points if t.get("value")]
    if not points:
        return None
    best = min(points, key=lambda t: t.get("rank") if isinstance(t.get("rank"), int) else 1 << 30)
    return str(best["value"]).strip()


def identifier(resource: dict, systems: frozenset[str]) -> str | None:
    """The first identifier value from one of `systems`."""
    for ident in resource.get("identifier") or []:
        if isinstance(ident, dict) and ident.get("system") in systems and ident.get("value"):
            return str(ident["value"]).strip()
    return None


def last_updated(resource: dict) -> datetime | None:
    """meta.lastUpdated as an aware datetime, or None when absent or unreadable."""
    text = (resource.get("meta") or {}).get("lastUpdated")
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00")) if text else None
    except ValueError:
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def fhir_date(text: str | None) -> date | None:
    """A FHIR date or dateTime as a date; partial dates ('2025', '2025-06') are dropped."""
    if not text or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def bounded(value: str | None, limit: int, field: str) -> str | None:
    """`value` stripped, refused when longer than its column allows."""
    if value is None:
        return None
    value = str(value).strip()
    if len(value) > limit:
        raise ResourceFault(field, f"longer than {limit} characters", value)
    return value or None
