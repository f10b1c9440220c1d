"""Finding resources inside a message Bundle by reference, and small readers of FHIR values."""

from __future__ import annotations

from dataclasses import dataclass


class BundleError(Exception):
    """A message that cannot be processed: the HTTP status, what is wrong and the element."""

    def __init__(self, status: int, message: str, expression: str):
        super().__init__(message)
        self.status = status
        self.message = message
        self.expression = expression


def first(values):
    """The first item of a FHIR list (or the value itself when it is not a list), or None."""
    if isinstance(values, list):
        return values[0] if values else None
    return values


def text_of(value) -> str:
    """Words for a CodeableConcept, a HumanName (or a list of either): text, else displays."""
    value = first(value)
    if not isinstance(value, dict):
        return ""
    if value.get("text"):
        return str(value["text"]).strip()
    if "family" in value or "given" in value:
        return " ".join([*(value.get("given") or ()), value.get("family") or ""]).strip()
    displays = [c.get("display") for c in value.get("coding") or () if c.get("display")]
    return "; ".join(displays)


# A message carries a document Bundle; anything nested deeper is not read.
MAX_DEPTH = 1


@dataclass(frozen=True)
class Entries:
    """The Bundle's resources, findable by fullUrl, by "Type/id" or by an absolute URL's tail."""

    resources: list[dict]
    by_url: dict[str, dict]

    @classmethod
    def of(cls, bundle: dict) -> Entries:
        """Index a validated Bundle's entries."""
        found = cls([], {})
        found._add(bundle, depth=0)
        return found

    def _add(self, bundle: dict, depth: int) -> None:
        """The entries, and those of a document Bundle carried inside (BSeR's supporting
        information travels so), once each."""
        for entry in bundle.get("entry") or ():
            resource = entry.get("resource")
            if not isinstance(resource, dict):
                continue
            key = f"{resource.get('resourceType')}/{resource.get('id')}"
            if resource.get("id") and key in self.by_url:
                continue  # the same resource repeated in the document
            self.resources.append(resource)
            if entry.get("fullUrl"):
                self.by_url.setdefault(entry["fullUrl"], resource)
            if resource.get("id"):
                self.by_url[key] = resource
            if resource.get("resourceType") == "Bundle" and depth < MAX_DEPTH:
                self._add(resource, depth + 1)

    def find(self, reference) -> dict | None:
        """The resource a Reference names inside the Bundle, or None."""
        target = (reference or {}).get("reference") if isinstance(reference, dict) else None
        if not target:
            return None
        if target in self.by_url:
            return self.by_url[target]
        # An absolute URL ("http://example.org/fhir/Patient/p1") names "Patient/p1" here.
        tail = "/".join(target.rstrip("/").split("/")[-2:])
        return self.by_url.get(tail)

    def resolve(self, reference, expression: str) -> dict:
        """The resource a Reference names, or a 422 naming the element it came from."""
        found = self.find(reference)
        if found is None:
            raise BundleError(422, "the reference does not name an entry of the Bundle", expression)
        return found

    def of_type(self, kind: str) -> list[dict]:
        """Every resource of one type, in Bundle order."""
        return [r for r in self.resources if r.get("resourceType") == kind]
