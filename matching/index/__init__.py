"""The in-memory match index: the directory as columns, derived from the database and searched."""
