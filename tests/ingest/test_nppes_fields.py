"""NPPES field mapping: credential text, license types, dates and deactivation."""

from datetime import UTC, datetime

import pytest

from ingest.nppes_fields import credential_codes, is_deactivated, license_type, parse_date


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("LICSW,CEAP,BCD", ("LICSW", "CEAP", "BCD")),
        ("PSY.D.", ("PsyD",)),
        ("M. D.", ("MD",)),
        ("MSW LICSW", ("MSW", "LICSW")),
        ("Ph.D., LMHC; ph.d.", ("PhD", "LMHC")),
        ("MD/PHD", ("MD", "PhD")),
        ("LCSW-R", ("LCSW-R",)),
        ("", ()),
    ],
)
def test_credential_codes(text, codes):
    assert credential_codes(text) == codes


@pytest.mark.parametrize(
    ("credentials", "kind"),
    [(("LICSW", "CEAP"), "LICSW"), (("PsyD",), None), (("MD", "LICSW"), None), ((), None)],
)
def test_license_type_only_when_obvious(credentials, kind):
    assert license_type(credentials) == kind


def test_parse_date():
    assert parse_date("07/08/2007") == datetime(2007, 7, 8, tzinfo=UTC)
    assert [parse_date(t) for t in ("", "2007-07-08", "13/45/2007", None)] == [None] * 4


@pytest.mark.parametrize(
    ("deactivated", "reactivated", "expected"),
    [("", "", False), ("03/16/2006", "", True), ("03/16/2006", "03/20/2006", False)],
)
def test_deactivation(deactivated, reactivated, expected):
    values = {"NPI Deactivation Date": deactivated, "NPI Reactivation Date": reactivated}
    assert is_deactivated(values) is expected
