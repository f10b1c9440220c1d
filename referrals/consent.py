"""Release-of-information rules (pure): the 42 CFR 2.31 consent elements, the 2.32 notice."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from typing import NamedTuple

FORM_TYPES = {
    "plan_cei": "Health plan Confidential Exchange of Information form",
    "phi_authorization": "Authorization to Disclose Protected Health Information",
    "practice_form": "Practice's own release of information form",
}

# Each required element of a Part 2 written consent, keyed by the API field that carries it.
PART2_ELEMENTS: dict[str, str] = {
    "patient_name": "§2.31(a)(1) the name of the patient",
    "disclosing_party": "§2.31(a)(2) the name of the program or person permitted to disclose",
    "information": "§2.31(a)(3) how much and what kind of information is to be disclosed",
    "recipients": "§2.31(a)(4) the name of each recipient",
    "purpose": "§2.31(a)(5) the purpose of the disclosure",
    "revocation_statement": "§2.31(a)(6) a statement of the patient's right to revoke",
    "expires_on": "§2.31(a)(7) an expiration date, event or condition",
    "signed_by": "§2.31(a)(8) the signature of the patient or authorized representative",
    "signed_on": "§2.31(a)(9) the date signed",
}

# §2.32(a)(1) as amended by the 2024 final rule (89 FR 12472): the statement that must
# accompany every disclosure made with the patient's written consent.
PART2_NOTICE = (
    "This record which has been disclosed to you is protected by Federal confidentiality "
    "rules (42 CFR part 2). These rules prohibit you from using or disclosing this record, or "
    "testimony that describes the information contained in this record, in any civil, "
    "criminal, administrative, or legislative proceedings by any Federal, State, or local "
    "authority, against the patient, unless authorized by the consent of the patient, except "
    "as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR "
    "2.64 or 2.65. In addition, the Federal rules prohibit you from making any other use or "
    "disclosure of this record unless at least one of the following applies: (i) Further use "
    "or disclosure is expressly permitted by the written consent of the individual whose "
    "information is being disclosed in this record or as otherwise permitted by 42 CFR part 2. "
    "(ii) You are a covered entity or business associate and have received the record for "
    "treatment, payment, or health care operations, or (iii) You have received the record from "
    "a covered entity or business associate as permitted by 45 CFR part 164, subparts A and E. "
    "A general authorization for the release of medical or other information is NOT sufficient "
    "to meet the required elements of written consent to further use or redisclose the record "
    "(see 42 CFR 2.31)."
)
# §2.32(a)(2): the abbreviated statement, for places with no room for the full one.
PART2_NOTICE_SHORT = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."

# Words around a name that are not the name: titles in front, credentials and degrees after
# it (directory/data/vocabularies/credentials.json and the usual degrees), legal forms after
# a practice's name.
TITLE_WORDS = frozenset({"dr", "doctor", "mr", "mrs", "ms", "mx", "miss", "prof", "professor"})
CREDENTIAL_WORDS = frozenset(
    {
        "licsw", "lcsw", "lmsw", "msw", "lmhc", "lpc", "lpcc", "lmft", "ladc", "cadc", "phd",
        "psyd", "md", "do", "pmhnp", "aprn", "np", "pa", "bcba", "cps", "rn", "bc", "edd", "ma",
        "ms", "msn", "dnp", "lcadc", "lcdc", "lac", "caadc", "lisw", "lmhp",
    }
)  # fmt: skip
LEGAL_FORM_WORDS = frozenset(
    {"inc", "llc", "pllc", "pc", "ltd", "lp", "llp", "corp", "corporation", "incorporated"}
)


class PersonName(NamedTuple):
    """A clinician's name as the directory holds it."""

    first: str | None
    last: str | None
    middle: str | None = None
    suffix: str | None = None


@dataclass(frozen=True)
class ReceivingParty:
    """Who a referral discloses to: the clinician and the practice(s) they see patients for."""

    npis: frozenset[str]
    person_names: tuple[tuple, ...] = ()  # PersonName or (first, last[, middle[, suffix]])
    organization_names: frozenset[str] = field(default_factory=frozenset)


def _tokens(text: str | None) -> list[str]:
    """Words of a name: case and accents folded, periods dropped (Ph.D. -> phd), rest split."""
    spelled = (text or "").replace("&", " and ").replace(".", "").casefold()
    folded = unicodedata.normalize("NFKD", spelled)
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", plain)


def _without_titles(tokens: list[str]) -> list[str]:
    """`tokens` without the titles in front ("Dr.", "Ms.")."""
    while tokens and tokens[0] in TITLE_WORDS:
        tokens = tokens[1:]
    return tokens


def _endings(tokens: list[str]) -> list[list[str]]:
    """`tokens` with none, one, two... of its trailing credentials taken off (never all)."""
    found, end = [tokens], len(tokens)
    while end > 1 and tokens[end - 1] in CREDENTIAL_WORDS:
        end -= 1
        found.append(tokens[:end])
    return found


