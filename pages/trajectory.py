"""A score trajectory drawn server-side as inline SVG, with the band edges as lines (no script)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from markupsafe import Markup, escape

from screening.definitions import instruments

WIDTH, HEIGHT = 540, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 150, 12, 28


@dataclass(frozen=True)
class Point:
    """One score on the date it was taken, with its published band name."""

    on: date
    score: int
    severity: str | None


@dataclass(frozen=True)
class Trajectory:
    """An instrument's scores over time: the SVG and the same points for the table beside it."""

    instrument: str
    title: str
    points: tuple[Point, ...]
    svg: Markup


def _x(on: date, first: date, last: date) -> float:
    span = (last - first).days
    inner = WIDTH - LEFT - RIGHT
    return LEFT + (inner / 2 if span == 0 else inner * (on - first).days / span)


def _y(score: int, top_score: int) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - score / top_score)


def _band_lines(bands, top_score: int) -> list[str]:
    """A dashed line at each band's lower edge, named at the right margin."""
    lines = []
    for band in bands:
        y = _y(band.low, top_score)
        lines.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#888" '
            f'stroke-dasharray="4 3" stroke-width="1"/>'
            f'<text x="{WIDTH - RIGHT + 4}" y="{y - 2:.1f}" font-size="10" fill="#444">'
            f"{escape(band.name)} ({band.low}+)</text>"
        )
    return lines


def _marks(points: Sequence[Point], top_score: int) -> list[str]:
    first, last = points[0].on, points[-1].on
    xy = [(_x(p.on, first, last), _y(p.score, top_score), p) for p in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _p in xy)
    marks = [f'<polyline points="{path}" fill="none" stroke="#1f5fa8" stroke-width="2"/>']
    for x, y, point in xy:
        marks.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#1f5fa8">'
            f"<title>{point.on.isoformat()}: {point.score}</title></circle>"
        )
    marks.append(
        f'<text x="{LEFT}" y="{HEIGHT - 8}" font-size="10" fill="#444">{first.isoformat()}</text>'
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" font-size="10" fill="#444" '
        f'text-anchor="end">{last.isoformat()}</text>'
    )
    return marks


def trajectory(instrument_key: str, points: Sequence[Point]) -> Trajectory | None:
    """The chart of these points (oldest first), or None without any."""
    if not points:
        return None
    instrument = instruments()[instrument_key]
    top_score = instrument.bands[-1].high
    label = _("%(title)s scores over time", title=instrument.title)
    body = "".join([*_band_lines(instrument.bands[1:], top_score), *_marks(points, top_score)])
    svg = Markup(
        f'<svg class="trajectory" role="img" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-label="{escape(label)}">'
        f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" '
        f'height="{HEIGHT - TOP - BOTTOM}" fill="none" stroke="#ccc"/>{body}</svg>'
    )
    return Trajectory(instrument_key, instrument.title, tuple(points), svg)
