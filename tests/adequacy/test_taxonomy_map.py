"""Every row of adequacy/data/hsd_specialty_taxonomies.csv, with the CMS type it must give."""

import pytest

from adequacy.standards import SPECIALTIES, taxonomy_specialties

EXPECTED = [
    ("2084P0800X", "Psychiatry"),
    ("2084P0802X", "Psychiatry"),
    ("2084P0804X", "Psychiatry"),
    ("2084P0805X", "Psychiatry"),
    ("2084F0202X", "Psychiatry"),
    ("2084P0015X", "Psychiatry"),
    ("103TC0700X", "Clinical Psychology"),
    ("103TC2200X", "Clinical Psychology"),
    ("103TC1900X", "Clinical Psychology"),
    ("103T00000X", "Clinical Psychology"),
    ("1041C0700X", "Clinical Social Work"),
    ("106H00000X", "Outpatient Behavioral Health"),
    ("101YM0800X", "Outpatient Behavioral Health"),
    ("101YP2500X", "Outpatient Behavioral Health"),
    ("101YA0400X", "Outpatient Behavioral Health"),
    ("2084A0401X", "Outpatient Behavioral Health"),
    ("207QA0401X", "Outpatient Behavioral Health"),
    ("207LA0401X", "Outpatient Behavioral Health"),
    ("363LP0808X", "Outpatient Behavioral Health"),
    ("364SP0808X", "Outpatient Behavioral Health"),
]


@pytest.mark.parametrize(("code", "specialty"), EXPECTED)
def test_each_taxonomy_maps_to_its_cms_type(code, specialty):
    assert SPECIALTIES[taxonomy_specialties()[code]] == specialty


def test_the_table_has_exactly_these_rows():
    assert sorted(taxonomy_specialties()) == sorted(code for code, _ in EXPECTED)


@pytest.mark.parametrize("code", ["104100000X", "1041S0200X", "103TS0200X", "101YS0200X"])
def test_school_and_unlicensed_roles_are_no_cms_type(code):
    assert code not in taxonomy_specialties()
