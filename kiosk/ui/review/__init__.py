"""What a reviewer would see wrong on a screen, computed from the widget tree and the pixels.

:mod:`kiosk.ui.review.scene` reads the Kivy widget tree once into plain records
(each text with its box, its glyphs' mask and where it is clipped; each card or
tile with what fills it). :mod:`kiosk.ui.review.detectors` turns those records
and the screenshot into findings, without Kivy. :mod:`kiosk.ui.review.sheet`
writes the HTML review page with every finding marked on its picture.
"""

from kiosk.ui.review.detectors import ERROR, WARNING, Finding, detect
from kiosk.ui.review.scene import Scene, collect

__all__ = ["ERROR", "WARNING", "Finding", "Scene", "collect", "detect"]
