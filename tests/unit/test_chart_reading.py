"""Can the charts be read? Legends, colour ramps, contrast, points inside the frame and labels
never cut, read back from the SVG strings."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.report import charts

NS = "{http://www.w3.org/2000/svg}"
LEVELS = [(1, "Ad hoc"), (2, "Emerging"), (3, "Defined"), (4, "Integrated"), (5, "Optimised")]
YLGNBU_5 = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]


def wcag_luminance(colour: str) -> float:
    """WCAG 2 relative luminance, computed here independently of planner.report.charts."""
    rgb = [int(colour.lstrip("#")[k : k + 2], 16) / 255 for k in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def wcag_contrast(a: str, b: str) -> float:
    la, lb = sorted((wcag_luminance(a), wcag_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def level_of(value: float) -> int:
    return max(v for v, _ in LEVELS if v <= value + 1e-9)


def sample_heatmap() -> tuple[str, list[list[float | None]]]:
    values: list[list[float | None]] = [
        [1.0, 1.9, None],
        [2.0, 2.5, 3.0],
        [3.4, 4.0, 4.6],
        [5.0, None, 1.2],
    ]
    svg = charts.heatmap(
        ["Customer data", "Technology", "People", "Measurement"],
        ["IDIC", "Gartner", "QCi"],
        values,
        1,
        5,
        levels=LEVELS,
        empty_label="Not covered by the model",
    )
    return svg, values


def cells(root: ET.Element) -> list[tuple[str, str, str]]:
    """(fill, label, label colour) of each grid cell: a rect followed by its text, outside the legend."""
    found = []
    children = list(root)
    for k, child in enumerate(children[:-1]):
        following = children[k + 1]
        if child.tag == f"{NS}rect" and following.tag == f"{NS}text":
            found.append((child.get("fill", ""), following.text or "", following.get("fill", "")))
    return found


def test_heatmap_legend_names_every_level_and_the_empty_cell():
    svg, _ = sample_heatmap()
    root = ET.fromstring(svg)
    items = [g for g in root.iter(f"{NS}g") if g.get("class") == "legend-item"]
    assert len(items) == len(LEVELS) + 1
    for item, (value, name) in zip(items, LEVELS, strict=False):
        texts = [t.text for t in item.iter(f"{NS}text")]
        assert texts == [str(value), name]
        assert item.find(f"{NS}rect").get("fill") == YLGNBU_5[value - 1]
    empty = [t.text for t in items[-1].iter(f"{NS}text")]
    assert empty == ["–", "Not covered by the model"]


def test_heatmap_cells_take_the_ramp_colour_of_their_level():
    svg, values = sample_heatmap()
    grid = cells(ET.fromstring(svg))
    flat = [v for row in values for v in row]
    assert len(grid) == len(flat)
    for (fill, label, _), value in zip(grid, flat, strict=True):
        if value is None:
            assert label == "–"
            assert fill not in YLGNBU_5  # visibly not a level
        else:
            assert label == f"{value:.1f}"
            assert fill == YLGNBU_5[level_of(value) - 1]
    # darker (lower luminance) as the value rises
    scored = sorted((v, wcag_luminance(f)) for (f, _, _), v in zip(grid, flat, strict=True) if v)
    lums = [lum for _, lum in scored]
    assert lums == sorted(lums, reverse=True)


def test_the_ramp_is_sequential_for_every_level_count():
    assert list(charts.ramp(5)) == YLGNBU_5
    for n in range(1, 13):
        colours = charts.ramp(n)
        assert len(colours) == n
        lums = [wcag_luminance(c) for c in colours]
        assert lums == sorted(lums, reverse=True)
        if n <= 9:
            assert len(set(colours)) == n


def test_heatmap_value_labels_have_enough_contrast():
    svg, _ = sample_heatmap()
    root = ET.fromstring(svg)
    pairs = [(fill, ink) for fill, _, ink in cells(root)]
    for item in root.iter(f"{NS}g"):  # the legend's numbers on their swatches too
        rect, number = item.find(f"{NS}rect"), item.find(f"{NS}text")
        pairs.append((rect.get("fill", ""), number.get("fill", "")))
    assert pairs
    for fill, ink in pairs:
        assert wcag_contrast(fill, ink) >= 4.5, (fill, ink)
    for colour in (*charts.ramp(5), *charts.ramp(7), *charts.ramp(9)):
        assert wcag_contrast(colour, charts.ink(colour)) >= 4.5


def test_heatmap_names_are_whole():
    long = "Customer lifecycle management (acquire, retain, develop and win back)"
    svg = charts.heatmap([long], ["A model without any short name"], [[2.0]], 1, 5, levels=LEVELS)
    texts = [t.text or "" for t in ET.fromstring(svg).iter(f"{NS}text")]
    assert " ".join(texts).count("…") == 0
    joined = " ".join(texts)
    for name in (long, "A model without any short name"):
        assert all(word in joined.split() for word in name.split())


def plot_rect(root: ET.Element) -> tuple[float, float, float, float]:
    rect = next(r for r in root.iter(f"{NS}rect") if r.get("class") == "plot")
    x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
    return x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.sampled_from([1.0, 5.0]), st.floats(1, 5)),
            st.one_of(st.sampled_from([1.0, 5.0]), st.floats(1, 5)),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_matrix_points_lie_strictly_inside_the_plot(points):
    svg = charts.matrix([(f"d{i}", imp, sc) for i, (imp, sc) in enumerate(points)], 1, 5)
    root = ET.fromstring(svg)
    left, top, right, bottom = plot_rect(root)
    circles = list(root.iter(f"{NS}circle"))
    assert len(circles) == len(points)  # every rated dimension is drawn
    for c in circles:
        cx, cy, r = (float(c.get(k, 0)) for k in ("cx", "cy", "r"))
        assert left < cx - r < cx + r < right
        assert top < cy - r < cy + r < bottom
    numbers = [
        int(n)
        for t in root.iter(f"{NS}text")
        if t.get("dominant-baseline") == "middle"  # the points' numbers (ticks sit on the baseline)
        for n in (t.text or "").split(", ")
    ]
    assert sorted(numbers) == list(range(1, len(points) + 1))  # each point numbered, once


def test_matrix_labels_its_axes_and_separates_close_numbers():
    svg = charts.matrix(
        [("a", 5.0, 1.7), ("b", 5.0, 1.83), ("c", 4.0, 1.67), ("d", 4.0, 1.5), ("e", 5.0, 1.7)],
        1,
        5,
        x_label="Importance (1–5)",
        y_label="Score",
    )
    root = ET.fromstring(svg)
    texts = {t.text for t in root.iter(f"{NS}text")}
    assert {"Importance (1–5) →", "Score →"} <= texts
    labels = [
        (float(t.get("x", 0)), float(t.get("y", 0)), t.text or "")
        for t in root.iter(f"{NS}text")
        if t.get("dominant-baseline") == "middle"
    ]
    assert "1, 5" in [text for _, _, text in labels]  # drawn on top of each other: one label
    for i, (x1, y1, a) in enumerate(labels):
        for x2, y2, b in labels[i + 1 :]:
            width = (charts.text_width(a, 8) + charts.text_width(b, 8)) / 2
            assert abs(x1 - x2) >= width or abs(y1 - y2) >= 9, (a, b)


LONG_LABELS = [
    "Customer relationship management strategy and governance",
    "Quản lý vòng đời khách hàng (thu hút, giữ chân, phát triển)",
    "Organisational collaboration",
    "Supercalifragilisticexpialidociousness",
    "Data",
    "Human resource management processes across the whole organisation and its partners",
]


def radar_labels(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [
        " ".join(" ".join(s.text or "" for s in t.iter(f"{NS}tspan")).split())
        for t in root.iter(f"{NS}text")
        if t.find(f"{NS}tspan") is not None
    ]


def test_radar_labels_are_never_cut():
    svg = charts.radar(LONG_LABELS, [2, 3, 1, 4, 2, 3], [4, 4, 4, 4, 4, 4], 1, 5, size=280)
    assert radar_labels(svg) == [" ".join(label.split()) for label in LONG_LABELS]
    assert "…" not in svg


def test_radar_view_box_holds_every_label_and_the_scale():
    svg = charts.radar(LONG_LABELS, [2, 3, 1, 4, 2, 3], [4, 4, 4, 4, 4, 4], 1, 5, size=280)
    root = ET.fromstring(svg)
    vx, vy, vw, vh = (float(v) for v in root.get("viewBox", "").split())
    for t in root.iter(f"{NS}text"):
        spans = list(t.iter(f"{NS}tspan")) or [t]
        for s in spans:
            x, y = float(s.get("x", 0)), float(s.get("y", 0))
            w = charts.text_width(s.text or "", float(t.get("font-size", 11)))
            anchor = t.get("text-anchor", "start")
            x0 = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
            assert vx <= x0 < x0 + w <= vx + vw, s.text
            assert vy <= y - 6 < y + 6 <= vy + vh, s.text
    ticks = [t.text for t in root.iter(f"{NS}text") if t.find(f"{NS}tspan") is None]
    assert ticks == ["1", "2", "3", "4", "5"]  # the scale's values up the first axis


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdeđươ", min_size=1, max_size=25), min_size=1, max_size=12),
    st.integers(3, 40),
    st.one_of(st.none(), st.integers(1, 4)),
)
def test_wrap_keeps_every_word_whole(words, width, max_lines):
    text = " ".join(words)
    lines = charts.wrap(text, width, max_lines)
    assert " ".join(lines).split() == text.split()
    assert all(len(line) <= width or " " not in line for line in lines) or max_lines is not None
    if max_lines is not None:
        assert len(lines) <= max_lines
