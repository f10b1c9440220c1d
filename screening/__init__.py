"""Screening: instruments defined as data (FHIR Questionnaire-shaped JSON), a pure scorer."""
