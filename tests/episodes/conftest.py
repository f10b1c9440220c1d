"""Episode fixtures: the referral world and its signed-in clients."""

from tests.referrals.conftest import clinician, world  # noqa: F401  (fixtures; pcp: actors.py)
