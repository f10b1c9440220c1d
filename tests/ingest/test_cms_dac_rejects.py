"""CMS Doctors & Clinicians bad input: rejects by line, repairs, older layouts, wrong kinds."""

import csv

import pytest

from directory.models import Location
from ingest.kinds import load_file
from ingest.report import FileRefused
from tests.ingest.cms_dac_files import CURRENT, SAMPLE, clinician, load, npi, row, write
from tests.ingest.test_nppes import SAMPLE as NPPES_SAMPLE

ANA = npi("121590001")
OLD_NAMES = {
    "Provider Last Name": "lst_nm",
    "Provider First Name": "frst_nm",
    "Provider Middle Name": "mid_nm",
    "Facility Name": "org_nm",
    "City/Town": "cty",
    "State": "st",
    "ZIP Code": "zip",
    "Telephone Number": "phn_numbr",
}


def _place(db, number: str) -> tuple[Location, object]:
    [link] = clinician(db, number).locations
    return db.session.get(Location, link.location_id), link


def test_a_bad_or_missing_npi_is_rejected_by_line_and_the_rest_loads(db, tmp_path):
    wrong = ANA[:-1] + str((int(ANA[-1]) + 1) % 10)
    path = write(
        tmp_path / "dac.csv",
        [row(wrong), row(""), row(npi("121590002"), **{"Provider Last Name": ""}), row(ANA)],
    )

    summary, rejects, _ = load(path, tmp_path)

    assert (summary.read, summary.inserted, summary.rejected) == (4, 1, 3)
    assert [(r["line"], r["field"], r["value"]) for r in rejects] == [
        ("2", "NPI", wrong),
        ("3", "NPI", ""),
        ("4", "Provider Last Name", ""),
    ]
    assert "check digit" in rejects[0]["reason"]
    assert rejects[2]["reason"] == "last name is missing"


def test_rows_out_of_scope_are_counted_not_checked(db, tmp_path):
    path = write(tmp_path / "dac.csv", [row("123", pri_spec="CARDIOVASCULAR DISEASE (CARDIOLOGY)")])

    summary, rejects, _ = load(path, tmp_path)

    assert (summary.read, summary.out_of_scope, summary.rejected, rejects) == (1, 1, 0, [])


def test_a_phone_in_exact_scientific_notation_is_read_back(db, tmp_path):
    path = write(tmp_path / "dac.csv", [row(ANA, **{"Telephone Number": "6.175550100E+09"})])

    summary, rejects, repairs = load(path, tmp_path)

    place, link = _place(db, ANA)
    assert (place.phone, link.phone, summary.repaired, rejects) == (
        "6175550100",
        "6175550100",
        1,
        [],
    )
    assert [(r["line"], r["field"], r["before"], r["after"]) for r in repairs] == [
        ("2", "Telephone Number", "6.175550100E+09", "6175550100")
    ]


def test_a_phone_that_lost_digits_is_left_out_and_the_clinician_kept(db, tmp_path):
    path = write(tmp_path / "dac.csv", [row(ANA, **{"Telephone Number": "6.17555E+09"})])

    summary, rejects, repairs = load(path, tmp_path)

    place, link = _place(db, ANA)
    assert (place.phone, link.phone, summary.inserted, rejects) == (None, None, 1, [])
    assert [(r["before"], r["after"], r["reason"]) for r in repairs] == [
        (
            "6.17555E+09",
            "",
            "scientific notation kept 6 of 10 digits: the number is lost, left out",
        )
    ]


@pytest.mark.parametrize(
    ("written", "stored", "after"),
    [
        ("2139", "02139", "02139"),  # 4 digits: the leading zero a spreadsheet drops
        ("21391234", "02139", "02139-1234"),  # 8 digits: ZIP+4 that lost its zero
        ("901", "00901", "00901"),  # Puerto Rico lost two
    ],
)
def test_zips_without_their_leading_zeros_are_repaired_and_reported(
    db, tmp_path, written, stored, after
):
    path = write(tmp_path / "dac.csv", [row(ANA, **{"ZIP Code": written})])

    summary, _, repairs = load(path, tmp_path)

    place, _ = _place(db, ANA)
    assert (place.postal_code, summary.repaired) == (stored, 1)
    assert [(r["field"], r["before"], r["after"]) for r in repairs] == [
        ("ZIP Code", written, after)
    ]
    assert place.lat is not None


def test_a_nine_digit_zip_is_zip_plus_four_and_needs_no_repair(db, tmp_path):
    summary, _, repairs = load(write(tmp_path / "dac.csv", [row(ANA)]), tmp_path)

    assert (_place(db, ANA)[0].postal_code, summary.repaired, repairs) == ("02139", 0, [])


def test_an_unreadable_zip_keeps_the_clinician_placed_by_its_city(db, tmp_path):
    path = write(tmp_path / "dac.csv", [row(ANA, **{"ZIP Code": "CAMBRIDGE"})])

    summary, rejects, repairs = load(path, tmp_path)

    place, _ = _place(db, ANA)
    assert (summary.inserted, summary.repaired, summary.unplaced, rejects) == (1, 0, 0, [])
    assert (place.city, place.postal_code, place.geo_precision) == ("CAMBRIDGE", None, "city")
    assert (round(place.lat, 2), round(place.lon, 2)) == (42.37, -71.11)
    assert [(r["before"], r["after"], r["reason"]) for r in repairs] == [
        (
            "CAMBRIDGE",
            "(city centre)",
            "ZIP is not 5 or 9 digits: location placed at the centre of its city",
        )
    ]


