"""The small ORM-built directory of the API tests, for FHIR searches."""

from tests.api.conftest import directory_data, make_npi  # noqa: F401
