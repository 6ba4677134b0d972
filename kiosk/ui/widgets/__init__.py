"""Shared widgets: buttons with press feedback, themed labels, pictures, cards."""

from kiosk.ui.widgets.common import (
    Card,
    KButton,
    KLabel,
    Picture,
    RowFitGrid,
    TapArea,
    TextBlock,
)

__all__ = ["Card", "KButton", "KLabel", "Picture", "RowFitGrid", "TapArea", "TextBlock"]
