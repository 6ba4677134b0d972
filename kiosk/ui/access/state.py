"""The visitor's accessibility choices, and what they change.

``app.access`` holds them for one visit: larger text (the app's 大字), high contrast
(the high-contrast theme at once), reduced motion (no slides, count-ups or attract
motion), narration on or off and its volume. The idle reset puts every choice back to
kiosk.yaml's ``accessibility:`` defaults for the next visitor.

The app follows ``high_contrast`` and ``reduced_motion`` (``KioskApp``): it shows
:meth:`AccessState.contrast_theme` instead of the theme folder's while high contrast is
on (so a theme reloaded meanwhile is the one that comes back), and cuts between screens
while motion is reduced.
"""

from __future__ import annotations

import logging

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty

from kiosk.a11y.settings import AccessConfig
from kiosk.a11y.speech import engine_path
from kiosk.ui.access.player import Player, audio_output

log = logging.getLogger("kiosk.access")
VOLUME_STEP = 0.1


class AccessState(EventDispatcher):
    menu_open = BooleanProperty(False)
    high_contrast = BooleanProperty(False)
    reduced_motion = BooleanProperty(False)
    narration = BooleanProperty(True)
    volume = NumericProperty(0.8)
    audio = BooleanProperty(False)  # sound can play on this machine
    speech = BooleanProperty(False)  # and the speech engine is installed
    has_narration = BooleanProperty(False)  # the screen shown has recorded narration
    can_read = BooleanProperty(False)  # "read aloud" is offered on this screen
    player = ObjectProperty(None)

    def __init__(self, app, config: AccessConfig | None = None, **kwargs):
        super().__init__(**kwargs)
        self.app = app
        self.config = config or AccessConfig()
        self.player = Player()
        self._contrast_theme = None
        self.focus = None  # kiosk.ui.access.focus.FocusNavigator once installed
        self.reset()

    # ------------------------------------------------------------------ life
    def install(self):
        """Once the app's root exists: find the audio output and the speech engine,
        follow the route, listen to the keyboard."""
        output = audio_output()
        self.audio = output is not None
        self.player.available = self.audio
        engine = engine_path(self.config.speech_engine) if self.config.read_aloud else None
        self.player.speech_engine = engine or ""
        self.speech = bool(engine) and self.audio
        if not self.audio:
            log.warning("no audio output: narration and read-aloud are hidden")
        self.app.bind(route=self._route_changed, lang=self._route_changed,
                      content_version=self._content_changed)
        self._route_changed()
        # bound after the layouts were built, so it runs before Kivy's layouts let go of the
        # app: anything changed later would make them hold on to this app after it stopped
        self.app.fbind("on_stop", self._stopping)
        if self.config.keyboard:
            from kiosk.ui.access.focus import FocusNavigator

            self.focus = FocusNavigator(self.app)
            self.focus.install()

    def _stopping(self, *_):
        self.player.stop()
        self.menu_open = False
        if self.focus is not None:
            self.focus.remove()
            self.focus = None

    def remove(self):
        self._stopping()
        self.app.funbind("on_stop", self._stopping)
        self.app.unbind(route=self._route_changed, lang=self._route_changed,
                        content_version=self._content_changed)
        if self.focus is not None:
            self.focus.remove()

    def reset(self, keep_motion: bool = False):
        """Back to the defaults for the next visitor (the idle reset calls this).

        ``keep_motion``: a visitor's reduced motion stays until the next touch, so the attract
        loop that follows them stays still too (``reset_motion`` then)."""
        c = self.config
        self.player.stop()
        self.menu_open = False
        self.high_contrast = False
        if not keep_motion:
            self.reset_motion()
        self.narration = bool(c.narration)
        self.volume = min(1.0, max(0.0, float(c.volume)))
        if self.focus is not None:
            self.focus.clear()

    def reset_motion(self):
        self.reduced_motion = bool(self.config.reduced_motion)

    def status(self) -> dict:
        return {"audio": self.audio, "speech": self.speech, "high_contrast": self.high_contrast,
                "reduced_motion": self.reduced_motion, "narration": self.narration,
                "volume": round(self.volume, 2), "playing": self.player.kind or None}

    # --------------------------------------------------------------- choices
    def toggle_menu(self):
        self.menu_open = not self.menu_open

    def toggle_high_contrast(self):
        self.high_contrast = not self.high_contrast

    def toggle_reduced_motion(self):
        self.reduced_motion = not self.reduced_motion

    def toggle_narration(self):
        self.narration = not self.narration

    def louder(self):
        self.volume = min(1.0, round(self.volume + VOLUME_STEP, 2))

    def quieter(self):
        self.volume = max(0.0, round(self.volume - VOLUME_STEP, 2))

    def on_volume(self, *_):
        self.player.volume = self.volume

    def on_narration(self, *_):
        if not self.narration:
            self.player.stop()
        self._update_offers()

    def contrast_theme(self):
        """The high-contrast theme (kiosk.yaml's ``accessibility.high_contrast_theme``),
        read once; None when it cannot be found."""
        if self._contrast_theme is None:
            from kiosk.theme import find_theme, load_theme

            cfg = self.app.kiosk_config
            folder = find_theme(self.config.high_contrast_theme, cfg.path(cfg.themes_dir))
            if folder is None:
                log.error("high-contrast theme %r not found", self.config.high_contrast_theme)
                return None
            self._contrast_theme = load_theme(folder)[0]
        return self._contrast_theme

    # --------------------------------------------------------------- sound
    def exhibit(self):
        app = self.app
        if app.content is None or not app.route.startswith("exhibit/"):
            return None
        target = app.content.resolve(app.route)
        return target if getattr(target, "kind", "") == "page" else None

    def narration_file(self):
        """The recorded narration of the screen shown, in the visitor's language (or None)."""
        ex = self.exhibit()
        if ex is None:
            return None
        tracks = dict(getattr(ex, "narration", ()))
        return tracks.get(self.app.lang)

    def listen(self) -> bool:
        """Play the screen's recorded narration, or failing that read it aloud."""
        if not self.narration:
            return False
        media = self.narration_file()
        if media is not None:
            return self.player.play_file(media.path, kind="narration")
        return self.read_aloud()

    def read_aloud(self) -> bool:
        """Recorded narration first; otherwise the speech engine reads the screen."""
        if not self.narration:
            return False
        media = self.narration_file()
        if media is not None:
            return self.player.play_file(media.path, kind="narration")
        from kiosk.ui.access.reading import screen_text

        return self.player.speak(screen_text(self.app), self.app.lang)

    def _route_changed(self, *_):
        self.player.stop()  # leaving a page (or changing its language) ends its sound
        self.menu_open = False
        if self.focus is not None:
            self.focus.clear()
        self._update_offers()
        from kivy.clock import Clock

        Clock.schedule_once(self._attach_captions, 0)

    def _content_changed(self, *_):
        from kivy.clock import Clock

        self._update_offers()
        Clock.schedule_once(self._attach_captions, 0)

    def _update_offers(self, *_):
        narration = self.narration_file() is not None
        self.has_narration = narration and self.audio and self.narration
        self.can_read = self.narration and (self.has_narration or self.speech) \
            and self.app.route not in ("attract",)

    def _attach_captions(self, *_):
        from kiosk.ui.access.captions import attach_captions

        manager = self.app.manager
        ex = self.exhibit()
        if manager is not None and ex is not None:
            attach_captions(manager.current_screen, ex, self.app.lang)
