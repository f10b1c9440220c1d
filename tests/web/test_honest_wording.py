"""Ages and distances in plain words, never more precise than what we know."""

import pytest

from pages.ages import age_text, verified_text
from pages.contact import phone_text
from pages.places import distance_text, precision_note


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (0, "today"),
        (1, "1 day ago"),
        (59, "59 days ago"),
        (60, "2 months ago"),
        (200, "6 months ago"),
        (365, "12 months ago"),
        (366, "over a year ago"),
        (7089, "over a year ago"),
    ],
)
def test_an_age_reads_in_plain_words(app, days, words):
    with app.test_request_context():
        assert age_text(days) == words


@pytest.mark.parametrize(
    ("days", "stale", "words"),
    [
        (None, True, "Not yet verified: call to confirm"),
        (3, False, "Listing verified 3 days ago"),
        (0, False, "Listing verified today"),
        (90, True, "Last verified 3 months ago: call to confirm"),
        (7089, True, "Not verified in over a year: call to confirm"),
    ],
)
def test_the_listing_verification_in_words(app, days, stale, words):
    with app.test_request_context():
        assert verified_text(days, stale) == words


@pytest.mark.parametrize(
    ("miles", "precision", "words"),
    [
        (0.04, "address", "0 mi away"),
        (0.04, "zcta_centroid", "In your ZIP code area"),
        (0.04, "zip_centroid", "In your ZIP code area"),
        (0.05, "zcta_centroid", "0.1 mi away"),
        (2.5, "zcta_centroid", "2.5 mi away"),
    ],
)
def test_zero_miles_is_said_only_of_an_address_point(app, miles, precision, words):
    with app.test_request_context():
        assert distance_text(miles, precision) == words


def test_an_approximate_or_unplaced_location_is_said_plainly(app):
    with app.test_request_context():
        assert precision_note("zip_centroid") == "Location approximate (ZIP centre)"
        assert precision_note("city") == "Location approximate (city centre)"
        assert precision_note("none") == "Address could not be placed on a map"
        assert precision_note("address") is None and precision_note("zcta_centroid") is None


def test_spanish_words_for_an_old_listing(app):
    with app.test_request_context(headers={"Accept-Language": "es"}):
        assert verified_text(7089, True) == (
            "Sin verificar desde hace más de un año: llame para confirmar"
        )


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("617-555-0100", "(617) 555-0100"),
        ("6175550100", "(617) 555-0100"),
        ("+1 617 555 0100", "(617) 555-0100"),
        ("617.555.0100 x12", "(617) 555-0100 ext. 12"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("call the front desk", "call the front desk"),
        ("555", "555"),
    ],
)
def test_phones_are_written_the_way_people_read_them(given, shown):
    assert phone_text(given) == shown
