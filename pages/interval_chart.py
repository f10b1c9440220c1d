"""Shares with 95% interval whiskers and a reference line, drawn server-side as inline SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH = 400  # narrow, so the words stay legible when a phone scales the chart down
LABEL_WIDTH = 130
VALUE_WIDTH = 56
ROW_HEIGHT = 26
AXIS_HEIGHT = 22
TICKS = (0, 0.25, 0.5, 0.75, 1)


@dataclass(frozen=True)
class Share:
    """One group's share and its interval; None when withheld."""

    label: str
    rate: float | None
    interval: Sequence[float] | None


def _x(share: float) -> float:
    """Horizontal position of a share on the 0-100% scale."""
    return round(LABEL_WIDTH + (WIDTH - LABEL_WIDTH - VALUE_WIDTH) * share, 1)


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def _row(y: int, share: Share) -> str:
    """A label, whisker and dot (or the word withheld) for one group."""
    mid = y + ROW_HEIGHT // 2
    parts = [
        f'<text x="{LABEL_WIDTH - 6}" y="{mid + 4}" text-anchor="end">{escape(share.label)}</text>'
    ]
    if share.rate is None or share.interval is None:
        parts.append(f'<text x="{LABEL_WIDTH + 4}" y="{mid + 4}">{escape(_("withheld"))}</text>')
        return "".join(parts)
    low, high = _x(share.interval[0]), _x(share.interval[1])
    parts.append(
        f'<line class="whisker" x1="{low}" x2="{high}" y1="{mid}" y2="{mid}"></line>'
        f'<line class="whisker" x1="{low}" x2="{low}" y1="{mid - 5}" y2="{mid + 5}"></line>'
        f'<line class="whisker" x1="{high}" x2="{high}" y1="{mid - 5}" y2="{mid + 5}"></line>'
        f'<circle class="rate" cx="{_x(share.rate)}" cy="{mid}" r="4"></circle>'
        f'<text x="{WIDTH - VALUE_WIDTH + 6}" y="{mid + 4}">{_percent(share.rate)}</text>'
    )
    return "".join(parts)


def _axis(bottom: int) -> str:
    """Tick lines and percentages under the rows."""
    parts = []
    for tick in TICKS:
        x = _x(tick)
        parts.append(
            f'<line class="tick" x1="{x}" x2="{x}" y1="0" y2="{bottom}"></line>'
            f'<text class="tick" x="{x}" y="{bottom + 16}" text-anchor="middle">'
            f"{tick * 100:.0f}%</text>"
        )
    return "".join(parts)


def interval_chart(
    chart_id: str, title: str, description: str, shares: Sequence[Share], reference: float | None
) -> Markup:
    """An SVG of each group's share with its 95% interval, and a dashed line at the reference."""
    bottom = ROW_HEIGHT * len(shares) + 2
    height = bottom + AXIS_HEIGHT
    parts = [
        f'<svg class="intervals" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{chart_id}-t {chart_id}-d">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
        _axis(bottom),
    ]
    if reference is not None:
        x = _x(reference)
        parts.append(f'<line class="reference" x1="{x}" x2="{x}" y1="0" y2="{bottom}"></line>')
    parts += [_row(i * ROW_HEIGHT + 2, share) for i, share in enumerate(shares)]
    parts.append("</svg>")
    return Markup("".join(parts))
