"""The measurement-based care registry: each episode's scores over time, its flags and follow-up."""
