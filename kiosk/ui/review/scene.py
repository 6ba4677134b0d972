"""The widget tree read into plain records, for the detectors to judge without Kivy.

:func:`collect` walks every widget on the window once and keeps, for each
label a visitor could see, where its glyphs are drawn (an alpha mask placed in
picture coordinates), its box, the boxes of the layouts that hold it, the
stencils and scroll views that clip it, how much room its text needs against
what it got, and the characters its font lacks; and for each card or tile, the
boxes of what fills it. Coordinates are picture pixels: x to the right, y down
from the top edge, rectangles as ``(x0, y0, x1, y1)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PIL import Image

Rect = tuple[float, float, float, float]

# markup tags Kivy draws nothing for (kivy.core.text.markup)
_MARKUP = re.compile(r"\[/?(?:b|i|u|s|sub|sup|size|color|font|font_context|font_family|"
                     r"font_features|text_language|ref|anchor)(?:=[^\]]*)?\]")
ELLIPSES = ("…", "...")


def plain_text(text: str, markup: bool) -> str:
    if not markup:
        return text
    text = _MARKUP.sub("", text)
    return text.replace("&bl;", "[").replace("&br;", "]").replace("&amp;", "&")


@dataclass
class Clip:
    """A stencil that cuts what is drawn outside ``rect``; a scroll view that can move its
    content in a direction does not hide anything there for good."""

    rect: Rect
    kind: str  # class name
    scroll_x: bool = False
    scroll_y: bool = False


@dataclass
class TextItem:
    """One label as drawn."""

    cls: str
    path: str
    wid: str
    text: str  # what the visitor should read (markup removed, before line breaking)
    box: Rect
    drawn: Rect  # where the texture is drawn
    mask: Image.Image | None  # alpha of the glyphs ("L"), size of ``drawn``
    font_size: float
    colour: tuple[float, float, float, float] = (0, 0, 0, 1)  # of the glyphs, 0-255 and alpha 0-1
    bold: bool = False
    route: str = ""  # the route the widget leads to (a card), if any
    parents: list[tuple[str, Rect]] = field(default_factory=list)  # layouts that place it
    clips: list[Clip] = field(default_factory=list)
    needed: tuple[float, float] | None = None  # room the whole text needs (w, h)
    shown: tuple[float, float] = (0, 0)  # the texture's size
    shortened: str = ""  # "", "end", "start" or "middle": Kivy put an ellipsis there
    ellipsis_added: bool = False  # the program ended the text with an ellipsis
    lines: list[str] = field(default_factory=list)  # lines as drawn
    missing: str = ""  # characters the font cannot draw
    ancestors: tuple[int, ...] = ()
    seen: Image.Image | None = None  # the glyph pixels the picture really shows (see observe)
    order: int = 0  # place in drawing order
    disabled: bool = False  # an inactive control (WCAG asks no contrast of it)

    @property
    def ink(self) -> Rect | None:
        """The glyphs' bounding box on the picture."""
        return self._bbox(self.mask)

    @property
    def seen_ink(self) -> Rect | None:
        """The bounding box of the glyph pixels the picture shows (all of them until
        :func:`kiosk.ui.review.detectors.observe` has compared them with the picture)."""
        return self._bbox(self.seen if self.seen is not None else self.mask)

    def _bbox(self, mask) -> Rect | None:
        if mask is None:
            return None
        bbox = mask.getbbox()
        if bbox is None:
            return None
        x, y = self.drawn[0], self.drawn[1]
        return (x + bbox[0], y + bbox[1], x + bbox[2], y + bbox[3])


@dataclass
class TileItem:
    """A card or tile: its box and the boxes of the texts and pictures inside it."""

    cls: str
    path: str
    wid: str
    box: Rect
    route: str = ""
    title: str = ""
    clips: list[Clip] = field(default_factory=list)
    content: list[Rect] = field(default_factory=list)
    key: int = 0
    # pictures in it cropped to fill their box: (box, share of the picture hidden at the
    # left, top, right and bottom)
    crops: list[tuple[Rect, tuple[float, float, float, float]]] = field(default_factory=list)


@dataclass
class ScrollItem:
    """A scroll view: its box, how much of its content lies below its bottom edge and
    whether something on the screen says so (a shown scroll badge, a visible scroll bar)."""

    cls: str
    path: str
    wid: str
    box: Rect
    below: float = 0.0  # pixels of content under the bottom edge, reachable by scrolling
    cued: bool = False
    clips: list[Clip] = field(default_factory=list)
    key: int = 0
    text: str = ""  # the first text in it (names the list in a finding)


