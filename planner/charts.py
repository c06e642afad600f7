"""Server-side SVG charts, the same for web pages and the PDF. Pure: numbers in, markup out."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

CURRENT = "#2f6db5"
TARGET = "#d9822b"
GRID = "#c9d1dc"
TEXT = "#1d2230"


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def radar(
    labels: Sequence[str],
    current: Sequence[float | None],
    target: Sequence[float | None],
    minimum: float,
    maximum: float,
    size: int = 320,
    title: str = "",
) -> str:
    """A radar of current against target scores, one axis per dimension (at least 3 axes drawn)."""
    n = max(len(labels), 3)
    pad = 90  # room for the labels left and right
    cx = cy = size / 2
    radius = size / 2 - 46
    span = (maximum - minimum) or 1

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * (value - minimum) / span
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-pad} 0 {size + 2 * pad} {size}" '
        f'width="{size + 2 * pad}" height="{size}" role="img" aria-label="{escape(title)}" class="chart radar">'
    ]
    steps = int(maximum - minimum)
    for step in range(1, steps + 1):
        ring = [point(i, minimum + step) for i in range(n)]
        parts.append(
            f'<polygon points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in ring)}" fill="none" stroke="{GRID}" stroke-width="0.8"/>'
        )
    for i in range(n):
        x, y = point(i, maximum)
        parts.append(
            f'<line x1="{_fmt(cx)}" y1="{_fmt(cy)}" x2="{_fmt(x)}" y2="{_fmt(y)}" stroke="{GRID}" stroke-width="0.8"/>'
        )
        if i < len(labels):
            lx, ly = point(i, maximum + span * 0.1)
            anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
            lines = wrap(labels[i], 18, 3)
            top = (
                ly - (len(lines) - 1) * 6
                if abs(lx - cx) >= 10
                else (ly - (len(lines) - 1) * 12 if ly < cy else ly)
            )
            spans = "".join(
                f'<tspan x="{_fmt(lx)}" y="{_fmt(top + k * 12)}">{escape(line)}</tspan>'
                for k, line in enumerate(lines)
            )
            parts.append(
                f'<text font-size="11" fill="{TEXT}" text-anchor="{anchor}" dominant-baseline="middle">{spans}</text>'
            )
    for values, colour, dash in (
        (target, TARGET, ' stroke-dasharray="4 3"'),
        (current, CURRENT, ""),
    ):
        pts = [point(i, v if v is not None else minimum) for i, v in enumerate(values)]
        if len(pts) < 3:
            continue
        fill = ' fill-opacity="0.18"' if colour == CURRENT else ' fill="none"'
        fill_colour = f' fill="{colour}"' if colour == CURRENT else ""
        parts.append(
            f'<polygon points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in pts)}"{fill_colour}{fill} '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Words into lines of at most `width` characters; the last line ends in … when cut."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1] + "…"
    return lines or [""]


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    minimum: float,
    maximum: float,
    title: str = "",
    value_label: Callable[[float], str] = lambda v: f"{v:.1f}",
) -> str:
    """Capabilities (rows) by models (columns): each cell the mean score of the model's dimensions in it."""
    cell_w, cell_h, label_w, head_h = 104, 26, 250, 58
    width = label_w + cell_w * len(columns) + 4
    height = head_h + cell_h * len(rows) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" class="chart heatmap">'
    ]
    for j, column in enumerate(columns):
        x = label_w + j * cell_w + cell_w / 2
        names = wrap(column, 18, 99)  # a model without a short name: its name on several lines
        for k, line in enumerate(names):
            y = head_h - 8 - 11 * (len(names) - 1 - k)
            parts.append(
                f'<text x="{_fmt(x)}" y="{y}" font-size="10" text-anchor="middle" fill="{TEXT}">{escape(line)}</text>'
            )
    for i, row in enumerate(rows):
        y = head_h + i * cell_h
        lines = wrap(row, 44, 99)  # whole words on up to two lines, never cut
        size = 10 if len(lines) <= 2 else 8
        step = size + 1
        first = y + cell_h / 2 - step * (len(lines) - 1) / 2
        for k, line in enumerate(lines):
            parts.append(
                f'<text x="{label_w - 8}" y="{_fmt(first + k * step)}" font-size="{size}" text-anchor="end" '
                f'dominant-baseline="middle" fill="{TEXT}">{escape(line)}</text>'
            )
        for j, value in enumerate(values[i]):
            x = label_w + j * cell_w
            if value is None:
                fill, label = "#f1f3f6", ""
            else:
                share = max(0.0, min(1.0, (value - minimum) / ((maximum - minimum) or 1)))
                fill, label = _shade(share), value_label(value)
            parts.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" rx="3" fill="{fill}"/>'
            )
            if label:
                colour = (
                    "#ffffff"
                    if value is not None and (value - minimum) / ((maximum - minimum) or 1) > 0.55
                    else TEXT
                )
                parts.append(
                    f'<text x="{_fmt(x + cell_w / 2)}" y="{_fmt(y + cell_h / 2)}" font-size="10" text-anchor="middle" '
                    f'dominant-baseline="middle" fill="{colour}">{label}</text>'
                )
    parts.append("</svg>")
    return "".join(parts)


