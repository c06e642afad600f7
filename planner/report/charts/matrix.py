"""The importance/performance matrix, with point labels placed so they do not overlap."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from planner.report.charts.svg import GRID, PALETTE, TEXT, fmt, text_width


def matrix(
    points: Sequence[tuple[str, float, float]],
    minimum: float,
    maximum: float,
    size: int = 300,
    x_label: str = "importance",
    y_label: str = "score",
) -> str:
    """Importance (1–5, across) against performance (the score, up), points numbered in the given order:
    what matters and lags sits bottom right (shaded). Both domains reach half a step past their ends,
    so that a point at the minimum or maximum sits inside the frame, never on it."""
    left, right, top, bottom = 44, 10, 10, 40
    plot_w, plot_h = size - left - right, size - top - bottom
    x_lo, x_hi = 0.5, 5.5
    y_lo, y_hi = minimum - 0.5, maximum + 0.5
    radius = 6

    def x_of(v: float) -> float:
        return left + plot_w * (min(max(v, 1.0), 5.0) - x_lo) / (x_hi - x_lo)

    def y_of(v: float) -> float:
        return top + plot_h * (1 - (min(max(v, minimum), maximum) - y_lo) / (y_hi - y_lo))

    mid_x, mid_y = x_of(3), y_of((minimum + maximum) / 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" class="chart matrix">',
        f'<rect x="{fmt(mid_x)}" y="{fmt(mid_y)}" width="{fmt(left + plot_w - mid_x)}" height="{fmt(top + plot_h - mid_y)}" fill="#fbefe3"/>',
        f'<rect class="plot" x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="{GRID}"/>',
        f'<line x1="{fmt(mid_x)}" y1="{top}" x2="{fmt(mid_x)}" y2="{top + plot_h}" stroke="{GRID}" stroke-dasharray="3 3"/>',
        f'<line x1="{left}" y1="{fmt(mid_y)}" x2="{left + plot_w}" y2="{fmt(mid_y)}" stroke="{GRID}" stroke-dasharray="3 3"/>',
        f'<text x="{fmt(left + plot_w / 2)}" y="{size - 8}" font-size="9" text-anchor="middle" fill="{TEXT}">{escape(x_label)} →</text>',
        f'<text x="12" y="{fmt(top + plot_h / 2)}" font-size="9" text-anchor="middle" fill="{TEXT}" '
        f'transform="rotate(-90 12 {fmt(top + plot_h / 2)})">{escape(y_label)} →</text>',
    ]
    for tick in (1, 2, 3, 4, 5):
        parts.append(
            f'<text x="{fmt(x_of(tick))}" y="{top + plot_h + 12}" font-size="8" text-anchor="middle" fill="{TEXT}">{tick}</text>'
        )
    for tick in range(math.ceil(minimum), math.floor(maximum) + 1):
        parts.append(
            f'<text x="{left - 5}" y="{fmt(y_of(tick) + 3)}" font-size="8" text-anchor="end" fill="{TEXT}">{tick}</text>'
        )
    placed = [(x_of(imp), y_of(sc)) for _, imp, sc in points]
    for i, (x, y) in enumerate(placed):
        parts.append(
            f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{radius}" fill="{PALETTE[i % len(PALETTE)]}" '
            f'fill-opacity="0.85" stroke="#ffffff" stroke-width="1"/>'
        )
    frame = (left + 1.0, top + 1.0, left + plot_w - 1.0, top + plot_h - 1.0)
    for text, x, y in _point_labels(placed, radius, frame):
        parts.append(
            f'<text x="{fmt(x)}" y="{fmt(y)}" font-size="8" text-anchor="middle" dominant-baseline="middle" '
            f'fill="{TEXT}">{text}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


Box = tuple[float, float, float, float]


def _point_labels(
    placed: Sequence[tuple[float, float]], radius: float, frame: Box
) -> list[tuple[str, float, float]]:
    """Each point's number (1-based) beside it, where it overlaps neither a point nor another number
    and stays inside `frame`; points drawn on top of one another share one label ("1, 2")."""
    groups: list[tuple[list[int], float, float]] = []
    for i, (x, y) in enumerate(placed):
        for members, gx, gy in groups:
            if math.hypot(x - gx, y - gy) < 2:
                members.append(i)
                break
        else:
            groups.append(([i], x, y))
    circles = [(x - radius, y - radius, x + radius, y + radius) for x, y in placed]
    taken: list[Box] = []
    found: list[tuple[str, float, float]] = []
    gap = radius + 3
    for members, x, y in groups:
        text = ", ".join(str(i + 1) for i in members)
        w, h = text_width(text, 8), 9.0
        best = (math.inf, x + gap + w / 2, y)
        for dx, dy in (
            (gap + w / 2, 0), (-gap - w / 2, 0), (0, -gap - 1), (0, gap + 1),
            (gap + w / 2, -gap), (gap + w / 2, gap), (-gap - w / 2, -gap), (-gap - w / 2, gap),
            (2 * gap + w / 2, 0), (-2 * gap - w / 2, 0), (0, -2 * gap), (0, 2 * gap),
        ):  # fmt: skip
            box = (x + dx - w / 2, y + dy - h / 2, x + dx + w / 2, y + dy + h / 2)
            outside = (
                max(frame[0] - box[0], 0)
                + max(frame[1] - box[1], 0)
                + max(box[2] - frame[2], 0)
                + max(box[3] - frame[3], 0)
            )
            cost = outside * 100 + sum(_overlap(box, other) for other in circles + taken)
            if cost < best[0]:
                best = (cost, x + dx, y + dy)
            if cost == 0:
                break
        _, lx, ly = best
        taken.append((lx - w / 2, ly - h / 2, lx + w / 2, ly + h / 2))
        found.append((text, lx, ly))
    return found


def _overlap(a: Box, b: Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
