"""The HSDS 3.0 read API at /hsds: programs as Open Referral publishes them, public like /api/v1.

create_app mounts hsds_blueprint, counts it against the partner rate limit, and answers errors
under /hsds/ with problem+json (400 for bad page or filter parameters, 404 for an unknown id).
"""

from hsds_api.routes import hsds_blueprint

__all__ = ["hsds_blueprint"]
