"""Horizontal bar charts drawn server-side as inline SVG (no script); a table carries the data."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH = 480
LABEL_WIDTH = 170
VALUE_WIDTH = 70
ROW_HEIGHT = 24
BAR_HEIGHT = 16


def _value_text(value: float | None, percent: bool) -> str:
    """What is written after a bar: the count, a percentage, or that it was withheld."""
    if value is None:
        return _("withheld")
    return f"{value * 100:.1f}%" if percent else f"{value:g}"


def bar_chart(
    title: str, bars: Sequence[tuple[str, float | None]], percent: bool = False
) -> Markup:
    """An SVG of one bar per (label, value); a withheld (None) value draws no bar."""
    top = max((v for _, v in bars if v is not None), default=0) or 1
    inner = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = ROW_HEIGHT * len(bars) + 4
    parts = [
        f'<svg class="bars" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for row, (label, value) in enumerate(bars):
        y = row * ROW_HEIGHT + 2
        width = 0 if value is None else round(inner * value / top, 1)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 3}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}"></rect>'
            f'<text x="{LABEL_WIDTH + width + 4}" y="{y + BAR_HEIGHT - 3}">'
            f"{escape(_value_text(value, percent))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
