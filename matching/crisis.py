"""The crisis block shown above the matches when needs indicate imminent risk.

A referral list is not a response to someone who may act on suicidal thoughts today, so the
988 Suicide & Crisis Lifeline and emergency guidance go first, on every page of results.
"""

import copy

CRISIS_BLOCK = {
    "level": "imminent_risk",
    "title": "If someone may be in danger, get help now",
    "message": (
        "These needs suggest a risk of suicide or self-harm. Connect the person with crisis "
        "support now; the referral list below is for follow-up care, not a substitute."
    ),
    "emergency": {
        "call": "911",
        "text": "If someone is in immediate danger or has already harmed themselves, call 911 "
        "or go to the nearest emergency department.",
    },
    "lines": [
        {
            "name": "988 Suicide & Crisis Lifeline",
            "call": "988",
            "text": "988",
            "chat": "https://988lifeline.org/chat",
            "hours": "24/7, free and confidential",
        },
        {
            "name": "988 Lifeline en español",
            "call": "988, then press 2",
            "text": "AYUDA to 988",
            "chat": "https://988lineadevida.org",
            "hours": "24/7",
        },
        {
            "name": "Veterans Crisis Line",
            "call": "988, then press 1",
            "text": "838255",
            "chat": "https://www.veteranscrisisline.net/get-help-now/chat",
            "hours": "24/7",
        },
    ],
    "accessibility": "Deaf or hard of hearing: use your preferred relay service or dial 711, "
    "then 988.",
}


def crisis_block() -> dict:
    """A fresh copy of the crisis block (callers may add to it)."""
    return copy.deepcopy(CRISIS_BLOCK)
