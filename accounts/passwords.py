"""Password policy in the NIST SP 800-63B manner: long enough, not known, no composition rules.

A password needs 12 to 256 characters (spaces and any Unicode allowed: long passphrases are
welcome) and must not be a known one: on the bundled breached-password list (data/SOURCES.md)
or such a password padded with digits or symbols; one shorter piece repeated; a straight or
keyboard run ("abcdefghijkl", "987654321098", "qwertyuiopas"); or built on the user's own email
or this service's name. There is no rule about upper case, digits or symbols.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 256
LIST_PATH = Path(__file__).parent / "data" / "common-passwords.txt"
# Words of this service that make a guessable password here.
SERVICE_WORDS = ("bhdirectory", "behavioralhealth", "behaviouralhealth")
KEYBOARD_WALK = "1234567890qwertyuiopasdfghjklzxcvbnm"
# Digits and symbols around a word: "monkey2024!!" is "monkey" padded.
_PADDED = re.compile(r"^[\W\d_]*(.*?)[\W\d_]*$", re.S)
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


class PasswordRejected(ValueError):
    """A password the policy refuses; the message says why, for the person choosing it."""


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list, lower-cased (read once)."""
    with LIST_PATH.open(encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n") for line in lines if line.strip())


def is_listed(text: str) -> bool:
    """True when `text` (lower-cased) or its core without padding digits/symbols is listed."""
    listed = common_passwords()
    core = _PADDED.match(text).group(1)
    return text in listed or (bool(core) and core in listed)


def repeats_a_piece(text: str) -> bool:
    """True when `text` is one shorter piece written out twice or more ("abcabcabcabc")."""
    return len(text) > 1 and (text + text).find(text, 1) < len(text)


def is_run(text: str) -> bool:
    """True for a straight run of letters or digits (either way) or a keyboard walk."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    straight = steps in ({1}, {-1}) or steps == {1, -9} or steps == {-1, 9}  # 9 -> 0 wraps
    walk = text in KEYBOARD_WALK or text in KEYBOARD_WALK[::-1]
    return len(text) > 2 and (straight or walk)


def _personal_words(email: str | None) -> list[str]:
    """The email's name and domain, and the service's own words (4 characters or more)."""
    words = list(SERVICE_WORDS)
    if email and "@" in email:
        local, _, domain = email.lower().partition("@")
        words += [_NOT_LETTER_OR_DIGIT.sub("", local), domain.split(".")[0]]
    return [word for word in words if len(word) >= 4]


def check_password(password: str, email: str | None = None) -> None:
    """Raise PasswordRejected unless the policy accepts `password` (for `email`'s account)."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"the password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"the password can have at most {MAX_LENGTH} characters")
    lowered = password.lower()
    squeezed = _NOT_LETTER_OR_DIGIT.sub("", lowered)  # "pass word 123" -> "password123"
    if is_listed(lowered) or is_listed(squeezed):
        raise PasswordRejected("that password is on a list of breached or common passwords")
    if repeats_a_piece(lowered) or repeats_a_piece(squeezed) or is_run(squeezed):
        raise PasswordRejected("that password is a repeated or straight run of characters")
    if any(word in squeezed for word in _personal_words(email)):
        raise PasswordRejected("the password must not be built on your email or this service")
