"""exhibit: one Markdown exhibit as a page — title, date, summary, pictures, video and body.

Portrait: everything in one column (title, main picture, video, body, more
pictures). Landscape: the title across the top, pictures and video on the left,
the body on a cream card on the right. The whole page scrolls vertically.

The Markdown look it shares with the other screens (``markdown_style(app)``,
``image_resolver(content, source)``) is in :mod:`kiosk.ui.screens.markdown_look`.
"""

from __future__ import annotations

from kivy.core.window import Window
from kivy.factory import Factory
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.a11y.settings import reading_width
from kiosk.ui.geometry import BODY_CARD_PADDING
from kiosk.ui.kv import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.markdown_look import image_resolver, markdown_style
from kiosk.ui.widgets import TextBlock
from kiosk.ui.widgets.common import PICTURE_ASPECT
from kiosk.ui.widgets.video import VideoBlock

LANDSCAPE_MEDIA_SHARE = 0.42  # width of the picture column in landscape
LANDSCAPE_TEXT_SHARE = round(1 - LANDSCAPE_MEDIA_SHARE, 6)  # ... and of the body's column
TEXT_ONLY_INDENT = 0.12  # landscape without pictures: the body is indented this share each side
HERO_MIN_RATIO = 0.2  # the main picture is at most 1 / this times as high as wide ...
HERO_MAX_HEIGHT = 0.5  # ... and at most this share of the screen's height
HERO_PLACEHOLDER = 0.5  # its box until it is decoded, height / width
MORE_COLUMNS = {True: 3, False: 2}  # further pictures a row, in portrait / in landscape


def split_pictures(exhibit):
    """(main picture, the other pictures): the cover, or else the first image, leads."""
    images = list(exhibit.images)
    hero = exhibit.cover or (images[0] if images else None)
    if hero is not None and not hero.caption:
        # a cover that is also in the image list takes that image's caption
        hero = next((m for m in images if m.src == hero.src), hero)
    rest = [m for m in images if hero is None or m.src != hero.src]
    return hero, rest


# ------------------------------------------------------------------ widgets


# a paragraph of a page (a summary): the same widget as every title, under the name the
# layouts give it
WrapLabel = TextBlock
Factory.register("WrapLabel", cls=TextBlock)


class ExhibitFigure(BoxLayout):
    """One of the further pictures: the picture with its caption under it."""

    media = ObjectProperty(None, allownone=True)
    caption = StringProperty("")

    @staticmethod
    def picture_height(width: float) -> float:
        return width / PICTURE_ASPECT


class ColumnSpacer(Widget):
    """Takes up whatever height a column has beyond its content."""


