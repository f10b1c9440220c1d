"""Attachment virus scanning through a ClamAV daemon (clamd), its INSTREAM command.

CLAMD_ADDRESS names the daemon: `tcp://host:3310` or `unix:///run/clamav/clamd.ctl`. Unset,
files are not scanned (the type, size and name checks in referrals.attachments still apply).
Set, every file is scanned before it is kept: a signature found refuses the message, and a
daemon that does not answer refuses it too (fail closed: an unscanned file is never kept).
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

CHUNK = 64 * 1024  # below clamd's StreamMaxLength granularity; any size works
_END = struct.pack("!I", 0)


class ScannerUnavailable(Exception):
    """The daemon could not be reached, timed out, or answered something other than a verdict."""


@dataclass(frozen=True)
class Verdict:
    """What the scanner said of one file: clean, or the signature it found."""

    signature: str | None

    @property
    def clean(self) -> bool:
        """No signature found."""
        return self.signature is None


def parse_address(address: str) -> SplitResult:
    """`address` split into its parts; ValueError unless it is tcp://host:port or unix:///path."""
    try:
        parts = urlsplit(address)
        port = parts.port  # ValueError when not a number from 0 to 65535
    except ValueError:
        parts = port = None
    if parts is not None and (
        (parts.scheme == "unix" and parts.path and not parts.netloc)
        or (parts.scheme == "tcp" and parts.hostname and port)
    ):
        return parts
    raise ValueError(f"CLAMD_ADDRESS must be tcp://host:port or unix:///path: {address}")


def check_configured_address(config) -> None:
    """At start-up: a malformed CLAMD_ADDRESS stops the app, not the first upload."""
    if config.get("CLAMD_ADDRESS"):
        parse_address(config["CLAMD_ADDRESS"])


def _connect(address: str, timeout: float) -> socket.socket:
    """A socket to `address` (tcp://host:port or unix:///path)."""
    try:
        parts = parse_address(address)
    except ValueError as err:
        raise ScannerUnavailable(str(err)) from None
    if parts.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(parts.path)
        return sock
    return socket.create_connection((parts.hostname, parts.port), timeout=timeout)


def _reply(sock: socket.socket) -> str:
    """The daemon's answer, up to the NUL that ends a z-command's reply."""
    received = b""
    while not received.endswith(b"\0"):
        part = sock.recv(4096)
        if not part:
            break
        received += part
    return received.rstrip(b"\0").decode("utf-8", "replace").strip()


def verdict(reply: str) -> Verdict:
    """'stream: OK' is clean, 'stream: NAME FOUND' a signature; anything else is unavailable."""
    if reply == "stream: OK":
        return Verdict(None)
    if reply.startswith("stream: ") and reply.endswith(" FOUND"):
        return Verdict(reply[len("stream: ") : -len(" FOUND")])
    # e.g. "INSTREAM size limit exceeded. ERROR": no verdict, so the file is not vouched for.
    raise ScannerUnavailable(f"unexpected clamd reply: {reply[:200]!r}")


def scan(data: bytes, address: str, timeout: float) -> Verdict:
    """Send `data` to the daemon at `address` and return its verdict."""
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                sock.sendall(struct.pack("!I", len(chunk)) + chunk)
            sock.sendall(_END)
            return verdict(_reply(sock))
    except OSError as err:  # refused, reset, timed out, no such socket file
        raise ScannerUnavailable(f"clamd at {address} did not answer: {err}") from err
