"""honors: a wall of award cards; a tapped card opens large over the wall.

A section with layout ``honors`` shows every honors exhibit it holds, one wall
each under its own heading; an ``exhibit/...`` route of kind ``honors`` shows
just that wall. Each award is a :class:`HonorCard` (certificate-like: cream
card, gold frame, year badge, title, issuer, picture). Tapping one opens a
:class:`HonorDetail` overlay inside the screen with the large picture, the
full title, issuer, year and description; a tap outside the panel or on the
close button closes it.
"""

from __future__ import annotations

from kivy.animation import Animation
from kivy.clock import Clock
from kivy.properties import (
    AliasProperty,
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout

from kiosk.content.model import Honor
from kiosk.ui.kv import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.stats import add_links, balanced
from kiosk.ui.widgets import KLabel, RowFitGrid, TapArea

FADE_SECONDS = 0.2
CARD_PICTURE_HEIGHT = 0.6  # a card's picture, height / width
# the open award's panel, in portrait / in landscape
PANEL_WIDTH = {True: 0.86, False: 0.8}  # at most this share of the screen's width
PANEL_SPACING = {True: 0.7, False: 1.4}  # in gaps, between picture and words
PANEL_PADDING = 0.8  # in margins
WORDS_SPACING = 0.7  # in gaps, between the lines of words (year, title, description, close)
DETAIL_PICTURE = 0.62  # portrait: the picture's height / width at most ...
DETAIL_PICTURE_TALL = 0.42  # ... and this share of the screen above the bar
LANDSCAPE_PICTURE = 0.66  # landscape: the panel is at least this share of the picture's width


class HonorYear(KLabel):
    """The year on an award: a round badge, no size without one."""


class HonorCard(TapArea):
    """One award on the wall."""

    honor = ObjectProperty(None, allownone=True)
    media = ObjectProperty(None, allownone=True)
    title = StringProperty("")
    title_lines = StringProperty("")  # the title broken into even lines (no lone last character)
    year = StringProperty("")
    issuer = StringProperty("")

    def __init__(self, **kwargs):
        self._rewrap = Clock.create_trigger(self._wrap, -1)
        super().__init__(**kwargs)
        self.fbind("width", self._rewrap)
        self.fbind("title", self._rewrap)
        self._wrap()

    def _wrap(self, *_):
        label = self.ids.title
        width = self.width - self.padding[0] - self.padding[2] - 2
        self.title_lines = balanced(self.title, width, label.font_name, label.font_size, True)

    @staticmethod
    def picture_height(width: float, media) -> float:
        return width * CARD_PICTURE_HEIGHT if media else 0


class HonorsGrid(RowFitGrid):
    """Cards in a grid; each row as high as its tallest one needs."""


class HonorsBoard(BoxLayout):
    """A heading, a short line and the wall of cards."""

    title = StringProperty("")
    summary = StringProperty("")


class HonorDetail(FloatLayout):
    """The enlarged award over a dimmed screen.

    Touches never reach the wall below. A tap that starts and ends outside
    the panel closes it, as does the close button.
    """

    honor = ObjectProperty(None, allownone=True)
    media = ObjectProperty(None, allownone=True)
    title = StringProperty("")
    year = StringProperty("")
    issuer = StringProperty("")
    description = StringProperty("")
    portrait = BooleanProperty(True)
    text_height = NumericProperty(0)  # what the words need, the description unscrolled
    space = DictProperty({})  # the app's spacing (app.space)
    picture_size = ListProperty([0, 0])

    @staticmethod
    def words_height(*heights_and_space) -> float:
        """The words' column unscrolled: its parts' heights and the spacing between them."""
        *heights, space = heights_and_space
        return sum(heights) + space["gap"] * WORDS_SPACING * (len(heights) - 1)

    def _get_orientation(self):
        return "vertical" if self.portrait else "horizontal"

    panel_orientation = AliasProperty(_get_orientation, None, bind=("portrait",))

    def _get_padding(self):
        return self.space.get("margin", 0) * PANEL_PADDING

    panel_padding = AliasProperty(_get_padding, None, bind=("space",))

    def _get_spacing(self):
        return self.space.get("gap", 0) * PANEL_SPACING[self.portrait]

    panel_spacing = AliasProperty(_get_spacing, None, bind=("space", "portrait"))

    def _get_panel_size(self):
        """As wide as the screen allows; as high as picture and words need, within the
        screen above the bar."""
        space = self.space
        if not space:
            return (100, 100)
        width = min(self.width - space["margin"] * 2, self.width * PANEL_WIDTH[self.portrait])
        pad = self.panel_padding
        picture_w, picture_h = self.picture_size
        if self.portrait:
            inner = (picture_h + self.panel_spacing if self.media else 0) + self.text_height
        else:
            inner = max(picture_w * LANDSCAPE_PICTURE if self.media else 0, self.text_height)
        height = min(self.height - space["bar"] - space["margin"] * 2, pad + pad + inner)
        return (width, height)

    panel_size = AliasProperty(_get_panel_size, None, bind=(
        "size", "portrait", "media", "picture_size", "text_height", "space"))

    def _get_panel_pos(self):
        """Centred across, and in the height above the bar."""
        bar = self.space.get("bar", 0)
        width, height = self.panel_size
        return (self.center_x - width / 2, self.y + bar + (self.height - bar - height) / 2)

    panel_pos = AliasProperty(_get_panel_pos, None, bind=("pos", "size", "panel_size", "space"))

    def _get_picture_hint(self):
        if self.portrait:
            return (1, None)
        return (0.5, 1) if self.media else (None, 1)

    picture_hint = AliasProperty(_get_picture_hint, None, bind=("portrait", "media"))

    def _get_picture_height(self):
        if not self.portrait:
            return self.picture_size[1]  # the panel's height (its size hint)
        if not self.media:
            return 0
        tall = (self.height - self.space.get("bar", 0)) * DETAIL_PICTURE_TALL
        return min(self.picture_size[0] * DETAIL_PICTURE, tall)

    detail_picture_height = AliasProperty(_get_picture_height, None, bind=(
        "portrait", "media", "height", "picture_size", "space"))

    def _get_text_hint_x(self):
        return 0.5 if self.media and not self.portrait else 1

    text_hint_x = AliasProperty(_get_text_hint_x, None, bind=("portrait", "media"))

    def on_opacity(self, *_):
        # a picture only loads once seen: opened faded out, it asks again as it fades in
        picture = self.ids.get("picture")
        if picture is not None and picture.empty and self.opacity > 0:
            picture._changed()

    def __init__(self, on_close=None, **kwargs):
        self._on_close = on_close
        super().__init__(**kwargs)

    def on_touch_down(self, touch):
        if self.ids.panel.collide_point(*touch.pos):
            super().on_touch_down(touch)
        else:
            touch.ud["honor_outside"] = True
        return True

    def on_touch_move(self, touch):
        super().on_touch_move(touch)
        return True

    def on_touch_up(self, touch):
        if touch.ud.get("honor_outside") and not self.ids.panel.collide_point(*touch.pos):
            self.close()
            return True
        super().on_touch_up(touch)
        return True

    def close(self):
        if self._on_close is not None:
            self._on_close()


class HonorsScreen(KioskScreen):
    title_text = StringProperty("")
    subtitle_text = StringProperty("")
    intro_text = StringProperty("")
    detail = ObjectProperty(None, allownone=True)  # the open HonorDetail, if any

    @staticmethod
    def intro_line(intro: str, hint: str) -> str:
        """The section's introduction, then how to open an award."""
        return intro + "  " + hint if intro else hint

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._app = None
        self.cards: list[HonorCard] = []

    def load(self, app, content, route) -> bool:
        super().load(app, content, route)
        walls = self.exhibits_of_kind(app, content, route, "honors")
        if walls is None:
            return False
        self.heading = self.title_text
        self._app = app
        reopen = self.detail.honor if self.detail is not None else None
        self.close_honor(animate=False)
        box = self.ids.boards
        box.clear_widgets()
        self.cards = []
        single = route.startswith("exhibit/")
        for exhibit in walls:
            board = HonorsBoard(
                title="" if single else app.t(exhibit.title),
                summary="" if single else app.t(exhibit.summary),
            )
            for honor in exhibit.honors:
                board.ids.grid.add_widget(self._card(app, honor))
            box.add_widget(board)
        if not single:
            add_links(app, box, content.section(route.split("/")[1]), "honors")
        if reopen is not None and any(c.honor == reopen for c in self.cards):
            self.open_honor(reopen, animate=False)  # same award, new language or size
        return True

    def _card(self, app, honor: Honor) -> HonorCard:
        card = HonorCard(
            honor=honor,
            media=honor.image,
            title=app.t(honor.title),
            year=str(honor.year or ""),
            issuer=app.t(honor.issuer),
        )
        card.bind(on_release=lambda c: self.open_honor(c.honor))
        self.cards.append(card)
        return card

    # -------------------------------------------------------------- overlay
    def open_honor(self, honor: Honor, animate: bool = True):
        """Show ``honor`` large over the wall."""
        app = self._app
        self.close_honor(animate=False)
        detail = HonorDetail(
            on_close=self.close_honor,
            honor=honor,
            media=honor.image,
            title=app.t(honor.title),
            year=str(honor.year or ""),
            issuer=app.t(honor.issuer),
            description=app.t(honor.description),
        )
        self.detail = detail
        self.add_widget(detail)
        if animate:
            detail.opacity = 0
            Animation(opacity=1, d=FADE_SECONDS, t="out_quad").start(detail)

    def close_honor(self, animate: bool = True):
        detail = self.detail
        if detail is None:
            return
        self.detail = None
        Animation.cancel_all(detail)
        if animate and detail.parent is not None:
            anim = Animation(opacity=0, d=FADE_SECONDS, t="out_quad")
            anim.bind(on_complete=lambda *_: self._drop(detail))
            detail.disabled = True  # no second tap while it fades
            anim.start(detail)
        else:
            self._drop(detail)

    def _drop(self, detail):
        if detail.parent is self:
            self.remove_widget(detail)

    def settle(self):
        """Finish any fade: the open award (if any) fully shown."""
        for child in list(self.children):
            if isinstance(child, HonorDetail):
                Animation.cancel_all(child)
                if child is self.detail:
                    child.opacity = 1
                else:
                    self._drop(child)

    def on_pre_enter(self, *args):
        self.ids.scroll.scroll_y = 1

    def on_leave(self, *args):
        self.close_honor(animate=False)


load_kv(__file__, "honors.kv")
