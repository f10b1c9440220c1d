"""gunicorn settings: `gunicorn -c gunicorn.conf.py 'app:create_app()'`."""

import multiprocessing
import os
import re

from gunicorn.glogging import Logger

# Loopback only by default: put a TLS-terminating proxy in front (nginx, a load balancer) and
# set FORWARDED_ALLOW_IPS to its address; GUNICORN_BIND=0.0.0.0:8000 inside a container.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound; rarely, since a new
# worker rebuilds its match index (seconds at 100k clinicians, under a minute at 1M).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "200000"))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
# No query string, no body, no headers: a referral or a search can carry PHI.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(L)ss'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# A consent link's token opens the patient's release for days: the path is logged without it.
_CONSENT_LINK = re.compile(r"(^|\s)/consent/[^/\s?]+")


def redacted_path(path: str) -> str:
    """A path (or request line) as the access log shows it: a consent link's token masked."""
    return _CONSENT_LINK.sub(r"\1/consent/[token]", path or "")


class RedactingLogger(Logger):
    """gunicorn's logger, with the access line's path passed through redacted_path."""

    def atoms(self, resp, req, environ, request_time):
        """The access line's fields, the path without a consent token."""
        found = super().atoms(resp, req, environ, request_time)
        for name in ("U", "r"):
            found[name] = redacted_path(found.get(name, ""))
        return found


logger_class = RedactingLogger


def post_worker_init(worker):
    """Start building the worker's match index now; start-up objects out of the collector."""
    from app import prepare_worker  # in the worker after the fork: the master never loads the app

    prepare_worker(worker.wsgi)


def worker_exit(server, worker):
    """A worker is stopping: checkpoint the audit log's head outside the database."""
    from audit.checkpoints import checkpoint_on_exit

    checkpoint_on_exit(worker.wsgi)
