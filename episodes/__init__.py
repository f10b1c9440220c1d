"""Episodes of care: one patient's coordinated care started by a PCP practice."""
