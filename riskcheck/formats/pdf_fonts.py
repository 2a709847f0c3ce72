"""Fonts for PDF reports: one embedded font per script, chosen character by character.

No single freely licensed TrueType font covers Latin, Cyrillic, Arabic and CJK, so text is
split into runs, each set in the first shipped font that has its glyphs (Noto Sans, Noto Sans
Arabic, Droid Sans Fallback). Arabic runs are shaped by HarfBuzz (``uharfbuzz``) through
reportlab, which joins letters and orders right-to-left text. Why: docs/output.md.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

FONT_DIR = Path(__file__).resolve().parent / "fonts"

SANS = "RiskcheckSans"
SANS_BOLD = "RiskcheckSans-Bold"
ARABIC = "RiskcheckArabic"
CJK = "RiskcheckCJK"

_FILES: dict[str, str] = {
    SANS: "NotoSans-Regular.ttf",
    SANS_BOLD: "NotoSans-Bold.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf",
    CJK: "DroidSansFallback.ttf",
}

_FALLBACK_ORDER = (SANS, ARABIC, CJK)


@lru_cache(maxsize=1)
def register_fonts() -> dict[str, frozenset[int]]:
    """Register the shipped fonts with reportlab once; return each font's code points."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    coverage: dict[str, frozenset[int]] = {}
    for name, filename in _FILES.items():
        font = TTFont(name, str(FONT_DIR / filename))
        pdfmetrics.registerFont(font)
        coverage[name] = frozenset(font.face.charToGlyph)
    # <b> inside a paragraph maps through these; scripts without a bold face stay regular.
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS)
    addMapping(SANS, 1, 1, SANS_BOLD)
    for name in (ARABIC, CJK, SANS_BOLD):
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, SANS_BOLD if name == SANS_BOLD else name)
    return coverage


def font_for(char: str, coverage: dict[str, frozenset[int]]) -> str:
    """The first shipped font that has a glyph for ``char`` (Noto Sans when none has)."""
    code = ord(char)
    for name in _FALLBACK_ORDER:
        if code in coverage[name]:
            return name
    return SANS


def runs(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font, chunk)`` runs; spaces stay with the run they are in.

    Keeping the spaces inside an Arabic run lets HarfBuzz order a multi-word name as a whole.
    """
    if not text:
        return []
    coverage = register_fonts()
    if text.isascii() or coverage[SANS].issuperset(text):
        # Most text is Latin or Cyrillic, all in Noto Sans: skip the per-character lookup.
        return [(SANS, text)]
    out: list[tuple[str, str]] = []
    for char in text:
        if char.isspace() and out:
            font = out[-1][0]
        else:
            font = font_for(char, coverage)
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + char)
        else:
            out.append((font, char))
    return out


def markup(text: object) -> str:
    """Paragraph markup for plain ``text``: XML-escaped, non-Latin runs in their own font."""
    return markup_runs(runs(str(text)))


def markup_runs(chunks: list[tuple[str, str]]) -> str:
    """Paragraph markup for runs made by :func:`runs`."""
    parts = []
    for i, (font, chunk) in enumerate(chunks):
        if font == SANS:
            parts.append(escape(chunk))
            continue
        if font == ARABIC:
            # reportlab shapes whole words; a word mixing fonts (“معهد or 'معهد') comes out
            # as empty boxes, so an Arabic run is kept a word of its own.
            if i > 0 and not chunks[i - 1][1][-1].isspace():
                chunk = " " + chunk
            if i + 1 < len(chunks) and not chunk[-1].isspace():
                chunk += " "
        parts.append(f'<font name="{font}">{escape(chunk)}</font>')
    return "".join(parts)


def needs_shaping(text: object) -> bool:
    """True when ``text`` has a run that only HarfBuzz shaping renders correctly (Arabic)."""
    return any(font == ARABIC for font, _ in runs(str(text)))


def label_font(text: str) -> str:
    """One font for a chart label (charts cannot mix fonts within a string)."""
    coverage = register_fonts()
    fonts = {font_for(c, coverage) for c in text if not c.isspace()}
    fonts.discard(SANS)
    return fonts.pop() if len(fonts) == 1 else SANS


def shaping_available() -> bool:
    """Whether reportlab can shape text with HarfBuzz (Arabic is unreadable without it)."""
    try:
        import uharfbuzz  # noqa: F401
        from reportlab.lib.styles import ParagraphStyle
    except ImportError:
        return False
    return "shaping" in ParagraphStyle.defaults
