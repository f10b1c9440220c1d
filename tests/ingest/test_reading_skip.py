"""read_csv's may_keep: lines skipped unparsed keep their line numbers and their order."""

from pathlib import Path

from ingest.reading import read_csv


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rows.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def summary(rows) -> list[tuple[int, bool, str | None]]:
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
        (2, False, "keep me"),
        (3, True, None),
        (4, False, "two\r\nlines"),
        (6, True, None),
        (7, False, "keep me too"),
    ]
    assert all(r.problem is None for r in rows)


def test_trailing_skipped_lines_and_blank_lines(tmp_path):
    path = write(tmp_path, '"id","name"\r\n"1","a"\r\n\r\n"2","b"\r\n"3","c"\r\n')

    rows = list(read_csv(path, ["id"], may_keep=lambda raw: b'"a"' in raw))

    # The blank line 3 is no record; lines 4 and 5 are skipped after the last parsed one.
    assert summary(rows) == [(2, False, "a"), (4, True, None), (5, True, None)]


def test_a_truncated_last_line_is_parsed_and_reported(tmp_path):
    path = write(tmp_path, '"id","name"\r\n"1","a"\r\n"2","cut')

    rows = list(read_csv(path, ["id"], may_keep=lambda raw: False))

    assert [(r.line, r.skipped) for r in rows] == [(2, True), (3, False)]
    assert rows[1].problem == ("(row)", "truncated last line: unterminated quoted field")


def test_without_may_keep_nothing_is_skipped(tmp_path):
    path = write(tmp_path, '"id","name"\r\n"1","a"\r\n"2","b"\r\n')

    assert summary(read_csv(path, ["id"])) == [(2, False, "a"), (3, False, "b")]
