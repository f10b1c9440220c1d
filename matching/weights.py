"""Every ranking weight and decay constant, in one place.

A match's score is the sum of the components below (points, higher is better). Required needs
are met by every result, so only fit, preferences and the signals separate results. Change a
number here and the ranking, the tests' expectations and the README table move together.
"""

# --- Fit to what the patient needs help with -------------------------------------------------
# Mean over requested concerns (and diagnoses that map to taxonomies only), times FIT.
FIT = 30.0
# The clinician lists the concern under conditions treated.
FIT_TREATS = 1.0
# Only the clinician's taxonomy suits the concern (concerns.json `taxonomies`).
FIT_TAXONOMY = 0.5
# Requested NUCC specialties, when the caller makes them a preference instead of a filter.
SPECIALTY = 10.0

# --- Preferences (scored only when a preference, not a filter) ------------------------------
LANGUAGE = 12.0
GENDER = 6.0
CULTURE = 8.0  # times the share of requested competencies met
ACCESSIBILITY = 6.0  # times the share of requested features at the location
AVAILABILITY = 4.0  # times the share of evening / weekend asked for
WAIT_WITHIN = 6.0  # next available within max_wait_days
PAYMENT = 10.0  # takes one of the payment words asked for (Medicaid, sliding scale...)
MAX_FEE = 6.0  # a self-pay session within max_fee

# --- Distance ----------------------------------------------------------------------------------
# DISTANCE * 0.5 ** (miles / DISTANCE_HALF_LIFE_MILES): 15 points on the doorstep, 7.5 at 10 mi.
DISTANCE = 15.0
DISTANCE_HALF_LIFE_MILES = 10.0
# A telehealth visit counts as this share of DISTANCE (as if 10 mi away).
TELEHEALTH_PROXIMITY = 0.5
# Transportation insecurity (Z59.82): nearby places decay twice as fast, telehealth scores full.
TRANSPORT_HALF_LIFE_MILES = 5.0
TRANSPORT_TELEHEALTH_PROXIMITY = 1.0

# --- Wait ------------------------------------------------------------------------------------
# WAIT * 0.5 ** (days / WAIT_HALF_LIFE_DAYS); an unknown wait scores WAIT_UNKNOWN_SHARE of WAIT.
WAIT = 8.0
WAIT_HALF_LIFE_DAYS = 14.0
WAIT_UNKNOWN_SHARE = 0.25

# --- Listing quality -----------------------------------------------------------------------
ACCEPTING_CONFIRMED = 4.0  # the listing says "accepting new patients" (not just "unknown")
STALE_AFTER_DAYS = 90  # the No Surprises Act asks for verification every 90 days
STALE_PENALTY = 15.0  # never verified, or not within STALE_AFTER_DAYS
FLAGGED_PENALTY = 10.0  # a referral decline or a report says the listing looks wrong

# --- Referral signals --------------------------------------------------------------------------
# Responsiveness: share of past referrals acknowledged within ACK_BUSINESS_DAYS, smoothed
# towards 1/2 so one referral does not swing it: (on_time + 1) / (answered + 2).
RESPONSIVENESS = 8.0
ACK_BUSINESS_DAYS = 2
RESPONSIVENESS_PRIOR_ON_TIME = 1
RESPONSIVENESS_PRIOR_TOTAL = 2
RESPONSIVENESS_WINDOW_DAYS = 180
# Load: LOAD * (1 - open / capacity), never below zero; each open referral costs
# LOAD / capacity, so the next referral goes to a clinician with room.
LOAD = 12.0
DEFAULT_REFERRAL_CAPACITY = 5