def test_an_unreadable_zip_in_an_unknown_town_keeps_the_clinician_unplaced(db, tmp_path):
    unknown = {"ZIP Code": "0", "City/Town": "NOWHERE SUCH TOWN"}
    path = write(tmp_path / "dac.csv", [row(ANA, **unknown)])

    summary, rejects, repairs = load(path, tmp_path)

    place, _ = _place(db, ANA)
    assert (summary.inserted, summary.unplaced, rejects) == (1, 1, [])
    assert (place.lat, place.lon, place.geo_precision) == (None, None, "none")
    assert [(r["after"], r["reason"]) for r in repairs] == [
        (
            "(not placed)",
            "ZIP is not 5 or 9 digits: location kept without a map point "
            "(telehealth searches only)",
        )
    ]


def test_the_older_layout_names_load_the_same_clinician(db, tmp_path):
    header = [" " + OLD_NAMES.get(name.strip(), name.strip()) for name in CURRENT]
    renamed = {OLD_NAMES.get(k, k): v for k, v in row(ANA, Telehlth="Y").items()}

    summary, rejects, _ = load(write(tmp_path / "old.csv", [renamed], header), tmp_path)

    place, link = _place(db, ANA)
    assert (summary.inserted, rejects) == (1, [])
    assert (place.city, place.postal_code, link.phone) == ("CAMBRIDGE", "02139", "6175550100")
    assert clinician(db, ANA).modalities == ["in_person", "video", "phone"]


def test_the_api_spelling_of_the_columns_loads_too(db, tmp_path):
    snake = {name: name.strip().lower().replace(" ", "_").replace("/", "") for name in CURRENT}
    header = list(snake.values())
    values = {snake[" " + k] if " " + k in snake else k.lower(): v for k, v in row(ANA).items()}

    summary, rejects, _ = load(write(tmp_path / "api.csv", [values], header), tmp_path)

    assert (summary.inserted, rejects) == (1, [])
    assert _place(db, ANA)[0].city == "CAMBRIDGE"


def test_a_missing_required_column_refuses_the_file_naming_it(db, tmp_path):
    header = [name for name in CURRENT if name.strip() not in ("pri_spec", "ZIP Code")]
    path = write(tmp_path / "dac.csv", [row(ANA)], header)

    with pytest.raises(FileRefused, match=r"missing required column\(s\): pri_spec, ZIP Code"):
        load(path, tmp_path)


def test_a_dac_file_given_as_nppes_is_named(db, tmp_path):
    with pytest.raises(FileRefused) as refused:
        load_file("nppes", SAMPLE, tmp_path / "r.csv")

    assert str(refused.value) == (
        "DAC_NationalDownloadableFile_first40.csv: this looks like a CMS Doctors & Clinicians "
        "file, not an NPPES file; nothing was loaded"
    )


def test_an_nppes_file_given_as_cms_dac_is_named(db, tmp_path):
    with pytest.raises(FileRefused) as refused:
        load_file("cms-dac", NPPES_SAMPLE, tmp_path / "r.csv")

    assert "this looks like an NPPES file, not a CMS Doctors & Clinicians file" in str(
        refused.value
    )


def test_the_cli_loads_the_sample_and_exits_0(runner, db, tmp_path):
    result = runner.invoke(
        args=["ingest", "cms-dac", str(SAMPLE), "--rejects", str(tmp_path / "r.csv")]
    )

    assert result.exit_code == 0, result.output
    assert "read 40 · inserted 4 · updated 0 · unchanged 0 · out of scope 36" in result.output


def test_the_cli_exits_3_when_every_row_in_scope_is_rejected(runner, db, tmp_path):
    path = write(tmp_path / "dac.csv", [row("1234567890"), row("1234567891")])

    result = runner.invoke(
        args=["ingest", "cms-dac", str(path), "--rejects", str(tmp_path / "r.csv")]
    )

    assert result.exit_code == 3, result.output
    with (tmp_path / "r.csv").open(encoding="utf-8") as f:
        assert [r["line"] for r in csv.DictReader(f)] == ["2", "3"]


def test_a_nul_in_a_kept_row_is_rejected_and_in_a_row_out_of_scope_counted(db, tmp_path):
    path = write(
        tmp_path / "dac.csv",
        [
            row(ANA, **{"Provider First Name": "A\x00NA"}),
            row(npi("121590002"), pri_spec="CHIROPRACTIC", adr_ln_1="1\x00 MAIN"),
            row(npi("121590003")),
        ],
    )

    summary, rejects, _ = load(path, tmp_path)

    assert (summary.read, summary.inserted, summary.out_of_scope, summary.rejected) == (3, 1, 1, 1)
    assert [(r["line"], r["field"]) for r in rejects] == [("2", "Provider First Name")]


def test_a_roster_given_as_cms_dac_is_named(db, tmp_path):
    from tests.ingest.roster_files import SAMPLE as ROSTER

    with pytest.raises(FileRefused, match="looks like a plan roster file, not a CMS Doctors"):
        load_file("cms-dac", ROSTER, tmp_path / "r.csv")
