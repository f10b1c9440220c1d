"""A clinician's corrections to their own listing, parsed once: vocabulary codes only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

from directory.geography import zip5
from directory.us_states import is_us_state
from directory.vocabulary import (
    COMPETENCY_PROVENANCES,
    LANGUAGE_PROFICIENCIES,
    languages,
    unknown_codes,
)

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_LANGUAGES = 12
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _known(name: str):
    """A validator refusing codes vocabulary `name` does not define, naming them."""

    def check(codes: list[str]) -> None:
        unknown = unknown_codes(name, codes)
        if unknown:
            raise ValidationError(f"not in the {name} list: {', '.join(unknown)}")

    return check


def _codes(name: str) -> fields.List:
    return fields.List(fields.String(), load_default=list, validate=_known(name))


@dataclass(frozen=True)
class PracticeEdit:
    """How the clinician works: approaches, and competencies with how each is known."""

    approaches: tuple[str, ...]
    competencies: dict[str, str]  # code -> self_reported | trained | lived_experience


class PracticeSchema(Schema):
    """Approach codes, and `competency.<code>` = how known (blank: not listed)."""

    class Meta:
        unknown = EXCLUDE

    approaches = _codes("approaches")
    competencies = fields.Dict(
        keys=fields.String(),
        values=fields.String(validate=validate.OneOf(COMPETENCY_PROVENANCES)),
        load_default=dict,
    )

    @validates_schema
    def _competency_codes(self, data: dict, **_) -> None:
        unknown = unknown_codes("competencies", sorted(data.get("competencies", {})))
        if unknown:
            raise ValidationError(
                f"not in the competencies list: {', '.join(unknown)}", "competencies"
            )

    @post_load
    def _build(self, data: dict, **_) -> PracticeEdit:
        return PracticeEdit(tuple(sorted(set(data["approaches"]))), dict(data["competencies"]))


class LanguageRowSchema(Schema):
    """One language and how well the clinician speaks it (blank: not said)."""

    code = fields.String(required=True, validate=validate.OneOf(tuple(languages())))
    proficiency = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(LANGUAGE_PROFICIENCIES)
    )


class LanguagesSchema(Schema):
    """The clinician's languages, at most one row each."""

    class Meta:
        unknown = EXCLUDE

    languages = fields.List(
        fields.Nested(LanguageRowSchema),
        load_default=list,
        validate=validate.Length(max=MAX_LANGUAGES),
    )

    @validates_schema
    def _once_each(self, data: dict, **_) -> None:
        codes = [row["code"] for row in data.get("languages", [])]
        if len(codes) != len(set(codes)):
            raise ValidationError("a language is listed twice", "languages")

    @post_load
    def _build(self, data: dict, **_) -> dict[str, str | None]:
        return {row["code"]: row["proficiency"] for row in data["languages"]}


@dataclass(frozen=True)
class PlaceEdit:
    """One place the clinician sees patients: address, phone, access, weekly hours."""

    line1: str
    line2: str | None
    city: str
    state: str
    postal_code: str
    phone: str | None
    accessibility: tuple[str, ...]
    hours: tuple[dict, ...]  # [{"days": [...], "opens": "09:00", "closes": "17:00"}]


def _state(code: str) -> None:
    if not is_us_state(code):
        raise ValidationError("a US state, DC or territory code")


def _zip(code: str) -> None:
    if zip5(code) != code:
        raise ValidationError("a 5-digit ZIP code")


def _text(most: int, required: bool = True) -> fields.String:
    if required:
        return fields.String(required=True, validate=validate.Length(min=1, max=most))
    return fields.String(load_default=None, allow_none=True, validate=validate.Length(max=most))


def _phone_digits(text: str) -> str:
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01":
        raise ValidationError("a 10-digit US phone number")
    return digits


class DayHoursSchema(Schema):
    """One weekday's opening and closing time (both blank: closed)."""

    opens = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(_TIME))
    closes = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(_TIME))

    @validates_schema
    def _both(self, data: dict, **_) -> None:
        opens, closes = data.get("opens"), data.get("closes")
        if (opens is None) != (closes is None):
            raise ValidationError("give both times, or neither for closed", "closes")
        if opens is not None and opens >= closes:
            raise ValidationError("closing comes after opening", "closes")


class PlaceSchema(Schema):
    """A place as the clinician types it; blank optional fields are None."""

    class Meta:
        unknown = EXCLUDE

    line1 = _text(200)
    line2 = _text(200, required=False)
    city = _text(100)
    state = fields.String(required=True, validate=_state)
    postal_code = fields.String(required=True, validate=_zip)
    phone = fields.String(load_default=None, allow_none=True, validate=_phone_digits)
    accessibility = _codes("accessibility")
    hours = fields.Dict(
        keys=fields.String(validate=validate.OneOf(DAYS)),
        values=fields.Nested(DayHoursSchema),
        load_default=dict,
    )

    @pre_load
    def _trim(self, data: dict, **_) -> dict:
        clean = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in data.items()}
        if clean.get("state"):
            clean["state"] = clean["state"].upper()
        return {k: v for k, v in clean.items() if v is not None}

    @post_load
    def _build(self, data: dict, **_) -> PlaceEdit:
        return PlaceEdit(
            line1=data["line1"],
            line2=data.get("line2"),
            city=data["city"],
            state=data["state"],
            postal_code=data["postal_code"],
            phone=_phone_digits(data["phone"]) if data.get("phone") else None,
            accessibility=tuple(sorted(set(data["accessibility"]))),
            hours=weekly_rows(data["hours"]),
        )


def weekly_rows(days: dict[str, dict]) -> tuple[dict, ...]:
    """Days with the same times grouped into one row, in week order (Location.hours shape)."""
    rows: dict[tuple[str, str], list[str]] = {}
    for day in DAYS:
        times = days.get(day) or {}
        if times.get("opens"):
            rows.setdefault((times["opens"], times["closes"]), []).append(day)
    return tuple({"days": d, "opens": o, "closes": c} for (o, c), d in rows.items())
