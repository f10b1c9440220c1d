"""SMART App Launch 2.x (EHR launch): registered EHRs, the OAuth client, FHIR reads, pre-fill."""