class ExhibitScreen(KioskScreen):
    title_text = StringProperty("")
    date_text = StringProperty("")
    summary_text = StringProperty("")
    hero = ObjectProperty(None, allownone=True)
    hero_caption = StringProperty("")
    more_title = StringProperty("")
    has_media = BooleanProperty(False)
    has_body = BooleanProperty(False)
    portrait = BooleanProperty(True)
    video = ObjectProperty(None, allownone=True)  # the VideoBlock, if the exhibit has a video
    body = ObjectProperty(None, allownone=True)  # the rendered Markdown

    # ---------------------------------------------------------------- layout
    @staticmethod
    def media_share(portrait: bool, has_media: bool) -> float:
        """The picture column's width hint: the page in portrait, a share of it in landscape."""
        if portrait:
            return 1
        return LANDSCAPE_MEDIA_SHARE if has_media else 0

    @staticmethod
    def text_share(portrait: bool, has_media: bool) -> float:
        return 1 if (portrait or not has_media) else LANDSCAPE_TEXT_SHARE

    @staticmethod
    def body_card_width(column_width: float, lang: str, body_px: float, gap: float) -> float:
        """The body card fills its column, except where the text would run past the measure
        (Latin letters: about 50 characters a line); then it is as wide as the measure."""
        pad = gap * BODY_CARD_PADDING
        return min(column_width, reading_width(column_width - 2 * pad, body_px, lang) + 2 * pad)

    @staticmethod
    def columns_padding(width: float, portrait: bool, has_media: bool) -> list:
        """Landscape without pictures: the body alone, indented from both sides."""
        if portrait or has_media:
            return [0, 0, 0, 0]
        return [width * TEXT_ONLY_INDENT, 0, width * TEXT_ONLY_INDENT, 0]

    @staticmethod
    def fit_height(portrait: bool, media_height: float, text_height: float,
                   spacing: float) -> float:
        """One above the other in portrait (the spacing is 0 without pictures); side by
        side, the taller one, in landscape."""
        if portrait:
            return media_height + text_height + spacing
        return max(media_height, text_height)

    @staticmethod
    def hero_height(hero, empty: bool, width: float, ratio: float, screen_height: float) -> float:
        """The main picture at its shape, within a share of the screen's height."""
        if not hero:
            return 0
        if empty:
            return width * HERO_PLACEHOLDER
        return min(width / max(ratio, HERO_MIN_RATIO), screen_height * HERO_MAX_HEIGHT)

    @staticmethod
    def more_columns(count: int, portrait: bool) -> int:
        return max(1, min(count, MORE_COLUMNS[portrait]))

    def on_size(self, *_):
        portrait = self.height >= self.width
        if portrait != self.portrait:
            self.portrait = portrait
            self._arrange()

    def load(self, app, content, route) -> bool:
        super().load(app, content, route)
        section, exhibit = self.section_and_exhibit(content, route)
        if section is None or exhibit is None:
            return False
        self.heading = app.t(section.title)
        self.title_text = app.t(exhibit.title)
        self.date_text = exhibit.date.label(app.lang) if exhibit.date else ""
        self.summary_text = app.t(exhibit.summary)
        hero, rest = split_pictures(exhibit)
        self.hero = hero
        self.hero_caption = app.t(hero.caption) if hero else ""
        self._fill_video(app, exhibit)
        self._fill_body(app, content, exhibit)
        self._fill_more(app, rest)
        self.has_media = bool(hero or self.video or rest)
        self.portrait = self.height >= self.width
        self._arrange()
        self.ids.scroll.scroll_y = 1
        return True

    # --------------------------------------------------------------- parts
    def _fill_video(self, app, exhibit):
        box = self.ids.video_box
        if self.video is not None:
            self.video.release()
        box.clear_widgets()
        self.video = None
        if exhibit.video is None:
            return
        self.video = VideoBlock(media=exhibit.video, caption=app.t(exhibit.video.caption))
        box.add_widget(self.video)

    def _fill_body(self, app, content, exhibit):
        from kiosk.ui.markdown import build_markdown

        holder = self.ids.body_holder
        holder.clear_widgets()
        text = app.t(exhibit.body).strip()
        self.has_body = bool(text)
        self.body = None
        if not text:
            return
        width = self._body_width(app)
        self.body = build_markdown(text, markdown_style(app), image_resolver(content, exhibit.source, app.lang),
                                   width_hint=width)
        holder.add_widget(self.body)

    def _body_width(self, app) -> float:
        w = Window.width - 2 * app.space["margin"] - 2 * BODY_CARD_PADDING * app.space["gap"]
        if Window.width > Window.height:
            w = (w - 1.5 * app.space["gap"]) * LANDSCAPE_TEXT_SHARE
        return max(reading_width(w, app.font["body"], app.lang), 100.0)

    def _fill_more(self, app, rest):
        grid = self.ids.more
        grid.clear_widgets()
        self.more_title = app.ui("more_pictures") if rest else ""
        for media in rest:
            grid.add_widget(ExhibitFigure(media=media, caption=app.t(media.caption)))

    def _arrange(self):
        """More pictures: under the body in portrait, in the picture column in landscape.

        Each column ends with a stretchable spacer so that, when the other
        column is taller, its content stays at the top.
        """
        more = self.ids.more_box
        target = self.ids.text_col if self.portrait else self.ids.media_col
        if more.parent is not target:
            if more.parent is not None:
                more.parent.remove_widget(more)
            target.add_widget(more)
        for col in (self.ids.media_col, self.ids.text_col):
            spacers = [w for w in col.children if isinstance(w, ColumnSpacer)]
            for w in spacers:
                col.remove_widget(w)
            col.add_widget(ColumnSpacer())

    def opaque_parts(self) -> list:
        """What on this page hides the theme's background (kiosk.ui.occlusion): the main
        picture and the body's card (all but its rounded corners, when the theme's card
        colour is opaque)."""
        from kivy.app import App

        from kiosk.ui.occlusion import card_areas

        app = App.get_running_app()
        hero, card = self.ids.hero, self.ids.body_card
        parts = [(hero, hero.opaque_areas())] if self.hero else []
        if self.has_body and app is not None and app.colors["card"][3] >= 1:
            parts.append((card, card_areas(card.pos, card.size, app.space["radius"])))
        return parts

    def on_leave(self, *_):
        if self.video is not None:
            self.video.stop()


load_kv(__file__, "exhibit.kv")
