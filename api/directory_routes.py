"""Directory read routes: clinicians, plans and the controlled vocabularies."""

from flask import abort, current_app, request
from sqlalchemy import func, select

from api.catalog_schemas import PlanSchema, term_json
from api.clinician_schemas import ClinicianDetailSchema, ClinicianSummarySchema
from api.conditional import conditional_json, latest, stale_since, table_changed_at
from api.directory_schemas import ClinicianQuerySchema, NpiSchema, load_args
from api.page_schemas import PageArgsSchema
from api.paging import page_body
from api.routing import Routes
from directory.extensions import db
from directory.facts import clinician as subject
from directory.facts import current, current_many
from directory.models import Clinician, Network
from directory.queries import clinician_query, count_query, page_query, plan_query, plans_query
from directory.vocabulary import VOCABULARY_NAMES, languages, vocabulary

routes = Routes()


def _stale_after_days() -> int:
    return current_app.config["STALE_AFTER_DAYS"]


@routes.get("/clinicians")
def list_clinicians():
    """Search clinicians; {"total", "limit", "offset", "next", "prev", "results"}."""
    criteria = load_args(ClinicianQuerySchema(), request.args)
    total = db.session.scalar(count_query(criteria))
    # Past the end there is nothing to fetch.
    page = db.session.scalars(page_query(criteria)).all() if criteria.offset < total else []
    days = _stale_after_days()
    findings = current_many("clinician", [c.id for c in page])
    schema = ClinicianSummarySchema(stale_after_days=days, findings=findings, many=True)
    body = page_body(schema.dump(page), total, criteria.limit, criteria.offset)
    changed = latest(
        [table_changed_at(Clinician), table_changed_at(Network)]
        + [stale_since(c.verified_at, days) for c in page]
    )
    return conditional_json(body, changed, {"next": body["next"], "prev": body["prev"]})


@routes.get("/clinicians/<npi>")
def get_clinician(npi: str):
    """One clinician by NPI; 400 if not an NPI, 404 if not listed."""
    npi = NpiSchema().load({"npi": npi})["npi"]
    clinician = db.session.scalars(clinician_query(npi)).one_or_none()
    if clinician is None:
        abort(404, description="No clinician with that NPI is listed.")
    days = _stale_after_days()
    findings = {clinician.id: current(subject(clinician.id))}
    body = ClinicianDetailSchema(stale_after_days=days, findings=findings).dump(clinician)
    return conditional_json(
        body, latest([clinician.updated_at, stale_since(clinician.verified_at, days)])
    )


@routes.get("/plans")
def list_plans():
    """Plans and networks by name, a page at a time."""
    args = load_args(PageArgsSchema(), request.args)
    total = db.session.scalar(select(func.count(Network.id)))
    query = plans_query().limit(args["limit"]).offset(args["offset"])
    plans = db.session.scalars(query).all() if args["offset"] < total else []
    body = page_body(PlanSchema(many=True).dump(plans), total, args["limit"], args["offset"])
    links = {"next": body["next"], "prev": body["prev"]}
    return conditional_json(body, table_changed_at(Network), links)


@routes.get("/plans/<plan_id>")
def get_plan(plan_id: str):
    """One plan or network by id."""
    # Ids are at most 64 printable characters; anything else cannot exist.
    if len(plan_id) > 64 or not plan_id.isprintable():
        abort(404, description="No plan or network with that id.")
    plan = db.session.scalars(plan_query(plan_id)).one_or_none()
    if plan is None:
        abort(404, description="No plan or network with that id.")
    changed = latest([plan.updated_at, *(n.updated_at for n in plan.networks)])
    return conditional_json(PlanSchema().dump(plan), changed)


@routes.get("/vocabularies")
def list_vocabularies():
    """Every controlled vocabulary with its terms."""
    results = [
        {"name": name, "terms": [term_json(t) for t in vocabulary(name).values()]}
        for name in VOCABULARY_NAMES
    ]
    return {"total": len(results), "results": results}


@routes.get("/vocabularies/<name>")
def get_vocabulary(name: str):
    """One vocabulary's terms, in file order."""
    if name not in VOCABULARY_NAMES:
        abort(404, description="No such vocabulary; see /api/v1/vocabularies.")
    terms = [term_json(t) for t in vocabulary(name).values()]
    return {"name": name, "total": len(terms), "results": terms}


@routes.get("/languages")
def list_languages():
    """ISO 639-1 languages (code, English label, Spanish label)."""
    terms = [term_json(t) for t in languages().values()]
    return {"total": len(terms), "results": terms}
