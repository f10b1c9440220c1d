"""The benchmark's ZIP variant: every 10th row's ZIP replaced in turn, the rest untouched."""

import csv

from benchmarks.nppes_zips import POSTAL, write_zip_variant


def test_every_tenth_row_gets_a_unique_a_made_up_or_a_stripped_zip(tmp_path):
    plain = tmp_path / "plain.csv"
    with plain.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["NPI", POSTAL])
        writer.writerows([str(i), "021391234"] for i in range(31))

    variant = write_zip_variant(plain, tmp_path / "variant.csv")

    with variant.open(encoding="utf-8", newline="") as f:
        zips = [row[POSTAL] for row in csv.DictReader(f)]
    assert [zips[i] for i in (0, 10, 20, 30)] == ["06030", "00000", "2139", "06030"]
    assert zips.count("021391234") == 27
