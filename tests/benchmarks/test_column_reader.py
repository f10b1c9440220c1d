"""The column-selective reader counts what csv.reader counts, over the loader's columns only."""

import csv

import pytest

from benchmarks import column_reader, parts
from benchmarks.nppes_file import write_nppes
from ingest.nppes_fields import USED

pytest.importorskip("pyarrow")


def test_it_reads_every_row_of_the_loaders_columns(tmp_path):
    path = write_nppes(tmp_path / "nppes.csv", 300, seed=5)
    with path.open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    found = column_reader.count_rows(str(path))
    assert found["rows"] == 300
    # The generated file has the current layout: every used column but the older names.
    assert found["columns"] == len([c for c in USED if c in header]) == 78
    assert found["seconds"] > 0 and found["cpu_seconds"] >= 0


def test_a_header_with_a_byte_order_mark_and_one_wanted_column(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text('\ufeff"NPI","Other"\n"1234567893","x"\n"1234567901","y"\n', "utf-8")
    assert column_reader.wanted_columns(str(path)) == ["NPI"]
    assert column_reader.count_rows(str(path))["rows"] == 2


class Figures:
    def __init__(self):
        self.added = []

    def add(self, name, size, value, unit, **extra):
        self.added.append((name, size, value, unit))


def test_its_figures_sit_beside_the_floor():
    found = {
        "csv_floor": {"rate": 60000.0},
        "column_reader": {"rate": 240000.0, "peak_rss_mb": 116.2, "columns": 74},
    }
    rec = Figures()
    parts._column_reader(rec, "nppes 1M rows", found)
    assert rec.added == [
        ("ingest_nppes_column_reader_rate", "nppes 1M rows", 240000.0, "rows/s"),
        ("ingest_nppes_column_reader_rss", "nppes 1M rows", 116.2, "MB"),
        ("ingest_nppes_column_reader_vs_csv_floor", "nppes 1M rows", 4.0, "x"),
    ]
    skipped = Figures()
    parts._column_reader(skipped, "nppes 1M rows", {"column_reader": None})
    assert skipped.added == []
