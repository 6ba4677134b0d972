"""Where the theme's background cannot be seen: the opaque parts of what is shown over it.

On a software renderer every pixel drawn costs, also one that something opaque
covers later in the same frame. The background (its picture or its colour) is
drawn first, under everything; where an opaque picture, card or bar lies over
it, the background is left out (an exhibit page at 1080x1920: its photo, its
text card and the navigation bar hide about two thirds of the screen).

A widget tells what it hides with ``opaque_areas()``: rectangles ``(left,
bottom, right, top)`` in the coordinates its own pos is in, each painted all
over with full opacity every time the widget is drawn. :func:`on_window` takes
such a rectangle to the window, through every layout, list and scroll offset
above the widget, and only while nothing above it makes it see-through (an
opacity under 1), turns it or scales it; what a scrolling list clips away
is cut off. :func:`uncovered` splits the window into the few rectangles left
to draw.

Nothing here draws: ``kiosk.ui.backdrop`` does, from what this returns.
"""

from __future__ import annotations

import math

Rect = tuple[float, float, float, float]  # left, bottom, right, top

MIN_HOLE = 0.02  # of the window's area: smaller hidden parts are drawn over anyway
MAX_PIECES = 12  # the background is drawn in at most this many rectangles


def inward(rect: Rect) -> tuple[int, int, int, int]:
    """The whole pixels inside ``rect``: each is painted by what is drawn over ``rect``
    (a pixel is drawn when its centre is inside), so none of them shows a gap."""
    left, bottom, right, top = rect
    return math.ceil(left - 1e-6), math.ceil(bottom - 1e-6), math.floor(right + 1e-6), \
        math.floor(top + 1e-6)


def whole(widget) -> tuple:
    """``widget`` hides all of its box: the pair ``opaque_parts()`` lists."""
    return (widget, [(widget.x, widget.y, widget.right, widget.top)])


def card_areas(pos, size, radius: float) -> list[Rect]:
    """The opaque parts of a card with rounded corners: all of it but the corners' squares
    (a cross of two rectangles)."""
    x, y = pos
    w, h = size
    r = min(max(0.0, radius), w / 2, h / 2)
    if w <= 0 or h <= 0:
        return []
    return [(x, y + r, x + w, y + h - r), (x + r, y, x + w - r, y + h)]


def on_window(widget, rect: Rect, window=None) -> Rect | None:
    """``rect`` (in the coordinates ``widget.pos`` is in) on the window: clipped by every
    scrolling list around it; None when the widget is not in the window, when something
    around it is see-through or turns or scales it, or when nothing of it is left."""
    left, bottom, right, top = rect
    if right <= left or top <= bottom:
        return None
    node = widget
    while True:
        if node.opacity < 1:
            return None
        parent = node.parent
        if parent is None:
            return None
        if window is not None and parent is window or not hasattr(parent, "to_parent"):
            return (left, bottom, right, top)
        # from the parent's inside to where the parent itself lies
        x0, y0 = parent.to_parent(left, bottom)
        x1, y1 = parent.to_parent(right, top)
        if abs((x1 - x0) - (right - left)) > 1e-3 or abs((y1 - y0) - (top - bottom)) > 1e-3:
            return None  # turned or scaled: not a rectangle of the window any more
        left, bottom, right, top = x0, y0, x1, y1
        if _clips(parent):
            left, bottom = max(left, parent.x), max(bottom, parent.y)
            right, top = min(right, parent.right), min(top, parent.top)
            if right <= left or top <= bottom:
                return None
        node = parent


def _clips(widget) -> bool:
    """Does ``widget`` clip what it holds to its own box (a scrolling list)?"""
    from kivy.uix.stencilview import StencilView

    return isinstance(widget, StencilView)


def uncovered(area, holes, max_pieces: int = MAX_PIECES,
              min_hole: float = MIN_HOLE) -> list[tuple[int, int, int, int]]:
    """``area`` (whole pixels, ``(left, bottom, right, top)``) without ``holes``, as
    rectangles that do not overlap: bands from bottom to top, each cut where holes are, a
    band joined to the one below when it is cut in the same places. Holes smaller than
    ``min_hole`` of the area are ignored; while more than ``max_pieces`` rectangles would be
    needed, the smallest hole left is ignored too."""
    ax0, ay0, ax1, ay1 = area
    if ax1 <= ax0 or ay1 <= ay0:
        return []
    least = (ax1 - ax0) * (ay1 - ay0) * min_hole
    cut = []
    for hole in holes:
        x0, y0, x1, y1 = inward(hole)
        x0, y0, x1, y1 = max(x0, ax0), max(y0, ay0), min(x1, ax1), min(y1, ay1)
        if x1 > x0 and y1 > y0 and (x1 - x0) * (y1 - y0) >= least:
            cut.append((x0, y0, x1, y1))
    cut.sort(key=lambda r: (r[2] - r[0]) * (r[3] - r[1]), reverse=True)
    while True:
        pieces = _pieces((ax0, ay0, ax1, ay1), cut)
        if len(pieces) <= max_pieces or not cut:
            return pieces
        cut.pop()


def _pieces(area, holes) -> list[tuple[int, int, int, int]]:
    ax0, ay0, ax1, ay1 = area
    edges = sorted({ay0, ay1, *(y for h in holes for y in (h[1], h[3]))})
    bands: list[list] = []  # [bottom, top, gaps]
    for bottom, top in zip(edges, edges[1:], strict=False):
        spans = sorted((h[0], h[2]) for h in holes if h[1] <= bottom and h[3] >= top)
        gaps, x = [], ax0
        for s0, s1 in spans:
            if s0 > x:
                gaps.append((x, s0))
            x = max(x, s1)
        if x < ax1:
            gaps.append((x, ax1))
        if bands and bands[-1][2] == gaps:
            bands[-1][1] = top
        else:
            bands.append([bottom, top, gaps])
    return [(g0, bottom, g1, top) for bottom, top, gaps in bands for g0, g1 in gaps]
