"""``Headline``: the name layouts use for a title; the widget is :class:`TextBlock`.

A headline's lines are chosen by :func:`kiosk.text.headline.headline_lines` for the
current width, font and size — never inside a word ("服/务中心"), no single-character
last line, no separator at a line's start or end — and a line break in the text
(``\\n`` in the content) always starts a new line. Give the words in ``source_text``
(or ``raw``); ``max_rows`` (or ``lines``) > 0 keeps that many lines, the last ending
with "…".
"""

from __future__ import annotations

from kivy.factory import Factory

from kiosk.ui.widgets.common import TextBlock

Headline = TextBlock
Factory.register("Headline", cls=TextBlock)

__all__ = ["Headline"]
