"""Text layout for Chinese and mixed Chinese/Latin text.

``linebreak`` (paragraphs) and ``headline`` (titles, broken between the words
that ``words`` finds) are pure Python; ``kivy_measure`` supplies Kivy-backed
widths, ``prewrap`` and ``headline`` for Labels.
"""

from kiosk.text.linebreak import NO_LINE_END, NO_LINE_START, CharWidths, violations, wrap

__all__ = ["NO_LINE_END", "NO_LINE_START", "CharWidths", "violations", "wrap"]