@dataclass
class Scene:
    size: tuple[int, int]  # picture (window) size
    texts: list[TextItem] = field(default_factory=list)
    tiles: list[TileItem] = field(default_factory=list)
    scrolls: list[ScrollItem] = field(default_factory=list)
    # opaque rectangles (not text) with their place in drawing order: whatever is drawn
    # before them underneath is hidden
    covers: list[tuple[int, Rect]] = field(default_factory=list)


# ---------------------------------------------------------------------------- reading


def collect(roots=None) -> Scene:
    """Read what the window shows now (every child of the window, or ``roots``)."""
    from kivy.core.window import Window

    width, height = Window.size
    roots = list(reversed(Window.children)) if roots is None else list(roots)
    scene = Scene((int(width), int(height)))
    reader = _Reader(height)
    for root in roots:
        reader.read(root, scene)
    for tile in scene.tiles:
        tile.content = reader.content.get(tile.key, [])
        tile.crops = reader.crops.get(tile.key, [])
    for scroll in scene.scrolls:
        scroll.cued = scroll.cued or scroll.key in reader.cues
        scroll.text = next((t.text for t in scene.texts if scroll.key in t.ancestors), "")
    return scene


class _Reader:
    def __init__(self, window_height: float):
        self.h = window_height
        self.ids: dict[int, str] = {}
        self.content: dict[int, list[Rect]] = {}
        self.order = 0
        self.cues: set[int] = set()  # scroll views whose "more below" badge is shown
        self.crops: dict[int, list] = {}

    def rect(self, widget) -> Rect:
        x0, y0 = widget.to_window(widget.x, widget.y)
        x1, y1 = widget.to_window(widget.right, widget.top)
        return (min(x0, x1), self.h - max(y0, y1), max(x0, x1), self.h - min(y0, y1))

    def read(self, root, scene: Scene) -> None:
        from kivy.uix.image import Image as KivyImage
        from kivy.uix.label import Label

        for w in root.walk(restrict=True):
            for name, ref in (getattr(w, "ids", None) or {}).items():
                try:
                    self.ids[id(ref.__self__)] = name
                except (AttributeError, ReferenceError):
                    self.ids[id(ref)] = name
        self._walk(root, scene, [], [], "", Label, KivyImage, 1.0)

    def _walk(self, widget, scene, chain, clips, path, Label, KivyImage, opacity):
        from kivy.uix.scrollview import ScrollView
        from kivy.uix.stencilview import StencilView

        opacity *= getattr(widget, "opacity", 1)
        if opacity <= 0.01:
            return
        name = type(widget).__name__
        wid = self.ids.get(id(widget), "")
        chain = chain + [widget]
        self.order += 1
        if isinstance(widget, Label):
            if widget.text.strip():
                item = self.text_item(widget, chain, clips, path, name, wid)
                item.colour = item.colour[:3] + (item.colour[3] * opacity,)
                item.order = self.order
                item.disabled = any(bool(getattr(w, "disabled", False)) for w in chain)
                scene.texts.append(item)
        else:
            if opacity >= 0.99:
                for r in self.opaque_rects(widget):
                    for clip in clips:  # a stencil hides what is painted outside it
                        r = _intersect(r, clip.rect) if r else None
                    if r:
                        scene.covers.append((self.order, r))
        if _is_tile(widget):
            scene.tiles.append(TileItem(
                cls=name, path=path, wid=wid, box=self.rect(widget), route=_route(chain),
                title=_tile_title(widget), clips=list(clips), key=id(widget)))
        scroll = _unproxied(getattr(widget, "scroll", None))  # (a kv id is a weak proxy)
        if isinstance(scroll, ScrollView) and getattr(widget, "shown", False):
            self.cues.add(id(scroll))  # a scroll badge on screen (opacity above 0)
        if isinstance(widget, ScrollView) and widget._viewport is not None:
            scene.scrolls.append(self.scroll_item(widget, name, path, wid, clips))
        if isinstance(widget, KivyImage) and widget.width > 1 and widget.height > 1:
            box = self.rect(widget)
            hidden = _cropped(widget)
            for anc in chain[:-1]:
                self.content.setdefault(id(anc), []).append(box)
                if hidden:
                    self.crops.setdefault(id(anc), []).append((box, hidden))
        if isinstance(widget, StencilView):
            can_x = can_y = False
            if isinstance(widget, ScrollView) and widget._viewport is not None:
                vp = widget._viewport
                can_x = bool(widget.do_scroll_x) and vp.width > widget.width + 1
                can_y = bool(widget.do_scroll_y) and vp.height > widget.height + 1
            clips = clips + [Clip(self.rect(widget), name, can_x, can_y)]
        children = list(reversed(widget.children))
        for child in children:
            cname = type(child).__name__
            same = [c for c in children if type(c).__name__ == cname]
            seg = cname
            cid = self.ids.get(id(child), "")
            if cid:
                seg += f"#{cid}"
            elif len(same) > 1:
                seg += f"[{same.index(child)}]"
            self._walk(child, scene, chain, clips, f"{path}/{seg}" if path else seg,
                       Label, KivyImage, opacity)

    def scroll_item(self, view, name, path, wid, clips) -> ScrollItem:
        vp = view._viewport
        below = 0.0
        if view.do_scroll_y and vp.height > view.height + 1:
            below = max(0.0, (vp.height - view.height) * float(view.scroll_y))
        # a scroll bar a visitor notices without touching the list
        bar = float(view.bar_width) >= 3 and float(view.bar_inactive_color[3]) >= 0.5
        return ScrollItem(cls=name, path=path, wid=wid, box=self.rect(view), below=below,
                          cued=bar, clips=list(clips), key=id(view))

    def text_item(self, label, chain, clips, path, name, wid) -> TextItem:
        label.texture_update()
        core = label._label
        tw, th = label.texture_size
        drawn_x = int(label.center_x - tw / 2.0)
        drawn_y = int(label.center_y - th / 2.0)
        x0, y0 = label.to_window(drawn_x, drawn_y)
        x1, y1 = label.to_window(drawn_x + tw, drawn_y + th)
        drawn = (min(x0, x1), self.h - max(y0, y1), max(x0, x1), self.h - min(y0, y1))
        # the words before the program broke them into lines (TextBlock.raw)
        raw = getattr(label, "raw", "")
        raw = raw if isinstance(raw, str) and raw else label.text
        text = plain_text(raw, label.markup)
        mask, colour = _glyphs(label.texture)
        # the glyphs' own alpha is their coverage (thin strokes never cover a whole pixel):
        # how see-through the text is comes from its colour
        paint = label.disabled_color if label.disabled else label.color
        colour = colour[:3] + ((paint[3] if colour[3] else 0.0),)
        item = TextItem(
            cls=name, path=path, wid=wid, text=text, box=self.rect(label), drawn=drawn,
            mask=mask, colour=colour, font_size=float(label.font_size), bold=bool(label.bold),
            route=_route(chain), parents=self.parents(chain), clips=list(clips),
            shown=(float(tw), float(th)), ancestors=tuple(id(a) for a in chain[:-1]),
        )
        if getattr(core, "is_shortened", False) and label.shorten:
            item.shortened = {"right": "end", "left": "start"}.get(label.shorten_from, "middle")
        shown_text = plain_text(label.text, label.markup).rstrip()
        if shown_text.endswith(ELLIPSES) and not text.rstrip().endswith(ELLIPSES):
            item.ellipsis_added = True
        lines = getattr(core, "_cached_lines", None) or []
        item.lines = ["".join(getattr(w, "text", "") for w in getattr(ln, "words", [])) for ln in lines]
        if label.text_size[1] is not None or getattr(label, "max_lines", 0) or label.shorten:
            item.needed = _needed(label)
        if item.ellipsis_added and raw != label.text:  # shortened by the program (TextBlock):
            item.needed = _needed(label, raw)  # what the whole text would need
        item.missing = _missing(label, plain_text(label.text, label.markup))
        ink = item.ink
        if ink is not None:
            for anc in chain[:-1]:
                self.content.setdefault(id(anc), []).append(ink)
        return item

    def opaque_rects(self, widget) -> list[Rect]:
        """Rectangles the widget paints in an opaque colour (its background, a picture)."""
        from kivy.graphics import Color, Rectangle, RoundedRectangle

        out = []
        alpha = 1.0
        for canvas in (widget.canvas.before, widget.canvas):
            for ins in canvas.children:
                if isinstance(ins, Color):
                    alpha = ins.a
                elif isinstance(ins, (Rectangle, RoundedRectangle)) and alpha >= 0.99:
                    (x, y), (w, h) = ins.pos, ins.size
                    if w >= 1 and h >= 1:
                        x0, y0 = widget.to_window(x, y)
                        x1, y1 = widget.to_window(x + w, y + h)
                        out.append((min(x0, x1), self.h - max(y0, y1), max(x0, x1), self.h - min(y0, y1)))
        return out

    def parents(self, chain) -> list[tuple[str, Rect]]:
        """The layouts that place this label, nearest first, up to the first stencil (a scroll
        view's content may reach past everything above it)."""
        from kivy.uix.layout import Layout
        from kivy.uix.screenmanager import Screen
        from kivy.uix.stencilview import StencilView

        out = []
        for anc in reversed(chain[:-1]):
            if isinstance(anc, StencilView):
                break
            if isinstance(anc, (Layout, Screen)) and anc.width > 0 and anc.height > 0:
                out.append((type(anc).__name__, self.rect(anc)))
        return out


