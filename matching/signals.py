"""The signals port: what referrals say about each clinician, as the ranker reads it.

The ranker takes these as plain data (tests build them by hand). A SignalsProvider supplies
them; referrals.signals.ReferralSignalSource reads them from the referral table,
appointments.signals.ResponsivenessSource adds how promptly call-back requests were answered
(into on_time and answered), and the app factory plugs that into the Matcher. NoSignals serves
deployments without referrals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from matching import weights

SignalsProvider = Callable[[Sequence[int], datetime], Mapping[int, "ReferralSignals"]]


@dataclass(frozen=True)
class ReferralSignals:
    """What past and current referrals say about a clinician."""

    open_referrals: int = 0
    on_time: int = 0  # acknowledged (or call-back first answered) within ACK_BUSINESS_DAYS
    answered: int = 0  # referrals and call-backs whose answer window closed (or answered)

    @property
    def responsiveness(self) -> float:
        """Smoothed share acknowledged on time; 0.5 with no history."""
        return (self.on_time + weights.RESPONSIVENESS_PRIOR_ON_TIME) / (
            self.answered + weights.RESPONSIVENESS_PRIOR_TOTAL
        )


NO_SIGNALS = ReferralSignals()


class NoSignals:
    """A provider for deployments without referrals."""

    def __call__(self, clinician_ids: Sequence[int], now: datetime) -> dict[int, ReferralSignals]:
        """No clinician has signals."""
        return {}

    def referred(self, now: datetime) -> set[int]:
        """Nobody has referrals."""
        return set()


no_signals = NoSignals()
