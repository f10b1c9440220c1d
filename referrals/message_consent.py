"""Whether a Part 2 message may go to the other side of its referral (rules over stored rows).

A message whose body or text attachment names a substance use disorder (referrals.part2's
rule) is a 42 CFR Part 2 disclosure to whoever reads it on the other side, so it goes only
when the referral's consent is a complete §2.31 consent naming that reader, standing today
(referrals.consent.part2_problems, the same rule that gates sending a Part 2 referral).

- Referrer -> receiver: the consent must name the receiving clinician or practice
  (referrals.disclosure.receiving_party), exactly as for sending the referral itself. An
  accepted message is then part of the referral's record, so it marks the referral Part 2
  (referrals.content keeps that flag current from content and never takes it back).
- Receiver -> referrer: the clinician's reply is their record disclosed back, as a structured
  return is (referrals.returns): the consent must name the referring practice
  (referrals.disclosure.organization_party). It is labelled on the message only, like a
  return, and does not mark the referral: the referral's flag speaks of what the referring
  side sent, and marking it would withhold the referral from a receiver the consent may not
  name for the other direction.

A message that is not Part 2 passes here unchanged (the HIPAA treatment exchange). Like a
return, a Part 2 message is shown to the other side only while the consent still covers it:
once revoked or expired, its text and files are withheld from that side (its author keeps them).
"""

from __future__ import annotations

from datetime import date

from referrals.consent import part2_problems
from referrals.content import add_part2
from referrals.disclosure import organization_party, receiving_party
from referrals.errors import Blocked
from referrals.part2 import Finding

TO_RECEIVER = (
    "this message carries substance use disorder information (42 CFR part 2) and the "
    "referral's consent does not permit disclosing it to the receiving clinician: get the "
    "patient's 42 CFR part 2 consent naming the receiving clinician or practice, then send it"
)
WITHHELD = (
    "this message carries substance use disorder information (42 CFR part 2) and the "
    "referral's consent no longer permits disclosing it to you"
)
TO_REFERRER = (
    "this message carries substance use disorder information (42 CFR part 2) and the "
    "referral's consent does not name the referring practice as a recipient: a 42 CFR part 2 "
    "consent naming the referring practice is needed before it can be sent"
)


def problems(referral, side: str, today: date) -> dict[str, str]:
    """What stops a Part 2 message from `side` reaching the other side today; empty if none."""
    if side == "referrer":
        party = receiving_party(referral)
    else:
        party = organization_party(referral.referring_organization_id)
    return part2_problems(referral.consent, referral.patient_name, party, today)


def admit(referral, side: str, finding: Finding, basis: list[str], today: date) -> None:
    """Refuse a Part 2 message the consent does not cover; mark the referral for the referrer's."""
    if not finding.part2:
        return
    found = problems(referral, side, today)
    if found:
        code, text = (
            ("part2_message_consent", TO_RECEIVER)
            if side == "referrer"
            else ("part2_reply_consent", TO_REFERRER)
        )
        # error_code: the API answers with it, so a client can tell this refusal apart.
        raise Blocked(text, {"consent": found}, code=code, error_code=code)
    if side == "referrer":
        add_part2(referral, basis)


def withheld_from(referral, message, reader_side: str, today: date) -> dict[str, str]:
    """Why a Part 2 message from the other side is not shown to `reader_side` today; {} if shown."""
    if not message.part2 or message.side == reader_side:
        return {}
    return problems(referral, message.side, today)
