"""Append-only, hash-chained audit trail of who read or changed referrals and consents."""
