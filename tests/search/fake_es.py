"""A loopback HTTP server answering like Elasticsearch 9 for the requests the search package sends.

It keeps indices, aliases and externally versioned documents in memory, records every request
(so tests can validate the bodies against the spec), evaluates the query subset we build (see
fake_query.py), and injects faults: whole-request errors, per-item bulk rejections (429) and
slow answers. It binds 127.0.0.1 only.
"""

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.search.fake_query import run_search

HEADERS = {"X-Elastic-Product": "Elasticsearch", "Content-Type": "application/json"}


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    params: dict
    body: object  # parsed JSON, a list of NDJSON lines, or None


@dataclass
class Index:
    """One concrete index."""

    settings: dict
    mappings: dict
    docs: dict = field(default_factory=dict)  # id -> (version, source)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A client that timed out and hung up is expected here; no traceback."""


def closed_port() -> int:
    """A loopback port nothing listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FakeElasticsearch:
    """The state and the fault switches; `url` is what ELASTICSEARCH_URL should be."""

    def __init__(self):
        self.indices: dict[str, Index] = {}
        self.aliases: dict[str, set[str]] = {}
        self.requests: list[Recorded] = []
        self.delay_seconds = 0.0
        self.failures: list[tuple[str, int]] = []  # (path fragment, status), used once each
        self.item_rejections = 0  # the next N bulk items answer 429
        self.always_rejected: set[str] = set()  # document ids that always answer 429
        self.lock = threading.RLock()
        self._server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        # A short poll so stop() returns at once (the default waits up to half a second).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """http://127.0.0.1:<port>."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "FakeElasticsearch":
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()

    def fail(self, path_fragment: str, status: int, times: int = 1) -> None:
        """Answer the next `times` requests whose path contains `path_fragment` with `status`."""
        self.failures.extend([(path_fragment, status)] * times)

    def resolve(self, name: str) -> list[str]:
        """Concrete index names behind an index, alias or comma list."""
        found: list[str] = []
        for part in name.split(","):
            if part in self.aliases:
                found.extend(sorted(self.aliases[part]))
            elif part in self.indices:
                found.append(part)
        return found

    def documents(self, name: str) -> dict[str, dict]:
        """id -> source of every document behind `name`."""
        return {
            doc_id: source
            for index in self.resolve(name)
            for doc_id, (_version, source) in self.indices[index].docs.items()
        }

    def bodies(self, method: str, path_suffix: str) -> list:
        """Bodies of the recorded requests with this method whose path ends so."""
        return [
            r.body for r in self.requests if r.method == method and r.path.endswith(path_suffix)
        ]

    # --- request handling ----------------------------------------------------------------

    def answer(self, method: str, path: str, params: dict, body) -> tuple[int, object]:
        """(status, JSON body) for one request."""
        with self.lock:
            self.requests.append(Recorded(method, path, params, body))
            for i, (fragment, status) in enumerate(self.failures):
                if fragment in path:
                    del self.failures[i]
                    return status, _error(status, "injected_failure", "injected by the test")
        parts = [p for p in path.split("/") if p]
        with self.lock:
            return _route(self, method, parts, params, body)


def _error(status: int, kind: str, reason: str) -> dict:
    return {"error": _cause(kind, reason), "status": status}


def _cause(kind: str, reason: str) -> dict:
    """The `error` object of a failed bulk item."""
    return {"type": kind, "reason": reason}


def _route(es: FakeElasticsearch, method: str, parts: list[str], params: dict, body):
    if not parts:
        return 200, {"version": {"number": "9.0.0"}, "tagline": "You Know, for Search"}
    last = parts[-1]
    if last == "_bulk":
        aliases_only = params.get("require_alias") == ["true"]
        return 200, _bulk(es, parts[0] if len(parts) > 1 else None, body, aliases_only)
    if last in ("_search", "_count"):
        return _search(es, parts[0] if len(parts) > 1 else "_all", body, count=last == "_count")
    if parts[0] == "_aliases":
        return _update_aliases(es, body)
    if parts[0] == "_alias":
        return _get_alias(es, parts[1])
    if parts[0] == "_cluster":
        return 200, {"status": "green", "number_of_nodes": 1}
    if last == "_settings":
        for name in es.resolve(parts[0]):
            es.indices[name].settings.setdefault("index", {}).update(body.get("index", body))
        return 200, {"acknowledged": True}
    if last == "_refresh":
        return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
    return _index_admin(es, method, parts[0], body)


