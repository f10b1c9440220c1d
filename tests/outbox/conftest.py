from tests.outbox.receiver import receiver  # noqa: F401  (fixture)
from tests.referrals.smtp_sink import smtp_sink  # noqa: F401  (fixture)
