"""Second factor for staff: TOTP codes (RFC 6238, pyotp) and one-time recovery codes."""

from __future__ import annotations

import hashlib
import re
import secrets

import pyotp
from sqlalchemy import delete, update

from accounts.models import RecoveryCode, User
from directory.extensions import db
from directory.models.verification import utcnow

# A code is accepted one 30-second step either side of the server's clock (pyotp valid_window).
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
# 32 letters and digits without look-alikes (no 0/o, 1/l): 5 bits each, 16 per code = 80 bits.
_RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
_SIX_DIGITS = re.compile(r"^\d{6}$")


def new_secret() -> str:
    """A random base32 TOTP secret (160 bits)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app imports."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def matching_step(secret: str, code: str, now: float, after_step: int | None = None) -> int | None:
    """The time step whose code `code` is (within the window of `now`), else None.

    Steps at or before `after_step` are refused: a code that was accepted once, or an older
    one, never works again.
    """
    code = re.sub(r"\s+", "", code or "")
    totp = pyotp.TOTP(secret)
    if not _SIX_DIGITS.match(code):
        return None
    if not totp.verify(code, for_time=now, valid_window=VALID_WINDOW):
        return None
    current = totp.timecode(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if pyotp.utils.strings_equal(code, totp.generate_otp(step)):
            return step if after_step is None or step > after_step else None
    return None


def claim_step(user: User, step: int) -> bool:
    """Record `step` as the user's last accepted one unless an equal or later one already is."""
    # One conditional UPDATE: two requests with the same code cannot both get through.
    result = db.session.execute(
        update(User)
        .where(User.id == user.id)
        .where((User.totp_last_step.is_(None)) | (User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def verify_totp(user: User, code: str, now: float) -> bool:
    """True when `code` is the user's current TOTP code and was never used before."""
    if not user.has_totp:
        return False
    step = matching_step(user.totp_secret, code, now, after_step=user.totp_last_step)
    return step is not None and claim_step(user, step)


def _normalized(code: str) -> str:
    return re.sub(r"[\s-]+", "", (code or "").lower())


def recovery_hash(code: str) -> str:
    """The SHA-256 kept for a recovery code (spaces, dashes and case do not matter)."""
    return hashlib.sha256(_normalized(code).encode()).hexdigest()


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Fresh codes written as four groups of four ("abcd-efgh-ijkm-npqr")."""
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one of the user's unused recovery codes; False if it is not one."""
    if len(_normalized(code)) != 16:
        return False
    result = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id)
        .where(RecoveryCode.code_hash == recovery_hash(code))
        .where(RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def verify_second_factor(user: User, code: str, now: float) -> bool:
    """A TOTP code, or else a recovery code."""
    return verify_totp(user, code, now) or use_recovery_code(user, code)


def enable_totp(user: User, secret: str, step: int) -> list[str]:
    """Turn TOTP on with a confirmed secret; returns new recovery codes (shown once)."""
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    codes = new_recovery_codes()
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=recovery_hash(c)) for c in codes)
    return codes


def disable_totp(user: User) -> None:
    """Turn TOTP off and drop the recovery codes (not committed)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
