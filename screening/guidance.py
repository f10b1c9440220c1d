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
SAFETY_GUIDANCE = {
    "audience": "clinician",
    "message": (
        "Interpersonal safety screen positive: offer safety resources before other social "
        "needs, in private; the National Domestic Violence Hotline answers 24/7."
    ),
    "resources": [
        {"name": "National Domestic Violence Hotline", "phone": "1-800-799-7233", "text": "88788"},
        {"name": "Emergency services", "phone": "911"},
    ],
}


def guidance_for(flags: tuple[str, ...]) -> list[dict]:
    """Guidance for the raised flags, crisis first."""
    found = []
    if "crisis" in flags:
        found.append({"flag": "crisis", **CRISIS_GUIDANCE})
    if "safety_first" in flags:
        found.append({"flag": "safety_first", **SAFETY_GUIDANCE})
    return found
