"""Odd values for every FHIR search parameter and id: a Bundle or an OperationOutcome, never 5xx.

A NUL anywhere is refused by the edge screen (400 OperationOutcome naming where) before a search
or a read runs.
"""

import os
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fhir_api.kinds import KINDS

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
# Values shaped like the parameters' own (prefixes, systems, references, numbers) and noise.
PIECES = st.sampled_from(
    ["ge", "lt", "eq", "ne", "|", "/", ",", ":", "-", "2024", "-01", "T10:00:00Z", "Organization",
     "Location", "loc-", "org-", "n-", "1000000012", "-L", "-R", "-S", "99999999999", "1e308",
     "nan", "km", "[mi_i]", "newpt", "ntwk", "http://nucc.org/provider-taxonomy", "\u00e9", " ",
     "\x00"]
)  # fmt: skip
VALUES = st.one_of(
    st.lists(PIECES, max_size=6).map("".join),
    st.text(max_size=30),
)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_search_never_fails_on_odd_values(client, directory_data, kind):
    names = sorted(KINDS[kind].params) + ["_count", "_offset", "_include", "_format", "x:y"]

    @given(st.lists(st.tuples(st.sampled_from(names), VALUES), max_size=4))
    @SETTINGS
    def run(args):
        response = client.get(f"/fhir/{kind}?{urlencode(args)}")
        assert response.status_code in (200, 400), (args, response.status_code)
        assert response.mimetype == "application/fhir+json"

    run()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_read_never_fails_on_odd_ids(client, directory_data, kind):
    @given(VALUES.filter(lambda v: v and "/" not in v and v not in (".", "..")))
    @SETTINGS
    def run(fhir_id):
        response = client.get(f"/fhir/{kind}/{fhir_id}")
        expected = {400} if "\x00" in fhir_id else {200, 404}
        assert response.status_code in expected, (fhir_id, response.status_code)
        assert response.mimetype == "application/fhir+json"

    run()
