"""Plan-Net code systems the directory both reads and writes.

The Plan-Net loader (ingest/plan_net_*.py) reads codes through these maps and the FHIR API
(fhir_api/codes.py) writes their inverses, so a resource loaded from Plan-Net comes back out
with the codes it came in with. They live in the domain so neither side imports the other.
"""

# AccessibilityCS -> accessibility vocabulary; ADA compliance includes wheelchair access.
ACCESSIBILITY = {
    "adacomp": "wheelchair",
    "handiaccess": "wheelchair",
    "mobility": "wheelchair",
    "pubtrans": "public_transit",
}
# The NUCC taxonomy of a community mental health center (Organization.kind "cmhc").
COMMUNITY_MENTAL_HEALTH_CENTER = "261QM0801X"
# InsuranceProductTypeCS -> Network.plan_type as /api/v1/plans reports it.
PRODUCT_TYPES = {
    "commppo": "PPO",
    "commhmo": "HMO",
    "commpos": "POS",
    "commepo": "EPO",
    "commhdhp": "HDHP",
    "medi": "Medicaid",
    "medihmo": "Medicaid HMO",
    "mediadv": "Medicare Advantage",
    "mediadvhmo": "Medicare Advantage HMO",
    "media": "Medicare",
    "medib": "Medicare",
    "medid": "Medicare",
    "mediab": "Medicare",
    "qhp": "QHP",
    "ihs": "IHS",
    "fep": "FEHB",
    "tri": "TRICARE",
    "va": "VA",
    "dent": "Dental",
    "denthmo": "Dental HMO",
    "vis": "Vision",
    "vishmo": "Vision HMO",
}
# LanguageProficiencyCS (Interagency Language Roundtable levels 00..50, "plus" levels round down).
PROFICIENCY_BY_LEVEL = {
    1: "elementary",
    2: "limited_working",
    3: "professional_working",
    4: "full_professional",
    5: "native",
}
