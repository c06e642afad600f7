"""Server-side SVG charts, the same for web pages and the PDF. Pure: numbers in, markup out."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

CURRENT = "#2f6db5"
TARGET = "#d9822b"
GRID = "#c9d1dc"
TEXT = "#1d2230"
MUTED = "#5b6475"
EMPTY = "#eceff3"  # a heatmap cell the model does not cover

# ColorBrewer YlGnBu, colour-blind safe and sequential (light = low), by number of classes.
YLGNBU: dict[int, tuple[str, ...]] = {
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
    8: ("#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
    9: (
        "#ffffd9",
        "#edf8b1",
        "#c7e9b4",
        "#7fcdbb",
        "#41b6c4",
        "#1d91c0",
        "#225ea8",
        "#253494",
        "#081d58",
    ),
}


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def ramp(n: int) -> tuple[str, ...]:
    """`n` colours of the sequential YlGnBu ramp, light to dark (evenly picked beyond nine)."""
    if n in YLGNBU:
        return YLGNBU[n]
    source = YLGNBU[3] if n < 3 else YLGNBU[9]
    if n <= 1:
        return source[:1] if n == 1 else ()
    return tuple(source[round(i * (len(source) - 1) / (n - 1))] for i in range(n))


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = (int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5))
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink(fill: str) -> str:
    """Text colour on `fill`: the usual dark text, else white, else black, whichever first reaches
    WCAG's 4.5:1 (mid-tones need black), else the one with the most contrast."""
    choices = (TEXT, "#ffffff", "#000000")
    for colour in choices:
        if contrast(colour, fill) >= 4.5:
            return colour
    return max(choices, key=lambda c: contrast(c, fill))


def text_width(text: str, size: float) -> float:
    """A generous estimate of `text`'s width in DejaVu Sans at `size` px (it is a wide face)."""
    em = 0.0
    for c in text:
        if c in " iljtfrI.,:;'!|()[]-/":
            em += 0.4
        elif c in "mwMW@%&":
            em += 1.0
        elif c.isupper():
            em += 0.78
        else:
            em += 0.65
    return em * size


def wrap(text: str, width: int, max_lines: int | None = None) -> list[str]:
    """Words into lines of at most `width` characters (a longer word keeps a line of its own).
    Never cuts: with `max_lines`, the lines widen until the words fit in that many."""
    words = text.split()
    while True:
        lines: list[str] = []
        for word in words:
            if lines and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        if max_lines is None or len(lines) <= max(max_lines, 1):
            return lines or [""]
        width += 1


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
            f'<polygon points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in ring)}" fill="none" stroke="{GRID}" stroke-width="0.8"/>'
        )
    for i in range(n):
        x, y = point(i, maximum)
        body.append(
            f'<line x1="{_fmt(cx)}" y1="{_fmt(cy)}" x2="{_fmt(x)}" y2="{_fmt(y)}" stroke="{GRID}" stroke-width="0.8"/>'
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
                f'<tspan x="{_fmt(lx)}" y="{_fmt(first + k * line_h)}">{escape(line)}</tspan>'
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
            f'<polygon points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in pts)}"{fill_colour}{fill} '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
        )
    # The scale's values up the first axis, over the polygons so that they stay readable.
    for step in range(steps + 1):
        _, y = point(0, minimum + step)
        tick = _fmt_tick(minimum + step)
        body.append(
            f'<rect x="{_fmt(cx + 3)}" y="{_fmt(y - 3.5)}" width="{_fmt(text_width(tick, 8) + 1)}" height="7.5" '
            f'fill="#ffffff" fill-opacity="0.75"/>'
            f'<text x="{_fmt(cx + 3.5)}" y="{_fmt(y + 3)}" font-size="8" fill="{MUTED}">{tick}</text>'
        )
    left, top = math.floor(left), math.floor(top)
    width, height = math.ceil(right) - left, math.ceil(bottom) - top
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left} {top} {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" class="chart radar">'
        + "".join(body)
        + "</svg>"
    )


