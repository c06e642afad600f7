"""The roadmap's charts: the Gantt with its time axis and phase bands, and the maturity trajectory by phase."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from planner.report.charts.svg import CURRENT, GRID, PALETTE, TEXT, fmt, wrap


def gantt(
    rows: Sequence[tuple[str, int, int, bool]],
    phases: Sequence[tuple[str, int]],
    weeks: int,
    axis_label: str = "months",
    width: int = 640,
) -> str:
    """Initiatives as bars over weeks (label, start, end, enabler), over phase bands named once at
    the top, with a month axis at the foot. Labels wrap at word boundaries, never cut."""
    label_w, line_h, pad = 250, 9.5, 3.5
    chars = 50  # DejaVu Sans at 8 px: about 4.6 px a character
    span = max(weeks, 1)
    plot = width - label_w - 12
    head = 23
    wrapped = [wrap(label, chars, 99) for label, _, _, _ in rows]
    heights = [len(lines) * line_h + pad for lines in wrapped]
    body = sum(heights)
    foot = 24
    height = head + body + foot

    def x_of(week: float) -> float:
        return label_w + plot * min(week, span) / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {fmt(height)}" width="{width}" height="{fmt(height)}" class="chart gantt">'
    ]
    starts = [start for _, start in phases] + [span]
    row = 1  # phase names sit on the lower of two lines, the upper one when the band is narrow
    for i, (name, start) in enumerate(phases):
        if start >= span:
            continue
        x, end = x_of(start), x_of(starts[i + 1])
        if i % 2:
            parts.append(
                f'<rect x="{fmt(x)}" y="{head - 2}" width="{fmt(end - x)}" height="{fmt(body + 2)}" fill="#eef2f7"/>'
            )
        row = 0 if row == 1 and len(name) * 4.4 > end - x - 3 else 1
        parts.append(
            f'<line x1="{fmt(x)}" y1="{head - 12 + 9 * row}" x2="{fmt(x)}" y2="{fmt(head + body)}" stroke="{GRID}" stroke-width="0.8"/>'
        )
        parts.append(
            f'<text x="{fmt(x + 2)}" y="{head - 13 + 9 * row + 7}" font-size="7.5" font-weight="bold" fill="{TEXT}">{escape(name)}</text>'
        )
    y = float(head)
    for lines, row_h, (_, start, end, enabler) in zip(wrapped, heights, rows, strict=True):
        first = y + pad / 2 + line_h - 2.5
        for k, line in enumerate(lines):
            parts.append(
                f'<text x="{label_w - 6}" y="{fmt(first + k * line_h)}" font-size="8" text-anchor="end" fill="{TEXT}">{escape(line)}</text>'
            )
        colour = "#8a96a8" if enabler else CURRENT
        bar_y = y + row_h / 2 - 3.5
        parts.append(
            f'<rect x="{fmt(x_of(start))}" y="{fmt(bar_y)}" width="{fmt(max(x_of(end) - x_of(start), 1.5))}" height="7" rx="2" fill="{colour}"/>'
        )
        y += row_h
    axis_y = head + body
    parts.append(
        f'<line x1="{label_w}" y1="{fmt(axis_y)}" x2="{fmt(label_w + plot)}" y2="{fmt(axis_y)}" stroke="{TEXT}" stroke-width="0.6"/>'
    )
    months = span * 12 / 52
    step = 3 if months <= 24 else 6 if months <= 48 else 12
    month = 0
    while month <= months + 1e-9:
        x = x_of(month * 52 / 12)
        parts.append(
            f'<line x1="{fmt(x)}" y1="{fmt(axis_y)}" x2="{fmt(x)}" y2="{fmt(axis_y + 3)}" stroke="{TEXT}" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{fmt(x)}" y="{fmt(axis_y + 11)}" font-size="7.5" text-anchor="middle" fill="{TEXT}">{month}</text>'
        )
        month += step
    parts.append(
        f'<text x="{fmt(label_w + plot)}" y="{fmt(axis_y + 21)}" font-size="7.5" text-anchor="end" fill="{TEXT}">{escape(axis_label)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def trajectory(
    phases: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    minimum: float,
    maximum: float,
    width: int = 640,
    height: int = 220,
) -> str:
    """Projected score of each model after each phase (the first point is today)."""
    left, right, top, bottom = 34, 150, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(phases), 2)

    def x_of(i: float) -> float:
        return left + plot_w * i / (count - 1)

    def y_of(v: float) -> float:
        return top + plot_h * (1 - (v - minimum) / ((maximum - minimum) or 1))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="chart trajectory">'
    ]
    for level in range(int(minimum), int(maximum) + 1):
        y = y_of(level)
        parts.append(
            f'<line x1="{left}" y1="{fmt(y)}" x2="{left + plot_w}" y2="{fmt(y)}" stroke="{GRID}" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{fmt(y + 3)}" font-size="8" text-anchor="end" fill="{TEXT}">{level}</text>'
        )
    for i, name in enumerate(phases):
        parts.append(
            f'<text x="{fmt(x_of(i))}" y="{height - 12}" font-size="8" text-anchor="middle" fill="{TEXT}">{escape(name)}</text>'
        )
    ly = top + 10
    for k, (name, values) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        points = [(x_of(i), y_of(v)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            parts.append(
                f'<polyline points="{" ".join(f"{fmt(x)},{fmt(y)}" for x, y in points)}" fill="none" stroke="{colour}" stroke-width="1.8"/>'
            )
        for x, y in points:
            parts.append(f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="2.2" fill="{colour}"/>')
        lines = wrap(name, 24)  # a name without a short one: whole words on several lines
        parts.append(
            f'<rect x="{left + plot_w + 10}" y="{ly - 6}" width="8" height="8" fill="{colour}"/>'
        )
        for line_no, line in enumerate(lines):
            parts.append(
                f'<text x="{left + plot_w + 22}" y="{ly + 1 + 10 * line_no}" font-size="8" fill="{TEXT}">{escape(line)}</text>'
            )
        ly += 10 * len(lines) + 3
    if ly > height:  # long legend names: the chart grows to hold them
        parts[0] = (
            parts[0]
            .replace(f' {height}" width', f' {ly}" width')
            .replace(f'height="{height}"', f'height="{ly}"')
        )
    parts.append("</svg>")
    return "".join(parts)
