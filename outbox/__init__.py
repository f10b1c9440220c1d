"""The outbox: every message leaving the system, written with the change that causes it.

A use case enqueues a message (email, SMS, webhook) in its own transaction; after the commit
it may hand the new ids to `deliver_ids` for an immediate try, and `flask outbox deliver`
retries what is still pending with backoff. A failed delivery never blocks or undoes a change.
"""
