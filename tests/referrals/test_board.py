"""The board's GET arguments: empty choices drop out, bad ones are refused."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from referrals.board import BoardArgsSchema


def test_no_arguments_mean_no_filters():
    assert BoardArgsSchema().load({}) == {"status": None, "overdue": False, "clinician": None}


def test_empty_choices_are_no_filters_and_unknown_arguments_are_ignored():
    loaded = BoardArgsSchema().load({"status": "", "clinician": "", "page": "2"})
    assert loaded == {"status": None, "overdue": False, "clinician": None}


def test_filters_load_typed():
    loaded = BoardArgsSchema().load({"status": "scheduled", "overdue": "1", "clinician": "7"})
    assert loaded == {"status": "scheduled", "overdue": True, "clinician": 7}


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", "lost"), ("clinician", "0"), ("clinician", str(2**31)), ("overdue", "maybe")],
)
def test_bad_values_are_refused(field, value):
    with pytest.raises(ValidationError) as err:
        BoardArgsSchema().load({field: value})
    assert list(err.value.messages) == [field]
