"""A state's counties shaded by a share, failing ones outlined: inline SVG, no script or tiles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

# Lower bounds of the shading classes, lightest first; a class runs up to the next bound.
BOUNDS = (0.0, 0.5, 0.75, 0.9, 1.0)


@dataclass(frozen=True)
class Shade:
    """A county's share (None: no population or no standard) and whether it fails."""

    share: float | None
    failing: bool


def shade_class(share: float | None) -> str:
    """The CSS class of a share: share-0 (under 50%) to share-4 (everyone), or no-data."""
    if share is None:
        return "no-data"
    return f"share-{max(i for i, bound in enumerate(BOUNDS) if share >= bound)}"


def legend() -> list[tuple[str, str]]:
    """(class, words) for each shading class, then the outline and no-data keys."""
    return [
        ("share-0", _("Under 50%")),
        ("share-1", _("50% to under 75%")),
        ("share-2", _("75% to under 90%")),
        ("share-3", _("90% to under 100%")),
        ("share-4", _("100%")),
        ("no-data", _("Not in the standards file")),
        ("failing", _("Fails the standard (outlined)")),
    ]


def _tooltip(name: str, shade: Shade | None) -> str:
    if shade is None or shade.share is None:
        return name
    return f"{name}: {shade.share * 100:.1f}%"


def county_map(
    map_id: str,
    title: str,
    description: str,
    shapes: Sequence,
    size: tuple[float, float],
    shades: Mapping[str, Shade],
) -> Markup:
    """An SVG of `shapes` (fips, name, path), each shaded by its share; failing ones on top."""
    width, height = size
    parts = [
        f'<svg class="county-map" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMin meet" aria-labelledby="{map_id}-t {map_id}-d">',
        f'<title id="{map_id}-t">{escape(title)}</title>',
        f'<desc id="{map_id}-d">{escape(description)}</desc>',
    ]
    # Failing counties last, so their outline is not painted over by a neighbour's edge.
    ordered = sorted(shapes, key=lambda s: (shades.get(s.fips, Shade(None, False)).failing, s.fips))
    for shape in ordered:
        shade = shades.get(shape.fips)
        classes = shade_class(shade.share if shade else None)
        if shade and shade.failing:
            classes += " failing"
        parts.append(
            f'<path class="{classes}" data-fips="{escape(shape.fips)}" d="{shape.path}">'
            f"<title>{escape(_tooltip(shape.name, shade))}</title></path>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
