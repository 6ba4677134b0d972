"""Shared widgets: buttons with press feedback, themed labels, pictures, cards."""

from kiosk.ui.widgets.clip import ClipScrollView
from kiosk.ui.widgets.common import (
    Card,
    KButton,
    KLabel,
    Picture,
    RowFitGrid,
    TapArea,
    TextBlock,
)
from kiosk.ui.widgets.headline import Headline

__all__ = ["Card", "ClipScrollView", "Headline", "KButton", "KLabel", "Picture", "RowFitGrid", "TapArea",
           "TextBlock"]
