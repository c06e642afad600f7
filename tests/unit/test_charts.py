"""The SVG charts: well-formed, escaped, and drawing what they are given."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from planner.report import charts

NS = "{http://www.w3.org/2000/svg}"


def test_radar_draws_current_and_target_and_escapes_labels():
    svg = charts.radar(
        ["<b>Identify</b>", "Differentiate", "Interact", "Customize"],
        [2, 3, None, 1],
        [4, 4, 4, 3],
        1,
        5,
    )
    root = ET.fromstring(svg)
    polygons = root.findall(f"{NS}polygon")
    assert len(polygons) == 4 + 2  # four grid rings, then target and current
    current = polygons[-1].get("points").split()
    assert len(current) == 4
    assert "&lt;b&gt;Identify" in svg
    texts = "".join(t.text or "" for t in root.iter(f"{NS}tspan"))
    assert "Differentiate" in texts


def test_radar_values_move_outward():
    low = charts.radar(["a", "b", "c"], [1, 1, 1], [5, 5, 5], 1, 5)
    high = charts.radar(["a", "b", "c"], [5, 5, 5], [5, 5, 5], 1, 5)
    assert low != high
    top_low = float(
        ET.fromstring(low).findall(f"{NS}polygon")[-1].get("points").split()[0].split(",")[1]
    )
    top_high = float(
        ET.fromstring(high).findall(f"{NS}polygon")[-1].get("points").split()[0].split(",")[1]
    )
    assert top_high < top_low  # the first axis points up: a higher score is higher on the page


def test_heatmap_cells_and_gaps():
    svg = charts.heatmap(
        ["Customer data", "Technology"], ["IDIC", "Gartner"], [[3.2, None], [1.0, 4.5]], 1, 5
    )
    root = ET.fromstring(svg)
    assert len(root.findall(f"{NS}rect")) == 4  # the grid; the legend's swatches sit in groups
    labels = [t.text for t in root.findall(f"{NS}text")]
    assert "3.2" in labels
    assert "4.5" in labels


def test_wrap():
    assert charts.wrap("Value proposition development", 12, 3) == [
        "Value",
        "proposition",
        "development",
    ]
    # too many lines for max_lines: the lines widen, no word is cut
    assert charts.wrap("a b c d e f g h", 3, 2) == ["a b c d", "e f g h"]
    assert charts.wrap("Supercalifragilistic word", 5) == ["Supercalifragilistic", "word"]


def test_before_after_marks_baseline_today_and_target_in_whole_words():
    long_name = "Customer information management across every channel and branch"
    svg = charts.before_after(
        ["<i>Identify</i>", long_name, "Interact"],
        [1.5, 3.0, None],
        [2.5, 2.0, 3.0],
        [3.5, 4.0, 4.0],
        1,
        5,
        legend=("Điểm gốc", "Hiện nay", "Mục tiêu"),
        title="Điểm gốc, hiện nay và mục tiêu",
    )
    root = ET.fromstring(svg)
    words = [t.text or "" for t in root.iter(f"{NS}text")]
    assert words[:3] == ["Điểm gốc", "Hiện nay", "Mục tiêu"]  # the legend, first
    assert "&lt;i&gt;Identify" in svg
    assert " ".join(w for w in words if w and w in long_name) == long_name  # wrapped, never cut
    circles = root.findall(f"{NS}circle")
    hollow = [c for c in circles if c.get("fill") == "#ffffff"]
    filled = [c for c in circles if c.get("fill") == charts.CURRENT]
    assert len(hollow) == 1 + 2  # the legend's, and the two rows with a baseline
    assert len(filled) == 1 + 3  # today in every row
    diamonds = [p for p in root.findall(f"{NS}polygon") if p.get("fill") == charts.TARGET]
    assert len(diamonds) == 1 + 3
    x = {float(c.get("cx")) for c in hollow[1:]}  # baseline 1.5 sits left of baseline 3.0
    assert min(x) < max(x)
    assert root.get("aria-label") == "Điểm gốc, hiện nay và mục tiêu"
