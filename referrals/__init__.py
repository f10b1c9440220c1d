"""Referral handoff: consent, lifecycle, follow-up, notifications and the FHIR view."""
