"""What the clinician's details page shows: the choices, the stored values, whose word each is."""

from __future__ import annotations

from flask import render_template
from werkzeug.datastructures import MultiDict

from directory.facts import clinician as subject
from directory.facts import current
from directory.models import Clinician
from directory.models.verification import utcnow
from directory.us_states import US_STATES
from directory.vocabulary import languages, vocabulary
from pages.languages import language_name
from pages.listing_words import DAY_WORDS, PROFICIENCY_WORDS
from pages.provenance import provenance_sentence
from pages.vocabulary_text import term_text

SPARE_LANGUAGE_ROWS = 2
PRACTICE_KINDS = ("approaches", "competencies")
LANGUAGE_KINDS = ("languages", "language_proficiency")
PLACE_KINDS = ("location", "phone")


def choices(name: str) -> list[tuple[str, str]]:
    """(code, words) of vocabulary `name`, in the reader's language and file order."""
    return [(code, term_text(term)) for code, term in vocabulary(name).items()]


def language_choices() -> list[tuple[str, str]]:
    """(code, name) of every ISO 639-1 language, by name in the reader's language."""
    named = [(code, language_name(code, capitalize=True)) for code in languages()]
    return sorted(named, key=lambda pair: pair[1].casefold())


def _sources(clinician: Clinician) -> dict:
    """Provenance sentences by section: practice, languages, places, and per place id."""
    now = utcnow()
    found: dict = {"practice": [], "languages": [], "places": [], "by_place": {}}
    for finding in current(subject(clinician.id), now):
        line = provenance_sentence(finding, now)
        if finding.kind in PRACTICE_KINDS:
            found["practice"].append(line)
        elif finding.kind in LANGUAGE_KINDS:
            found["languages"].append(line)
        elif finding.kind in PLACE_KINDS:
            found["places"].append(line)
        elif finding.location_id is not None:
            found["by_place"].setdefault(finding.location_id, []).append(line)
    return found


def _times(hours: list[dict]) -> dict[str, tuple[str, str]]:
    """Each weekday's (opens, closes) from a place's hours rows."""
    return {day: (row["opens"], row["closes"]) for row in hours or () for day in row["days"]}


def details_page(clinician: Clinician, errors: dict, form: MultiDict) -> str:
    """The details page; `errors` names the refused section and its fields, `form` what was sent."""
    rows = [(row.code, row.proficiency or "") for row in clinician.languages]
    rows += [("", "")] * SPARE_LANGUAGE_ROWS
    if errors.get("section") == "languages":  # show what was sent, to correct it
        rows = list(zip(form.getlist("language"), form.getlist("proficiency"), strict=False))
    return render_template(
        "console/clinician/details.html",
        clinician=clinician,
        errors=errors,
        form=form,
        sources=_sources(clinician),
        approaches=choices("approaches"),
        competencies=choices("competencies"),
        accessibility=choices("accessibility"),
        language_choices=language_choices(),
        proficiencies=list(PROFICIENCY_WORDS.items()),
        language_rows=rows,
        held_competencies={row.code: row.provenance for row in clinician.competencies},
        days=list(DAY_WORDS.items()),
        states=sorted(US_STATES),
        times={link.id: _times(link.location.hours) for link in clinician.locations},
    )
