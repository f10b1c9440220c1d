"""The on-disk spill: every key's rows together, in file order, whatever order they came in."""

from pathlib import Path

from ingest.spill import Spill


def test_rows_come_back_grouped_by_key_in_line_order():
    with Spill() as spill:
        for key, line in [(3, 2), (1, 3), (3, 4), (2, 5), (1, 6)]:
            spill.add(key, line, [f"row {line}", None, [line]])

        groups = list(spill.groups())

    assert spill.count == 5
    assert groups == [
        (1, [(3, ["row 3", None, [3]]), (6, ["row 6", None, [6]])]),
        (2, [(5, ["row 5", None, [5]])]),
        (3, [(2, ["row 2", None, [2]]), (4, ["row 4", None, [4]])]),
    ]


def test_more_rows_than_one_write_are_all_kept():
    with Spill() as spill:
        for line in range(25_001):
            spill.add(line % 7, line, [])

        sizes = {key: len(rows) for key, rows in spill.groups()}

    assert sizes == {0: 3572, 1: 3572, 2: 3572, 3: 3572, 4: 3571, 5: 3571, 6: 3571}


def test_the_temporary_file_is_gone_after_close():
    spill = Spill()
    folder = spill._dir.name
    spill.close()

    assert not Path(folder).exists()
