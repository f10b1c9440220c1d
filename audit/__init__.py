"""Append-only audit trail of who read or changed referrals and consents: an HMAC-keyed hash
chain in the database, checkpoints of it outside (a file, syslog), `flask audit verify`."""
