"""Shared widgets: buttons with press feedback, themed labels, pictures, cards."""

from kiosk.ui.widgets.common import Card, KButton, KLabel, Picture, TapArea, TextBlock  # noqa: F401
