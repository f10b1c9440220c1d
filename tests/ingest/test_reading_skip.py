"""read_csv's may_keep: lines skipped unparsed keep their line numbers and their order."""

from pathlib import Path

from ingest.reading import read_csv


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rows.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def summary(rows) -> list[tuple[int, int, str | None]]:
    return [(r.line, r.skipped, r.values.get("name")) for r in rows]


def test_skipped_lines_keep_order_and_line_numbers(tmp_path):
    path = write(
        tmp_path,
        '"id","name"\r\n'
        '"1","keep me"\r\n'
        '"2","drop"\r\n'
        '"3","two\r\nlines"\r\n'  # a quoted line break: never skipped, even if dropped
        '"4","drop"\r\n'
        '"5","keep me too"\r\n',
    )

    rows = list(read_csv(path, ["id"], may_keep=lambda raw: b"keep" in raw))

    assert summary(rows) == [
        (2, 0, "keep me"),
        (3, 1, None),
        (4, 0, "two\r\nlines"),
        (6, 1, None),
        (7, 0, "keep me too"),
    ]
    assert all(r.problem is None for r in rows)


def test_trailing_skipped_lines_and_blank_lines(tmp_path):
    path = write(tmp_path, '"id","name"\r\n"1","a"\r\n\r\n"2","b"\r\n"3","c"\r\n')

    rows = list(read_csv(path, ["id"], may_keep=lambda raw: b'"a"' in raw))

    # The blank line 3 is no record; lines 4 and 5 are skipped after the last parsed one: one
    # run of two records.
    assert summary(rows) == [(2, 0, "a"), (4, 2, None)]


def test_a_blank_line_splits_a_run_of_skipped_records(tmp_path):
    path = write(tmp_path, '"id","name"\r\n"1","a"\r\n"2","b"\r\n\r\n"3","c"\r\n"4","d"\r\n')

    rows = list(read_csv(path, ["id"], may_keep=lambda raw: b'"d"' in raw))

    assert summary(rows) == [(2, 2, None), (5, 1, None), (6, 0, "d")]


def test_a_truncated_last_line_is_parsed_and_reported(tmp_path):
    path = write(tmp_path, '"id","name"\r\n"1","a"\r\n"2","cut')

    rows = list(read_csv(path, ["id"], may_keep=lambda raw: False))

    assert [(r.line, r.skipped) for r in rows] == [(2, 1), (3, 0)]
    assert rows[1].problem == ("(row)", "truncated last line: unterminated quoted field")


def test_without_may_keep_nothing_is_skipped(tmp_path):
    path = write(tmp_path, '"id","name"\r\n"1","a"\r\n"2","b"\r\n')

    assert summary(read_csv(path, ["id"])) == [(2, 0, "a"), (3, 0, "b")]
