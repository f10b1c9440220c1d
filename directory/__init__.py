"""The directory: clinicians, organizations, locations, networks, and their storage."""
