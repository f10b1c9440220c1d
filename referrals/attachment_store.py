"""Attachment bytes on disk, outside the web root, each file named by a random key."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from referrals.errors import NotFound

_KEY = re.compile(r"[0-9a-f]{64}")


class AttachmentStore:
    """A directory of files named by 256-bit random keys; nothing else is ever read from it."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        # Only a key this store made names a file: no caller text ever becomes a path.
        if not _KEY.fullmatch(key or ""):
            raise NotFound("attachment not found", code="attachment_missing")
        return self.directory / key

    def put(self, data: bytes) -> str:
        """Write `data` under a new key (owner-only permissions); the key."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = secrets.token_hex(32)
        path = self._path(key)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        return key

    def read(self, key: str) -> bytes:
        """The bytes stored under `key`; NotFound when there are none."""
        path = self._path(key)
        if not path.is_file():
            raise NotFound("attachment not found", code="attachment_missing")
        return path.read_bytes()

    def remove(self, key: str) -> None:
        """Delete a file a rolled-back message left behind."""
        self._path(key).unlink(missing_ok=True)
