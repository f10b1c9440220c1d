"""Spreadsheet-mangled ZIPs: repaired to a real ZIP, or left alone."""

import pytest

from directory.geography import ZipRepair, known_zip, repair_zip

PADDED = "the leading zero(s) a spreadsheet drops restored"


@pytest.mark.parametrize(
    ("given", "after", "reason"),
    [
        ("2139", "02139", f"4 digits: {PADDED}"),
        (" 2139 ", "02139", f"4 digits: {PADDED}"),
        ("21391234", "02139-1234", f"8 digits: {PADDED}"),
        ("021391234", "02139-1234", "9 digits without a dash: read as ZIP+4"),
        ("601", "00601", f"3 digits: {PADDED}"),
        ("6011234", "00601-1234", f"7 digits: {PADDED}"),
    ],
)
def test_mangled_zips_are_repaired(given, after, reason):
    assert repair_zip(given) == ZipRepair(given.strip(), after, reason)


@pytest.mark.parametrize(
    "given",
    [
        "02139",  # already right
        "02139-1234",  # already right
        "",
        None,
        "213",  # 00213 is no ZIP
        "9999",  # 09999 is no ZIP
        "99999999",  # 09999-9999: no such ZIP
        "12345678901",  # too long to be a ZIP
        "2139a",
        "２１３９",  # full-width digits are not a ZIP
        "21",
    ],
)
def test_what_is_not_mangled_or_not_a_zip_is_left_alone(given):
    assert repair_zip(given) is None


def test_a_dashless_zip4_is_left_alone_when_the_source_writes_it_so():
    assert repair_zip("021391234", dashless_zip4=True) is None
    assert repair_zip("21391234", dashless_zip4=True) == ZipRepair(
        "21391234", "02139-1234", f"8 digits: {PADDED}"
    )


def test_the_repair_only_lands_on_a_zip_the_given_table_knows():
    assert repair_zip("6030", known=lambda code: code == "06030").after == "06030"
    assert repair_zip("2139", known=lambda code: False) is None


def test_a_zip_that_is_no_zcta_but_a_real_usps_zip_is_repaired():
    assert repair_zip("6030") == ZipRepair("6030", "06030", f"4 digits: {PADDED}")
    assert known_zip("06030")
