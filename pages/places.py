"""How near a result's place is, said no more precisely than its point allows.

Matching measures miles from the location's point; a point at a ZIP's centre is not the door,
so "0 mi away" is said only of a point the source gave for the address.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from directory.geography import GeoPrecision
from directory.models import Location
from matching.ranking import Match
from pages.explain_text import miles as miles_text

# Every match page asks this: built once, as composing a statement costs more than running it;
# of the table's columns, so the ORM's compile and row steps are skipped (0.18 -> 0.09 ms).
_LOCATIONS = Location.__table__.c
_PRECISIONS = select(_LOCATIONS.id, _LOCATIONS.geo_precision).where(
    _LOCATIONS.id.in_(bindparam("ids", expanding=True))
)


def place_precisions(session: Session, matches: Iterable[Match]) -> dict[int, str]:
    """{location id: geo_precision} for the places of the given matches, in one query."""
    ids = sorted({m.place.id for m in matches if m.place is not None})
    if not ids:
        return {}
    return dict(session.execute(_PRECISIONS, {"ids": ids}).all())


def distance_text(miles: float, precision: str | None) -> str:
    """'2.5 mi away'; 'In your ZIP code area' when a ZIP-level point rounds to 0 mi."""
    if round(miles, 1) == 0 and precision != GeoPrecision.ADDRESS:
        return _("In your ZIP code area")
    return _("%(distance)s away", distance=miles_text(miles))


def precision_note(precision: str | None) -> str | None:
    """What the reader should know about where the point stands, or None when it is exact."""
    if precision == GeoPrecision.ZIP_CENTROID:
        return _("Location approximate (ZIP centre)")
    if precision == GeoPrecision.CITY:
        return _("Location approximate (city centre)")
    if precision == GeoPrecision.NONE:
        return _("Address could not be placed on a map")
    return None
