"""Directory read routes: clinicians, plans and the controlled vocabularies."""

from flask import abort, current_app, request

from api import api_blueprint
from api.catalog_schemas import PlanSchema, term_json
from api.clinician_schemas import ClinicianDetailSchema, ClinicianSummarySchema
from api.directory_schemas import ClinicianQuerySchema, NpiSchema, load_args
from directory.extensions import db
from directory.queries import clinician_query, count_query, page_query, plan_query, plans_query
from directory.vocabulary import VOCABULARY_NAMES, languages, vocabulary


def _stale_after_days() -> int:
    return current_app.config["STALE_AFTER_DAYS"]


@api_blueprint.get("/clinicians")
def list_clinicians():
    """Search clinicians; {"total", "limit", "offset", "results"}."""
    criteria = load_args(ClinicianQuerySchema(), request.args)
    total = db.session.scalar(count_query(criteria))
    # Past the end there is nothing to fetch.
    page = db.session.scalars(page_query(criteria)).all() if criteria.offset < total else []
    schema = ClinicianSummarySchema(stale_after_days=_stale_after_days(), many=True)
    return {
        "total": total,
        "limit": criteria.limit,
        "offset": criteria.offset,
        "results": schema.dump(page),
    }


@api_blueprint.get("/clinicians/<npi>")
def get_clinician(npi: str):
    """One clinician by NPI; 400 if not an NPI, 404 if not listed."""
    npi = NpiSchema().load({"npi": npi})["npi"]
    clinician = db.session.scalars(clinician_query(npi)).one_or_none()
    if clinician is None:
        abort(404, description="No clinician with that NPI is listed.")
    return ClinicianDetailSchema(stale_after_days=_stale_after_days()).dump(clinician)


@api_blueprint.get("/plans")
def list_plans():
    """Every plan and network, by name."""
    plans = db.session.scalars(plans_query()).all()
    return {"total": len(plans), "results": PlanSchema(many=True).dump(plans)}


@api_blueprint.get("/plans/<plan_id>")
def get_plan(plan_id: str):
    """One plan or network by id."""
    # Ids are at most 64 printable characters; anything else cannot exist.
    if len(plan_id) > 64 or not plan_id.isprintable():
        abort(404, description="No plan or network with that id.")
    plan = db.session.scalars(plan_query(plan_id)).one_or_none()
    if plan is None:
        abort(404, description="No plan or network with that id.")
    return PlanSchema().dump(plan)


@api_blueprint.get("/vocabularies")
def list_vocabularies():
    """Every controlled vocabulary with its terms."""
    results = [
        {"name": name, "terms": [term_json(t) for t in vocabulary(name).values()]}
        for name in VOCABULARY_NAMES
    ]
    return {"total": len(results), "results": results}


@api_blueprint.get("/vocabularies/<name>")
def get_vocabulary(name: str):
    """One vocabulary's terms, in file order."""
    if name not in VOCABULARY_NAMES:
        abort(404, description="No such vocabulary; see /api/v1/vocabularies.")
    terms = [term_json(t) for t in vocabulary(name).values()]
    return {"name": name, "total": len(terms), "results": terms}


@api_blueprint.get("/languages")
def list_languages():
    """ISO 639-1 languages (code, English label, Spanish label)."""
    terms = [term_json(t) for t in languages().values()]
    return {"total": len(terms), "results": terms}
