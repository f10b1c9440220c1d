"""Referral matching: needs in, ranked and explained clinicians out (see README "Matching")."""
