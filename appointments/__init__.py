"""Appointment and call-back requests a patient sends from a clinician's public profile."""
