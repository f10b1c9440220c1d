"""The CDS services this app offers (discovery) and the prefetch each asks the EHR for."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from screening.definitions import LOINC, instruments

# Instruments whose total scores the rules read (PHQ-9 also its item 9, in rules.py).
SCREENED = ("phq9", "gad7", "auditc")
# ServiceRequest statuses that count as a referral on file (completed or revoked ones do not).
OPEN_REFERRAL = ("draft", "active", "on-hold")


@cache
def screening_codes() -> tuple[str, ...]:
    """LOINC codes of the screening totals and PHQ-9 item 9, from screening/instruments."""
    found = [instruments()[key].total_loinc for key in SCREENED]
    return (*found, phq9_item9_loinc())


@cache
def phq9_item9_loinc() -> str:
    """The LOINC code of the PHQ-9 item the crisis flag reads (44260-8)."""
    crisis = next(f for f in instruments()["phq9"].flags if f["name"] == "crisis")
    return crisis["items"][0].lstrip("/")


@cache
def prefetch_templates() -> dict[str, str]:
    """Prefetch key -> FHIR query, as both services publish them."""
    codes = ",".join(f"{LOINC}|{code}" for code in screening_codes())
    patient = "{{context.patientId}}"
    return {
        "patient": f"Patient/{patient}",
        "screenings": f"Observation?patient={patient}&code={codes}&_sort=-date&_count=50",
        "conditions": f"Condition?patient={patient}&clinical-status=active",
        "medications": f"MedicationRequest?patient={patient}&status=active",
        "referrals": f"ServiceRequest?patient={patient}&status={','.join(OPEN_REFERRAL)}",
    }


@dataclass(frozen=True)
class Service:
    """One CDS service as discovery describes it."""

    id: str
    hook: str
    title: str
    description: str

    def discovery(self) -> dict:
        """The service's entry in GET /cds-services."""
        return {
            "hook": self.hook,
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "prefetch": prefetch_templates(),
        }


SERVICES = {
    service.id: service
    for service in (
        Service(
            "bh-screening-patient-view",
            "patient-view",
            "Behavioral health follow-up",
            "Positive PHQ-9, GAD-7 or AUDIT-C screens, behavioral health diagnoses and "
            "substance use disorder medications without a behavioral health referral on file.",
        ),
        Service(
            "bh-referral-order-select",
            "order-select",
            "Behavioral health referral while ordering",
            "The same checks while orders are selected; a behavioral health referral among "
            "the draft orders counts as a referral on file.",
        ),
    )
}
