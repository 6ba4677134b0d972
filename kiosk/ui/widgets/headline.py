"""Headlines: Chinese titles broken between words, in balanced lines.

``Headline`` is a wrapping label for titles. Give it ``source_text`` (not
``text``): its lines are chosen by :func:`kiosk.text.headline.headline_lines`
for the current width, font and size — never inside a word ("服/务中心"), no
single-character last line, no separator at a line's start or end — and a line
break in the text (``\\n`` in the content) always starts a new line.
``max_rows`` > 0 keeps that many lines and ends the last one with "…".
"""

from __future__ import annotations

from kivy.properties import NumericProperty, StringProperty

from kiosk.ui.widgets.common import KLabel

ELLIPSIS = "…"


def shorten(lines: list[str], rows: int) -> list[str]:
    """The first ``rows`` lines, the last ending with "…" (at a word in English)."""
    if rows <= 0 or len(lines) <= rows:
        return lines
    kept = lines[:rows]
    last = kept[-1].rstrip()
    if " " in last and last[-1:].isascii():
        last = last.rsplit(" ", 1)[0]  # English: end at a word
    else:
        last = last[:-1] if len(last) > 1 else last
    kept[-1] = last.rstrip("，。、；：,.;: ·—") + ELLIPSIS
    return kept


class Headline(KLabel):
    source_text = StringProperty("")
    max_rows = NumericProperty(0)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name in ("source_text", "width", "font_size", "font_name", "max_rows", "bold",
                     "padding"):
            self.fbind(name, self._rebreak)
        self._rebreak()

    def _rebreak(self, *_):
        text = self.source_text
        pad = self.padding
        width = self.width - pad[0] - pad[2]
        if not text or width <= self.font_size * 2:
            self.text = text
            return
        from kiosk.text.kivy_measure import headline

        rows = int(self.max_rows)
        lines = headline(text, width * 0.98, self.font_name, float(self.font_size),
                         bool(self.bold), rows)
        self.text = "\n".join(shorten(lines, rows))
