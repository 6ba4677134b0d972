"""Text layout for Chinese and mixed Chinese/Latin text.

``linebreak`` is pure Python; ``kivy_measure`` supplies Kivy-backed widths and
``prewrap`` for Labels.
"""

from kiosk.text.linebreak import NO_LINE_END, NO_LINE_START, CharWidths, violations, wrap

__all__ = ["NO_LINE_END", "NO_LINE_START", "CharWidths", "violations", "wrap"]
