"""Attachment checks (pure): the type from the bytes, an allowlist, a size cap, a safe name."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from referrals.errors import Invalid, TooLarge

# Media type -> the file name endings it may carry. Only these are accepted.
ALLOWED = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "text/plain": (".txt",),
}
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
# Text may hold tabs and line breaks, never other control characters (a binary in disguise).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()-]+")
MAX_NAME = 120


@dataclass(frozen=True)
class Checked:
    """An accepted file: its safe name, the type its bytes show, size and SHA-256."""

    filename: str
    media_type: str
    size: int
    sha256: str
    data: bytes

    @property
    def text(self) -> str | None:
        """The content of a text file (what the Part 2 rule reads), None for other types."""
        return self.data.decode("utf-8") if self.media_type == "text/plain" else None


def sniff(data: bytes) -> str | None:
    """The media type the bytes themselves show, or None when none allowed fits."""
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain" if text and not _CONTROL.search(text) else None


def safe_filename(name: str) -> str:
    """The base name only, accents folded, anything but letters, digits and ._-() as '_'."""
    base = PurePath((name or "").replace("\\", "/")).name
    folded = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE.sub("_", folded).strip(" .")
    stem, dot, ending = cleaned.rpartition(".")
    if dot and len(cleaned) > MAX_NAME:
        cleaned = f"{stem[: MAX_NAME - len(ending) - 1]}.{ending}"
    return cleaned[:MAX_NAME] or "attachment"


def check(name: str, data: bytes, max_bytes: int) -> Checked:
    """Accept `data` named `name`, or TooLarge / Invalid saying why not."""
    if len(data) > max_bytes:
        raise TooLarge(
            f"{safe_filename(name)} is larger than {max_bytes} bytes",
            {"files": [f"at most {max_bytes} bytes per file"]},
            code="attachment_too_large",
        )
    if not data:
        raise Invalid("the file is empty", {"files": ["empty file"]}, code="attachment_empty")
    media_type = sniff(data)
    filename = safe_filename(name)
    if media_type is None:
        allowed = "PDF, PNG, JPEG or plain text"
        raise Invalid(
            f"{filename} is not {allowed}", {"files": [f"only {allowed}"]}, code="attachment_type"
        )
    if not filename.lower().endswith(ALLOWED[media_type]):
        raise Invalid(
            f"{filename} holds {media_type}, which its name does not say",
            {"files": [f"the name must end in {' or '.join(ALLOWED[media_type])}"]},
            code="attachment_mismatch",
        )
    digest = hashlib.sha256(data).hexdigest()
    return Checked(filename, media_type, len(data), digest, data)
