"""Server-side SVG charts, the same for web pages and the PDF. Pure: numbers in, markup out.

- `svg`: colours, ink and contrast, text width and wrapping
- `profile`: radar, answers per level, before/after
- `heatmap`: the capability heatmap
- `plan`: the Gantt and the maturity trajectory
- `matrix`: the importance/performance matrix
"""

from planner.report.charts.heatmap import heatmap
from planner.report.charts.matrix import matrix
from planner.report.charts.plan import gantt, trajectory
from planner.report.charts.profile import before_after, distribution, radar
from planner.report.charts.svg import (
    BASELINE,
    CURRENT,
    EMPTY,
    GRID,
    MUTED,
    PALETTE,
    TARGET,
    TEXT,
    YLGNBU,
    contrast,
    ink,
    luminance,
    ramp,
    text_width,
    wrap,
)

__all__ = [
    "BASELINE",
    "CURRENT",
    "EMPTY",
    "GRID",
    "MUTED",
    "PALETTE",
    "TARGET",
    "TEXT",
    "YLGNBU",
    "before_after",
    "contrast",
    "distribution",
    "gantt",
    "heatmap",
    "ink",
    "luminance",
    "matrix",
    "radar",
    "ramp",
    "text_width",
    "trajectory",
    "wrap",
]
