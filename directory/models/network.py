"""Networks and plan products, participation in them, and ingest fingerprints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from directory.extensions import db
from directory.models.verification import Timestamped, Verified

if TYPE_CHECKING:
    from directory.models.clinician import Clinician
    from directory.models.place import Location

# An insurance plan product is served by one or more networks.
plan_network = Table(
    "plan_network",
    db.Model.metadata,
    Column("plan_id", ForeignKey("network.id", ondelete="CASCADE"), primary_key=True),
    Column("network_id", ForeignKey("network.id", ondelete="CASCADE"), primary_key=True),
)


class Network(Timestamped, db.Model):
    """A provider network or an insurance plan product; the id is what callers pass as `plan`."""

    __tablename__ = "network"

    # Plan-Net resource id (e.g. "AcmeofCTStdNet") or a roster's plan id.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="network")  # network | plan
    # Product type for plans (HMO, PPO, POS, EPO, Medicaid, Medicare...), "network" otherwise.
    plan_type: Mapped[str | None] = mapped_column(String(40))
    payer: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(40), default="manual")
    # How the plan's member ids look (directory.member_ids), and where that rule came from.
    member_id_format: Mapped[str | None] = mapped_column(String(100))
    member_id_format_source: Mapped[str | None] = mapped_column(String(200))

    networks: Mapped[list[Network]] = relationship(
        secondary=plan_network,
        primaryjoin=lambda: Network.id == plan_network.c.plan_id,
        secondaryjoin=lambda: Network.id == plan_network.c.network_id,
        order_by=lambda: Network.id,
    )

    @property
    def type(self) -> str:
        """What /api/v1/plans reports as `type`."""
        return self.plan_type or self.kind

    def network_ids(self) -> set[str]:
        """Ids a participation may carry for this plan: itself and its networks."""
        return {self.id, *(n.id for n in self.networks)}


class NetworkParticipation(Verified, Timestamped, db.Model):
    """A clinician in a network, at one location or (location_id NULL) at all of them."""

    __tablename__ = "network_participation"
    __table_args__ = (
        UniqueConstraint(
            "clinician_id", "network_id", "location_id", postgresql_nulls_not_distinct=True
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinician.id", ondelete="CASCADE"))
    network_id: Mapped[str] = mapped_column(
        ForeignKey("network.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(40), default="manual")

    clinician: Mapped[Clinician] = relationship(back_populates="participations")
    network: Mapped[Network] = relationship()
    location: Mapped[Location | None] = relationship()


class IngestFingerprint(db.Model):
    """Digest of the last record loaded for a key: reloading the same row changes nothing."""

    __tablename__ = "ingest_fingerprint"

    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