def _cropped(image) -> tuple[float, float, float, float] | None:
    """The shares of a picture drawn to cover its box that the crop hides at its left, top,
    right and bottom (None: drawn whole)."""
    from kiosk.ui.widgets.common import cover_window

    texture = image.texture
    if image.fit_mode != "cover" or texture is None or min(texture.size) <= 0:
        return None
    tw, th = texture.size
    w, h = image.size
    scale = max(w / tw, h / th)
    fx, fy = min(1.0, w / scale / tw), min(1.0, h / scale / th)
    if fx > 0.999 and fy > 0.999:
        return None
    focus = getattr(image, "focus", None)
    left = cover_window(fx, focus[0] if focus else None)
    top = cover_window(fy, focus[1] if focus else None)
    return (left, top, 1 - fx - left, 1 - fy - top)


def _unproxied(obj):
    try:
        return obj.__self__
    except (AttributeError, ReferenceError):
        return obj


def _intersect(a: Rect, b: Rect) -> Rect | None:
    r = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return r if r[2] > r[0] and r[3] > r[1] else None


def _is_tile(widget) -> bool:
    from kiosk.ui.widgets.common import TapArea

    name = type(widget).__name__
    return isinstance(widget, TapArea) or name.endswith(("Tile", "Card"))


def _route(chain) -> str:
    for w in reversed(chain):
        route = getattr(w, "route", None)
        if isinstance(route, str) and route:
            return route
    return ""


