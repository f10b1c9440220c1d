"""Application factory: `gunicorn 'app:create_app()'` or `flask --app app run`.

The composition root: the one module that imports every entry point and wires the domain's
ports (matching's backend factory and referral signals) to their adapters.
"""

import gc

from flask import Flask
from werkzeug.utils import import_string

from accounts import accounts_pages, init_accounts
from accounts.cli import apikeys_cli, orgs_cli, plans_cli, users_cli
from accounts.identity import carries_live_key
from adequacy.warm import warm as adequacy_warm
from api import build_blueprint as build_api_blueprint
from api.errors import add_error_renderer, error_body, register_api_errors
from api.health import health_blueprint
from api.rate_limits import limit_blueprint
from appointments.signals import ResponsivenessSource
from audit.cli import audit_cli
from cds_hooks import cds_hooks_blueprint, error_response
from cds_hooks.cli import cds_hooks_cli
from console import init_console
from demo.cli import demo_cli
from directory.extensions import init_migrate, login_manager
from directory.lazy_cli import LazyGroup
from edge import init_edge
from edge.extensions import csrf, limiter
from edge.memory_window import expire_in_line
from edge.rate_window import count_in_one_call
from fhir_api import fhir_blueprint, outcome_response
from hsds_api import hsds_blueprint
from ingest.cli import ingest_cli
from matching.cli import searches_cli
from matching.matcher import matcher
from outbox.cli import outbox_cli
from programs.index.keeper import program_index
from referrals.cli import referrals_cli, subscriptions_cli
from referrals.virus_scan import check_configured_address
from search import CLI_HELP, backend_factory
from smart.cli import smart_cli
from system_of_record import configure, register_records
from web.appointments import appointments_blueprint
from web.econsent import econsent_blueprint
from web.i18n import init_i18n, language_blueprint
from web.patient_notices import patient_notices_blueprint
from web.patients import patients_blueprint
from web.profiles import profiles_blueprint
from web.programs import programs_blueprint
from web.referral_status import patient_status_blueprint
from web.report import report_blueprint
from web.shortlist import shortlist_blueprint
from web.social_needs import social_needs_blueprint

FHIR_PREFIX = "/fhir"


def create_app(config: dict | None = None) -> Flask:
    """Build the app: the settings table, the environment over it, then `config` (the tests')."""
    app = Flask(__name__, instance_relative_config=True)
    configure(app, config)
    register_records(app)
    register_extensions(app)
    # After the rate limiter and CSRF hooks, before every view; a live API key may send an
    # upload view its larger body, like a signed-in user.
    init_edge(app, known_caller=carries_live_key)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def prepare_worker(app: Flask) -> None:
    """A serving process just started: build its match index now, not in the first search."""
    matcher.warm(app)
    program_index.warm(app)
    adequacy_warm(app)  # the plans and states reported lately, read in the background
    # What start-up made lives as long as the process: keep it out of the collector's full
    # passes, which otherwise stop a request for tens of milliseconds (125k objects).
    gc.freeze()


def register_extensions(app: Flask) -> None:
    """Attach the serving app's unbound extensions (the database is register_records')."""
    init_migrate(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    init_accounts(app)
    limiter.init_app(app)
    count_in_one_call(limiter)  # on Redis: one round trip per request, not three
    expire_in_line(limiter)  # in memory: no timer thread per request
    csrf.init_app(app)
    check_configured_address(app.config)  # a malformed CLAMD_ADDRESS stops start-up
    # Matching gets its retrieval (Elasticsearch over the embedded index) and its referral
    # signals (with call-back responsiveness) from here: it imports neither search nor referrals.
    matcher.init_app(app, signals=ResponsivenessSource, backend_factory=backend_factory(app))
    init_i18n(app)


def register_blueprints(app: Flask) -> None:
    """Mount the JSON API, the FHIR API and the pages."""
    app.register_blueprint(health_blueprint)
    app.register_blueprint(build_api_blueprint(), url_prefix="/api/v1")
    app.register_blueprint(fhir_blueprint, url_prefix=FHIR_PREFIX)
    # /fhir shares the partner budget with /api/v1 (one count per client across both).
    limit_blueprint(fhir_blueprint)
    app.register_blueprint(hsds_blueprint)
    limit_blueprint(hsds_blueprint)  # public reads, counted like /api/v1's
    app.register_blueprint(accounts_pages())
    app.register_blueprint(language_blueprint)
    app.register_blueprint(patients_blueprint)
    app.register_blueprint(programs_blueprint)
    app.register_blueprint(social_needs_blueprint)
    app.register_blueprint(report_blueprint)
    app.register_blueprint(patient_status_blueprint)
    app.register_blueprint(patient_notices_blueprint)
    app.register_blueprint(econsent_blueprint)
    app.register_blueprint(profiles_blueprint)
    app.register_blueprint(appointments_blueprint)
    app.register_blueprint(shortlist_blueprint)
    # EHRs authenticate with a signed JWT in the Authorization header, never a cookie.
    csrf.exempt(cds_hooks_blueprint)
    app.register_blueprint(cds_hooks_blueprint)
    init_console(app)


def register_errorhandlers(app: Flask) -> None:
    """JSON errors under /api, OperationOutcomes under /fhir, never a bare 500."""
    register_api_errors(app)
    # 404s of unknown /fhir paths too: the prefix, not the blueprint, decides.
    add_error_renderer(app, FHIR_PREFIX + "/", outcome_response)
    add_error_renderer(app, "/hsds/", error_body)
    add_error_renderer(app, "/cds-services", error_response)


def register_commands(app: Flask) -> None:
    """Flask CLI groups."""
    app.cli.add_command(ingest_cli)
    app.cli.add_command(referrals_cli)
    app.cli.add_command(subscriptions_cli)
    app.cli.add_command(demo_cli)
    # search.cli imports the Elasticsearch client: only `flask search ...` loads it.
    search_cli = LazyGroup("search", lambda: import_string("search.cli:search_cli"), help=CLI_HELP)
    app.cli.add_command(search_cli)
    clis = (
        users_cli,
        apikeys_cli,
        orgs_cli,
        audit_cli,
        searches_cli,
        cds_hooks_cli,
        smart_cli,
        outbox_cli,
        plans_cli,
    )
    for group in clis:
        app.cli.add_command(group)
