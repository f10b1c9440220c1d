"""Loaders that bring NPPES, FHIR Plan-Net and plan rosters into the system of record."""
