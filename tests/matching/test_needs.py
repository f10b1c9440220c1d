"""NeedsSchema: raw input to a resolved Needs, and field errors for what cannot be resolved."""

import pytest
from marshmallow import ValidationError

from directory.geography import AddressGeocoder, DisabledGeocoder, Point
from matching.needs import PlanScope
from matching.needs_schema import NeedsSchema

GOLD = PlanScope("Gold", "Acme Gold", frozenset({"Gold", "GoldNet"}))


class OneAddress(AddressGeocoder):
    """Knows one address; records what it was asked."""

    def __init__(self):
        self.asked = []

    def locate(self, address):
        self.asked.append(address)
        return Point(41.8781, -87.6298) if address == "233 S Wacker Dr, Chicago" else None


class Broken(AddressGeocoder):
    def locate(self, address):
        raise TimeoutError("geocoder down")


def load(raw, geocoder=None, max_limit=100):
    schema = NeedsSchema(
        plans={"Gold": GOLD}.get, geocoder=geocoder or DisabledGeocoder(), max_limit=max_limit
    )
    return schema.load(raw)


def errors(raw, **kwargs):
    with pytest.raises(ValidationError) as caught:
        load(raw, **kwargs)
    return caught.value.normalized_messages()


def test_defaults():
    needs = load({"postal_code": "02139"})

    assert needs.point == Point(42.362391, -71.102336)
    assert needs.state == "MA"
    assert (needs.max_distance_miles, needs.modality, needs.accepting_new_patients) == (
        25.0,
        "in_person",
        True,
    )
    assert needs.required == frozenset({"specialties", "accessibility"})
    assert (needs.limit, needs.offset, needs.plan, needs.crisis) == (20, 0, None, False)


def test_a_usps_zip_that_is_no_zcta_is_searched_from_its_usps_point():
    needs = load({"postal_code": "06030"})  # UConn Health's own ZIP

    assert (needs.point, needs.state) == (Point(41.7918, -72.7188), "CT")


def test_everything_resolves():
    needs = load(
        {
            "postal_code": "60601-1234",
            "plan": "Gold",
            "concerns": ["anxiety"],
            "diagnoses": ["f329", "Z59.82"],
            "specialties": ["103t00000x"],
            "age": 17,
            "languages": "ES, pt",
            "clinician_gender": "female",
            "cultural_preferences": ["lgbtq_affirming"],
            "modality": "either",
            "accessibility": ["wheelchair"],
            "availability": ["evening"],
            "max_wait_days": 14,
            "required": "languages",
            "preferred": ["accessibility"],
            "limit": 5,
            "offset": 10,
        }
    )

    assert needs.state == "IL"
    assert needs.plan == GOLD
    assert needs.concerns == ("anxiety", "depression")  # depression from F32.9
    assert [d.code for d in needs.diagnoses] == ["F32.9", "Z59.82"]
    assert needs.transport_insecure
    assert "103TC0700X" in needs.specialty_codes and "103T00000X" in needs.specialty_codes
    assert needs.age_groups == frozenset({"adolescents"})
    assert needs.languages == ("es", "pt")
    assert needs.required == frozenset({"languages", "specialties"})
    assert (needs.limit, needs.offset) == (5, 10)


def test_lat_lon_find_their_state():
    needs = load({"lat": 41.88, "lon": -87.63})

    assert (needs.point, needs.state) == (Point(41.88, -87.63), "IL")


def test_an_explicit_state_wins():
    assert load({"postal_code": "02139", "state": "ri"}).state == "RI"


def test_address_goes_through_the_geocoder():
    geocoder = OneAddress()

    needs = load({"address": "233 S Wacker Dr, Chicago"}, geocoder=geocoder)

    assert (needs.point, needs.state) == (Point(41.8781, -87.6298), "IL")
    assert geocoder.asked == ["233 S Wacker Dr, Chicago"]


