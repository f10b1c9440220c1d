"""Instrument definitions read from screening/instruments/*.json: items, answers, rules."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"
LOINC = "http://loinc.org"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"


class DefinitionError(ValueError):
    """An instrument file that does not describe a usable instrument."""


@dataclass(frozen=True)
class Option:
    """One answer: the integer callers send, its LOINC answer code (when known) and text."""

    value: int
    code: str | None
    display: str
    translations: tuple[tuple[str, str], ...] = ()  # (language, display) from the definition

    def display_in(self, language: str) -> str:
        """The answer's words in `language` when the definition has them, else English."""
        return dict(self.translations).get(language, self.display)


@dataclass(frozen=True)
class Item:
    """One question, in the order callers send answers."""

    link_id: str
    loinc: str | None
    text: str
    options: tuple[Option, ...]
    translations: tuple[tuple[str, str], ...] = ()  # (language, text) from the definition

    def text_in(self, language: str) -> str:
        """The question in `language` when the definition has it, else English."""
        return dict(self.translations).get(language, self.text)

    def option(self, value: int) -> Option | None:
        """The answer with this value, or None."""
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Band:
    """A published severity band: scores low..high (inclusive) are called `name`."""

    low: int
    high: int
    name: str


@dataclass(frozen=True)
class Instrument:
    """One screening instrument: its questionnaire and how its answers are scored."""

    key: str
    title: str
    panel_loinc: str | None
    items: tuple[Item, ...]
    total_loinc: str | None
    total_display: str
    total_items: tuple[str, ...]  # linkIds whose answers add up to the score
    bands: tuple[Band, ...]
    positive: dict
    flags: tuple[dict, ...]
    needs: tuple[dict, ...]
    concern: str | None  # the matching concern a positive result suggests (pre-fills a referral)
    source: dict = field(repr=False)
    questionnaire: dict = field(repr=False)

    @property
    def url(self) -> str:
        """The questionnaire's canonical URL (what a QuestionnaireResponse points at)."""
        return self.questionnaire["url"]


def _translations(element: dict | None) -> tuple[tuple[str, str], ...]:
    """(language, words) pairs from a primitive's FHIR translation extensions."""
    found = []
    for extension in (element or {}).get("extension", ()):
        if extension["url"] == TRANSLATION:
            parts = {e["url"]: e for e in extension["extension"]}
            found.append((parts["lang"]["valueCode"], parts["content"]["valueString"]))
    return tuple(found)


def _option(raw: dict) -> Option:
    ordinal = next(e["valueDecimal"] for e in raw["extension"] if e["url"] == ORDINAL_VALUE)
    coding = raw.get("valueCoding")
    if coding is not None:
        words = _translations(coding.get("_display"))
        return Option(int(ordinal), coding["code"], coding["display"], words)
    return Option(int(ordinal), None, raw["valueString"], _translations(raw.get("_valueString")))


def _item(raw: dict) -> Item:
    loinc = next((c["code"] for c in raw.get("code", ()) if c["system"] == LOINC), None)
    options = tuple(_option(o) for o in raw["answerOption"])
    return Item(raw["linkId"], loinc, raw["text"], options, _translations(raw.get("_text")))


def _total_items(items: tuple[Item, ...], scoring: dict) -> tuple[str, ...]:
    named = scoring["total"].get("items")
    if named is not None:
        return tuple(named)
    count = scoring.get("scored_items", len(items))
    return tuple(item.link_id for item in items[:count])


def _check(instrument: Instrument) -> Instrument:
    """Refuse a definition whose rules name items it does not have, or bands with gaps."""
    link_ids = {item.link_id for item in instrument.items}
    named = set(instrument.total_items)
    for flag in instrument.flags:
        named |= set(flag.get("items", ()))
    for need in instrument.needs:
        named |= set(need.get("sum_of", ())) | set(need.get("items", {}))
    if named - link_ids:
        raise DefinitionError(f"{instrument.key}: unknown items {sorted(named - link_ids)}")
    for before, after in zip(instrument.bands, instrument.bands[1:], strict=False):
        if after.low != before.high + 1:
            raise DefinitionError(f"{instrument.key}: bands leave a gap after {before.high}")
    return instrument


def parse_definition(document: dict) -> Instrument:
    """An Instrument from one definition file's JSON."""
    questionnaire, scoring = document["questionnaire"], document["scoring"]
    choices = tuple(_item(i) for i in questionnaire["item"] if i["type"] == "choice")
    panel = next((c["code"] for c in questionnaire.get("code", ()) if c["system"] == LOINC), None)
    bands = tuple(Band(b["min"], b["max"], b["name"]) for b in scoring["bands"])
    return _check(
        Instrument(
            # FHIR ids allow no underscore: the API's key "ahc_hrsn" is Questionnaire "ahc-hrsn".
            key=questionnaire["id"].replace("-", "_"),
            title=questionnaire["title"],
            panel_loinc=panel,
            items=choices,
            total_loinc=scoring["total"]["loinc"],
            total_display=scoring["total"]["display"],
            total_items=_total_items(choices, scoring),
            bands=bands,
            positive=scoring["positive"],
            flags=tuple(scoring.get("flags", ())),
            needs=tuple(scoring.get("needs", ())),
            concern=scoring.get("concern"),
            source=document["source"],
            questionnaire=questionnaire,
        )
    )


@cache
def instruments(folder: Path = INSTRUMENTS_DIR) -> dict[str, Instrument]:
    """Every instrument in `folder` by key, in file-name order."""
    found = {}
    for path in sorted(folder.glob("*.json")):
        instrument = parse_definition(json.loads(path.read_text(encoding="utf-8")))
        if instrument.key != path.stem:
            raise DefinitionError(f"{path.name} defines {instrument.key!r}")
        found[instrument.key] = instrument
    return found
