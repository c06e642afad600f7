"""The capability heatmap: capabilities down, models across, each cell coloured by its level."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from planner.report.charts.svg import EMPTY, MUTED, TEXT, fmt, fmt_tick, ink, ramp, text_width, wrap


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    minimum: float,
    maximum: float,
    title: str = "",
    value_label: Callable[[float], str] = lambda v: f"{v:.1f}",
    levels: Sequence[tuple[float, str]] = (),
    empty_label: str = "",
) -> str:
    """Capabilities (rows) by models (columns): each cell the mean score of the model's dimensions in it,
    coloured by the scale level it reaches (`levels`: value and name, lowest first; by default the
    whole numbers from `minimum` to `maximum`), over a legend of the levels and of the empty cell."""
    bands: list[tuple[float, str]] = list(levels) or [
        (v, str(v)) for v in range(int(minimum), int(maximum) + 1)
    ]
    colours = ramp(len(bands))
    cell_w, cell_h, label_w = 104, 26, 250
    heads = [wrap(column, 16) for column in columns]  # a name without a short one: several lines
    head_h = 14 + 11 * max((len(h) for h in heads), default=1)
    width = label_w + cell_w * len(columns) + 4
    grid_bottom = head_h + cell_h * len(rows)
    parts: list[str] = []
    for j, names in enumerate(heads):
        x = label_w + j * cell_w + cell_w / 2
        for k, line in enumerate(names):
            y = head_h - 8 - 11 * (len(names) - 1 - k)
            parts.append(
                f'<text x="{fmt(x)}" y="{y}" font-size="10" text-anchor="middle" fill="{TEXT}">{escape(line)}</text>'
            )
    for i, row in enumerate(rows):
        y = head_h + i * cell_h
        lines = wrap(row, 38)  # whole words, never cut
        size = 10 if len(lines) <= 2 else 8
        step = size + 1
        first = y + cell_h / 2 - step * (len(lines) - 1) / 2
        for k, line in enumerate(lines):
            parts.append(
                f'<text x="{label_w - 8}" y="{fmt(first + k * step)}" font-size="{size}" text-anchor="end" '
                f'dominant-baseline="middle" fill="{TEXT}">{escape(line)}</text>'
            )
        for j, value in enumerate(values[i]):
            x = label_w + j * cell_w
            box = f'x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" rx="3"'
            if value is None:
                parts.append(_empty_cell(box, x + cell_w / 2, y + cell_h / 2))
                continue
            fill = colours[_band(bands, value)]
            parts.append(f'<rect {box} fill="{fill}"/>')
            parts.append(
                f'<text x="{fmt(x + cell_w / 2)}" y="{fmt(y + cell_h / 2)}" font-size="11" text-anchor="middle" '
                f'dominant-baseline="middle" fill="{ink(fill)}">{escape(value_label(value))}</text>'
            )
    # The legend: a swatch per level (its number inside), then the empty cell; wraps when too wide.
    entries = [(colours[k], fmt_tick(v), name) for k, (v, name) in enumerate(bands)]
    lx, ly = 8.0, grid_bottom + 12.0
    for k, (fill, number, name) in enumerate([*entries, (EMPTY, "–", empty_label)]):
        if k == len(entries) and not empty_label:
            break
        label = name if name != number else ""
        item_w = 24 + 5 + (text_width(label, 10) if label else 0) + 16
        if lx > 8 and lx + item_w > width - 4:
            lx, ly = 8.0, ly + 21
        box = f'x="{fmt(lx)}" y="{fmt(ly)}" width="24" height="15" rx="2"'
        swatch = (
            _empty_cell(box, lx + 12, ly + 7.5)
            if k == len(entries)
            else f'<rect {box} fill="{fill}"/><text x="{fmt(lx + 12)}" y="{fmt(ly + 7.5)}" font-size="10" '
            f'text-anchor="middle" dominant-baseline="middle" fill="{ink(fill)}">{number}</text>'
        )
        text = (
            f'<text x="{fmt(lx + 29)}" y="{fmt(ly + 7.5)}" font-size="10" dominant-baseline="middle" '
            f'fill="{TEXT}">{escape(label)}</text>'
            if label
            else ""
        )
        parts.append(f'<g class="legend-item">{swatch}{text}</g>')
        lx += item_w
    height = math.ceil(ly + 15 + 4)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" class="chart heatmap">'
        + "".join(parts)
        + "</svg>"
    )


def _band(bands: Sequence[tuple[float, str]], value: float) -> int:
    """The index of the highest level at or below `value` (the lowest when below them all)."""
    found = 0
    for k, (level, _) in enumerate(bands):
        if level <= value + 1e-9:
            found = k
    return found


def _empty_cell(box: str, cx: float, cy: float) -> str:
    """A cell the model does not cover: pale grey, a dashed border and a dash."""
    return (
        f'<rect {box} fill="{EMPTY}" stroke="#9aa3b2" stroke-width="0.8" stroke-dasharray="3 2"/>'
        f'<text x="{fmt(cx)}" y="{fmt(cy)}" font-size="10" text-anchor="middle" dominant-baseline="middle" '
        f'fill="{MUTED}">–</text>'
    )
