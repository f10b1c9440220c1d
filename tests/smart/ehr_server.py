"""A small SMART on FHIR EHR on loopback for the launch tests: discovery, authorize, token, FHIR.

Discovery is the SMART spec's smart-configuration example with its endpoints pointed here;
/authorize approves at once (as an EHR does for a clinician already signed in) after checking
what SMART 2.x asks of the request; /token checks the PKCE verifier against the challenge and
answers with the launch patient and a signed id_token; the FHIR reads serve tests/smart/data.
`server.behaviour` makes it misbehave on purpose for the bad-input tests.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.conftest import SHARED

DATA = Path(__file__).parent / "data"
SPEC = SHARED / "referral-standards" / "smart-app-launch"
CLIENT_ID = "bh-directory"
REDIRECT_URI = "http://127.0.0.1:5000/smart/callback"
LAUNCH = "launch-for-task-ehr-launch"
FHIR_USER = "Practitioner/pcp-1"
PATIENT = "123"
GRANTED = (
    "launch openid fhirUser patient/Patient.rs patient/Coverage.rs patient/Condition.rs "
    "patient/MedicationRequest.rs patient/Observation.rs"
)


def _resources(prefix: str) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(DATA.glob(f"{prefix}-*.json"))]


def _bundle(resources: list[dict]) -> dict:
    entries = [{"resource": r} for r in resources]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}


def challenge_of(verifier: str) -> str:
    """RFC 7636 S256: base64url(SHA-256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class EhrServer:
    """The loopback EHR: `iss` is its FHIR base URL; `behaviour` switches its failures."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "ehr-key-1"})
        self.codes: dict[str, dict] = {}
        self.behaviour: dict = {}
        self.requests: list[str] = []  # every request line (path and query), for the tests
        self.tokens: set[str] = set()
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.base = f"http://127.0.0.1:{self._server.server_port}"
        self.iss = f"{self.base}/fhir"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> EhrServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def reset(self) -> None:
        self.codes.clear()
        self.behaviour.clear()
        self.requests.clear()
        self.tokens.clear()

    # --- WSGI ------------------------------------------------------------------------------

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        self.requests.append(request.full_path)
        return self._route(request)(environ, start_response)

    def _route(self, request: Request) -> Response:
        path = request.path
        routes = {
            "/fhir/.well-known/smart-configuration": self._discovery,
            "/auth/authorize": self._authorize,
            "/auth/token": self._token,
            "/auth/jwks.json": self._jwks,
        }
        if path in routes:
            return routes[path](request)
        if path.startswith("/fhir/"):
            return self._fhir(request, path.removeprefix("/fhir/"))
        return _json({"error": "not found"}, 404)

    def _discovery(self, request: Request) -> Response:
        if self.behaviour.get("discovery_down"):
            return Response("unavailable", 503)
        config = json.loads((SPEC / "smart-configuration-example.json").read_text())
        config.update(
            issuer=self.iss,
            jwks_uri=f"{self.base}/auth/jwks.json",
            authorization_endpoint=f"{self.base}/auth/authorize",
            token_endpoint=f"{self.base}/auth/token",
        )
        return _json(config)

    def _authorize(self, request: Request) -> Response:
        args = request.args
        problems = [
            args.get("response_type") != "code",
            args.get("client_id") != CLIENT_ID,
            args.get("redirect_uri") != REDIRECT_URI,
            args.get("code_challenge_method") != "S256",
            not args.get("code_challenge"),
            args.get("aud") != self.iss,
            args.get("launch") != LAUNCH,
            not args.get("state"),
        ]
        if any(problems):
            query = urlencode({"error": "invalid_request", "state": args.get("state", "")})
            return _redirect(f"{args.get('redirect_uri')}?{query}")
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "challenge": args["code_challenge"],
            "nonce": args.get("nonce"),
            "scope": args.get("scope", ""),
        }
        return _redirect(f"{REDIRECT_URI}?{urlencode({'code': code, 'state': args['state']})}")

    def _token(self, request: Request) -> Response:
        form = request.form
        granted = self.codes.pop(form.get("code", ""), None)
        if self.behaviour.get("token_error"):
            return _json({"error": "invalid_client"}, 401)
        if granted is None or form.get("grant_type") != "authorization_code":
            return _json({"error": "invalid_grant"}, 400)
        if challenge_of(form.get("code_verifier", "")) != granted["challenge"]:
            return _json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        if form.get("redirect_uri") != REDIRECT_URI or self._client(request) != CLIENT_ID:
            return _json({"error": "invalid_client"}, 401)
        access = secrets.token_urlsafe(24)
        self.tokens.add(access)
        return _json(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": self.behaviour.get("scope", GRANTED),
                "patient": self.behaviour.get("patient", PATIENT),
                "id_token": self._id_token(granted["nonce"]),
            }
        )

    def _client(self, request: Request) -> str | None:
        """The authenticated client: a public client's id, HTTP Basic, or a signed assertion."""
        if request.authorization and request.authorization.type == "basic":
            secret_ok = request.authorization.password == self.behaviour.get("client_secret")
            return request.authorization.username if secret_ok else None
        assertion = request.form.get("client_assertion")
        if assertion:
            try:
                token = jwt.decode(assertion, self.behaviour["client_key"], algorithms=["RS384"])
            except Exception:  # noqa: BLE001  (any bad assertion is an unknown client)
                return None
            good = token.claims.get("aud") == f"{self.base}/auth/token"
            return token.claims.get("iss") if good else None
        return request.form.get("client_id")

    def _id_token(self, nonce: str | None) -> str:
        now = int(time.time())
        claims = {
            "iss": self.iss,
            "sub": "pcp-1",
            "aud": self.behaviour.get("aud", CLIENT_ID),
            "nonce": self.behaviour.get("nonce", nonce),
            "fhirUser": FHIR_USER,
            "iat": now,
            "exp": now + 300,
        }
        key = self.behaviour.get("signing_key", self.key)
        return jwt.encode({"alg": "RS256", "kid": "ehr-key-1"}, claims, key)

    def _jwks(self, request: Request) -> Response:
        return _json({"keys": [self.key.as_dict(private=False)]})

    def _fhir(self, request: Request, path: str) -> Response:
        if self.behaviour.get("fhir_down"):
            return Response("unavailable", 503)
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if bearer not in self.tokens:
            return _json({"resourceType": "OperationOutcome"}, 401)
        if path == f"Patient/{PATIENT}":
            return _json(json.loads((DATA / "Patient-123.json").read_text()))
        if request.args.get("patient") != PATIENT:
            return _json(_bundle([]))
        if path == "Observation":
            # Newest first, as the app asks with _sort=-date.
            found = _resources("Observation")
            found.sort(key=lambda r: r["effectiveDateTime"], reverse=True)
            return _json(_bundle(found))
        if path in ("Coverage", "Condition", "MedicationRequest"):
            return _json(_bundle(_resources(path)))
        return _json({"resourceType": "OperationOutcome"}, 404)


def _json(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status, content_type="application/json")


def _redirect(location: str) -> Response:
    return Response("", 302, headers={"Location": location})
