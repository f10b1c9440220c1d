"""Directory domain model: the system of record."""

from directory.models.changes import ListingChange
from directory.models.clinician import (
    Clinician,
    ClinicianCompetency,
    ClinicianLanguage,
    ClinicianTaxonomy,
    License,
)
from directory.models.facts import FactObservation
from directory.models.network import IngestFingerprint, Network, NetworkParticipation, plan_network
from directory.models.place import ClinicianLocation, Location, Organization
from directory.models.verification import is_stale

__all__ = [
    "Clinician",
    "ClinicianCompetency",
    "ClinicianLanguage",
    "ClinicianLocation",
    "ClinicianTaxonomy",
    "FactObservation",
    "IngestFingerprint",
    "License",
    "ListingChange",
    "Location",
    "Network",
    "NetworkParticipation",
    "Organization",
    "is_stale",
    "plan_network",
]
