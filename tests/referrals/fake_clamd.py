"""A loopback stand-in for a ClamAV daemon: speaks zINSTREAM, flags the EICAR test string.

It answers as clamd does: "stream: OK", "stream: Eicar-Test-Signature FOUND", or, over
`limit` bytes, "INSTREAM size limit exceeded. ERROR"; `silent` accepts and never answers.
"""

from __future__ import annotations

import socketserver
import struct
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@dataclass
class FakeClamd:
    """Where it listens and what it was sent (each stream's bytes, in order)."""

    address: str
    streams: list[bytes] = field(default_factory=list)
    commands: list[bytes] = field(default_factory=list)
    limit: int = 25 * 1024 * 1024
    silent: bool = False


def _read_exactly(rfile, n: int) -> bytes:
    data = rfile.read(n)
    if len(data) != n:
        raise ConnectionError("stream ended early")
    return data


def _handler(clamd: FakeClamd):
    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            command = _read_exactly(self.rfile, len(b"zINSTREAM\0"))
            clamd.commands.append(command)
            if clamd.silent:
                self.rfile.read()  # take everything, answer nothing
                return
            received = b""
            while True:
                (length,) = struct.unpack("!I", _read_exactly(self.rfile, 4))
                if length == 0:
                    break
                received += _read_exactly(self.rfile, length)
                if len(received) > clamd.limit:
                    self.wfile.write(b"INSTREAM size limit exceeded. ERROR\0")
                    return
            clamd.streams.append(received)
            found = b"Eicar-Test-Signature FOUND" if EICAR in received else b"OK"
            self.wfile.write(b"stream: " + found + b"\0")

    return Handler


def _running(server, clamd: FakeClamd):
    """Serve `clamd` on `server` until the test ends."""
    server.daemon_threads = True
    server.RequestHandlerClass = _handler(clamd)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield clamd
    server.shutdown()
    server.server_close()


@pytest.fixture
def clamd():
    """A fake clamd on 127.0.0.1 (tcp://), stopped after the test."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), None)
    yield from _running(server, FakeClamd(address=f"tcp://127.0.0.1:{server.server_address[1]}"))


@pytest.fixture
def clamd_unix(tmp_path: Path):
    """The same on a unix socket (unix://), as clamd.conf's LocalSocket."""
    path = tmp_path / "clamd.ctl"
    server = socketserver.ThreadingUnixStreamServer(str(path), None)
    yield from _running(server, FakeClamd(address=f"unix://{path}"))
