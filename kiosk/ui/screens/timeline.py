"""timeline: a section's exhibits in date order along a horizontal gold line.

The line runs across the screen with a year marker where a new year begins;
the exhibits hang above and below it in turn, so neighbours can overlap
sideways and the line stays dense. Visitors drag it sideways (with inertia) and
tap a card to open the exhibit. Exhibits without a date come last, after an
"Other" marker.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.graphics import Color, Ellipse, InstructionGroup, Rectangle
from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty
from kivy.uix.label import Label
from kivy.uix.relativelayout import RelativeLayout

from kiosk.ui.kv import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.exhibit import WrapLabel  # noqa: F401  (timeline.kv uses it)
from kiosk.ui.widgets import TapArea

CARD_SHARE_PORTRAIT = 0.58  # card width as a share of the visible width
CARD_SHARE_LANDSCAPE = 0.27
STANDING_PICTURE = 0.6  # a standing card's picture, at most this share of its height
LYING_PICTURE = 0.4  # a lying card's picture, this share of its width
HEAD_SPACING = {True: 0.2, False: 1}  # title to drag hint, in gaps: portrait / landscape
STEP = 0.56  # distance between neighbouring cards, in card widths (they alternate sides)


def timeline_order(exhibits):
    """Dated exhibits by date (ties keep the section's order), then the undated ones."""
    dated = sorted((ex for ex in exhibits if ex.date), key=lambda ex: ex.date.sort_key)
    return dated + [ex for ex in exhibits if not ex.date]


def marker_texts(exhibits, lang: str, undated: str) -> list[str]:
    """For each exhibit in order: the marker on the line at its place ("" for none).

    A year is shown where it first appears; the undated group gets ``undated``.
    """
    out, last = [], None
    for ex in exhibits:
        key = ex.date.year if ex.date else None
        if key == last and out:
            out.append("")
            continue
        last = key
        if key is None:
            out.append(undated)
        else:
            out.append(f"{key}年" if lang == "zh" else str(key))
    return out


class TimelineCard(TapArea):
    """One exhibit on the line."""

    media = ObjectProperty(None, allownone=True)
    title = StringProperty("")
    summary = StringProperty("")
    date = StringProperty("")
    route = StringProperty("")
    vertical = BooleanProperty(True)  # picture above the text (portrait) or beside it
    above = BooleanProperty(True)  # the card hangs above the line

    @staticmethod
    def picture_hint(vertical: bool):
        """Standing: the picture across the top; lying: a share of the card at its left."""
        return (1, None) if vertical else (LYING_PICTURE, 1)

    @staticmethod
    def picture_height(height: float, padding, spacing: float, date: float, title: float) -> float:
        """Standing: a share of the card, less when the date and the title need the room."""
        room = height - padding[1] - padding[3] - date - title - spacing * 2
        return max(0, min(height * STANDING_PICTURE, room))


class YearMarker(Label):
    """The year written on the line, in a gold pill."""


class TimelineTrack(RelativeLayout):
    """What scrolls: the line, the markers and the cards, placed by the screen."""

    line_y = ObjectProperty(0.0)
    line_color = ListProperty([1, 1, 1, 1])


class TimelineScreen(KioskScreen):
    title_text = StringProperty("")
    subtitle_text = StringProperty("")
    hint_text = StringProperty("")
    empty_text = StringProperty("")
    portrait = BooleanProperty(True)
    intro = ObjectProperty(None, allownone=True)

    @staticmethod
    def head_height(portrait: bool, title: float, hint: float, hint_text: str, spacing: float) -> float:
        """Portrait: the drag hint on a line of its own under the title; landscape: beside it."""
        return title + (hint + spacing if portrait and hint_text else 0)

    @staticmethod
    def head_spacing(portrait: bool, space) -> float:
        return space["gap"] * HEAD_SPACING[portrait]

    @staticmethod
    def hint_line(hint: str) -> str:
        """The drag hint between arrows pointing both ways."""
        return f"‹  {hint}  ›" if hint else ""


    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.swipe_back = False  # sideways drags move the timeline (the left edge still goes back)
        self.items: list[dict] = []  # every exhibit on the line, in order
        self.cards: list[TimelineCard] = []  # the cards built now (near the view), in order
        self.markers: list[YearMarker] = []  # their markers, in the same order
        self._built: dict[int, tuple[TimelineCard, YearMarker]] = {}
        self._spare: list[tuple[TimelineCard, YearMarker]] = []
        self._geometry = None  # (first x, step, card width, card height, pad, line y, portrait)
        self._app = None
        self._layout_trigger = Clock.create_trigger(self._layout, -1)
        self._links = InstructionGroup()
        self.ids.track.canvas.before.add(self._links)
        self.ids.scroll.bind(size=self._relayout)
        self.ids.scroll.fbind("scroll_x", self._show_near)

    def on_size(self, *_):
        self.portrait = self.height >= self.width
        self._relayout()

    def _relayout(self, *_):
        self._layout_trigger.cancel()
        self._layout_trigger()

    def load(self, app, content, route) -> bool:
        super().load(app, content, route)
        section = self.load_section(app, content, route)
        if section is None:
            return False
        self._app = app
        self.fill_intro(app, content, section)
        for i in list(self._built):
            self._release(i)
        exhibits = timeline_order(section.visible_exhibits())
        self.items = [
            {"media": exhibit.thumbnail, "title": app.t(exhibit.title),
             "summary": app.t(exhibit.summary),
             "date": exhibit.date.label(app.lang) if exhibit.date else "",
             "route": exhibit.route, "marker": marker}
            for exhibit, marker in zip(
                exhibits, marker_texts(exhibits, app.lang, app.ui("undated")), strict=True)
        ]
        self.hint_text = app.ui("drag_hint") if len(exhibits) > 1 else ""
        self.empty_text = "" if exhibits else app.ui("no_items")
        self.portrait = self.height >= self.width
        self.ids.scroll.scroll_x = 0
        self._layout()
        return True

    # ------------------------------------------------- cards near the view
    # Only the cards within a screen's width of the view exist as widgets; the
    # others are built as the line is dragged towards them, and given back when
    # it moves away, so a section of hundreds of exhibits costs what a few do.
    def _build(self, i: int) -> None:
        item = self.items[i]
        if self._spare:
            card, marker = self._spare.pop()
        else:
            card, marker = TimelineCard(), YearMarker()
            card.bind(on_release=self._open)
        card.media, card.title, card.summary = item["media"], item["title"], item["summary"]
        card.date, card.route = item["date"], item["route"]
        marker.text = item["marker"]
        marker.opacity = 1 if item["marker"] else 0
        self.ids.track.add_widget(card)
        self.ids.track.add_widget(marker)
        self._built[i] = (card, marker)
        self._place(i)

    def _release(self, i: int) -> None:
        card, marker = self._built.pop(i)
        self.ids.track.remove_widget(card)
        self.ids.track.remove_widget(marker)
        card.media = None
        self._spare.append((card, marker))

    def _open(self, card) -> None:
        if self._app is not None:
            self._app.go(card.route)

    def near(self, scroll_x: float | None = None) -> range:
        """The indices of the exhibits within a screen's width of the view."""
        if self._geometry is None or not self.items:
            return range(0)
        first, step, card_w = self._geometry[:3]
        scroll = self.ids.scroll
        view_w = scroll.width
        slack = max(self.ids.track.width - view_w, 0)
        left = slack * (scroll.scroll_x if scroll_x is None else scroll_x)
        lo = int((left - view_w - card_w - first) // step) + 1
        hi = int((left + 2 * view_w - first) // step) + 1
        return range(max(lo, 0), min(hi, len(self.items)))

    def _show_near(self, *_):
        wanted = self.near()
        for i in [i for i in self._built if i not in wanted]:
            self._release(i)
        for i in wanted:
            if i not in self._built:
                self._build(i)
        order = sorted(self._built)
        self.cards = [self._built[i][0] for i in order]
        self.markers = [self._built[i][1] for i in order]

    # -------------------------------------------------------------- layout
    def _layout(self, *_):
        """Place the cards alternately above and below the line, left to right."""
        app, scroll, track = self._app, self.ids.scroll, self.ids.track
        if app is None or scroll.width < 10 or scroll.height < 10:
            return
        portrait = self.height >= self.width
        margin, gap = app.space["margin"], app.space["gap"]
        view_w, h = scroll.width, scroll.height
        card_w = view_w * (CARD_SHARE_PORTRAIT if portrait else CARD_SHARE_LANDSCAPE)
        step = card_w * STEP
        zone = app.font["subheading"] * 2.4  # room for the year pills on the line
        line_y = round(h / 2)
        card_h = max(line_y - zone / 2 - gap * 0.6, 10)
        if portrait:
            card_h = min(card_h, card_w * 0.88)  # no tall empty cards on a tall screen
        pad = line_y - zone / 2 - card_h  # keeps the cards off the scroll bar and the header
        n = len(self.items)
        track.width = max(view_w, margin * 2 + card_w + step * max(n - 1, 0))
        track.line_y = line_y
        track.line_color = list(app.colors["accent"])
        self._geometry = (margin, step, card_w, card_h, pad, line_y, portrait)
        self._links.clear()
        self._links.add(Color(*app.colors["accent"]))
        for i in range(n):
            x, y = self._card_pos(i)
            anchor = x + card_w / 2
            edge = y if i % 2 == 0 else y + card_h
            self._links.add(Rectangle(pos=(anchor - 1.5, min(edge, line_y)),
                                      size=(3, abs(edge - line_y))))
            r = gap * 0.35
            self._links.add(Ellipse(pos=(anchor - r, line_y - r), size=(2 * r, 2 * r)))
        for i in self._built:
            self._place(i)
        self._show_near()

    def _card_pos(self, i: int) -> tuple[float, float]:
        first, step, _card_w, card_h, pad, _line_y, _portrait = self._geometry
        h = self.ids.scroll.height
        x = first + i * step
        return (x, h - pad - card_h) if i % 2 == 0 else (x, pad)

    def _place(self, i: int) -> None:
        if self._geometry is None:
            return
        _first, _step, card_w, card_h, _pad, line_y, portrait = self._geometry
        card, marker = self._built[i]
        card.vertical = portrait
        card.above = i % 2 == 0
        card.size = (card_w, card_h)
        card.pos = self._card_pos(i)
        gap = self._app.space["gap"]
        marker.texture_update()
        marker.size = (marker.texture_size[0] + gap * 1.4, marker.texture_size[1] + gap * 0.5)
        marker.center = (card.x + card_w / 2, line_y)

    def settle(self):
        """Stop any glide or bounce and rest inside the timeline's ends."""
        scroll = self.ids.scroll
        effect = scroll.effect_x
        if effect is not None:
            effect.velocity = 0
            effect.cancel()
        scroll.scroll_x = min(max(scroll.scroll_x, 0.0), 1.0)
        if effect is not None:
            effect.value = (scroll.width - scroll.viewport_size[0]) * scroll.scroll_x
        scroll.update_from_scroll()


load_kv(__file__, "timeline.kv")
