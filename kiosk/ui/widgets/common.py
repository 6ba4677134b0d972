"""Small widgets every screen uses. Their look is in ``common.kv``."""

from __future__ import annotations

import weakref
from pathlib import Path

from kivy.clock import Clock
from kivy.properties import (
    AliasProperty,
    BooleanProperty,
    ColorProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.recycleview import RecycleView
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.images import target_box
from kiosk.ui.geometry import NO_COLOR, faded, inset_rect, wall_columns
from kiosk.ui.images import fit_of, on_screen
from kiosk.ui.kv import load_kv
from kiosk.ui.widgets.clip import ScissorClip  # lists clip without the stencil


class KLabel(Label):
    """A label in the theme's font. ``wrap`` makes it wrap to its width and grow in height."""

    wrap = BooleanProperty(False)
    role = StringProperty("body")  # a key of app.font: title, heading, body, caption, ...

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Done here rather than in the kv rule, so a rule that sets text_size itself
        # (without wrap) never competes with this one.
        self.fbind("wrap", self._sync_wrap)
        self.fbind("width", self._sync_wrap)
        self.fbind("texture_size", self._sync_wrap)
        self._sync_wrap()

    def _sync_wrap(self, *_):
        if not self.wrap:
            return
        self.size_hint_y = None
        self.text_size = (self.width, None)
        self.height = self.texture_size[1]


ELLIPSIS = "\u2026"
# not left hanging before an ellipsis
_TRAILING = " \t,;:.!?\u00b7\u2014\u2013-\u3001\uff0c\u3002\uff1b\uff1a\uff01\uff1f\u201c\u2018(\uff08\u300a"


def ellipsize(text: str, width: float, measure, force: bool = False) -> str:
    """``text`` if it fits in ``width`` (and ``force`` is off); else its beginning followed
    by an ellipsis, cut after a whole word in Latin text and between characters in Chinese."""
    if not force and measure(text) <= width:
        return text
    t = text.rstrip()
    while t:
        candidate = t.rstrip(_TRAILING) + ELLIPSIS
        if t.rstrip(_TRAILING) and measure(candidate) <= width:
            return candidate
        last = t[-1]
        if last.isascii() and last.isalnum() and " " in t.strip():
            cut = t.rstrip().rfind(" ")
            t = t[:cut].rstrip() if cut > 0 else t[:-1]
        else:
            t = t[:-1]
    return ELLIPSIS


def clamp_lines(lines: list[str], max_lines: int, width: float, measure) -> tuple[list[str], bool]:
    """At most ``max_lines`` lines, the last ending in an ellipsis when text was left out."""
    if max_lines <= 0 or len(lines) <= max_lines:
        return lines, False
    kept = list(lines[:max_lines])
    kept[-1] = ellipsize(kept[-1], width, measure, force=True)
    return kept, True


# a picture's placeholder: framed when at least this opaque and this big (px) ...
FRAMED_OPACITY, FRAMED_MIN_SIDE = 0.5, 40
PLACEHOLDER_SHADE = (0, 0, 0, 0.22)  # ... shaded towards the bottom ...
PLACEHOLDER_FRAME_ALPHA = 0.55  # ... with an accent line at this opacity ...
PLACEHOLDER_FRAME_INSET = 0.08  # ... this share of the short side inside its edge
CHEVRON = (0.21, 0.09, 0.12)  # a scroll badge's chevron: half its width, tips up, point down
PICTURE_ASPECT = 1.6  # a card's or thumbnail's picture box, width / height (16:10)
HEADING_RULE = (0.25, 2, 1)  # a heading rule: the accent's share of the width, its px, the line's
RULE_ACCENT_LENGTH = 2.5  # a title rule's accent bar, in margins ...
RULE_ACCENT_THICKNESS, RULE_LINE_THICKNESS = 3, 1  # ... and its thickness and the line's (px)
BAR_TEXT_GROWTH = 1.15  # the navigation bar's text grows at most this much in 大字
PRESSED_ALPHA = 0.28  # a pressed button's background: its text colour at this opacity
PRESSED_INSET = 2  # px the pressed background shrinks by on each side
HEADLINE_CHARS = 160  # texts up to this long break as headlines: between words, balanced


def _break(text: str, width: float, font: str, size: float, bold: bool,
           rows: int = 0) -> list[str]:
    """Lines of ``text`` for ``width``: a short text (a title, a caption) is broken between
    words with balanced lines and no orphan (``kiosk.text.headline``), in at most ``rows``
    lines when the words allow; a longer one by the Chinese line-breaking rules alone,
    which is much cheaper."""
    from kiosk.text.kivy_measure import headline, wrap_lines

    if len(text) <= HEADLINE_CHARS:
        return headline(text, width * 0.98, font, size, bold, rows)
    return wrap_lines(text, width, font, size, bold)


class TextBlock(KLabel):
    """Every title and short text of the screens: lines broken between words (Chinese
    headlines never inside a word, balanced, no single-character last line, no separator
    at a line's start or end; longer texts by the Chinese line-breaking rules), and a line
    break in the text (``\\n`` in the content) always starts a new line.

    Set ``raw``; ``text`` is ``raw`` with line breaks placed for the current
    width, font and size. Kivy's own wrapping stays on as a fallback.

    ``lines`` (0: any number) caps the number of lines: what does not fit ends with an
    ellipsis after the last whole word, and ``shortened`` says so. ``fit_min`` below 1
    first lets the text shrink (down to that share of its role's size) to fit ``lines``
    (and ``fit_height``, if set), with no word wider than a line.

    ``source_text`` and ``max_rows`` are other names of ``raw`` and ``lines`` (layouts
    write ``Headline`` or ``WrapLabel``: the same widget).
    """

    raw = StringProperty("")
    lines = NumericProperty(0)
    fit_min = NumericProperty(1.0)
    fit_height = NumericProperty(0)  # with fit_min: also shrink until the text is this low
    shortened = BooleanProperty(False)

    def _get_raw(self):
        return self.raw

    def _set_raw(self, value):
        self.raw = value

    def _get_lines(self):
        return self.lines

    def _set_lines(self, value):
        self.lines = value

    source_text = AliasProperty(_get_raw, _set_raw, bind=("raw",))
    max_rows = AliasProperty(_get_lines, _set_lines, bind=("lines",))

    def __init__(self, **kwargs):
        self._rewrap_trigger = Clock.create_trigger(self._rewrap, -1)
        super().__init__(**kwargs)
        for name in ("raw", "width", "font_size", "font_name", "bold", "lines", "fit_min",
                     "fit_height", "padding"):
            self.fbind(name, self._rewrap_trigger)

    def _base_size(self) -> float:
        if self.fit_min >= 1:
            return self.font_size
        from kivy.app import App

        app = App.get_running_app()
        table = app.font if app is not None else {}
        return float(table.get(self.role, self.font_size))

    def _rewrap(self, *_):
        from kiosk.text.kivy_measure import measure_for

        pad = self.padding[0] + self.padding[2] if len(self.padding) == 4 else 0
        width = self.width - pad
        if width <= self.font_size * 2:
            self.text = self.raw
            return
        size = self._base_size()
        wanted = int(self.lines)
        lines = _break(self.raw, width, self.font_name, size, self.bold, max(wanted, 0))
        if wanted > 0 and self.fit_min < 1:
            smallest = size * self.fit_min
            words = [w for w in self.raw.split() if w.isascii()]

            def too_wide(size):  # a word wider than the line would be cut in two
                measure = measure_for(self.font_name, size, self.bold)
                return any(measure(w) > width for w in words)

            def too_tall(size, count):  # more lines than ``fit_height`` holds
                if self.fit_height <= 0:
                    return False
                from kivy.core.text import Label as CoreLabel

                line = CoreLabel(font_name=self.font_name, font_size=size, bold=self.bold)
                return count * line.get_extents("国Ag")[1] > self.fit_height

            while (len(lines) > wanted or too_wide(size) or too_tall(size, len(lines))) \
                    and size * 0.94 >= smallest:
                size *= 0.94
                lines = _break(self.raw, width, self.font_name, size, self.bold, wanted)
            if abs(size - self.font_size) > 0.05:
                self.font_size = size  # (laid out again at this size by the trigger)
        lines, self.shortened = clamp_lines(
            lines, wanted, width, measure_for(self.font_name, size, self.bold))
        self.text = "\n".join(lines)


_fade_texture = None


def fade_texture():
    """A vertical ramp, clear at the top and solid at the bottom, tinted by a Color
    (a placeholder's shading)."""
    global _fade_texture
    if _fade_texture is None:
        from kivy.graphics.texture import Texture

        steps = 64
        data = bytearray()
        for i in range(steps):  # row 0 is the bottom
            a = round(255 * (1 - i / (steps - 1)) ** 1.6)
            data += bytes((255, 255, 255, a))
        tex = Texture.create(size=(1, steps), colorfmt="rgba")
        tex.blit_buffer(bytes(data), colorfmt="rgba", bufferfmt="ubyte")
        tex.wrap = "clamp_to_edge"
        _fade_texture = tex
    return _fade_texture


class ScrollCue:
    """A list that goes on below its bottom edge says so (``more_below``) for a
    :class:`ScrollBadge`. ``cue_inset``: how far above the widget's bottom its visible
    part ends (a list running under the navigation bar)."""

    def _init_cue(self):
        for name in ("scroll_y", "height", "viewport_size"):
            self.fbind(name, self._update_cue)
        self._update_cue()

    def _update_cue(self, *_):
        content = self.viewport_size[1] if self.viewport_size else 0
        self.more_below = content > self.height + 2 and self.scroll_y > 0.002


class CueScrollView(ScrollCue, ScissorClip, ScrollView):
    more_below = BooleanProperty(False)
    cue_inset = NumericProperty(0)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._init_cue()


class CueRecycleView(ScrollCue, ScissorClip, RecycleView):
    more_below = BooleanProperty(False)
    cue_inset = NumericProperty(0)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._init_cue()


class ScrollBadge(Widget):
    """The "more below" badge of a :class:`CueScrollView` or :class:`CueRecycleView`:
    put it after the list, in the same coordinates (a sibling, or a child of the screen)."""

    scroll = ObjectProperty(None, allownone=True)
    shown = BooleanProperty(False)
    anchor = ListProperty([0, 0])  # the middle of the list's visible bottom edge

    @staticmethod
    def chevron(center, size):
        """The badge's downward chevron: three points, in shares of its size."""
        (cx, cy), (w, h) = center, size
        across, up, down = CHEVRON
        return (cx - w * across, cy + h * up, cx, cy - h * down, cx + w * across, cy + h * up)

    def on_scroll(self, *_):
        scroll = self.scroll
        if scroll is None:
            return
        for name in ("more_below", "pos", "size", "cue_inset"):
            scroll.fbind(name, self._follow)
        self._follow()

    def _follow(self, *_):
        scroll = self.scroll
        self.shown = bool(scroll.more_below)
        self.anchor = [scroll.center_x, scroll.y + scroll.cue_inset]


class RowFitGrid(GridLayout):
    """A grid whose rows are each as high as their tallest child's ``minimum_height``.

    With ``set_heights`` the children are given that height themselves (cards of one row
    end level, each sized by its content, none stretched past what its row needs)."""

    set_heights = BooleanProperty(False)

    columns = staticmethod(wall_columns)

    def __init__(self, **kwargs):
        self._fit_rows = Clock.create_trigger(self._fit_row_heights, -1)
        super().__init__(**kwargs)
        self.fbind("cols", self._fit_rows)

    def add_widget(self, widget, *args, **kwargs):
        super().add_widget(widget, *args, **kwargs)
        widget.fbind("minimum_height", self._fit_rows)
        self._fit_rows()

    def _fit_row_heights(self, *_):
        cols = max(1, self.cols or 1)
        rows: dict[int, float] = {}
        for i, child in enumerate(reversed(self.children)):
            rows[i // cols] = max(rows.get(i // cols, 0), child.minimum_height)
        self.rows_minimum = rows
        if self.set_heights:
            for i, child in enumerate(reversed(self.children)):
                child.size_hint_y = None
                child.height = rows[i // cols]


class TitleRule(Widget):
    """The rule under a page's title: a short thick accent bar, then a thin divider line
    to the right edge."""

    @staticmethod
    def accent_pos(x: float, center_y: float):
        return (x, center_y - RULE_ACCENT_THICKNESS / 2)

    @staticmethod
    def accent_size(space):
        return (space["margin"] * RULE_ACCENT_LENGTH, RULE_ACCENT_THICKNESS)

    @staticmethod
    def line_pos(x: float, center_y: float, space):
        return (x + space["margin"] * RULE_ACCENT_LENGTH, center_y - RULE_LINE_THICKNESS / 2)

    @staticmethod
    def line_size(width: float, space):
        return (width - space["margin"] * RULE_ACCENT_LENGTH, RULE_LINE_THICKNESS)


class HeadingRule(Widget):
    """The rule under a heading: an accent line along its first quarter, a thinner divider
    along the rest."""

    thickness = NumericProperty(HEADING_RULE[1])

    @staticmethod
    def accent_size(width: float):
        return (width * HEADING_RULE[0], HEADING_RULE[1])

    @staticmethod
    def line_pos(pos, width: float):
        return (pos[0] + width * HEADING_RULE[0], pos[1])

    @staticmethod
    def line_size(width: float):
        return (width * (1 - HEADING_RULE[0]), HEADING_RULE[2])


class TapArea(ButtonBehavior, BoxLayout):
    """Anything that can be tapped, with a visible press state."""

    pressed_color = ColorProperty([1, 1, 1, 0.18])
    radius = NumericProperty(0)


class KButton(ButtonBehavior, Label):
    """A text button at least one touch target high, with press feedback."""

    bg = ColorProperty([0, 0, 0, 0])
    fg = ColorProperty([1, 1, 1, 1])
    border_color = ColorProperty([0, 0, 0, 0])
    active = BooleanProperty(False)
    radius = NumericProperty(0)

    @staticmethod
    def fit_width(text_width: float, space: dict, touches: float, gaps: float = 0) -> float:
        """At least ``touches`` touch targets wide, or as wide as the text with ``gaps``
        gaps around it."""
        return max(space["touch"] * touches, text_width + space["gap"] * gaps)

    @staticmethod
    def fit_height(text_height: float, space: dict, touches: float = 1, gaps: float = 0) -> float:
        return max(space["touch"] * touches, text_height + space["gap"] * gaps)

    @staticmethod
    def lit_bg(on: bool, colors: dict):
        """A switch's background: the accent while it is on, none while off."""
        return colors["accent"] if on else NO_COLOR

    @staticmethod
    def lit_fg(on: bool, colors: dict, off_role: str):
        """A switch's text: on the accent while on, else in the colour ``off_role``."""
        return colors["on_accent"] if on else colors[off_role]

    @staticmethod
    def pressed_bg(down: bool, fg, bg):
        """The background: the text's colour, faint, while pressed."""
        return (fg[0], fg[1], fg[2], PRESSED_ALPHA) if down else bg

    @staticmethod
    def pressed_pos(down: bool, pos):
        """Where the background starts: a little inside while pressed."""
        return (pos[0] + PRESSED_INSET, pos[1] + PRESSED_INSET) if down else pos

    @staticmethod
    def pressed_size(down: bool, size):
        return (size[0] - 2 * PRESSED_INSET, size[1] - 2 * PRESSED_INSET) if down else size


class BarButton(KButton):
    """A button of the navigation bar."""

    @staticmethod
    def bar_font_size(size: float, text_scale: float) -> float:
        """In 大字 the bar's buttons grow less than the page's text, leaving the title room."""
        return size * min(1.0, BAR_TEXT_GROWTH / max(1.0, text_scale))


OPAQUE_FORMATS = ("rgb", "bgr", "luminance")  # textures without an alpha channel


class Picture(Image):
    """An image that fills its box (``cover``) or fits in it (``contain``).

    The file goes through the image pipeline (``kiosk.ui.images``): decoded
    off the main thread at a size that suits this widget (a card gets a
    card-sized picture, the photo viewer a screen-sized one), upright and
    cached. Until it is ready, and when there is no file or it cannot be
    shown, a quiet tinted box stands in, so a missing photo never looks
    broken. ``problem`` then says why (a :class:`kiosk.content.model.Problem`).
    """

    media = ObjectProperty(None, allownone=True)
    placeholder_color = ColorProperty([1, 1, 1, 0.08])
    empty = BooleanProperty(True)
    framed = BooleanProperty(False)  # the placeholder is drawn as a framed panel
    shade = ObjectProperty(None, allownone=True)  # the placeholder's shading
    problem = ObjectProperty(None, allownone=True)
    # where the texture is drawn and which part of it (see ``fitted``)
    draw_pos = ListProperty([0, 0])
    draw_size = ListProperty([0, 0])
    draw_uv = ListProperty([0, 0, 1, 0, 1, 1, 0, 1])
    # the point to keep in view when ``cover`` crops: (x, y) from the top left, 0..1
    focus = ObjectProperty(None, allownone=True)

    @staticmethod
    def frames(empty: bool, placeholder_color, size) -> bool:
        """A placeholder is framed when it shows (no picture yet), is mostly opaque and
        big enough for a frame to read."""
        return empty and placeholder_color[3] > FRAMED_OPACITY and min(size) > FRAMED_MIN_SIDE

    @staticmethod
    def shade_color(framed: bool):
        return PLACEHOLDER_SHADE if framed else NO_COLOR

    @staticmethod
    def frame_color(framed: bool, colors):
        return faded(colors["accent"], PLACEHOLDER_FRAME_ALPHA) if framed else NO_COLOR

    @staticmethod
    def frame_rect(framed: bool, pos, size):
        """The placeholder's frame line, inset by a share of its short side."""
        if not framed:
            return (pos[0], pos[1], 0, 0)
        return inset_rect(pos, size, min(size) * PLACEHOLDER_FRAME_INSET)

    def __init__(self, **kwargs):
        from kiosk.ui.images import get_loader

        self.image_active = False  # on screen or near it: its texture must stay
        self._key = None  # cache key of the texture shown
        self._box = None  # target size of the texture shown
        self._shown = None  # (file, fit) of the texture shown
        self._asked = None  # (file, target, fit) being loaded
        self._loader = get_loader()
        self.shade = fade_texture()
        super().__init__(**kwargs)
        self._loader.register(self)
        self.fbind("size", self._changed)
        self.fbind("fit_mode", self._changed)
        for name in ("pos", "size", "texture", "fit_mode", "focus"):
            self.fbind(name, self._fit)
        # a recycled list places its pictures after filling them: look again once placed
        self.fbind("pos", self._changed)
        self.fbind("parent", self._changed)

    def opaque_areas(self) -> list:
        """What this picture paints opaque (kiosk.ui.occlusion), in its parent's coordinates:
        its placeholder while it has no picture (when the placeholder's colour is opaque),
        else the picture where it is drawn, when it has no transparency."""
        box = (self.x, self.y, self.right, self.top)
        if self.empty:
            return [box] if self.placeholder_color[3] >= 1 else []
        texture = self.texture
        if texture is None or texture.colorfmt not in OPAQUE_FORMATS or self.color[3] < 1:
            return []
        (x, y), (w, h) = self.draw_pos, self.draw_size
        return [(max(x, box[0]), max(y, box[1]), min(x + w, box[2]), min(y + h, box[3]))]

    def on_media(self, *_):
        media = self.media
        if getattr(media, "variants", ()):
            follow_language(self)
            media = media.for_language(_current_language())
        self.focus = getattr(media, "focus", None)
        path = getattr(media, "path", None)
        self.source = str(path) if path and Path(path).is_file() else ""

    def _changed(self, *_):
        self._loader.want(self)

    def _fit(self, *_):
        pos, size, uv = fitted(self.pos, self.size, self.texture, self.fit_mode, self.focus)
        self.draw_pos, self.draw_size, self.draw_uv = pos, size, uv

    # Kivy's Image would read the file itself, whole, on the main thread:
    # instead the source goes to the pipeline.
    def texture_update(self, *_):
        self._asked = None
        self._clear()
        self.problem = None
        if getattr(self, "_loader", None) is not None:
            self._loader.want(self)

    def image_refresh(self, hidden: set[int] | None = None):
        """Ask for the picture if this widget is on screen (or near) and lacks it (``hidden``:
        see :func:`kiosk.ui.images.on_screen`)."""
        path = self.source
        loader = self._loader
        active = bool(path) and self.width >= 2 and self.height >= 2 and \
            on_screen(self, loader=loader, hidden=hidden)
        self.image_active = active
        if not active or self.problem is not None:
            return
        from kivy.core.window import Window

        box = target_box(self.width, self.height, Window.size)
        fit = fit_of(self.fit_mode)
        if self._key is not None and self._shown == (path, fit) and \
                box[0] <= self._box[0] and box[1] <= self._box[1]:
            return  # what is shown is sharp enough
        want = (path, box, fit)
        if want == self._asked:
            return
        self._asked = want
        ref = weakref.WeakMethod(self._arrived)
        got = loader.fetch(path, box, fit,
                           lambda key, entry, error: _call(ref, want, key, entry, error))
        if got is not None:
            self._show(want, *got)

    def _arrived(self, want, key, entry, error):
        if want != self._asked:
            return  # the picture changed meanwhile
        self._asked = None
        if error is not None:
            from kiosk.ui.images import problem_for

            self.problem = problem_for(self.media, error)
            self._loader.report(self.problem)
            self._clear()
            return
        self._show(want, key, entry)

    def _show(self, want, key, entry):
        if self._key is not None and self._key != key:
            old = self._loader.textures.entries.get(self._key)
            if old is not None:
                old.holders.discard(self)
        entry.holders.add(self)
        self._key, self._box, self._shown = key, want[1], (want[0], want[2])
        self.texture = entry.texture
        self.empty = False

    def _clear(self):
        if self._key is not None:
            old = self._loader.textures.entries.get(self._key)
            if old is not None:
                old.holders.discard(self)
        self._key = self._box = self._shown = None
        self.texture = None
        self.empty = True

    def image_dropped(self, key):
        """The loader let go of this texture to stay in its memory budget."""
        if key == self._key:
            self._key = self._box = self._shown = None
            self.texture = None
            self.empty = True
            self._asked = None


_language_pictures: weakref.WeakSet = weakref.WeakSet()  # pictures with language variants
_language_apps: weakref.WeakSet = weakref.WeakSet()


def _current_language() -> str | None:
    from kivy.app import App

    app = App.get_running_app()
    return app.lang if app is not None else None


def follow_language(picture) -> None:
    """Show ``picture``'s variant for the visitor's language, now and after each switch."""
    from kivy.app import App

    _language_pictures.add(picture)
    app = App.get_running_app()
    if app is not None and app not in _language_apps:
        _language_apps.add(app)
        app.fbind("lang", _language_changed)


def _language_changed(*_):
    for picture in list(_language_pictures):
        picture.on_media()


def cover_window(share: float, focus: float | None) -> float:
    """Start of the visible part (``share`` of the picture, 0..1) along one axis: centred,
    or around ``focus`` as far as the picture's edges allow."""
    if focus is None:
        return (1 - share) / 2
    return min(max(focus - share / 2, 0.0), 1 - share)


def fitted(pos, size, texture, fit_mode: str, focus=None):
    """Where to draw ``texture`` in a box and which part of it: ``(pos, size, tex_coords)``.

    ``contain`` fits the whole picture, centred (``scale-down`` too, but never enlarged
    past the texture's own pixels); ``cover`` fills
    the box and crops what overflows by drawing only part of the texture, keeping
    ``focus`` ((x, y) from the picture's top left, 0..1) in view when given; ``fill``
    stretches it. No texture: nothing to draw.
    """
    x, y = pos
    w, h = size
    if texture is None or w <= 0 or h <= 0 or min(texture.size) <= 0:
        return [x, y], [0, 0], [0, 0, 1, 0, 1, 1, 0, 1]
    tc = tuple(texture.tex_coords)
    tw, th = texture.size
    if fit_mode == "fill":
        return [x, y], [w, h], list(tc)
    if fit_mode == "cover":
        scale = max(w / tw, h / th)
        fx, fy = (w / scale) / tw, (h / scale) / th  # the share of the texture that shows
        fx0 = cover_window(fx, focus[0] if focus else None)
        # v runs up the drawn picture, the focus down from its top
        fy0 = cover_window(fy, 1 - focus[1] if focus else None)
        fx1, fy1 = fx0 + fx, fy0 + fy

        def at(u, v):  # a point of the texture, whichever way it is flipped
            return (tc[0] + (tc[2] - tc[0]) * u + (tc[6] - tc[0]) * v,
                    tc[1] + (tc[3] - tc[1]) * u + (tc[7] - tc[1]) * v)

        return [x, y], [w, h], [*at(fx0, fy0), *at(fx1, fy0), *at(fx1, fy1), *at(fx0, fy1)]
    scale = min(w / tw, h / th)
    if fit_mode == "scale-down":
        scale = min(scale, 1.0)  # never larger than the picture's own pixels
    dw, dh = tw * scale, th * scale
    return [x + (w - dw) / 2, y + (h - dh) / 2], [dw, dh], list(tc)


def _call(ref, want, key, entry, error):
    method = ref()
    if method is not None:
        method(want, key, entry, error)


class Card(TapArea):
    """A large touch card: a picture above a title and a short line of text."""

    media = ObjectProperty(None, allownone=True)
    title = StringProperty("")
    subtitle = StringProperty("")
    badge = StringProperty("")
    picture_aspect = NumericProperty(PICTURE_ASPECT)  # width / height of the picture's box
    title_lines = NumericProperty(2)
    subtitle_lines = NumericProperty(2)
    route = StringProperty("")
    extra = ListProperty()

    def height_for(self, width: float, title: str, subtitle: str) -> float:
        """How tall this card would be ``width`` wide showing ``title`` and ``subtitle``
        (a recycled list gives its cards one height: the tallest of its items)."""
        box = self.ids.text_box
        pad = box.padding
        inner = width - pad[0] - pad[2]
        heights = []
        for label, text in ((self.ids.title, title), (self.ids.subtitle, subtitle)):
            if not text:
                heights.append(0)
                continue
            label.width = inner
            label.raw = text
            label._rewrap()
            label.text_size = (inner, None)
            label.texture_update()
            heights.append(label.texture_size[1])
        spacing = box.spacing if heights[1] else 0
        return width / self.picture_aspect + pad[1] + pad[3] + heights[0] + spacing + heights[1]


load_kv(__file__, "common.kv")