def _fmt_tick(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


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
                f'<text x="{_fmt(x)}" y="{y}" font-size="10" text-anchor="middle" fill="{TEXT}">{escape(line)}</text>'
            )
    for i, row in enumerate(rows):
        y = head_h + i * cell_h
        lines = wrap(row, 38)  # whole words, never cut
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
            box = f'x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" rx="3"'
            if value is None:
                parts.append(_empty_cell(box, x + cell_w / 2, y + cell_h / 2))
                continue
            fill = colours[_band(bands, value)]
            parts.append(f'<rect {box} fill="{fill}"/>')
            parts.append(
                f'<text x="{_fmt(x + cell_w / 2)}" y="{_fmt(y + cell_h / 2)}" font-size="11" text-anchor="middle" '
                f'dominant-baseline="middle" fill="{ink(fill)}">{escape(value_label(value))}</text>'
            )
    # The legend: a swatch per level (its number inside), then the empty cell; wraps when too wide.
    entries = [(colours[k], _fmt_tick(v), name) for k, (v, name) in enumerate(bands)]
    lx, ly = 8.0, grid_bottom + 12.0
    for k, (fill, number, name) in enumerate([*entries, (EMPTY, "–", empty_label)]):
        if k == len(entries) and not empty_label:
            break
        label = name if name != number else ""
        item_w = 24 + 5 + (text_width(label, 10) if label else 0) + 16
        if lx > 8 and lx + item_w > width - 4:
            lx, ly = 8.0, ly + 21
        box = f'x="{_fmt(lx)}" y="{_fmt(ly)}" width="24" height="15" rx="2"'
        swatch = (
            _empty_cell(box, lx + 12, ly + 7.5)
            if k == len(entries)
            else f'<rect {box} fill="{fill}"/><text x="{_fmt(lx + 12)}" y="{_fmt(ly + 7.5)}" font-size="10" '
            f'text-anchor="middle" dominant-baseline="middle" fill="{ink(fill)}">{number}</text>'
        )
        text = (
            f'<text x="{_fmt(lx + 29)}" y="{_fmt(ly + 7.5)}" font-size="10" dominant-baseline="middle" '
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
        f'<text x="{_fmt(cx)}" y="{_fmt(cy)}" font-size="10" text-anchor="middle" dominant-baseline="middle" '
        f'fill="{MUTED}">–</text>'
    )