def _shade(share: float) -> str:
    """From a pale orange (low) to a deep blue (high)."""
    low, high = (0xF6, 0xD8, 0xB8), (0x1F, 0x4E, 0x8C)
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


PALETTE = ("#2f6db5", "#d9822b", "#3a9a6a", "#8c5fb8", "#c24b5a", "#4aa3b8")


def distribution(counts: Sequence[tuple[str, int]], width: int = 150, height: int = 34) -> str:
    """Answers per level as small columns, the level under each."""
    top = max((n for _, n in counts), default=0) or 1
    step = width / max(len(counts), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="chart dist">'
    ]
    for i, (label, n) in enumerate(counts):
        h = (height - 12) * n / top
        x = i * step + 2
        parts.append(
            f'<rect x="{_fmt(x)}" y="{_fmt(height - 12 - h)}" width="{_fmt(step - 4)}" height="{_fmt(max(h, 0.8))}" fill="{CURRENT if n else GRID}"/>'
        )
        parts.append(
            f'<text x="{_fmt(x + (step - 4) / 2)}" y="{height - 2}" font-size="8" text-anchor="middle" fill="{TEXT}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


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
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {_fmt(height)}" width="{width}" height="{_fmt(height)}" class="chart gantt">'
    ]
    starts = [start for _, start in phases] + [span]
    row = 1  # phase names sit on the lower of two lines, the upper one when the band is narrow
    for i, (name, start) in enumerate(phases):
        if start >= span:
            continue
        x, end = x_of(start), x_of(starts[i + 1])
        if i % 2:
            parts.append(
                f'<rect x="{_fmt(x)}" y="{head - 2}" width="{_fmt(end - x)}" height="{_fmt(body + 2)}" fill="#eef2f7"/>'
            )
        row = 0 if row == 1 and len(name) * 4.4 > end - x - 3 else 1
        parts.append(
            f'<line x1="{_fmt(x)}" y1="{head - 12 + 9 * row}" x2="{_fmt(x)}" y2="{_fmt(head + body)}" stroke="{GRID}" stroke-width="0.8"/>'
        )
        parts.append(
            f'<text x="{_fmt(x + 2)}" y="{head - 13 + 9 * row + 7}" font-size="7.5" font-weight="bold" fill="{TEXT}">{escape(name)}</text>'
        )
    y = float(head)
    for lines, row_h, (_, start, end, enabler) in zip(wrapped, heights, rows, strict=True):
        first = y + pad / 2 + line_h - 2.5
        for k, line in enumerate(lines):
            parts.append(
                f'<text x="{label_w - 6}" y="{_fmt(first + k * line_h)}" font-size="8" text-anchor="end" fill="{TEXT}">{escape(line)}</text>'
            )
        colour = "#8a96a8" if enabler else CURRENT
        bar_y = y + row_h / 2 - 3.5
        parts.append(
            f'<rect x="{_fmt(x_of(start))}" y="{_fmt(bar_y)}" width="{_fmt(max(x_of(end) - x_of(start), 1.5))}" height="7" rx="2" fill="{colour}"/>'
        )
        y += row_h
    axis_y = head + body
    parts.append(
        f'<line x1="{label_w}" y1="{_fmt(axis_y)}" x2="{_fmt(label_w + plot)}" y2="{_fmt(axis_y)}" stroke="{TEXT}" stroke-width="0.6"/>'
    )
    months = span * 12 / 52
    step = 3 if months <= 24 else 6 if months <= 48 else 12
    month = 0
    while month <= months + 1e-9:
        x = x_of(month * 52 / 12)
        parts.append(
            f'<line x1="{_fmt(x)}" y1="{_fmt(axis_y)}" x2="{_fmt(x)}" y2="{_fmt(axis_y + 3)}" stroke="{TEXT}" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{_fmt(x)}" y="{_fmt(axis_y + 11)}" font-size="7.5" text-anchor="middle" fill="{TEXT}">{month}</text>'
        )
        month += step
    parts.append(
        f'<text x="{_fmt(label_w + plot)}" y="{_fmt(axis_y + 21)}" font-size="7.5" text-anchor="end" fill="{TEXT}">{escape(axis_label)}</text>'
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
            f'<line x1="{left}" y1="{_fmt(y)}" x2="{left + plot_w}" y2="{_fmt(y)}" stroke="{GRID}" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{_fmt(y + 3)}" font-size="8" text-anchor="end" fill="{TEXT}">{level}</text>'
        )
    for i, name in enumerate(phases):
        parts.append(
            f'<text x="{_fmt(x_of(i))}" y="{height - 12}" font-size="8" text-anchor="middle" fill="{TEXT}">{escape(name)}</text>'
        )
    for k, (name, values) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        points = [(x_of(i), y_of(v)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            parts.append(
                f'<polyline points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)}" fill="none" stroke="{colour}" stroke-width="1.8"/>'
            )
        for x, y in points:
            parts.append(f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="2.2" fill="{colour}"/>')
        ly = top + 10 + k * 13
        parts.append(
            f'<rect x="{left + plot_w + 10}" y="{ly - 6}" width="8" height="8" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{left + plot_w + 22}" y="{ly + 1}" font-size="8" fill="{TEXT}">{escape(name[:26])}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def matrix(
    points: Sequence[tuple[str, float, float]],
    minimum: float,
    maximum: float,
    size: int = 300,
    x_label: str = "importance",
    y_label: str = "score",
) -> str:
    """Importance (1–5, across) against performance (the score, up), points numbered in the given order:
    what matters and lags sits bottom right."""
    pad = 34
    plot = size - 2 * pad

    def x_of(v: float) -> float:
        return pad + plot * (v - 1) / 4

    def y_of(v: float) -> float:
        return pad + plot * (1 - (v - minimum) / ((maximum - minimum) or 1))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" class="chart matrix">',
        f'<rect x="{pad}" y="{pad}" width="{plot}" height="{plot}" fill="none" stroke="{GRID}"/>',
        f'<line x1="{pad + plot / 2}" y1="{pad}" x2="{pad + plot / 2}" y2="{pad + plot}" stroke="{GRID}" stroke-dasharray="3 3"/>',
        f'<line x1="{pad}" y1="{pad + plot / 2}" x2="{pad + plot}" y2="{pad + plot / 2}" stroke="{GRID}" stroke-dasharray="3 3"/>',
        f'<text x="{pad + plot / 2}" y="{size - 8}" font-size="9" text-anchor="middle" fill="{TEXT}">{escape(x_label)} →</text>',
        f'<text x="10" y="{pad + plot / 2}" font-size="9" text-anchor="middle" fill="{TEXT}" transform="rotate(-90 10 {pad + plot / 2})">{escape(y_label)} →</text>',
    ]
    for tick in (1, 2, 3, 4, 5):
        parts.append(
            f'<text x="{_fmt(x_of(tick))}" y="{pad + plot + 11}" font-size="7" text-anchor="middle" fill="{TEXT}">{tick}</text>'
        )
    seen: dict[tuple[int, int], int] = {}
    for i, (_, importance, score) in enumerate(points, start=1):
        x, y = x_of(importance), y_of(score)
        key = (round(x), round(y))
        offset = seen.get(key, 0)
        seen[key] = offset + 1
        parts.append(
            f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="6" fill="{PALETTE[(i - 1) % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{_fmt(x + 8 + offset * 10)}" y="{_fmt(y + 3)}" font-size="8" fill="{TEXT}">{i}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
