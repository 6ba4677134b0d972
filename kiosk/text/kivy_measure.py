"""Kivy-backed text widths and pre-wrapping for Labels.

Kivy's own wrapping of Chinese is slow (a long paragraph takes hundreds of
milliseconds) and ignores the punctuation rules. ``prewrap`` breaks the text
with :func:`kiosk.text.linebreak.wrap` and returns it with ``\\n`` inserted,
so a Label given the result and *no* ``text_size`` width lays it out quickly::

    label.text = prewrap(text, width=label.width, font=theme.fonts.regular, size=sp)

Prewrap plain text, then escape it for markup if the Label uses ``markup``
(escaping does not change widths).
"""

from __future__ import annotations

from kivy.core.text import Label as CoreLabel
from kivy.core.text import LabelBase

from kiosk.text.linebreak import CharWidths, wrap

_measures: dict[tuple[str, float, bool], CharWidths] = {}


def measure_for(font: str, size: float, bold: bool = False) -> CharWidths:
    """A width function for ``font`` (file path or Kivy font name) at ``size`` px.

    Widths are cached per (font file, size, character) until :func:`clear_cache`
    (:func:`kiosk.ui.textmeasure.clear`, when the theme's fonts change).
    """
    key = (font_file(font, bold), float(size), bool(bold))
    found = _measures.get(key)
    if found is not None:
        return found
    label = CoreLabel(font_name=str(font), font_size=float(size), bold=bool(bold))

    def extent(text: str) -> float:
        return float(label.get_extents(text)[0])

    found = CharWidths(extent)
    _measures[key] = found
    return found


def font_file(font: str, bold: bool = False) -> str:
    """The file a Kivy font name stands for now (itself when it is not a registered name)."""
    files = LabelBase._fonts.get(str(font))
    return files[2 if bold else 0] if files else str(font)


def prewrap(text: str, width: float, font: str, size: float, bold: bool = False) -> str:
    """``text`` with line breaks inserted so no line is wider than ``width`` px."""
    if not text:
        return ""
    return "\n".join(wrap(text, width, measure_for(font, size, bold)))


def wrap_lines(text: str, width: float, font: str, size: float, bold: bool = False) -> list[str]:
    """Like :func:`prewrap` but returns the lines."""
    return wrap(text, width, measure_for(font, size, bold))


def headline(text: str, width: float, font: str, size: float, bold: bool = False,
             max_rows: int = 0) -> list[str]:
    """The lines of a headline: broken between words, balanced, no orphan
    (:func:`kiosk.text.headline.headline_lines`)."""
    from kiosk.text.headline import headline_lines

    return headline_lines(text, width, measure_for(font, size, bold), max_rows)


def clear_cache() -> None:
    """Forget all cached widths (e.g. after the theme's font files changed)."""
    _measures.clear()
