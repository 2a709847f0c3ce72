"""The charts of the PDF report, drawn with reportlab.graphics (vector, no images).

A chart is drawn only when it carries information: the levels of the models (every level
visible, ``none`` included), and vendor/country concentration only when one vendor or country
holds a large share of the models.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from riskcheck.encoding import printable
from riskcheck.formats import facts
from riskcheck.formats.pdf_fonts import SANS, SANS_BOLD, label_font
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

MAX_BARS = 24
"""Up to this many models the chart has one bar per model; beyond, one bar per level."""
CONCENTRATION_SHARE = 0.5
"""A vendor or country holding more than this share of the models (a majority) is a
concentration; so is any concentration finding of the policy."""
MAX_CATEGORIES = 6
"""Vendors or countries named in the concentration chart; the rest are summed as 'others'."""


def _short(text: str, limit: int = 36) -> str:
    """Cut from the middle: model ids differ most at their ends (org prefix, version suffix)."""
    text = printable(text)
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head] + "…" + text[-(limit - 1 - head):]


def levels_chart(report: Report, width: float) -> Drawing | None:
    """The levels of the models: one bar per model, or models per level for many models."""
    if not report.models:
        return None
    if len(report.models) <= MAX_BARS:
        return exposure_by_model(report, width)
    return models_by_level(report, width)


def exposure_by_model(report: Report, width: float) -> Drawing:
    """One bar per model reaching the column of its level; ``none`` fills the first column."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib.colors import HexColor, lightgrey

    ranked = sorted(report.models, key=lambda a: (-a.level, a.resolution.ref.id))[:MAX_BARS]
    row, label_w, top, bottom = 11.0, 170.0, 16.0, 14.0
    height = top + row * len(ranked) + bottom
    drawing = Drawing(width, height)
    step = (width - label_w - 40) / len(Level)
    for level in Level:
        x = label_w + step * level
        drawing.add(Line(x, bottom, x, height - top + 2, strokeColor=lightgrey,
                         strokeWidth=0.5))
        drawing.add(String(x + step / 2, 4, level.label, fontName=SANS, fontSize=7,
                           textAnchor="middle"))
    for i, assessment in enumerate(ranked):
        y = height - top - row * (i + 1) + 2
        label = _short(assessment.resolution.ref.id)
        drawing.add(String(label_w - 6, y + 1.5, label, fontName=label_font(label), fontSize=7,
                           textAnchor="end"))
        length = step * (int(assessment.level) + 1) - 2
        drawing.add(Rect(label_w + 1, y, length, row - 4, strokeColor=None,
                         fillColor=HexColor(LEVEL_COLOURS[assessment.level])))
        note = assessment.level.label
        if assessment.resolution.status == "unresolved":
            note += " (unresolved: unknown, not clean)"
        drawing.add(String(label_w + length + 5, y + 1.5, note, fontName=SANS, fontSize=6.5,
                           fillColor=HexColor("#37474f")))
    drawing.add(String(0, height - 10, "Level of each model", fontName=SANS_BOLD,
                       fontSize=9))
    return drawing


def models_by_level(report: Report, width: float) -> Drawing:
    """One bar per level, its length the number of models at that level (zero shown as 0)."""
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.lib.colors import HexColor

    counts = facts.level_counts(report)
    row, label_w, top = 14.0, 60.0, 18.0
    height = top + row * len(Level) + 4
    drawing = Drawing(width, height)
    most = max(counts.values()) or 1
    plot_w = width - label_w - 60
    for i, level in enumerate(facts.LEVELS_DESCENDING):
        y = height - top - row * (i + 1) + 3
        n = counts[level.label]
        drawing.add(String(label_w - 6, y + 2, level.label, fontName=SANS, fontSize=7.5,
                           textAnchor="end"))
        length = plot_w * n / most
        if n:
            drawing.add(Rect(label_w, y, length, row - 5, strokeColor=None,
                             fillColor=HexColor(LEVEL_COLOURS[level])))
        drawing.add(String(label_w + length + 5, y + 2, f"{n} model{'s' if n != 1 else ''}",
                           fontName=SANS, fontSize=7.5))
    drawing.add(String(0, height - 11, f"Models by level ({len(report.models)} models)",
                       fontName=SANS_BOLD, fontSize=9))
    return drawing


def country_counts(report: Report) -> list[tuple[str, int]]:
    """Models per vendor country (``unknown`` when unresolved), most first."""
    counts = Counter(facts.country_of(a) or "unknown" for a in report.models)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def vendor_counts(report: Report) -> list[tuple[str, int]]:
    """Models per vendor (``unresolved`` when unknown), most first."""
    counts = Counter((v.name if (v := facts.vendor_of(a)) else "unresolved")
                     for a in report.models)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def concentrated(counts: list[tuple[str, int]], total: int, minimum: int) -> bool:
    """Whether one (known) vendor or country holds a majority of at least ``minimum`` models:
    a project of two models, or of ten vendors with one model each, has none."""
    known = [(name, n) for name, n in counts if name not in ("unknown", "unresolved")]
    return (total >= max(minimum, 2) and bool(known) and known[0][1] >= 2
            and known[0][1] / total > CONCENTRATION_SHARE)


def concentration(report: Report, width: float) -> Drawing | None:
    """Vendors and countries side by side, drawn only when one of them is concentrated."""
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.lib.colors import HexColor

    total = len(report.models)
    minimum = report.project.policy.concentration_min_models
    panels = [("Models by vendor", vendor_counts(report)),
              ("Models by vendor country", country_counts(report))]
    flagged = any(f.kind == "concentration" for f in report.project_findings)
    if not flagged:  # only the dimension that is concentrated: six vendors of one model each
        panels = [(title, counts) for title, counts in panels  # say nothing
                  if concentrated(counts, total, minimum)]
    if not panels:
        return None
    row, top = 12.0, 18.0
    shown = [counts[:MAX_CATEGORIES] + ([("others", sum(n for _, n in counts[MAX_CATEGORIES:]))]
                                        if len(counts) > MAX_CATEGORIES else [])
             for _, counts in panels]
    height = top + row * max(len(s) for s in shown) + 4
    drawing = Drawing(width, height)
    panel_w = (width - 20) / 2
    for p, ((title, _), rows) in enumerate(zip(panels, shown)):
        x0 = p * (panel_w + 20)
        label_w = 95.0
        plot_w = panel_w - label_w - 55
        most = max(n for _, n in rows) or 1
        drawing.add(String(x0, height - 11, title, fontName=SANS_BOLD, fontSize=9))
        for i, (name, n) in enumerate(rows):
            y = height - top - row * (i + 1) + 3
            label = _short(name, 22)
            drawing.add(String(x0 + label_w - 5, y + 1.5, label, fontName=label_font(label),
                               fontSize=7, textAnchor="end"))
            length = plot_w * n / most
            drawing.add(Rect(x0 + label_w, y, length, row - 4, strokeColor=None,
                             fillColor=HexColor("#546e7a" if name != "others" else "#b0bec5")))
            drawing.add(String(x0 + label_w + length + 4, y + 1.5, f"{n} ({n / total:.0%})",
                               fontName=SANS, fontSize=7))
    return drawing
