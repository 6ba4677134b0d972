"""Scrolling lists clip with the scissor test and show exactly what Kivy's stencil clip shows:
in the window, scrolled, moved (a screen sliding), one list inside another, on a window
turned by ``graphics.rotation``, and in pictures taken offscreen (``kiosk render``, which
draws upside down into a buffer of its own); and no stencil is used in the window."""

from __future__ import annotations

import pytest
from kivy.core.window import Window
from kivy.graphics import Color, Rectangle, StencilPush
from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.ui.widgets.clip import ClipScrollView


def stripes(height: int) -> Widget:
    """Content taller and wider than any list here: coloured bands, so a wrong clip or a
    wrong scroll position shows."""
    content = Widget(size_hint=(None, None), size=(2000, height))
    with content.canvas:
        for n in range(0, height, 50):
            Color((n * 7 % 255) / 255, (n * 3 % 255) / 255, 0.5, 1)
            Rectangle(pos=(-500, n), size=(3000, 50))
    return content


def scene(kind, nested: bool = False, shift: float = 0, scroll: float = 589 / 1593) -> FloatLayout:
    """A list at an odd place, scrolled part way (by default to a whole pixel), in a layout
    moved by ``shift``."""
    root = FloatLayout(size=Window.size, pos=(shift, 0))
    outer = kind(size_hint=(None, None), size=(301, 407), pos=(shift + 93, 151),
                 do_scroll_x=False, bar_width=0)
    outer.add_widget(stripes(2000))
    if nested:  # a list inside the list's content, scrolled too, sticking out of it
        content = outer.children[0]
        inner = kind(size_hint=(None, None), size=(180, 500), pos=(120, 700),
                     do_scroll_x=False, bar_width=0)
        inner.add_widget(stripes(1600))
        content.add_widget(inner)
        inner.scroll_y = 0.4
    root.add_widget(outer)
    outer.scroll_y = scroll
    return root


def window_pixels(root) -> bytes:
    Window.add_widget(root)
    try:
        for _ in range(3):  # layout, scroll positions
            from kivy.base import EventLoop

            EventLoop.idle()
        Window.dispatch("on_draw")
        w, h = Window.system_size
        return bytes(glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE))
    finally:
        Window.remove_widget(root)


def offscreen_pixels(root) -> bytes:
    Window.add_widget(root)
    try:
        from kivy.base import EventLoop

        for _ in range(3):
            EventLoop.idle()
        return bytes(root.export_as_image().texture.pixels)
    finally:
        Window.remove_widget(root)


def stencils(root) -> int:
    found = 0

    def visit(group):
        nonlocal found
        for instruction in group.children:
            found += isinstance(instruction, StencilPush)
            if hasattr(instruction, "children"):
                visit(instruction)

    for widget in root.walk():
        for group in (widget.canvas.before, widget.canvas, widget.canvas.after):
            visit(group)
    return found


@pytest.mark.parametrize("nested", [False, True], ids=["one list", "a list in a list"])
@pytest.mark.parametrize("shift", [0, -217], ids=["in place", "sliding"])
def test_the_scissor_clip_shows_what_the_stencil_clip_shows(nested, shift):
    theirs = window_pixels(scene(ScrollView, nested, shift))
    mine = scene(ClipScrollView, nested, shift)
    assert stencils(mine) == 0
    assert window_pixels(mine) == theirs
    assert {w.clipped_by for w in mine.walk() if isinstance(w, ClipScrollView)} == {"scissor"}
    # (and the clip is really there: without it the bands cover the window)
    assert window_pixels(scene(ClipScrollView, nested, shift)) != window_pixels(FloatLayout())


def test_between_pixels_the_clips_differ_at_most_along_the_edges():
    """At a fractional place the window's multisampling counts an edge pixel by its
    samples, the scissor by the whole pixel: one line of pixels along an edge may differ."""
    w, h = Window.system_size
    theirs = window_pixels(scene(ScrollView, True, -31.5, scroll=0.37))
    mine = window_pixels(scene(ClipScrollView, True, -31.5, scroll=0.37))
    differ = sum(1 for i in range(0, len(mine), 4) if mine[i:i + 3] != theirs[i:i + 3])
    edges = 2 * (301 + 407) + 2 * (180 + 500)  # the two lists' outlines
    assert differ <= edges


def test_pictures_taken_offscreen_are_clipped_alike():
    mine = scene(ClipScrollView, nested=True)
    assert offscreen_pixels(mine) == offscreen_pixels(scene(ScrollView, nested=True))
    assert {w.clipped_by for w in mine.walk() if isinstance(w, ClipScrollView)} == {"stencil"}


def test_on_a_turned_window_the_clip_turns_with_it():
    before = Window.rotation
    try:
        for rotation in (90, 180, 270):
            Window.rotation = rotation
            theirs = window_pixels(scene(ScrollView, nested=True, shift=-31))
            mine = scene(ClipScrollView, nested=True, shift=-31)
            assert window_pixels(mine) == theirs, rotation
            assert mine.children[0].clipped_by == "scissor"
    finally:
        Window.rotation = before
