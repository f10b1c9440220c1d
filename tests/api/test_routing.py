"""Route modules declare routes; the API blueprint is built from them inside create_app."""

from flask import Blueprint, Flask

from api import ROUTE_MODULES, build_blueprint
from api.routing import Routes


class Refused(Exception):
    """An error a view raises."""


def _app(routes: Routes) -> Flask:
    app = Flask(__name__)
    blueprint = Blueprint("demo", __name__)
    routes.register(blueprint)
    app.register_blueprint(blueprint, url_prefix="/v1")
    return app


def test_declared_routes_reach_the_blueprint_only_when_registered():
    routes = Routes()

    @routes.get("/things/<int:thing_id>")
    def read_thing(thing_id: int):
        return {"id": thing_id}

    @routes.post("/things")
    def create_thing():
        raise Refused()

    @routes.errorhandler(Refused)
    def refused(_err):
        return {"refused": True}, 409

    assert read_thing(3) == {"id": 3}  # the decorator hands back the view itself
    client = _app(routes).test_client()

    assert client.get("/v1/things/3").get_json() == {"id": 3}
    assert client.post("/v1/things").status_code == 409
    assert client.put("/v1/things").status_code == 405
    rules = {r.rule: r.endpoint for r in _app(routes).url_map.iter_rules()}
    assert rules["/v1/things/<int:thing_id>"] == "demo.read_thing"


def test_each_app_gets_a_fresh_api_blueprint_holding_every_route_module():
    first, second = build_blueprint(), build_blueprint()

    assert first is not second
    assert [m.__name__ for m in ROUTE_MODULES] == [
        "api.changes",
        "api.directory_routes",
        "api.docs_routes",
        "api.matches",
        "api.programs",
        "api.referrals",
        "api.referral_coordination",
        "api.referral_returns",
        "api.referral_messages",
        "api.referral_errors",
        "api.screenings",
        "api.episodes",
        "api.care_plan",
        "api.registry",
        "api.report_routes",
        "api.analytics",
        "api.adequacy",
    ]


def test_the_api_routes_are_mounted_under_api_v1(app):
    endpoints = {r.endpoint: r.rule for r in app.url_map.iter_rules()}

    assert endpoints["api.create_matches"] == "/api/v1/matches"
    assert endpoints["api.openapi_document"] == "/api/v1/openapi.json"
    assert endpoints["health.healthz"] == "/healthz"
    assert endpoints["fhir.metadata"] == "/fhir/metadata"
