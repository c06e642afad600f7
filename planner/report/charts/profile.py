"""A maturity profile: the radar of scores against targets, answers per level, and baseline -> today -> target per dimension."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from planner.report.charts.svg import (
    CURRENT,
    GRID,
    MUTED,
    TARGET,
    TEXT,
    fmt,
    fmt_tick,
    marker,
    text_width,
    wrap,
)


def radar(
    labels: Sequence[str],
    current: Sequence[float | None],
    target: Sequence[float | None],
    minimum: float,
    maximum: float,
    size: int = 320,
    title: str = "",
) -> str:
    """A radar of current against target scores, one axis per dimension (at least 3 axes drawn),
    the scale's values up the first axis. Labels wrap on whole words, as many lines as they need;
    the viewBox grows to hold them."""
    n = max(len(labels), 3)
    cx = cy = size / 2
    radius = size / 2 - 46
    span = (maximum - minimum) or 1
    font, line_h = 11, 12

    def point(i: int, value: float, extra: float = 0.0) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * (value - minimum) / span + extra
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    body: list[str] = []
    pad = 90  # room for the labels left and right, the same for every radar; more when needed
    left, top, right, bottom = float(-pad), 0.0, float(size + pad), float(size)
    steps = int(maximum - minimum)
    for step in range(1, steps + 1):
        ring = [point(i, minimum + step) for i in range(n)]
        body.append(
            f'<polygon points="{" ".join(f"{fmt(x)},{fmt(y)}" for x, y in ring)}" fill="none" stroke="{GRID}" stroke-width="0.8"/>'
        )
    for i in range(n):
        x, y = point(i, maximum)
        body.append(
            f'<line x1="{fmt(cx)}" y1="{fmt(cy)}" x2="{fmt(x)}" y2="{fmt(y)}" stroke="{GRID}" stroke-width="0.8"/>'
        )
        if i < len(labels):
            lx, ly = point(i, maximum, 14)
            side = abs(lx - cx) >= 10
            anchor = "middle" if not side else ("start" if lx > cx else "end")
            lines = wrap(labels[i], 18)
            first = (
                ly - (len(lines) - 1) * line_h / 2
                if side
                else (ly - (len(lines) - 1) * line_h if ly < cy else ly)
            )
            widest = max(text_width(line, font) for line in lines)
            x0 = lx if anchor == "start" else lx - widest if anchor == "end" else lx - widest / 2
            left, right = min(left, x0 - 2), max(right, x0 + widest + 2)
            top = min(top, first - font * 0.7)
            bottom = max(bottom, first + (len(lines) - 1) * line_h + font * 0.7)
            spans = "".join(
                f'<tspan x="{fmt(lx)}" y="{fmt(first + k * line_h)}">{escape(line)}</tspan>'
                for k, line in enumerate(lines)
            )
            body.append(
                f'<text font-size="{font}" fill="{TEXT}" text-anchor="{anchor}" dominant-baseline="middle">{spans}</text>'
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
        body.append(
            f'<polygon points="{" ".join(f"{fmt(x)},{fmt(y)}" for x, y in pts)}"{fill_colour}{fill} '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
        )
    # The scale's values up the first axis, over the polygons so that they stay readable.
    for step in range(steps + 1):
        _, y = point(0, minimum + step)
        tick = fmt_tick(minimum + step)
        body.append(
            f'<rect x="{fmt(cx + 3)}" y="{fmt(y - 3.5)}" width="{fmt(text_width(tick, 8) + 1)}" height="7.5" '
            f'fill="#ffffff" fill-opacity="0.75"/>'
            f'<text x="{fmt(cx + 3.5)}" y="{fmt(y + 3)}" font-size="8" fill="{MUTED}">{tick}</text>'
        )
    left, top = math.floor(left), math.floor(top)
    width, height = math.ceil(right) - left, math.ceil(bottom) - top
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left} {top} {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" class="chart radar">'
        + "".join(body)
        + "</svg>"
    )


def distribution(
    counts: Sequence[tuple[str, int]], width: int = 150, height: int = 34, labelled: bool = True
) -> str:
    """Answers per level as small columns, the level under each; with `labelled=False` the columns
    alone, centred at (i + ½)·width/n, for a caller that sets the levels as one line of text (the
    PDF: a text element per letter is what WeasyPrint spends most on in a chart)."""
    if not labelled:
        height -= 12
    top = max((n for _, n in counts), default=0) or 1
    step = width / max(len(counts), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="chart dist">'
    ]
    for i, (label, n) in enumerate(counts):
        base = height - 12 if labelled else height
        h = base * n / top
        x = i * step + 2
        parts.append(
            f'<rect x="{fmt(x)}" y="{fmt(base - h)}" width="{fmt(step - 4)}" height="{fmt(max(h, 0.8))}" fill="{CURRENT if n else GRID}"/>'
        )
        if labelled:
            parts.append(
                f'<text x="{fmt(x + (step - 4) / 2)}" y="{height - 2}" font-size="8" text-anchor="middle" fill="{TEXT}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def before_after(
    labels: Sequence[str],
    baseline: Sequence[float | None],
    today: Sequence[float | None],
    target: Sequence[float | None],
    minimum: float,
    maximum: float,
    legend: tuple[str, str, str] = ("Baseline", "Today", "Target"),
    title: str = "",
    width: int = 640,
) -> str:
    """Per dimension, one row on the scale: the baseline (hollow circle), an arrow to today (filled
    circle) and the target (diamond), with a legend of whole words over the rows. Blue, orange and
    grey with three shapes stay apart for colour-blind readers and in greyscale print."""
    label_w, line_h, pad, font = 190, 10.0, 8.0, 8.5
    head, foot = 22, 20
    plot = width - label_w - 20
    span = (maximum - minimum) or 1
    wrapped = [wrap(label, 34) for label in labels]
    heights = [max(len(lines) * line_h, 12) + pad for lines in wrapped]
    body = sum(heights)
    height = head + body + foot

    def x_of(value: float) -> float:
        return label_w + plot * (min(max(value, minimum), maximum) - minimum) / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {fmt(height)}" width="{width}" '
        f'height="{fmt(height)}" role="img" aria-label="{escape(title)}" class="chart before-after">'
    ]
    # the legend: a shape and its word, left to right
    x = float(label_w)
    for name, shape in zip(legend, ("baseline", "today", "target"), strict=True):
        parts.append(marker(shape, x + 5, 9))
        parts.append(
            f'<text x="{fmt(x + 13)}" y="12" font-size="{font}" fill="{TEXT}">{escape(name)}</text>'
        )
        x += 13 + text_width(name, font) + 16
    for tick in range(math.ceil(minimum), math.floor(maximum) + 1):
        tx = x_of(tick)
        parts.append(
            f'<line x1="{fmt(tx)}" y1="{head}" x2="{fmt(tx)}" y2="{fmt(head + body)}" stroke="{GRID}" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{fmt(tx)}" y="{fmt(head + body + 12)}" font-size="8" text-anchor="middle" fill="{TEXT}">{tick}</text>'
        )
    y = float(head)
    for lines, row_h, before, now, goal in zip(
        wrapped, heights, baseline, today, target, strict=True
    ):
        mid = y + row_h / 2
        first = mid - (len(lines) - 1) * line_h / 2 + 3
        for k, line in enumerate(lines):
            parts.append(
                f'<text x="{label_w - 8}" y="{fmt(first + k * line_h)}" font-size="{font}" text-anchor="end" fill="{TEXT}">{escape(line)}</text>'
            )
        if before is not None and now is not None and abs(x_of(now) - x_of(before)) > 7:
            x1, x2 = x_of(before), x_of(now)
            step = 4.5 if x2 > x1 else -4.5
            parts.append(
                f'<line x1="{fmt(x1 + step)}" y1="{fmt(mid)}" x2="{fmt(x2 - step * 1.6)}" y2="{fmt(mid)}" stroke="{CURRENT}" stroke-width="1.6"/>'
                f'<polygon points="{fmt(x2 - step)},{fmt(mid)} {fmt(x2 - step * 2.2)},{fmt(mid - 3)} {fmt(x2 - step * 2.2)},{fmt(mid + 3)}" fill="{CURRENT}"/>'
            )
        if goal is not None:
            parts.append(marker("target", x_of(goal), mid))
        if before is not None:
            parts.append(marker("baseline", x_of(before), mid))
        if now is not None:
            parts.append(marker("today", x_of(now), mid))
        y += row_h
    parts.append("</svg>")
    return "".join(parts)
