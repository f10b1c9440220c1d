"""Fixtures shared by the index's tests."""

import pytest

from matching.index import refine


@pytest.fixture(params=["whole", "cut"])
def field_cut(request, monkeypatch):
    """Run once as configured and once with the field cut by fit and distance whenever it holds
    more rows than the page wants (refine.py cuts only large fields: the tests' are small)."""
    if request.param == "cut":
        monkeypatch.setattr(refine, "SAMPLE_PER_WANTED", 1)
    return request.param
