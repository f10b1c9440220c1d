"""A random secret key kept in the instance folder when SECRET_KEY is not set."""

import os
import secrets
from pathlib import Path


def instance_secret_key(instance_path: str) -> str:
    """Read instance/secret_key, creating it (mode 0600) with 64 random hex bytes if absent."""
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_hex(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker won the race
            return path.read_text().strip()
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return key
