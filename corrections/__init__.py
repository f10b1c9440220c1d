"""The one correction queue: reports, referral declines and bounced contacts about listings."""
