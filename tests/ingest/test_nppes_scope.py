"""The raw-line test that skips NPPES rows unparsed: never a row in scope, most rows out of it."""

import csv
import io
from pathlib import Path

import pytest

from benchmarks.nppes_file import RowMaker
from ingest.nppes_fields import ENTITY, LAST_NAME, TAXONOMY
from ingest.nppes_scope import Scope

OTHER_ID = "Other Provider Identifier_50"  # a column after every taxonomy column


@pytest.fixture(scope="module")
def maker() -> RowMaker:
    return RowMaker(3)


@pytest.fixture(scope="module")
def raw_filter(maker, tmp_path_factory):
    path = tmp_path_factory.mktemp("scope") / "npidata.csv"
    path.write_bytes(_line(maker.header))
    return Scope().raw_filter(path)


def _line(fields: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerow(fields)
    return out.getvalue().encode("utf-8")


def _row(maker: RowMaker, index: int, **values: str) -> list[str]:
    """Row `index` with no taxonomy codes, then `values`."""
    row = maker.row(index)
    for name, value in {**dict.fromkeys(TAXONOMY, ""), **values}.items():
        row[maker.column[name]] = value
    return row


def test_no_row_in_scope_is_skipped_and_most_others_are(maker, raw_filter):
    scope = Scope()
    kept = skipped_out = out = 0
    for index in range(3000):
        row = maker.row(index)
        in_scope = scope(dict(zip(maker.header, row, strict=True)))
        passed = raw_filter(_line(row))
        assert passed or not in_scope, f"row {index} is in scope and was skipped"
        kept += in_scope
        out += not in_scope
        skipped_out += not in_scope and not passed
    assert kept > 250  # the file's ~12% in scope were all looked at
    assert skipped_out == out  # every well-formed row out of scope skipped unparsed


def test_an_organization_is_skipped_and_a_deactivated_npi_parsed(maker, raw_filter):
    code = "103T00000X"  # a psychologist's code, in scope for a person
    assert not raw_filter(_line(_row(maker, 0, **{ENTITY: "2", TAXONOMY[0]: code})))
    assert raw_filter(_line(_row(maker, 0, **{ENTITY: "", TAXONOMY[0]: ""})))
    assert raw_filter(_line(_row(maker, 0, **{ENTITY: "1", TAXONOMY[0]: code})))


def test_a_code_in_a_later_slot_or_a_typo_in_a_bh_class_is_looked_at(maker, raw_filter):
    person = {ENTITY: "1", TAXONOMY[0]: "207Q00000X"}  # family medicine first
    assert not raw_filter(_line(_row(maker, 0, **person)))
    assert raw_filter(_line(_row(maker, 0, **person, **{TAXONOMY[14]: "1041C0700X"})))
    assert raw_filter(_line(_row(maker, 0, **person, **{TAXONOMY[1]: "103TX9999X"})))
    assert not raw_filter(_line(_row(maker, 0, **person, **{TAXONOMY[1]: "208DX9999X"})))


@pytest.mark.parametrize(
    "edit",
    [
        {LAST_NAME: 'SMITH","JONES'},  # a break inside a field before the taxonomy columns
        {OTHER_ID: 'A","B'},  # and after them: the count of the rest finds it
    ],
)
def test_a_line_that_splits_oddly_is_parsed(maker, raw_filter, edit):
    out_of_scope = {ENTITY: "2", TAXONOMY[0]: "207Q00000X"}
    assert not raw_filter(_line(_row(maker, 0, **out_of_scope)))
    assert raw_filter(_line(_row(maker, 0, **out_of_scope, **edit)))


def test_a_field_too_few_or_too_many_is_parsed(maker, raw_filter):
    row = _row(maker, 0, **{ENTITY: "2"})
    assert not raw_filter(_line(row))
    assert raw_filter(_line(row[:-1]))
    assert raw_filter(_line([*row, ""]))
    assert raw_filter(_line(row[: maker.column[TAXONOMY[3]]]))  # cut before the last slot


def test_no_raw_test_when_the_last_taxonomy_column_ends_the_line(maker, tmp_path):
    last = maker.column[TAXONOMY[-1]]
    path = tmp_path / "short.csv"
    path.write_bytes(_line(maker.header[: last + 1]))
    assert Scope().raw_filter(Path(path)) is None
