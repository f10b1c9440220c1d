"""The message-catalog marker the referral tables share (babel's no-op `N_`)."""

from __future__ import annotations


def N_(text: str) -> str:
    """Mark a word for the message catalogs (babel's no-op marker); pages translate it."""
    return text
