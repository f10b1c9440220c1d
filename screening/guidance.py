"""What the referring clinician is told first when a screening raises a flag (clinician voice)."""

from __future__ import annotations

CRISIS_GUIDANCE = {
    "audience": "clinician",
    "message": (
        "Positive suicide-risk item: assess suicide risk before the patient leaves. For imminent "
        "risk do not leave the patient alone: warm-transfer to 988 with the patient on the line, "
        "or request the mobile crisis team; call 911 if there is immediate danger."
    ),
    "resources": [
        {"name": "988 Suicide & Crisis Lifeline (warm transfer)", "phone": "988"},
        {"name": "Mobile crisis team (through 988)", "phone": "988"},
        {"name": "Emergency services", "phone": "911"},
    ],
}
# The safety resources every surface shows first when the interpersonal-safety screen is
# positive (the API here, the staff and patient pages in their own words): one list.
SAFETY_RESOURCES = (
    {
        "name": "National Domestic Violence Hotline",
        "phone": "1-800-799-7233",
        "text": "88788",
        "text_word": "START",
    },
    {"name": "988 Suicide & Crisis Lifeline", "phone": "988", "text": "988"},
    {"name": "Emergency services", "phone": "911"},
)
SAFETY_GUIDANCE = {
    "audience": "clinician",
    "message": (
        "Interpersonal safety screen positive: offer safety resources before other social "
        "needs, in private; the National Domestic Violence Hotline answers 24/7 (call "
        "1-800-799-7233 or text START to 88788), and 988 answers for a crisis."
    ),
    "resources": [dict(resource) for resource in SAFETY_RESOURCES],
}


def guidance_for(flags: tuple[str, ...]) -> list[dict]:
    """Guidance for the raised flags, crisis first."""
    found = []
    if "crisis" in flags:
        found.append({"flag": "crisis", **CRISIS_GUIDANCE})
    if "safety_first" in flags:
        found.append({"flag": "safety_first", **SAFETY_GUIDANCE})
    return found
