"""CDS Hooks 2.0 at /cds-services: discovery, the two services and their feedback.

create_app mounts cds_hooks_blueprint (CSRF-exempt: callers authenticate with a JWT) and has
errors under /cds-services answered with error_response's JSON body.
"""

from cds_hooks.routes import cds_hooks_blueprint, error_response

__all__ = ["cds_hooks_blueprint", "error_response"]
