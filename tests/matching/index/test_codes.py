"""Code books and code-set columns: masks, overlaps, covers, wide books."""

import numpy as np

from matching.index.codes import CodeBook, CodeColumn


def test_book_numbers_codes_in_order_and_ignores_unknown_codes_in_masks():
    book = CodeBook(["es", "pt"])

    assert book.bit("es") == 0 and book.bit("zh") == 2
    assert book.mask(["pt", "xx"]) == 0b10
    assert book.codes(0b101) == frozenset({"es", "zh"})
    assert book.knows_all(["es"]) and not book.knows_all(["es", "xx"])


def test_column_overlaps_covers_and_empty():
    book = CodeBook(["a", "b", "c"])
    column = CodeColumn.from_masks([0b001, 0b011, 0, 0b110], book)
    rows = np.arange(4)

    assert column.values.dtype == np.uint8
    assert column.overlaps(rows, book.mask(["b"])).tolist() == [False, True, False, True]
    assert column.covers(rows, book.mask(["a", "b"])).tolist() == [False, True, False, False]
    assert column.empty(rows).tolist() == [False, False, True, False]
    assert column.overlaps(rows, 0).tolist() == [False] * 4
    assert column.codes(3) == {"b", "c"}


def test_a_book_of_more_than_64_codes_uses_words():
    book = CodeBook(f"code{i}" for i in range(130))
    wanted = book.mask(["code3", "code129"])
    column = CodeColumn.from_pairs(3, np.array([0, 1, 1, 2]), np.array([129, 3, 129, 64]), book)
    rows = np.arange(3)

    assert column.values.shape == (3, 3)
    assert column.overlaps(rows, wanted).tolist() == [True, True, False]
    assert column.covers(rows, wanted).tolist() == [False, True, False]
    assert column.codes(2) == {"code64"}
    assert column.take(np.array([2, 0])).codes(1) == {"code129"}
    assert column.take(np.array([2, 0, 1])).holds_any(wanted).tolist() == [False, True, True]


def test_holds_any_answers_overlaps_for_a_taken_column():
    book = CodeBook(["a", "b", "c"])
    column = CodeColumn.from_masks([0b001, 0b011, 0, 0b110], book)
    taken = column.take(np.array([3, 3, 0, 2]))

    assert taken.holds_any(book.mask(["b"])).tolist() == [True, True, False, False]
    assert taken.holds_any(book.mask(["a", "c"])).tolist() == [True, True, True, False]
    assert taken.holds_any(0).tolist() == [False] * 4


def test_from_pairs_sets_every_bit_a_row_holds():
    book = CodeBook(["x", "y"])
    column = CodeColumn.from_pairs(2, np.array([1, 1, 1]), np.array([0, 1, 0]), book)

    assert column.codes(0) == frozenset()
    assert column.codes(1) == {"x", "y"}
