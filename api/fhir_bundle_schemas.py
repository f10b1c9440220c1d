"""The FHIR R4 Bundle a referral (and its care plan) is read as, for OpenAPI."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields


class FhirCodingDoc(Schema):
    """A FHIR Coding, e.g. a security label."""

    class Meta:
        unknown = INCLUDE  # FHIR elements (version, userSelected, extension...)

    system = fields.String()
    code = fields.String()
    display = fields.String()


class FhirMetaDoc(Schema):
    """Bundle.meta: the 42CFRPart2 and restricted-confidentiality labels on Part 2 records."""

    class Meta:
        unknown = INCLUDE

    security = fields.List(fields.Nested(FhirCodingDoc))
    tag = fields.List(fields.Nested(FhirCodingDoc))
    profile = fields.List(fields.String())


class FhirIdentifierDoc(Schema):
    """Bundle.identifier: the referral's id in this service."""

    class Meta:
        unknown = INCLUDE

    system = fields.String()
    value = fields.String()


class FhirEntryDoc(Schema):
    """A Bundle entry: a resource and its full URL."""

    class Meta:
        unknown = INCLUDE

    fullUrl = fields.String()
    resource = fields.Dict(required=True, metadata={"description": "A FHIR R4 resource."})


class FhirBundleDoc(Schema):
    """A FHIR R4 Bundle (ServiceRequest, Task, Consent, Patient); see hl7.org/fhir/R4/bundle."""

    class Meta:
        unknown = INCLUDE  # any other Bundle element FHIR R4 defines

    resourceType = fields.String(required=True, metadata={"enum": ["Bundle"]})
    id = fields.String()
    meta = fields.Nested(FhirMetaDoc)
    identifier = fields.Nested(FhirIdentifierDoc)
    type = fields.String(required=True, metadata={"example": "collection"})
    timestamp = fields.DateTime()
    entry = fields.List(fields.Nested(FhirEntryDoc))