def _tile_title(widget) -> str:
    for name in ("title", "label_text", "caption", "text"):
        value = getattr(widget, name, None)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _glyphs(texture):
    """The glyphs' coverage ("L" image, top row first) and their colour: the median of the
    texture's most opaque pixels (r, g, b 0-255; alpha 0-1)."""
    from PIL import ImageStat

    if texture is None or texture.width < 1 or texture.height < 1:
        return None, (0, 0, 0, 0.0)
    rgba = Image.frombytes("RGBA", texture.size, bytes(texture.pixels))
    if texture.tex_coords[1] <= texture.tex_coords[5]:  # row 0 drawn at the bottom
        rgba = rgba.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    alpha = rgba.getchannel("A")
    top = alpha.getextrema()[1]
    if top == 0:
        return alpha, (0, 0, 0, 0.0)
    solid = alpha.point(lambda v: 255 if v >= top * 0.9 else 0)
    median = ImageStat.Stat(rgba.convert("RGB"), mask=solid).median
    return alpha, (median[0], median[1], median[2], top / 255)


def _needed(label, text: str | None = None) -> tuple[float, float] | None:
    """The room the whole text (``text``, default the label's) takes at this label's
    wrapping width, with no line limit, no height limit and no shortening."""
    core = label._label
    options = dict(core.options)
    # a label that shortens keeps to one line (as does a TextBlock of one line): the room it
    # needs is the whole line's width
    one_line = label.shorten or (text is not None and getattr(label, "lines", 0) == 1)
    wrap = label.text_size[0]
    if wrap is None and text is not None:  # a TextBlock breaks its own lines at its width
        pad = label.padding[0] + label.padding[2] if len(label.padding) == 4 else 0
        wrap = label.width - pad
    options.update(shorten=False, max_lines=0,
                   text_size=(None, None) if one_line else (wrap, None))
    try:
        full = type(core)(**options)
        full.text = label.text if text is None else text
        full.resolve_font_name()
        w, h = full.render()
    except Exception:  # a provider that cannot measure this way: no claim made
        return None
    return float(w), float(h)


def _missing(label, text: str) -> str:
    from kiosk.theme import font_chars

    path = label._label.options.get("font_name_r") or label.font_name
    have = font_chars(str(path)) if path else frozenset()
    if not have:
        return ""
    seen: dict[str, None] = {}
    for ch in text:
        if not ch.isspace() and ord(ch) >= 0x20 and ch not in have and ch != "\u200b":
            seen[ch] = None
    return "".join(seen)