def _person_forms(name: str) -> set[str]:
    """How a written name reads: "Smith, Jane" and "Dr. Jane Smith, LICSW" are both jane smith."""
    segments = [_tokens(part) for part in name.split(",")]
    # After the first, a segment of credentials only ("LICSW", "PhD") is not part of the name.
    segments = segments[:1] + [s for s in segments[1:] if any(t not in CREDENTIAL_WORDS for t in s)]
    segments = [s for s in segments if s]
    forms = set()
    # Every reading of trailing credentials: "Anh Do" may be Dr. Anh or Anh Do.
    for parts in product(*(_endings(s) for s in segments)):
        ordered = [parts[1], parts[0]] if len(parts) == 2 else list(parts)  # "Last, First"
        tokens = _without_titles([t for part in ordered for t in part])
        if tokens:
            forms.add(" ".join(tokens))
    return forms


def _clinician_forms(person: tuple) -> set[str]:
    """First last, with or without the middle name or initial, with or without the suffix."""
    first, last, middle, suffix = PersonName(*person)
    if not _tokens(last):
        return set()
    middle_words = _tokens(middle)
    middles = [[], middle_words, [middle_words[0][0]]] if middle_words else [[]]
    suffixes = [[], _tokens(suffix)]
    return {" ".join([*_tokens(first), *m, *_tokens(last), *s]) for m in middles for s in suffixes}


def _organization_form(name: str | None) -> str:
    """A practice's name without its legal form ("Harbor Counseling, LLC" -> harbor counseling)."""
    tokens = _tokens(name)
    while tokens and tokens[-1] in LEGAL_FORM_WORDS:
        tokens = tokens[:-1]
    return " ".join(tokens)


def _names_party(recipient: dict, party: ReceivingParty) -> bool:
    """True when one recipient entry identifies the receiving clinician or practice."""
    # An NPI identifies the recipient: when given, the name beside it only describes it.
    if recipient.get("npi"):
        return recipient["npi"] in party.npis
    name = recipient.get("name")
    if not name:
        return False
    organization = _organization_form(name)
    if organization and organization in {_organization_form(n) for n in party.organization_names}:
        return True
    people = {form for person in party.person_names for form in _clinician_forms(person)}
    # Equality of whole names, never a subset: "Mary Nicole Thompson" is not Nicole Thompson.
    return bool(_person_forms(name) & people)


def names_recipient(recipients: Iterable[dict], party: ReceivingParty) -> bool:
    """True when the consent's recipients include the receiving clinician or practice."""
    return any(_names_party(r, party) for r in recipients or ())


def missing_elements(consent, patient_name: str | None) -> dict[str, str]:
    """The §2.31 elements absent from `consent`, by field, with what each must say."""
    present = {
        "patient_name": bool(patient_name and patient_name.strip()),
        "disclosing_party": bool((consent.disclosing_party or "").strip()),
        "information": bool((consent.information or "").strip()),
        "recipients": any((r.get("name") or r.get("npi")) for r in consent.recipients or ()),
        "purpose": bool((consent.purpose or "").strip()),
        "revocation_statement": consent.revocation_statement is True,
        "expires_on": consent.expires_on is not None or bool((consent.expiry_event or "").strip()),
        # Part 2 consent is written (2.31(a)): a verbal agreement carries no signature.
        "signed_by": bool((consent.signed_by or "").strip())
        and getattr(consent, "method", None) != "verbal",
        "signed_on": consent.signed_on is not None,
    }
    return {name: PART2_ELEMENTS[name] for name, ok in present.items() if not ok}


def standing_problems(consent, today: date) -> dict[str, str]:
    """Why a consent no longer permits disclosure today: revoked, expired or dated ahead."""
    problems: dict[str, str] = {}
    if consent.revoked_at is not None:
        problems["revoked"] = "the consent has been revoked"
    if consent.expires_on is not None and consent.expires_on < today:
        problems["expires_on"] = f"the consent expired on {consent.expires_on.isoformat()}"
    if consent.signed_on is not None and consent.signed_on > today:
        problems["signed_on"] = "the consent is dated after today"
    return problems


def part2_problems(
    consent, patient_name: str | None, party: ReceivingParty, today: date
) -> dict[str, str]:
    """Everything that stops a Part 2 disclosure to `party` today; empty when it may go."""
    if consent is None:
        return {"consent": "a substance use disorder referral needs a 42 CFR part 2 consent"}
    problems = {
        name: f"missing {text}" for name, text in missing_elements(consent, patient_name).items()
    }
    if "recipients" not in problems and not names_recipient(consent.recipients, party):
        problems["recipients"] = (
            "the consent's recipients do not name the receiving clinician or practice"
        )
    problems.update(standing_problems(consent, today))
    return problems


def consent_status(consent, today: date) -> str:
    """active | revoked | expired, for display and the FHIR Consent."""
    if consent.revoked_at is not None:
        return "revoked"
    if consent.expires_on is not None and consent.expires_on < today:
        return "expired"
    return "active"
