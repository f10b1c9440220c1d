"""A loopback FHIR server for missing prefetch: canned answers by path, every request recorded."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Seen:
    """One request as the server saw it."""

    path: str
    authorization: str | None


class _Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client that gave up is expected here; no traceback."""


class FhirServer:
    """Answers GET <path> from `answers` (path and query as sent), else 404."""

    def __init__(self):
        self.answers: dict[str, tuple[int, object]] = {}
        self.seen: list[Seen] = []
        self.redirect_to: str | None = None
        self._server = _Quiet(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """The FHIR base URL."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/fhir"

    def answer(self, path: str, body: object, status: int = 200) -> None:
        """Answer GET /fhir/<path> with `body`."""
        self.answers[f"/fhir/{path}"] = (status, body)

    def start(self) -> FhirServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()


def _handler(fhir: FhirServer):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args):
            """No access log on the test output."""

        def do_GET(self):  # noqa: N802 (http.server's name)
            fhir.seen.append(Seen(self.path, self.headers.get("Authorization")))
            if fhir.redirect_to is not None:
                self.send_response(302)
                self.send_header("Location", fhir.redirect_to)
                self.end_headers()
                return
            status, body = fhir.answers.get(self.path, (404, {"resourceType": "OperationOutcome"}))
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/fhir+json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    return Handler