@pytest.mark.parametrize("geocoder", [OneAddress(), Broken(), DisabledGeocoder()])
def test_an_address_that_cannot_be_found_is_a_field_error(geocoder):
    assert set(errors({"address": "nowhere at all"}, geocoder=geocoder)) == {"address"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"postal_code": "99999"}, {"postal_code": ["unknown ZIP code"]}),
        ({"postal_code": "0213"}, {"postal_code": ["not a ZIP code"]}),
        ({"postal_code": "02139", "lat": 1, "lon": 2}, {"location": None}),
        ({"lon": 2}, {"lat": ["lat and lon go together"]}),
        ({"postal_code": "02139", "plan": "Silver"}, {"plan": None}),
        ({"postal_code": "02139", "state": "ZZ"}, {"state": ["not a US state code"]}),
        ({"postal_code": "02139", "concerns": ["sad", "anxiety", "mad"]}, {"concerns": None}),
        ({"postal_code": "02139", "diagnoses": ["F32.9", "nope"]}, {"diagnoses": None}),
        ({"postal_code": "02139", "lat": 91, "lon": 0}, {"lat": None, "location": None}),
        ({"postal_code": "02139", "max_wait_days": -1}, {"max_wait_days": None}),
        ({"postal_code": "02139", "limit": 0}, {"limit": None}),
        ({"postal_code": "02139", "age": 131}, {"age": None}),
        ({"postal_code": "02139", "availability": ["midnight"]}, {"availability": None}),
        ({"postal_code": "02139", "clinician_gender": "any"}, {"clinician_gender": None}),
        ({"postal_code": "02139", "preferred": ["age"]}, {"preferred": None}),
    ],
)
def test_field_errors(raw, expected):
    found = errors(raw)

    assert set(found) == set(expected)
    for field, messages in expected.items():
        if messages is not None:
            assert found[field] == messages


def test_unknown_codes_are_named():
    found = errors({"postal_code": "02139", "concerns": ["sad", "anxiety", "mad"]})

    assert found["concerns"] == ["unknown concern code: sad, mad"]


def test_required_and_preferred_cannot_overlap():
    found = errors({"postal_code": "02139", "required": ["languages"], "preferred": ["languages"]})

    assert found == {"required": ["listed as both required and preferred: languages"]}


def test_limit_is_capped_by_the_caller():
    assert set(errors({"postal_code": "02139", "limit": 11}, max_limit=10)) == {"limit"}


def test_one_callers_cap_does_not_leak_into_another_schema():
    errors({"postal_code": "02139", "limit": 11}, max_limit=10)
    assert load({"postal_code": "02139", "limit": 50}, max_limit=100).limit == 50


def test_crisis_from_a_concern():
    assert load({"postal_code": "02139", "concerns": ["suicidal_ideation"]}).crisis


def test_well_formed_codes_outside_behavioral_health_are_kept_aside():
    needs = load({"postal_code": "02139", "diagnoses": ["E11.9", "F41.1"]})

    assert needs.ignored_diagnoses == ("E11.9",)
    assert needs.concerns == ("anxiety",)


def test_one_schema_serves_many_loads_and_asks_for_each_plan_once():
    directory = {"Gold": GOLD}
    asked = []

    def plans(plan_id):
        asked.append(plan_id)
        return directory.get(plan_id)

    schema = NeedsSchema(plans=plans, geocoder=DisabledGeocoder())
    assert schema.load({"postal_code": "02139", "plan": "Gold"}).plan == GOLD
    with pytest.raises(ValidationError) as caught:
        schema.load({"postal_code": "02139", "plan": "Silver"})
    assert set(caught.value.normalized_messages()) == {"plan"}
    # Nothing is remembered between loads: a plan added since is found.
    directory["Silver"] = PlanScope("Silver", "Acme Silver", frozenset({"Silver"}))
    assert schema.load({"postal_code": "02139", "plan": "Silver"}).plan.id == "Silver"
    assert schema.load({"postal_code": "02139"}).plan is None
    assert asked == ["Gold", "Silver", "Silver"]


def test_a_plan_id_too_long_is_refused_before_the_look_up():
    def plans(plan_id):
        raise AssertionError("looked up")

    schema = NeedsSchema(plans=plans, geocoder=DisabledGeocoder())
    with pytest.raises(ValidationError) as caught:
        schema.load({"postal_code": "02139", "plan": "x" * 65})
    assert "plan" in caught.value.normalized_messages()
