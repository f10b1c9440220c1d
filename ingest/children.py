"""Child rows kept in step with what a record says about them."""

from collections.abc import Callable, Hashable


def sync_rows(
    rows: list,
    wanted: dict[Hashable, dict],
    key_of: Callable[[object], Hashable],
    make: Callable[[Hashable, dict], object],
    removable: Callable[[object], bool] = lambda row: True,
) -> None:
    """Make `rows` match `wanted` by key, updating kept rows in place."""
    # In place, because a delete and re-insert of one key breaks unique constraints in a flush.
    have = {key_of(row): row for row in rows}
    for key, row in have.items():
        if key not in wanted and removable(row):
            rows.remove(row)
    for key, attrs in wanted.items():
        row = have.get(key)
        if row is None:
            rows.append(make(key, attrs))
            continue
        for name, value in attrs.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
