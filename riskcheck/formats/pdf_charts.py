"""The two charts of the PDF report, drawn with reportlab.graphics (vector, no images)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from riskcheck.encoding import printable
from riskcheck.formats import facts
from riskcheck.formats.pdf_fonts import SANS, label_font
from riskcheck.model import Level, Report

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

LEVEL_COLOURS: dict[Level, str] = {
    Level.CRITICAL: "#b71c1c",
    Level.HIGH: "#e65100",
    Level.MEDIUM: "#f9a825",
    Level.LOW: "#1565c0",
    Level.NONE: "#2e7d32",
}

MAX_BARS = 60
"""Beyond this many models the exposure chart shows the most exposed ones only."""


def _short(text: str, limit: int = 36) -> str:
    """Cut from the middle: model ids differ most at their ends (org prefix, version suffix)."""
    text = printable(text)
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head] + "…" + text[-(limit - 1 - head):]


def exposure_by_model(report: Report, width: float) -> Drawing:
    """One horizontal bar per model, its length and colour the model's level."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib.colors import HexColor, lightgrey

    ranked = sorted(report.models, key=lambda a: (-a.level, a.resolution.ref.id))[:MAX_BARS]
    row, label_w, top = 11.0, 170.0, 16.0
    height = top + row * max(len(ranked), 1) + 14
    drawing = Drawing(width, height)
    plot_w = width - label_w - 10
    step = plot_w / (len(Level) - 1)
    for level in Level:
        x = label_w + step * level
        drawing.add(Line(x, 14, x, height - top + 4, strokeColor=lightgrey, strokeWidth=0.5))
        drawing.add(String(x, 4, level.label, fontName=SANS, fontSize=7, textAnchor="middle"))
    for i, assessment in enumerate(ranked):
        y = height - top - row * (i + 1) + 2
        label = _short(assessment.resolution.ref.id)
        drawing.add(String(label_w - 6, y + 1.5, label, fontName=label_font(label), fontSize=7,
                           textAnchor="end"))
        length = max(step * assessment.level, 2.0)
        colour = HexColor(LEVEL_COLOURS[assessment.level])
        drawing.add(Rect(label_w, y, length, row - 4, fillColor=colour, strokeColor=None))
        if assessment.resolution.status == "unresolved":
            drawing.add(String(label_w + length + 4, y + 1.5, "unresolved", fontName=SANS,
                               fontSize=6.5, fillColor=HexColor("#6d4c41")))
    hidden = len(report.models) - len(ranked)
    title = "Exposure by model" + (f" (most exposed {len(ranked)}; {hidden} more in the "
                                   "tables)" if hidden > 0 else "")
    drawing.add(String(0, height - 10, title, fontName=SANS, fontSize=9))
    return drawing


def country_counts(report: Report) -> list[tuple[str, int]]:
    """Models per vendor country (``unknown`` when unresolved), most first."""
    counts = Counter(facts.country_of(a) or "unknown" for a in report.models)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def models_by_country(report: Report, width: float) -> Drawing:
    """A vertical bar per vendor country, its height the number of models."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib.colors import HexColor

    counts = country_counts(report)[:25] or [("none", 0)]
    height = 170.0
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 30
    chart.width, chart.height = width - 40, height - 60
    chart.data = [[n for _, n in counts]]
    chart.categoryAxis.categoryNames = [c for c, _ in counts]
    chart.categoryAxis.labels.fontName = SANS
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = SANS
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max(n for _, n in counts)
    chart.valueAxis.valueMax = max(top, 1)
    chart.valueAxis.valueStep = max(1, (top + 4) // 5)
    chart.bars[0].fillColor = HexColor("#37474f")
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = SANS
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    drawing.add(String(0, height - 12, "Models by vendor country", fontName=SANS, fontSize=9))
    return drawing