PALETTE = ("#2f6db5", "#d9822b", "#3a9a6a", "#8c5fb8", "#c24b5a", "#4aa3b8")


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
            f'<rect x="{_fmt(x)}" y="{_fmt(base - h)}" width="{_fmt(step - 4)}" height="{_fmt(max(h, 0.8))}" fill="{CURRENT if n else GRID}"/>'
        )
        if labelled:
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
    ly = top + 10
    for k, (name, values) in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        points = [(x_of(i), y_of(v)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            parts.append(
                f'<polyline points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)}" fill="none" stroke="{colour}" stroke-width="1.8"/>'
            )
        for x, y in points:
            parts.append(f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="2.2" fill="{colour}"/>')
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
        f'<rect x="{_fmt(mid_x)}" y="{_fmt(mid_y)}" width="{_fmt(left + plot_w - mid_x)}" height="{_fmt(top + plot_h - mid_y)}" fill="#fbefe3"/>',
        f'<rect class="plot" x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="{GRID}"/>',
        f'<line x1="{_fmt(mid_x)}" y1="{top}" x2="{_fmt(mid_x)}" y2="{top + plot_h}" stroke="{GRID}" stroke-dasharray="3 3"/>',
        f'<line x1="{left}" y1="{_fmt(mid_y)}" x2="{left + plot_w}" y2="{_fmt(mid_y)}" stroke="{GRID}" stroke-dasharray="3 3"/>',
        f'<text x="{_fmt(left + plot_w / 2)}" y="{size - 8}" font-size="9" text-anchor="middle" fill="{TEXT}">{escape(x_label)} →</text>',
        f'<text x="12" y="{_fmt(top + plot_h / 2)}" font-size="9" text-anchor="middle" fill="{TEXT}" '
        f'transform="rotate(-90 12 {_fmt(top + plot_h / 2)})">{escape(y_label)} →</text>',
    ]
    for tick in (1, 2, 3, 4, 5):
        parts.append(
            f'<text x="{_fmt(x_of(tick))}" y="{top + plot_h + 12}" font-size="8" text-anchor="middle" fill="{TEXT}">{tick}</text>'
        )
    for tick in range(math.ceil(minimum), math.floor(maximum) + 1):
        parts.append(
            f'<text x="{left - 5}" y="{_fmt(y_of(tick) + 3)}" font-size="8" text-anchor="end" fill="{TEXT}">{tick}</text>'
        )
    placed = [(x_of(imp), y_of(sc)) for _, imp, sc in points]
    for i, (x, y) in enumerate(placed):
        parts.append(
            f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{radius}" fill="{PALETTE[i % len(PALETTE)]}" '
            f'fill-opacity="0.85" stroke="#ffffff" stroke-width="1"/>'
        )
    frame = (left + 1.0, top + 1.0, left + plot_w - 1.0, top + plot_h - 1.0)
    for text, x, y in _point_labels(placed, radius, frame):
        parts.append(
            f'<text x="{_fmt(x)}" y="{_fmt(y)}" font-size="8" text-anchor="middle" dominant-baseline="middle" '
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


BASELINE = "#5b6475"  # hollow grey circles: told apart from today's by shape, not only by colour


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
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {_fmt(height)}" width="{width}" '
        f'height="{_fmt(height)}" role="img" aria-label="{escape(title)}" class="chart before-after">'
    ]
    # the legend: a shape and its word, left to right
    x = float(label_w)
    for name, shape in zip(legend, ("baseline", "today", "target"), strict=True):
        parts.append(_marker(shape, x + 5, 9))
        parts.append(
            f'<text x="{_fmt(x + 13)}" y="12" font-size="{font}" fill="{TEXT}">{escape(name)}</text>'
        )
        x += 13 + text_width(name, font) + 16
    for tick in range(math.ceil(minimum), math.floor(maximum) + 1):
        tx = x_of(tick)
        parts.append(
            f'<line x1="{_fmt(tx)}" y1="{head}" x2="{_fmt(tx)}" y2="{_fmt(head + body)}" stroke="{GRID}" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{_fmt(tx)}" y="{_fmt(head + body + 12)}" font-size="8" text-anchor="middle" fill="{TEXT}">{tick}</text>'
        )
    y = float(head)
    for lines, row_h, before, now, goal in zip(
        wrapped, heights, baseline, today, target, strict=True
    ):
        mid = y + row_h / 2
        first = mid - (len(lines) - 1) * line_h / 2 + 3
        for k, line in enumerate(lines):
            parts.append(
                f'<text x="{label_w - 8}" y="{_fmt(first + k * line_h)}" font-size="{font}" text-anchor="end" fill="{TEXT}">{escape(line)}</text>'
            )
        if before is not None and now is not None and abs(x_of(now) - x_of(before)) > 7:
            x1, x2 = x_of(before), x_of(now)
            step = 4.5 if x2 > x1 else -4.5
            parts.append(
                f'<line x1="{_fmt(x1 + step)}" y1="{_fmt(mid)}" x2="{_fmt(x2 - step * 1.6)}" y2="{_fmt(mid)}" stroke="{CURRENT}" stroke-width="1.6"/>'
                f'<polygon points="{_fmt(x2 - step)},{_fmt(mid)} {_fmt(x2 - step * 2.2)},{_fmt(mid - 3)} {_fmt(x2 - step * 2.2)},{_fmt(mid + 3)}" fill="{CURRENT}"/>'
            )
        if goal is not None:
            parts.append(_marker("target", x_of(goal), mid))
        if before is not None:
            parts.append(_marker("baseline", x_of(before), mid))
        if now is not None:
            parts.append(_marker("today", x_of(now), mid))
        y += row_h
    parts.append("</svg>")
    return "".join(parts)


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "baseline":
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="3.6" fill="#ffffff" stroke="{BASELINE}" stroke-width="1.6"/>'
    if shape == "today":
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="3.8" fill="{CURRENT}"/>'
    return (
        f'<polygon points="{_fmt(x)},{_fmt(y - 4.5)} {_fmt(x + 4.5)},{_fmt(y)} {_fmt(x)},{_fmt(y + 4.5)} '
        f'{_fmt(x - 4.5)},{_fmt(y)}" fill="{TARGET}"/>'
    )
