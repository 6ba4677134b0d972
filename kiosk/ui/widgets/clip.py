"""Scrolling lists clipped with the scissor test instead of the stencil buffer.

Kivy's ScrollView (and RecycleView, built on it) clips its content with the
stencil buffer: each frame it clears the stencil of the whole window and draws
its own rectangle twice, once to mark the area and once to unmark it. On a
software renderer at 1080x1920 that is about as much work as the rest of an
exhibit page (15 ms of 97 ms on one core). The graphics chip's scissor test clips to
a rectangle of the window for free, but Kivy's own ``ScissorPush`` takes that
rectangle in window pixels, fixed when it is made: wrong as soon as the list
moves (a slide between screens, a list inside another) and on a window turned
by ``graphics.rotation``.

:class:`ScissorClip` works the rectangle out each time it is drawn, from the
transformation in force at that moment (the window's modelview and projection
matrices, which include any rotation and every translation of the widgets
around it) and the viewport, and intersects it with a scissor already in
force, so lists inside lists clip to both. When the list is drawn into an
offscreen buffer instead of the window (``export_as_image``, which flips it
upside down; the shader transitions' buffers), the window's matrices do not
apply: it then clips with the stencil as Kivy does, drawn from the same place,
so pictures taken offscreen look as the screen does.

:class:`ClipScrollView` is a ScrollView clipped this way; mix
:class:`ScissorClip` into other ScrollView subclasses (before the Kivy class).
"""

from __future__ import annotations

import math

from kivy.core.window import Window
from kivy.graphics import (
    BindTexture,
    Callback,
    Canvas,
    Rectangle,
    StencilPop,
    StencilPush,
    StencilUnUse,
    StencilUse,
)
from kivy.graphics.opengl import (
    GL_FRAMEBUFFER_BINDING,
    GL_SCISSOR_BOX,
    GL_SCISSOR_TEST,
    GL_VIEWPORT,
    glDisable,
    glEnable,
    glGetIntegerv,
    glIsEnabled,
    glScissor,
)
from kivy.uix.scrollview import ScrollView

_window_framebuffer: list[int] = []  # the framebuffer the window draws into, once seen


def _note_window_framebuffer(*_):
    """Before each frame (nothing offscreen is bound then): the window's framebuffer."""
    binding = glGetIntegerv(GL_FRAMEBUFFER_BINDING)[0]
    if _window_framebuffer != [binding]:
        _window_framebuffer[:] = [binding]


Window.fbind("on_draw", _note_window_framebuffer)


def window_box(x: float, y: float, w: float, h: float) -> tuple[int, int, int, int] | None:
    """The rectangle (x, y, w, h) of the coordinates in force now, in the window's pixels
    as ``glScissor`` takes them; None when something other than the window is being drawn."""
    if not _window_framebuffer or glGetIntegerv(GL_FRAMEBUFFER_BINDING)[0] != _window_framebuffer[0]:
        return None
    context = Window.render_context
    modelview, projection = context["modelview_mat"], context["projection_mat"]
    vx, vy, vw, vh = glGetIntegerv(GL_VIEWPORT)[:4]
    xs, ys = [], []
    for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
        ex, ey, ez = modelview.transform_point(px, py, 0)
        nx, ny, _ = projection.transform_point(ex, ey, ez)
        xs.append(vx + (nx + 1) * vw / 2)
        ys.append(vy + (ny + 1) * vh / 2)
    # the pixels whose centres are inside, as the stencil's rectangle would cover them
    left, right = math.floor(min(xs) + 0.5), math.floor(max(xs) + 0.5)
    bottom, top = math.floor(min(ys) + 0.5), math.floor(max(ys) + 0.5)
    return left, bottom, max(0, right - left), max(0, top - bottom)


def _intersect(a, b):
    left, bottom = max(a[0], b[0]), max(a[1], b[1])
    right, top = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    return left, bottom, max(0, right - left), max(0, top - bottom)


class ScissorClip:
    """Mix into a ScrollView subclass (before it): its content is clipped to its area by
    the scissor test, or by the stencil when drawn offscreen. The stencil instructions of
    Kivy's StencilView rule are taken out of the canvas."""

    def __init__(self, **kwargs):
        self._clip_saved = []  # what each drawing of the content changed, to undo after it
        self.clipped_by = ""  # how the last drawing was clipped: "scissor" or "stencil"
        self._clip_installed = False
        # the stencil, for drawing offscreen: drawn from the callbacks only then
        self._stencil_in, self._stencil_out = Canvas(), Canvas()
        with self._stencil_in:
            StencilPush()
            self._mask_in = Rectangle()
            StencilUse()
        with self._stencil_out:
            StencilUnUse()
            self._mask_out = Rectangle()
            StencilPop()
        super().__init__(**kwargs)
        self.fbind("pos", self._follow_mask)
        self.fbind("size", self._follow_mask)
        self._follow_mask()

    def on_kv_post(self, base_widget):
        """The rules are applied (a widget made by a layout gets them after its __init__):
        take StencilView's clip out and put the scissor's around the content."""
        super_post = getattr(super(), "on_kv_post", None)
        if super_post is not None:
            super_post(base_widget)
        if self._clip_installed:
            return
        self._clip_installed = True
        _take_out(self.canvas.before, StencilPush, StencilUse)
        _take_out(self.canvas.after, StencilUnUse, StencilPop)
        self.canvas.before.insert(0, Callback(self._clip_begin))
        self.canvas.after.insert(0, Callback(self._clip_end))

    def _follow_mask(self, *_):
        self._mask_in.pos = self._mask_out.pos = self.pos
        self._mask_in.size = self._mask_out.size = self.size

    def _clip_begin(self, *_):
        box = window_box(self.x, self.y, self.width, self.height)
        if box is None:  # offscreen: the stencil, as Kivy clips
            self._clip_saved.append(None)
            self.clipped_by = "stencil"
            self._stencil_in.draw()
            return
        was_on = bool(glIsEnabled(GL_SCISSOR_TEST))
        before = tuple(glGetIntegerv(GL_SCISSOR_BOX)[:4]) if was_on else None
        self._clip_saved.append((was_on, before))
        self.clipped_by = "scissor"
        if before is not None:  # inside another clip: only what both let through
            box = _intersect(box, before)
        glScissor(*box)
        if not was_on:
            glEnable(GL_SCISSOR_TEST)

    def _clip_end(self, *_):
        if not self._clip_saved:
            return
        saved = self._clip_saved.pop()
        if saved is None:
            self._stencil_out.draw()
            return
        was_on, before = saved
        if was_on:
            glScissor(*before)
        else:
            glDisable(GL_SCISSOR_TEST)


def _take_out(group, first, last) -> bool:
    """Remove the stencil's instructions from ``first`` to ``last`` (its rectangle between
    them) from ``group``."""
    children = list(group.children)
    for start, instruction in enumerate(children):
        if type(instruction) is not first:
            continue
        for end in range(start + 1, len(children)):
            kind = type(children[end])
            if kind is last:
                for taken in children[start:end + 1]:
                    if type(taken) is not BindTexture:  # (goes with its rectangle)
                        group.remove(taken)
                return True
            if kind not in (BindTexture, Rectangle):
                break
    return False


class ClipScrollView(ScissorClip, ScrollView):
    """A ScrollView that clips its content with the scissor test (see the module)."""
