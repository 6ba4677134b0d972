"""Text measurements remembered, so long Chinese pages lay out in a second, not ten.

To lay out text with markup (every Markdown paragraph, every label with bold
or colour), Kivy measures it piece by piece through the text provider's
``get_extents``: about three times per character, each call asking SDL_ttf
anew (60 microseconds with the theme's CJK font here). A 42,000-character
article made 133,000 such calls for only 647 different pieces of text, and
the visitor waited 10 s for the page. :func:`install` makes the provider
remember each piece's size per font (the font's file, size and style, and the
options that change glyph metrics), so a piece is measured once.

The memory is bounded: past :data:`LIMIT` pieces it starts afresh.

This module is the one place the kiosk changes how Kivy measures text, and the
one place measurements are forgotten: :func:`clear` is called whenever the
theme's fonts are registered (:func:`kiosk.ui.style.register_fonts`, at start
and on every theme reload), and forgets both this table and the pre-wrapping
widths of :mod:`kiosk.text.kivy_measure`. Both are keyed by the font *file*
(never the theme's font name, which stays the same when the files change) and
size. A font file overwritten in place under the same name is not re-read by
SDL_ttf either (it keeps fonts open by file and size): name a new file in the
theme, or restart.
"""

from __future__ import annotations

LIMIT = 20_000  # pieces of text remembered (a few MB at most)
# besides the provider's own font id (file, size, bold, italic, underline, strikethrough),
# what changes the size of the same text
_METRICS = ("font_hinting", "font_kerning", "font_features", "font_direction",
            "font_script_name", "text_language")

_sizes: dict = {}
_measure = None  # the provider's own get_extents


def _remembered(label, text):
    options = label.options
    key = (label._get_font_id(), tuple(options.get(k) for k in _METRICS), text)
    size = _sizes.get(key)
    if size is None:
        size = _measure(label, text)
        if len(_sizes) >= LIMIT:
            _sizes.clear()
        _sizes[key] = size
    return size


def install() -> bool:
    """Have Kivy's text provider remember what it measured (once per process).
    False when the provider cannot say which font a label uses (then nothing changes)."""
    global _measure
    from kivy.core.text import Label as CoreLabel

    if _measure is not None:
        return True
    if not callable(getattr(CoreLabel, "_get_font_id", None)):
        return False
    _measure = CoreLabel.get_extents
    CoreLabel.get_extents = _remembered
    return True



def clear() -> None:
    """Forget every remembered measurement (the theme's fonts have changed)."""
    _sizes.clear()
    from kiosk.text import kivy_measure

    kivy_measure.clear_cache()
