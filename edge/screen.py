"""The request screen: every value a request carries is checked before any view reads it.

One generic pass, not per-field patches: the path, the query, the headers, form fields, upload
file names and JSON bodies (keys too, at any depth) are refused with a 400 naming the field
when they hold text PostgreSQL cannot store (NUL, lone surrogates), nest deeper than
INPUT_MAX_DEPTH, have more than INPUT_MAX_ITEMS items or a string over INPUT_MAX_CHARS
characters. Sizes are checked before contents, so a huge list is refused without being walked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Request, current_app, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from edge.refusal import HostileInput

FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
NUL = "contains a NUL character (U+0000)"
SURROGATE = "contains a lone surrogate, which is not text"
# A view marked with @accepts_large_body(config key) may receive that many megabytes.
LARGE_BODY = "edge_body_limit"
# app.extensions key: a zero-argument callable saying whether this request carries a live API
# key (the composition root plugs in accounts' check); signed-in users are known without it.
KNOWN_CALLER = "edge.known_caller"

# A place in a JSON document: (parent, key) pairs, built only when a problem is reported.
Chain = tuple["Chain", str | int] | None


@dataclass(frozen=True)
class InputLimits:
    """How deep, how many and how long any one value may be."""

    max_depth: int
    max_items: int
    max_chars: int

    @classmethod
    def from_config(cls, config) -> InputLimits:
        """The limits an app is configured with."""
        return cls(config["INPUT_MAX_DEPTH"], config["INPUT_MAX_ITEMS"], config["INPUT_MAX_CHARS"])


def accepts_large_body(config_key: str) -> Callable:
    """Let signed-in callers of this view send up to config[config_key] MB (uploads)."""

    def mark(view: Callable) -> Callable:
        setattr(view, LARGE_BODY, config_key)
        return view

    return mark


def text_problem(text: str, max_chars: int) -> str | None:
    """Why `text` cannot be accepted, or None."""
    if len(text) > max_chars:
        return f"is longer than {max_chars} characters"
    if "\x00" in text:
        return NUL
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return SURROGATE
    return None


def _shown(key: str | int) -> str:
    """A path component as it can be shown: escaped and short."""
    if isinstance(key, int):
        return f"[{key}]"
    text = key.encode("unicode_escape").decode("ascii")
    return text if len(text) <= 40 else text[:40] + "..."


def path_name(chain: Chain) -> str:
    """'patient.name', 'diagnoses[2]' or 'body' for the document itself."""
    parts: list[str | int] = []
    while chain is not None:
        chain, key = chain
        parts.append(key)
    name = ""
    for key in reversed(parts):
        shown = _shown(key)
        name += shown if isinstance(key, int) or not name else "." + shown
    return name or "body"


def _check_text(text: str, chain: Chain, limits: InputLimits) -> None:
    problem = text_problem(text, limits.max_chars)
    if problem:
        raise HostileInput(path_name(chain), problem)


def _check_container(value: dict | list, chain: Chain, depth: int, limits: InputLimits) -> None:
    if depth > limits.max_depth:
        raise HostileInput(path_name(chain), f"is nested deeper than {limits.max_depth} levels")
    if len(value) > limits.max_items:
        raise HostileInput(path_name(chain), f"has more than {limits.max_items} items")


def screen_json(document: Any, limits: InputLimits) -> None:
    """Walk a parsed JSON document without recursion; HostileInput on the first problem."""
    stack: list[tuple[Any, Chain, int]] = [(document, None, 1)]
    # Every list may be at the cap and the body still small enough (500 lists of 1,000 numbers
    # in 1 MB): the document as a whole holds at most 10 lists' worth, so the walk stays short.
    budget = 10 * limits.max_items
    while stack:
        value, chain, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value, chain, limits)
        elif isinstance(value, dict | list):
            _check_container(value, chain, depth, limits)
            budget -= len(value)
            if budget < 0:
                raise HostileInput("body", f"has more than {10 * limits.max_items} values")
            stack.extend(_children(value, chain, depth + 1, limits))


def _children(value: dict | list, chain: Chain, depth: int, limits: InputLimits):
    """The members of an object (its keys checked) or the items of a list, to walk next."""
    if isinstance(value, list):
        return [(item, (chain, index), depth) for index, item in enumerate(value)]
    found = []
    for key, item in value.items():
        _check_text(key, (chain, key), limits)
        found.append((item, (chain, key), depth))
    return found


def screen_fields(values: MultiDict, limits: InputLimits) -> None:
    """Query arguments or form fields: names, how many, and each value."""
    if len(values) > limits.max_items:
        raise HostileInput("fields", f"more than {limits.max_items} fields")
    for name, given in values.lists():
        _check_text(name, (None, name), limits)
        if len(given) > limits.max_items:
            raise HostileInput(name, f"is given more than {limits.max_items} times")
        for value in given:
            _check_text(value, (None, name), limits)


def screen_envelope(req: Request) -> None:
    """The path and the header values (names are checked by the server)."""
    problem = text_problem(req.path, len(req.path))
    if problem:
        raise HostileInput("path", problem)
    for name, value in req.headers.items():
        if "\x00" in value:
            raise HostileInput(f"header {name}", NUL)


def raise_body_limit() -> None:
    """before_request, first: known callers of an accepts_large_body view may send more."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    config_key = getattr(view, LARGE_BODY, None)
    if not config_key:
        return
    known = current_app.extensions.get(KNOWN_CALLER)
    if current_user.is_authenticated or (known is not None and known()):
        request.max_content_length = current_app.config[config_key] * 1024 * 1024


def screen_body(req: Request, limits: InputLimits) -> None:
    """Form fields and upload names, or the JSON document (parsed once, cached for the view)."""
    if req.mimetype in FORM_TYPES:
        screen_fields(req.form, limits)
        for name, storage in req.files.items(multi=True):
            _check_text(storage.filename or "", (None, f"{name} (file name)"), limits)
    elif req.is_json:
        document = req.get_json(silent=True)  # malformed JSON is the view's 400, as before
        if document is not None:
            screen_json(document, limits)


def screen_request() -> None:
    """before_request: refuse hostile input with 400 (HostileInput), big bodies with 413."""
    limits = InputLimits.from_config(current_app.config)
    screen_envelope(request)
    screen_fields(request.args, limits)
    screen_body(request, limits)
