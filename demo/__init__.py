"""The demo: a seeded synthetic behavioral-health directory of any size, and demo users.

Above the domain it fills: it writes directory rows through ingest's record and row builders,
and nothing in directory, matching, ingest or referrals imports it.
"""
