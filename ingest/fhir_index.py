"""The first pass: every resource indexed by type and id, and references resolved against it.

Resources from NDJSON lines are not kept: the index holds where each line starts and reads it
again when the second pass asks (a payer's bulk export does not fit in memory as parsed JSON).
Bundle and one-resource JSON files are kept parsed, as they are read whole anyway.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.fhir_elements import ResourceFault
from ingest.fhir_files import NdjsonLines, SourceEntry

PLAN_NET_TYPES = (
    "Organization",
    "InsurancePlan",
    "Location",
    "Practitioner",
    "PractitionerRole",
    "HealthcareService",
    "OrganizationAffiliation",
    "Endpoint",
)


@dataclass(eq=False, slots=True)
class Indexed:
    """A resource with where it came from; `rejected` once the second pass refused it."""

    type: str
    id: str
    file: str
    line: int
    kept: dict | None  # the parsed resource, or None to read it again from `at`
    at: tuple[Path, int] | None = None
    lines: NdjsonLines | None = None
    rejected: bool = False

    @property
    def resource(self) -> dict:
        """The resource as the first pass read it."""
        if self.kept is not None:
            return self.kept
        return self.lines.resource(self.at, self.type, self.id)

    @property
    def key(self) -> str:
        """'Practitioner/Counselor'."""
        return f"{self.type}/{self.id}"

    @property
    def place(self) -> str:
        """'Practitioner-Counselor.json line 1' for messages."""
        return f"{self.file} line {self.line}"


def reference_key(reference: str) -> tuple[str, str] | None:
    """('Organization', 'Acme') from a relative or absolute reference; None when unreadable."""
    text = reference.strip()
    if not text or text.startswith("#"):
        return None
    parts = [p for p in text.split("?")[0].split("/") if p]
    if len(parts) >= 4 and parts[-2] == "_history":
        parts = parts[:-2]
    if len(parts) < 2 or not parts[-2][:1].isupper():
        return None
    return parts[-2], parts[-1]


class ResourceIndex:
    """All accepted resources by (type, id), in input order within each type."""

    def __init__(self):
        self._by_key: dict[tuple[str, str], Indexed] = {}
        self._by_type: dict[str, list[Indexed]] = {t: [] for t in PLAN_NET_TYPES}
        self.lines = NdjsonLines()

    def close(self) -> None:
        """Close the input files the index reads resources from."""
        self.lines.close()

    def add(self, entry: SourceEntry) -> Indexed:
        """Index one read resource; raises ResourceFault for an unusable one."""
        if entry.problem is not None:
            self._refused(entry)
            raise ResourceFault(*entry.problem)
        resource = entry.resource or {}
        kind = resource.get("resourceType")
        if kind not in self._by_type:
            raise ResourceFault(
                "resourceType", f"unknown resourceType {kind!r} for Plan-Net", str(kind or "")
            )
        rid = resource.get("id")
        if not isinstance(rid, str) or not rid.strip():
            raise ResourceFault(f"{kind}.id", f"{kind} has no id")
        if entry.at is None:
            found = Indexed(kind, rid.strip(), entry.file, entry.line, resource)
        else:  # an NDJSON line: read again when asked, not kept
            found = Indexed(kind, rid.strip(), entry.file, entry.line, None, entry.at, self.lines)
        first = self._by_key.get((kind, found.id))
        if first is not None:
            raise ResourceFault(
                f"{kind}.id", f"duplicate {found.key}: first given in {first.place}", found.id
            )
        self._by_key[(kind, found.id)] = found
        self._by_type[kind].append(found)
        return found

    def _refused(self, entry: SourceEntry) -> None:
        """Remember a resource refused on reading, so references to it resolve to a reject."""
        if entry.refused_key is None or entry.refused_key[0] not in self._by_type:
            return
        kind, rid = entry.refused_key
        if rid and (kind, rid) not in self._by_key:  # not listed by type: never mapped
            refused = Indexed(kind, rid, entry.file, entry.line, None, rejected=True)
            self._by_key[(kind, rid)] = refused

    def of_type(self, kind: str) -> Iterator[Indexed]:
        """The resources of one type, in input order."""
        return iter(self._by_type[kind])

    def count(self, kind: str) -> int:
        """How many resources of `kind` were indexed."""
        return len(self._by_type[kind])

    def get(self, kind: str, rid: str) -> Indexed | None:
        """The resource `kind/rid`, or None."""
        return self._by_key.get((kind, rid))

    def resolve(self, element: dict | None, field: str, *kinds: str) -> Indexed | None:
        """The target of a Reference element; None without one, a fault when it names nothing."""
        if not isinstance(element, dict) or not element.get("reference"):
            return None
        text = str(element["reference"])
        key = reference_key(text)
        if key is None:
            raise ResourceFault(field, f"unresolvable reference {text!r}", text)
        if kinds and key[0] not in kinds:
            wanted = " or ".join(kinds)
            raise ResourceFault(field, f"reference {text} is not to a {wanted}", text)
        found = self._by_key.get(key)
        if found is None:
            raise ResourceFault(field, f"unresolvable reference {text}: not in the input", text)
        if found.kept is None and found.at is None:
            return None  # refused on reading (its reject row explains): the reference is dropped
        return found

    def resolve_all(self, elements: list | None, field: str, *kinds: str) -> list[Indexed]:
        """The targets of a list of Reference elements, without repeats."""
        out: list[Indexed] = []
        for element in elements or []:
            found = self.resolve(element, field, *kinds)
            if found is not None and all(f is not found for f in out):
                out.append(found)
        return out
