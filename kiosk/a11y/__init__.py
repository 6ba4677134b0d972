"""Accessibility without Kivy: the panel's geometry, the checks behind ``kiosk check``,
narration and caption files, WebVTT, and the speech engine.

The Kivy side (the accessibility menu, narration player, captions, keyboard focus)
lives in :mod:`kiosk.ui.access`.
"""
