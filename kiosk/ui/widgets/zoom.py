"""A photo a visitor can pinch, pan, double-tap and swipe.

``ZoomView`` shows one picture fitted to its box (``contain``). Two fingers
zoom (1x to 4x) around the point between them; one finger pans while zoomed,
never past the picture's edges; a double tap zooms to 2.5x at the tapped point
and back. Not zoomed, a horizontal swipe fires ``on_swipe(step)`` with
``step`` +1 (next, finger moved left) or -1 (previous); the picture follows
the finger while it drags, so the gesture feels attached to the photo.

Timing reads ``Clock.time()`` (not the wall clock), so every gesture,
double taps included, is reproducible under a test clock.
"""

from __future__ import annotations

import math

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.graphics import (
    InstructionGroup,
    Rectangle,
    StencilPop,
    StencilPush,
    StencilUnUse,
    StencilUse,
)
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty
from kivy.uix.widget import Widget

from kiosk.ui.kv import load_kv

MIN_SCALE = 1.0
MAX_SCALE = 4.0
DOUBLE_TAP_SCALE = 2.5
DOUBLE_TAP_TIME = 0.4  # seconds between the two taps
TAP_TIME = 0.35  # a press longer than this is not a tap
TAP_SLOP = 0.03  # of the view's short side: a tap may wobble this much
SWIPE_DISTANCE = 0.12  # of the view's width
SWIPE_EDGE = 0.06  # of the window width: a rightward swipe from here is "back", not "previous"
WHEEL_STEP = 1.15
ANIM_SECONDS = 0.22
ZOOMED = 1.01  # above this scale the picture counts as zoomed


