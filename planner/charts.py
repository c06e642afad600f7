"""Server-side SVG charts, the same for web pages and the PDF. Pure: numbers in, markup out."""

from __future__ import annotations

import math
from collections.abc import Sequence
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
        parts.append(
            f'<text x="{_fmt(x)}" y="{head_h - 8}" font-size="10" text-anchor="middle" fill="{TEXT}">{escape(column[:16])}</text>'
        )
    for i, row in enumerate(rows):
        y = head_h + i * cell_h
        parts.append(
            f'<text x="{label_w - 8}" y="{_fmt(y + cell_h / 2)}" font-size="10" text-anchor="end" '
            f'dominant-baseline="middle" fill="{TEXT}">{escape(row if len(row) <= 44 else row[:43] + "…")}</text>'
        )
        for j, value in enumerate(values[i]):
            x = label_w + j * cell_w
            if value is None:
                fill, label = "#f1f3f6", ""
            else:
                share = max(0.0, min(1.0, (value - minimum) / ((maximum - minimum) or 1)))
                fill, label = _shade(share), f"{value:.1f}"
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


def bar(
    value: float | None, target: float | None, minimum: float, maximum: float, width: int = 160
) -> str:
    """A small horizontal bar: the score, with the target marked."""
    span = (maximum - minimum) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 12" width="{width}" height="12" class="chart bar">',
        f'<rect x="0" y="2" width="{width}" height="8" rx="2" fill="#e6ebf2"/>',
    ]
    if value is not None:
        parts.append(
            f'<rect x="0" y="2" width="{_fmt(width * (value - minimum) / span)}" height="8" rx="2" fill="{CURRENT}"/>'
        )
    if target is not None:
        x = width * (target - minimum) / span
        parts.append(
            f'<rect x="{_fmt(max(0, x - 1))}" y="0" width="2" height="12" fill="{TARGET}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
