"""Names from files written in capitals, as the people write them."""

import pytest

from directory.names import person_name


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("MARY O'NEIL-MCDONALD", "Mary O'Neil-McDonald"),
        ("JOHN SMITH III", "John Smith III"),
        ("ANGUS MACDONALD", "Angus MacDonald"),
        ("ROSA MACHADO", "Rosa Machado"),  # not a Mac-name
        ("DANA MACK", "Dana Mack"),
        ("D'ANGELO", "D'Angelo"),
        ("MARY  ANN", "Mary  Ann"),
        ("mcgee", "McGee"),
        ("J", "J"),
        ("McDonald-de la Cruz", "McDonald-de la Cruz"),  # mixed case: as the person wrote it
        ("", ""),
        (None, None),
    ],
)
def test_a_shouted_name_is_written_as_a_name(given, written):
    assert person_name(given) == written
