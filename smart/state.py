"""What a launch carries between its steps (kept in the server-side session), without Authlib."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pending:
    """What the session keeps between the redirect to the EHR and its callback."""

    ehr_id: int
    state: str
    nonce: str
    code_verifier: str
    started_at: float

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Grant:
    """A checked token response: the access token stays on the server, never in a page."""

    access_token: str
    patient: str
    fhir_user: str
    expires_at: float

    def __repr__(self) -> str:  # a Grant in a log or traceback never shows its token
        return f"Grant(patient={self.patient!r}, fhir_user={self.fhir_user!r})"

    def as_dict(self) -> dict:
        return dict(self.__dict__)
