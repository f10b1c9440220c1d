"""Vocabulary words shown to visitors, translated through the message catalogs.

The words live in directory/data/vocabularies/*.json, not in code, so `pybabel extract` reads
them with extract_vocabulary (named in web/translations/babel.cfg): each term's patient-facing
text (`plain`, else `label`) becomes a msgid, and so does a concern's `clinical` label (the
register staff pages use); gettext looks them up at run time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from flask_babel import gettext

from directory.vocabulary import Term, vocabulary


def shown_text(entry: dict) -> str:
    """The words a visitor sees for a vocabulary entry: its plain label, else its label."""
    return entry.get("plain") or entry["label"]


def staff_text(entry: dict) -> str:
    """The words staff see for a vocabulary entry: its clinical label, else its label."""
    return entry.get("clinical") or entry["label"]


def term_text(term: Term, clinical: bool = False) -> str:
    """A term's words in the current locale: the patient's, or the clinical register for staff."""
    entry = {"label": term.label, **term.extra}
    return gettext(staff_text(entry) if clinical else shown_text(entry))


def concern_names(codes) -> list[str]:
    """Concerns named in the clinical register, for staff pages (unknown codes as they are)."""
    if not isinstance(codes, list | tuple):
        return []  # stored needs are free JSON: a referral made elsewhere may hold anything
    terms = vocabulary("concerns")
    return [term_text(terms[c], clinical=True) if c in terms else str(c) for c in codes]


def extract_vocabulary(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extractor: (line, funcname, message, comments) for each term of a vocabulary file."""
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    lines = text.splitlines()
    for entry in json.loads(text):
        # The files keep one term per line; find it so translators see where the words came from.
        marker = f'"code": "{entry["code"]}"'
        lineno = next((n for n, line in enumerate(lines, 1) if marker in line), 0)
        comment = f"vocabulary term {entry['code']}"
        yield lineno, "gettext", shown_text(entry), [comment]
        if "clinical" in entry:
            yield lineno, "gettext", entry["clinical"], [f"{comment}, clinical (staff pages)"]
