"""A patient's shortlist: up to five clinicians kept in the session, printed, emailed or texted."""
