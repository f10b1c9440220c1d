"""The in-memory program index: searched programs' sites as columns, derived from the database."""