def _index_admin(es: FakeElasticsearch, method: str, name: str, body):
    if method == "PUT":
        if name in es.indices or name in es.aliases:
            return 400, _error(400, "resource_already_exists_exception", f"[{name}] exists")
        body = body or {}
        es.indices[name] = Index(body.get("settings", {}), body.get("mappings", {}))
        for alias in body.get("aliases") or {}:
            es.aliases.setdefault(alias, set()).add(name)
        return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}
    if method == "DELETE":
        for index in name.split(","):
            es.indices.pop(index, None)
            for members in es.aliases.values():
                members.discard(index)
        return 200, {"acknowledged": True}
    if method == "HEAD":
        return (200 if es.resolve(name) else 404), None
    return 405, _error(405, "method_not_allowed", method)


def _get_alias(es: FakeElasticsearch, alias: str):
    members = es.aliases.get(alias) or set()
    if not members:
        return 404, {"error": f"alias [{alias}] missing", "status": 404}
    return 200, {index: {"aliases": {alias: {}}} for index in sorted(members)}


def _update_aliases(es: FakeElasticsearch, body: dict):
    for action in body["actions"]:
        ((kind, spec),) = action.items()
        if spec["index"] not in es.indices:
            return 404, _error(404, "index_not_found_exception", spec["index"])
        members = es.aliases.setdefault(spec["alias"], set())
        if kind == "add":
            members.add(spec["index"])
        else:
            members.discard(spec["index"])
    return 200, {"acknowledged": True}


def _search(es: FakeElasticsearch, name: str, body: dict, count: bool):
    docs = [
        (index, doc_id, version, source)
        for index in es.resolve(name)
        for doc_id, (version, source) in es.indices[index].docs.items()
    ]
    hits = run_search(docs, body or {})
    if count:
        return 200, {"count": len(hits), "_shards": {"total": 1, "successful": 1}}
    size = (body or {}).get("size", 10)
    return 200, {
        "took": 1,
        "timed_out": False,
        "hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits[:size]},
    }


def _bulk(es: FakeElasticsearch, default_index: str | None, lines: list, aliases_only) -> dict:
    items, position = [], 0
    while position < len(lines):
        ((kind, meta),) = lines[position].items()
        source = lines[position + 1] if kind in ("index", "create") else None
        position += 2 if source is not None else 1
        name = meta.get("_index", default_index)
        if aliases_only and kind != "delete" and name not in es.aliases:
            missing = _cause("index_not_found_exception", f"[{name}] is not an alias")
            items.append(
                {kind: {"_index": name, "_id": meta["_id"], "status": 404, "error": missing}}
            )
            continue
        items.append({kind: _bulk_item(es, kind, meta, source, default_index)})
    errors = any(item[k]["status"] >= 300 for item in items for k in item)
    return {"took": 1, "errors": errors, "items": items}


def _bulk_item(es, kind, meta, source, default_index) -> dict:
    name = meta.get("_index", default_index)
    result = {"_index": name, "_id": meta["_id"]}
    if es.item_rejections > 0 or meta["_id"] in es.always_rejected:
        es.item_rejections = max(0, es.item_rejections - 1)
        return result | {"status": 429, "error": _cause("es_rejected_execution_exception", "")}
    targets = es.resolve(name)
    if len(targets) != 1:
        return result | {"status": 404, "error": _cause("index_not_found_exception", name)}
    docs = es.indices[targets[0]].docs
    current = docs.get(meta["_id"])
    version = meta.get("version", (current[0] + 1) if current else 1)
    if meta.get("version_type") == "external" and current and current[0] >= version:
        conflict = _cause("version_conflict_engine_exception", "version conflict")
        return result | {"status": 409, "error": conflict}
    if kind == "delete":
        found = docs.pop(meta["_id"], None)
        return result | {"status": 200 if found else 404, "result": "deleted"}
    docs[meta["_id"]] = (version, source)
    return result | {"status": 201 if current is None else 200, "_version": version}


def _parse(raw: bytes, content_type: str):
    if not raw:
        return None
    text = raw.decode("utf-8")
    if "ndjson" in content_type:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


def _handler_for(es: FakeElasticsearch):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self):
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = _parse(self.rfile.read(length), self.headers.get("Content-Type", ""))
            if es.delay_seconds:
                time.sleep(es.delay_seconds)
            status, payload = es.answer(self.command, url.path, parse_qs(url.query), body)
            data = b"" if payload is None else json.dumps(payload).encode("utf-8")
            self.send_response(status)
            for key, value in HEADERS.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _serve

        def log_message(self, *_args):  # keep pytest output clean
            return

    return Handler
