"""CMS Doctors & Clinicians fields: specialty scope as data, phones, dates, header names."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.cms_dac_fields import (
    ALIASES,
    REQUIRED,
    observed_on,
    raw_specialty_filter,
    read_phone,
    taxonomy_codes,
)
from ingest.headers import missing_columns, resolve_columns, squash


@pytest.mark.parametrize(
    ("primary", "secondaries", "every", "codes"),
    [
        ("PSYCHIATRY", [], "", [("2084P0800X", True)]),
        ("PSYCHOLOGIST, CLINICAL", [], "", [("103TC0700X", True)]),
        ("CLINICAL PSYCHOLOGIST", [], "", [("103TC0700X", True)]),
        ("Licensed  Clinical Social Worker", [], "", [("1041C0700X", True)]),
        ("MARRIAGE AND FAMILY THERAPIST", [], "", [("106H00000X", True)]),
        ("MENTAL HEALTH COUNSELOR", [], "", [("101YM0800X", True)]),
        ("FAMILY MEDICINE", ["ADDICTION MEDICINE"], "", [("2084A0401X", False)]),
        (
            "INTERNAL MEDICINE",
            [],
            "GERIATRIC PSYCHIATRY,NEUROPSYCHIATRY",
            [
                ("2084P0805X", False),
                ("2084B0040X", False),
            ],
        ),
        (
            "INTERNAL MEDICINE",
            [],
            "PSYCHOLOGIST, CLINICAL,FAMILY MEDICINE",
            [("103TC0700X", False)],
        ),
        ("NURSE PRACTITIONER", [], "", []),  # not behavioral health on its own
        ("NURSE PRACTITIONER", ["PSYCHIATRY"], "PSYCHIATRY", [("363LP0808X", True)]),
        ("CERTIFIED CLINICAL NURSE SPECIALIST (CNS)", ["PSYCHIATRY"], "", [("364SP0808X", True)]),
        ("CHIROPRACTIC", [], "", []),
        ("", [], "", []),
    ],
)
def test_specialties_map_to_nucc_codes(primary, secondaries, every, codes):
    assert taxonomy_codes(primary, secondaries, every) == codes


def test_the_raw_filter_passes_every_kept_specialty_and_not_others():
    pattern = raw_specialty_filter()

    for line in (b"1,X,PSYCHIATRY,", b'1,"PSYCHOLOGIST, CLINICAL",', b"1,nurse  practitioner,"):
        assert pattern.search(line)
    assert pattern.search(b"1215911011,9638060049,SMITH,INTERNAL MEDICINE,,NAPLES,FL") is None


@pytest.mark.parametrize(
    ("cell", "digits", "reason"),
    [
        ("6175550100", "6175550100", None),
        ("", None, None),
        (
            "6.175550100E+09",
            "6175550100",
            "scientific notation from a spreadsheet read back exactly",
        ),
        (
            "6.1755501E+09",
            None,
            "scientific notation kept 8 of 10 digits: the number is lost, left out",
        ),
        (
            "6.17555E+9",
            None,
            "scientific notation kept 6 of 10 digits: the number is lost, left out",
        ),
        ("6.1755501001E+09", None, "scientific notation that is not a 10-digit number: left out"),
        ("6175550100.0", "6175550100", "a spreadsheet's decimal '.0' dropped"),
        ("(617) 555-0100", "6175550100", "punctuation dropped"),
        ("16175550100", "6175550100", "the country code 1 dropped"),
        ("555010", None, "6 digits, not a 10-digit phone number: left out"),
    ],
)
def test_phones_are_read_or_left_out_with_a_reason(cell, digits, reason):
    fix = read_phone(cell)

    assert (fix.digits, fix.reason) == (digits, reason)


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("DAC_NationalDownloadableFile_2025-01-15.csv", datetime(2025, 1, 15, tzinfo=UTC)),
        ("dac_20241201.csv", datetime(2024, 12, 1, tzinfo=UTC)),
        ("dac_2024_12_01.csv", datetime(2024, 12, 1, tzinfo=UTC)),
        ("DAC_NationalDownloadableFile.csv", None),
        ("dac_2024-13-01.csv", None),  # no 13th month
        ("dac_120250115.csv", None),  # digits run on: not a date
    ],
)
def test_the_observed_date_comes_from_the_file_name(name, day):
    assert observed_on(Path(name)) == day


def test_header_names_match_whatever_their_case_spaces_and_punctuation():
    header = ["\ufeffNPI", " lst_nm", "FRST_NM", " pri_spec", "adr_ln_1", "City/Town", "st", "zip"]

    found = resolve_columns(header, ALIASES)

    assert squash(" City/Town") == squash("city_town") == "citytown"
    assert (found["NPI"], found["Provider Last Name"], found["City/Town"]) == (
        "NPI",
        "lst_nm",
        "City/Town",
    )
    assert missing_columns(header, ALIASES, REQUIRED) == []
    assert missing_columns(header[:-1], ALIASES, REQUIRED) == ["ZIP Code"]