class ZoomView(Widget):
    """One zoomable picture. Set ``media``; read ``scale``, ``pan_x``, ``pan_y``.

    The picture is clipped to the view only while it is larger than the view (zoomed):
    a stencil clip costs a software renderer two more layers of the view's area.
    """

    media = ObjectProperty(None, allownone=True)
    scale = NumericProperty(1.0)
    pan_x = NumericProperty(0.0)  # offset of the picture's centre from the view's centre
    pan_y = NumericProperty(0.0)
    drag_x = NumericProperty(0.0)  # follow-the-finger offset while swiping (not zoomed)
    can_next = BooleanProperty(True)
    can_previous = BooleanProperty(True)
    zoomed = BooleanProperty(False)

    __events__ = ("on_swipe",)

    def __init__(self, **kwargs):
        self._points: dict = {}  # touch uid -> last position (in our coordinates)
        self._pinch: tuple[float, tuple[float, float]] | None = None
        self._last_tap: tuple[float, float, float] | None = None  # time, x, y
        self._target: tuple[float, float, float, float] | None = None
        self._multi = False
        self._clip_on = False
        self._clip_rects = (Rectangle(), Rectangle())
        self._clip_in = InstructionGroup()
        for instruction in (StencilPush(), self._clip_rects[0], StencilUse()):
            self._clip_in.add(instruction)
        self._clip_out = InstructionGroup()
        for instruction in (StencilUnUse(), self._clip_rects[1], StencilPop()):
            self._clip_out.add(instruction)
        super().__init__(**kwargs)
        self.bind(pos=self._place, size=self._place, scale=self._place,
                  pan_x=self._place, pan_y=self._place, drag_x=self._place)
        Clock.schedule_once(lambda dt: self._place(), 0)

    # ------------------------------------------------------------- geometry
    @property
    def picture(self):
        return self.ids.picture

    def fitted_size(self) -> tuple[float, float]:
        """Size of the picture on screen at 1x (fitted inside the view)."""
        w, h = self.size
        ratio = self.picture.image_ratio if self.picture.texture else 0
        if not ratio or w <= 0 or h <= 0:
            return w, h
        if w / h > ratio:
            return h * ratio, h
        return w, w / ratio

    def pan_limits(self, scale: float | None = None) -> tuple[float, float]:
        s = self.scale if scale is None else scale
        fw, fh = self.fitted_size()
        return max(0.0, (fw * s - self.width) / 2), max(0.0, (fh * s - self.height) / 2)

    def _clamped(self, scale, pan_x, pan_y):
        scale = min(MAX_SCALE, max(MIN_SCALE, scale))
        lx, ly = self.pan_limits(scale)
        return scale, min(lx, max(-lx, pan_x)), min(ly, max(-ly, pan_y))

    def _place(self, *_):
        pic = self.ids.get("picture")
        if pic is None:
            return
        pic.size = (self.width * self.scale, self.height * self.scale)
        pic.center = (self.center_x + self.pan_x + self.drag_x, self.center_y + self.pan_y)
        self.zoomed = self.scale > ZOOMED
        self._clip(self.scale > 1.0005)

    def _clip(self, on: bool) -> None:
        for rect in self._clip_rects:
            rect.pos, rect.size = self.pos, self.size
        if on == self._clip_on:
            return
        self._clip_on = on
        if on:
            self.canvas.before.add(self._clip_in)
            self.canvas.after.add(self._clip_out)
        else:
            self.canvas.before.remove(self._clip_in)
            self.canvas.after.remove(self._clip_out)

    def clipped(self) -> bool:
        """Whether the picture is being clipped to the view now."""
        return self._clip_on

    def on_media(self, *_):
        self.reset()

    # --------------------------------------------------------------- control
    def reset(self):
        """Back to 1x, centred, at once."""
        Animation.cancel_all(self)
        self._target = None
        self._pinch = None
        self._last_tap = None
        self.scale, self.pan_x, self.pan_y, self.drag_x = 1.0, 0.0, 0.0, 0.0

    def zoom_at(self, factor: float, x: float, y: float):
        """Multiply the scale by ``factor`` keeping the point (x, y) where it is."""
        s0 = self.scale
        s1 = min(MAX_SCALE, max(MIN_SCALE, s0 * factor))
        ax, ay = x - self.center_x, y - self.center_y
        pan_x = ax - (ax - self.pan_x) * s1 / s0
        pan_y = ay - (ay - self.pan_y) * s1 / s0
        self.scale, self.pan_x, self.pan_y = self._clamped(s1, pan_x, pan_y)

    def pan_by(self, dx: float, dy: float):
        self.scale, self.pan_x, self.pan_y = self._clamped(self.scale, self.pan_x + dx,
                                                           self.pan_y + dy)

    def toggle_zoom(self, x: float, y: float):
        """Double tap: zoom to 2.5x at (x, y), or back to 1x when zoomed."""
        if self.zoomed:
            self.animate_to(1.0, 0.0, 0.0)
            return
        s = DOUBLE_TAP_SCALE
        ax, ay = x - self.center_x, y - self.center_y
        self.animate_to(*self._clamped(s, ax - ax * s, ay - ay * s))

    def animate_to(self, scale: float, pan_x: float, pan_y: float, drag_x: float = 0.0):
        Animation.cancel_all(self)
        self._target = (scale, pan_x, pan_y, drag_x)
        anim = Animation(scale=scale, pan_x=pan_x, pan_y=pan_y, drag_x=drag_x,
                         duration=ANIM_SECONDS, t="out_quad")
        anim.bind(on_complete=lambda *_: self._finish())
        anim.start(self)

    def _finish(self):
        if self._target is not None:
            self.scale, self.pan_x, self.pan_y, self.drag_x = self._target
            self._target = None

    def settle(self):
        """Jump a running zoom animation to its end."""
        if self._target is not None:
            Animation.cancel_all(self)
            self._finish()

    def on_swipe(self, step: int):
        pass

    # --------------------------------------------------------------- touches
    def on_touch_down(self, touch):
        if not self.collide_point(*touch.pos):
            return False
        if touch.is_mouse_scrolling:
            factor = {"scrollup": WHEEL_STEP, "scrolldown": 1 / WHEEL_STEP}.get(touch.button, 1)
            self.zoom_at(factor, *touch.pos)
            return True
        self.settle()
        touch.grab(self)
        touch.ud["zoom_start"] = (touch.x, touch.y, Clock.time(), self.to_window(*touch.pos)[0])
        self._points[touch.uid] = touch.pos
        if len(self._points) >= 2:
            touch.ud["zoom_multi"] = True
            self._multi = True  # the gesture became a pinch: no swipe or tap at its end
            self.drag_x = 0.0
            self._pinch = self._pinch_state()
        elif len(self._points) == 1:
            self._multi = False
        return True

    def on_touch_move(self, touch):
        if touch.grab_current is not self:
            return touch.uid in self._points
        self._points[touch.uid] = touch.pos
        if len(self._points) >= 2:
            touch.ud["zoom_multi"] = True
            self._pinch_move()
        elif self.zoomed:
            self.pan_by(touch.dx, touch.dy)
        elif not touch.ud.get("zoom_multi"):
            self._follow(touch)
        return True

    def on_touch_up(self, touch):
        if touch.grab_current is not self:
            return touch.uid in self._points
        touch.ungrab(self)
        self._points.pop(touch.uid, None)
        if self._multi:
            touch.ud["zoom_multi"] = True
        if len(self._points) < 2:
            self._pinch = None
        if not self._points and self._multi:
            self._multi = False
            if self.scale < 1.05:
                self.animate_to(1.0, 0.0, 0.0)
            return True
        if touch.ud.get("zoom_multi"):
            return True
        self._single_up(touch)
        return True

    # ---------------------------------------------------------------- gestures
    def _pinch_state(self):
        (x0, y0), (x1, y1) = list(self._points.values())[:2]
        return math.hypot(x1 - x0, y1 - y0), ((x0 + x1) / 2, (y0 + y1) / 2)

    def _pinch_move(self):
        distance, mid = self._pinch_state()
        if self._pinch is None or self._pinch[0] <= 0:
            self._pinch = (distance, mid)
            return
        d0, (mx0, my0) = self._pinch
        self._pinch = (distance, mid)
        Animation.cancel_all(self)
        self._target = None
        self.scale, self.pan_x, self.pan_y = self._clamped(
            self.scale, self.pan_x + mid[0] - mx0, self.pan_y + mid[1] - my0)
        if distance > 0:
            self.zoom_at(distance / d0, *mid)

    def _follow(self, touch):
        x0 = touch.ud["zoom_start"][0]
        dx = touch.x - x0
        if (dx < 0 and not self.can_next) or (dx > 0 and not self.can_previous):
            dx *= 0.25  # resist: nothing more that way
        if dx > 0 and self._from_edge(touch):
            dx = 0.0  # the screen's back gesture owns this drag
        self.drag_x = dx

    def _from_edge(self, touch) -> bool:
        window = self.get_root_window()
        width = window.width if window else self.width
        return touch.ud["zoom_start"][3] <= SWIPE_EDGE * width

    def _single_up(self, touch):
        x0, y0, t0, _ = touch.ud["zoom_start"]
        dx, dy = touch.x - x0, touch.y - y0
        now = Clock.time()
        slop = TAP_SLOP * min(self.size)
        if math.hypot(dx, dy) <= slop and now - t0 <= TAP_TIME:
            self._tap(now, touch.x, touch.y)
            return
        self._last_tap = None
        if self.zoomed:
            return
        step = 0
        if abs(dx) >= SWIPE_DISTANCE * self.width and abs(dx) > 1.5 * abs(dy):
            step = 1 if dx < 0 else -1
            if step == -1 and self._from_edge(touch):
                step = 0
            if (step == 1 and not self.can_next) or (step == -1 and not self.can_previous):
                step = 0
        if step:
            self.dispatch("on_swipe", step)
        else:
            self.animate_to(self.scale, self.pan_x, self.pan_y, 0.0)

    def _tap(self, now: float, x: float, y: float):
        last = self._last_tap
        near = TAP_SLOP * 3 * min(self.size)
        if last and now - last[0] <= DOUBLE_TAP_TIME and math.hypot(x - last[1], y - last[2]) <= near:
            self._last_tap = None
            self.toggle_zoom(x, y)
        else:
            self._last_tap = (now, x, y)


load_kv(__file__, "zoom.kv")
