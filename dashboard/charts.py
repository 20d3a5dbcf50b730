"""Geometry of the server-side SVG charts (no JavaScript, no external service).

The template draws the shapes; this module only turns figures into coordinates.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

WIDTH = 640
HEIGHT = 260
LEFT = 62
RIGHT = 12
TOP = 16
BOTTOM = 44
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
GRID_PERCENTS = (0, 25, 50, 75, 100)


def y_of(percent) -> float:
    """The y coordinate of a percentage on the trend chart (0 at the bottom, 100 at the top)."""
    return round(TOP + PLOT_HEIGHT * (1 - float(percent) / 100), 2)


@dataclass(frozen=True)
class GridLine:
    percent: int
    y: float


@dataclass(frozen=True)
class Column:
    label: str
    x: float  # left edge of the bar
    width: float
    centre: float
    slot_left: float
    slot_right: float
    share: Decimal | None
    bar_y: float | None
    bar_height: float
    value_y: float
    met: bool | None
    target_y: float | None
    city_share: Decimal | None
    city_y: float | None
    is_now: bool


def trend_chart(points) -> dict:
    """Columns for each trend point: the share as a bar, the target as a dashed tick and,
    for district staff, the city's share as a dot."""
    count = max(len(points), 1)
    slot = (WIDTH - LEFT - RIGHT) / count
    bar = min(slot * 0.55, 56)
    columns = []
    baseline = y_of(0)
    for index, point in enumerate(points):
        slot_left = LEFT + index * slot
        centre = slot_left + slot / 2
        share = point.scope.share_percent
        target = point.scope.target_percent
        city_share = point.city.share_percent if point.city is not None else None
        bar_y = y_of(share) if share is not None else None
        columns.append(
            Column(
                label=str(_("today")) if point.is_now else str(point.as_of.year),
                x=round(centre - bar / 2, 2),
                width=round(bar, 2),
                centre=round(centre, 2),
                slot_left=round(slot_left + 2, 2),
                slot_right=round(slot_left + slot - 2, 2),
                share=share,
                bar_y=bar_y,
                bar_height=round(baseline - bar_y, 2) if bar_y is not None else 0,
                value_y=round((bar_y if bar_y is not None else baseline) - 5, 2),
                met=point.scope.met,
                target_y=y_of(target) if target is not None else None,
                city_share=city_share,
                city_y=y_of(city_share) if city_share is not None else None,
                is_now=point.is_now,
            )
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "axis_x": LEFT - 6,
        "right": WIDTH - RIGHT,
        "baseline": baseline,
        "label_y": baseline + 18,
        "grid": [GridLine(p, y_of(p)) for p in GRID_PERCENTS],
        "columns": columns,
        "has_no_target": any(c.met is None and c.share is not None for c in columns),
    }


def share_bar(figures) -> dict:
    """A 0–100 % bar: the share filled, the target as a vertical mark (viewBox 0 0 100 12)."""
    share = figures.share_percent
    target = figures.target_percent
    return {
        "share": float(share) if share is not None else None,
        "target": float(target) if target is not None else None,
        "met": figures.met,
    }
