"""Small pieces of geometry and colour the layouts share: frames drawn inside a widget,
padded text boxes, colours with another opacity. Plain functions of their arguments, so
a .kv rule that passes the properties it reads is told again when they change."""

from __future__ import annotations

NO_COLOR = (0, 0, 0, 0)  # drawn as nothing
# px a drop shadow lies right of and below what casts it: a card, and a smaller tile
CARD_SHADOW = (3, -4)
TILE_SHADOW = (2, -3)
EDGE_BAR = 4  # px: the accent bar along a card's top or bottom edge
WALL_COLUMNS = {True: 2, False: 3}  # cards or tiles a row on a wall, in portrait / in landscape
LINE_HEIGHT = 1.5  # a line of text, in font sizes, when counting the lines that fit
BODY_CARD_PADDING = 1.6  # the padding of the card running text sits on, in gaps


def inset_outline(pos, size, radius, inset: float = 1):
    """A rounded rectangle ``inset`` px inside a widget, for a border line drawn on it:
    (x, y, width, height, radius)."""
    return (pos[0] + inset, pos[1] + inset, size[0] - 2 * inset, size[1] - 2 * inset, radius)


def inset_rect(pos, size, inset: float):
    """(x, y, width, height) of a rectangle ``inset`` px inside a widget: a frame line."""
    return (pos[0] + inset, pos[1] + inset, size[0] - 2 * inset, size[1] - 2 * inset)


def padded_size(texture_size, across: float, down: float, shown: bool = True):
    """A text's size with ``across`` and ``down`` px added; none when not ``shown``."""
    return (texture_size[0] + across, texture_size[1] + down) if shown else (0, 0)


def faded(color, alpha: float):
    """``color`` with its opacity replaced by ``alpha``."""
    return list(color[:3]) + [alpha]


def page_padding(space, above_bar: str = "margin") -> list:
    """A page's padding: the margin on every side, the navigation bar's height more at the
    bottom (so the last line scrolls clear of it), with a margin or a gap (``above_bar``)."""
    return [space["margin"], space["margin"], space["margin"], space["bar"] + space[above_bar]]


def cover_size(size, ratio: float):
    """The size of a picture of shape ``ratio`` (width / height) covering ``size``."""
    return (max(size[0], size[1] * ratio), max(size[1], size[0] / ratio))


def centred_pos(center, size):
    """Where a box of ``size`` starts, centred on ``center``."""
    return (center[0] - size[0] / 2, center[1] - size[1] / 2)


def shadow_pos(pos, offset):
    """Where a drop shadow starts: ``offset`` (CARD_SHADOW, TILE_SHADOW) from its widget."""
    return (pos[0] + offset[0], pos[1] + offset[1])


def edge_bar_pos(pos, top: float, radius: float, at_top: bool = True):
    """The accent bar along a card's top (or bottom) edge, clear of its rounded corners."""
    return (pos[0] + radius, top - EDGE_BAR if at_top else pos[1])


def edge_bar_size(width: float, radius: float):
    return (width - radius * 2, EDGE_BAR)


def rows_in(height: float, font_size: float) -> int:
    """How many lines of text ``font_size`` fit in ``height`` (none in no room)."""
    return max(int(height / (font_size * LINE_HEIGHT)), 0)


def wall_columns(size) -> int:
    """Cards a row on a wall the size of ``size`` (the window, or the screen)."""
    return WALL_COLUMNS[size[1] >= size[0]]
