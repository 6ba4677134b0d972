"""Home: the exhibition's title and one large card per section."""

from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty

from kiosk.ui.kv import load_kv
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets import Card


class SectionCard(Card):
    pass


# landscape: the title column's share of the width, in normal text / in 大字
HEADER_WIDTH = {False: 0.34, True: 0.4}
LOGO_SIZE = {True: 2.2, False: 1.3}  # the logo's side in display-font sizes, portrait / landscape
TITLE_ROOM_GAPS = 6  # landscape: the gaps the title column keeps free beside the title


class HomeScreen(KioskScreen):
    title_text = StringProperty("")
    subtitle_text = StringProperty("")
    footer_text = StringProperty("")
    logo = ObjectProperty(None, allownone=True)
    portrait = BooleanProperty(True)
    beside_title = ListProperty([0, 0, 0])  # heights of the logo, subtitle and side footer

    @staticmethod
    def header_hint(portrait: bool, large_text: bool):
        """The title across the top in portrait; a column at the left in landscape."""
        return (1, None) if portrait else (HEADER_WIDTH[large_text], 1)

    @staticmethod
    def head_height(portrait: bool, titles: float, logo: float, spacing: float) -> float:
        """Logo and titles side by side in portrait, one above the other in landscape."""
        return max(titles, logo) if portrait else logo + titles + spacing

    @staticmethod
    def logo_size(logo, portrait: bool, display_font: float):
        if not logo:
            return (0, 0)
        side = display_font * LOGO_SIZE[portrait]
        return (side, side)

    @staticmethod
    def title_room(portrait: bool, header: float, beside, space) -> float:
        """Landscape: the title gets as low as the column has room for (0: no limit)."""
        if portrait:
            return 0
        room = header
        for height in beside:
            room = room - height
        return room - space["gap"] * TITLE_ROOM_GAPS

    def load(self, app, content, route) -> bool:
        super().load(app, content, route)
        site = content.site
        self.title_text = app.t(site.title)
        self.subtitle_text = app.t(site.subtitle)
        self.footer_text = app.t(site.footer)
        self.logo = site.logo
        self.heading = ""
        grid = self.ids.cards
        grid.clear_widgets()
        for section in content.home_sections():
            count = len(section.visible_exhibits())
            sub = app.t(section.subtitle)
            card = SectionCard(
                media=section.cover or _first_picture(section),
                title=app.t(section.title),
                subtitle=sub,
                route=section.route,
                badge=f"{count}",
            )
            card.bind(on_release=lambda c: app.go(c.route))
            grid.add_widget(card)
        return True


def _first_picture(section):
    for exhibit in section.visible_exhibits():
        if exhibit.thumbnail:
            return exhibit.thumbnail
    return None


load_kv(__file__, "home.kv")
