"""The charts' common ground: colours (a colour-blind-safe ramp, ink that contrasts with its fill), numbers as SVG writes them, and text measured and wrapped so no label is cut mid-word."""

from __future__ import annotations

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


def fmt(x: float) -> str:
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


PALETTE = ("#2f6db5", "#d9822b", "#3a9a6a", "#8c5fb8", "#c24b5a", "#4aa3b8")

BASELINE = "#5b6475"  # hollow grey circles: told apart from today's by shape, not only by colour


def marker(shape: str, x: float, y: float) -> str:
    if shape == "baseline":
        return f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="3.6" fill="#ffffff" stroke="{BASELINE}" stroke-width="1.6"/>'
    if shape == "today":
        return f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="3.8" fill="{CURRENT}"/>'
    return (
        f'<polygon points="{fmt(x)},{fmt(y - 4.5)} {fmt(x + 4.5)},{fmt(y)} {fmt(x)},{fmt(y + 4.5)} '
        f'{fmt(x - 4.5)},{fmt(y)}" fill="{TARGET}"/>'
    )


def fmt_tick(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
