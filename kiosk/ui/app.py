"""The kiosk application: holds the current content snapshot and navigates between screens.

Screens never read files: they get the snapshot (``app.content``) and a route.
Everything the layouts need to size and colour themselves comes from the app's
``colors``, ``font`` and ``space`` dictionaries, which follow the theme, the
window size and the large-text switch.
"""

from __future__ import annotations

import logging
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.screenmanager import FadeTransition, ScreenManager, SlideTransition
from kivy.utils import escape_markup

from kiosk import recovery, videocheck
from kiosk.config import Config
from kiosk.content.model import Content, Text
from kiosk.metrics import write_app_metrics
from kiosk.schedule import ScheduleRefresher
from kiosk.status import build_status, write_status
from kiosk.ui import style, textmeasure
from kiosk.ui.access.state import AccessState
from kiosk.ui.analytics_hooks import attach_analytics
from kiosk.ui.framesync import FrameSync
from kiosk.ui.guard import ScreenGuard
from kiosk.ui.idle import IdleController
from kiosk.ui.kv import load_kv  # noqa: F401  (its old home; import it from kiosk.ui.kv)
from kiosk.ui.memory import MemoryTrim
from kiosk.ui.navigation import History, route_exists
from kiosk.ui.screens import create_screen, screen_key
from kiosk.ui.tour_control import TourControl

log = logging.getLogger("kiosk.app")

LARGE_TEXT_SCALE = 1.4
# Screens kept alive besides Home and the current one: the way back first, then the
# most recently shown. Each costs its widgets and text textures, so keep it small.
SCREEN_CACHE = 3
STATUS_EVERY = 5.0  # seconds


class KioskApp(App):
    content = ObjectProperty(None, allownone=True)
    theme = ObjectProperty(None, allownone=True)
    lang = StringProperty("zh")
    large_text = BooleanProperty(False)
    text_scale = NumericProperty(1.0)
    mode = StringProperty("browse")
    route = StringProperty("home")
    content_version = NumericProperty(0)
    colors = DictProperty()
    font = DictProperty()
    space = DictProperty()
    font_name = StringProperty("Roboto")
    background_image = StringProperty("")  # the theme's picture behind every screen
    background_ratio = NumericProperty(0.5625)  # its width / height
    # State the services share, declared here so that each can bind to it and none has to
    # guess whether it exists (docs/architecture.md):
    manager = ObjectProperty(None, allownone=True)  # the ScreenManager, once built
    content_errors = ListProperty()  # errors in the content on screen, for staff
    content_changed_at = NumericProperty(0)  # wall-clock time the content last changed
    tour_completed = BooleanProperty(False)  # the last tour ended with Finish on its last step
    reloader = ObjectProperty(None, allownone=True)  # kiosk.ui.reload.Reloader, hot reload
    analytics = ObjectProperty(None, allownone=True)  # kiosk.analytics.Analytics, if recording

    def __init__(self, config: Config, theme, content: Content | None = None, *,
                 windowed: bool = True, loader=None, **kwargs):
        super().__init__(**kwargs)
        self.kiosk_config = config
        self.windowed = windowed
        self.loader = loader
        self.theme = theme
        self.history = History()
        self._shown: list[str] = []  # routes shown, least recent first
        self.idle = IdleController(self, config.idle)
        self._status_event = None
        self.reloader = None  # kiosk.ui.reload.Reloader when hot reload runs
        self.tour_control = TourControl(self)  # guided mode (start_tour / end_tour)
        self.tour_completed = False  # the last tour ended with Finish on its last step
        self.content_errors: list = []  # errors in the content on screen, for staff
        self.guard = ScreenGuard(self)  # an error in a screen's code: log it, go Home
        self.frame_sync = FrameSync()
        self.memory_trim = MemoryTrim()  # freed memory goes back to the system when things are quiet
        self.access = AccessState(self, getattr(config, "accessibility", None))  # menu, sound, keys
        self.title = "kiosk"
        self.stopped = False  # on_stop ran: the status file says so
        if content is not None:
            self.content = content
            self.content_version = 1

    # ----------------------------------------------------------------- build
    def build(self):
        style.register_fonts(self.theme)
        textmeasure.install()  # long pages of Chinese text lay out without re-measuring
        self.font_name = style.FONT_NAME if self.theme else "Roboto"
        self._update_metrics()
        Window.bind(size=self._update_metrics, on_request_close=self._on_request_close)
        self.bind(text_scale=self._update_metrics, theme=self._update_metrics)
        self.lang = self.kiosk_config.language or self.default_language
        from kiosk.ui.root import KioskRoot  # loads the root .kv after the fonts exist

        root = KioskRoot()
        self.manager: ScreenManager = root.ids.manager
        self.frame_sync.install()  # software GL: memory would pile up frame after frame
        self.manager.transition = self._transition()
        self.idle.start()
        self.access.install()
        self.guard.install()
        self.analytics_hooks = attach_analytics(self)  # visitor figures, content change time
        ScheduleRefresher(self).start()  # publish_from / publish_until take effect on time
        self._status_event = Clock.schedule_interval(lambda dt: self.write_status(), STATUS_EVERY)
        Clock.schedule_once(lambda dt: self.go("home", push=False), 0)
        self.tour_control.remote.start()  # the guide's phone, if kiosk.yaml switches it on
        return root

    def _on_request_close(self, *args, **kwargs):
        """Alt+F4 or the window's close button: ignored in kiosk mode."""
        return not self.windowed

    def open_settings(self, *args):
        """F1 would open Kivy's settings panel: never on a kiosk."""
        return False

    def on_stop(self):
        Window.unbind(size=self._update_metrics, on_request_close=self._on_request_close)
        self.guard.remove()
        self.frame_sync.remove()
        self.memory_trim.stop()
        if self.reloader is not None:
            self.reloader.stop()
        self.idle.stop()
        self.tour_control.remote.stop()
        self.access.remove()
        self.tour_control.stop()  # a tour never outlives the app: restarts come back browsing
        if self._status_event is not None:
            self._status_event.cancel()
        # the last word: the status file says stopped, the metrics file kiosk_up 0
        self.stopped = True
        self.write_status()

    def _transition(self):
        kind, duration = style.transition(self.theme)
        mode = getattr(self.kiosk_config, "transitions", "auto")
        if mode == "none" or (mode == "auto" and self.frame_sync.software):
            kind = "none"  # a slide drawn by the CPU: a few frames a second, the next screen late
        if kind == "none":
            from kiosk.ui.root import CutTransition

            return CutTransition()
        if kind == "fade":
            return FadeTransition(duration=duration)
        return SlideTransition(duration=duration)

    # --------------------------------------------------------------- metrics
    def _update_metrics(self, *args):
        w, h = Window.size
        self.colors = style.colors(self.theme)
        self.font = style.fonts(self.theme, w, h, self.text_scale)
        self.space = style.spaces(self.theme, w, h)
        self._update_background()

    def _update_background(self):
        path = getattr(self.theme, "background", None)
        if not path or not Path(path).is_file():
            self.background_image = ""
            return
        if str(path) != self.background_image:
            from kivy.core.image import Image as CoreImage

            try:
                tw, th = CoreImage(str(path)).size
                self.background_ratio = tw / th if th else 0.5625
                self.background_image = str(path)
            except Exception as exc:  # a broken picture must not stop the kiosk
                log.error("theme background %s cannot be shown: %s", path, exc)
                self.background_image = ""

    @property
    def portrait(self) -> bool:
        return Window.height >= Window.width

    # ------------------------------------------------------------------ text
    @property
    def default_language(self) -> str:
        return self.content.site.default_language if self.content else "zh"

    @property
    def languages(self) -> tuple[str, ...]:
        return self.content.site.languages if self.content else ("zh",)

    def t(self, text: Text | str | None) -> str:
        """Plain text in the visitor's language (for labels without markup)."""
        if text is None:
            return ""
        if isinstance(text, str):
            return text
        return text.get(self.lang)

    def tm(self, text: Text | str | None) -> str:
        """Text in the visitor's language, escaped for labels with ``markup: True``."""
        return escape_markup(self.t(text))

    def ui(self, key: str) -> str:
        """A fixed interface word (Back, Home, ...) in the visitor's language."""
        return style.ui_text(key, self.lang)

    def set_language(self, lang: str):
        if lang not in self.languages or lang == self.lang:
            return
        self.lang = lang
        self.refresh_current()

    def toggle_language(self):
        langs = self.languages
        if len(langs) > 1:
            self.set_language(langs[(langs.index(self.lang) + 1) % len(langs)] if self.lang in langs else langs[0])

    def on_large_text(self, *_):
        self.text_scale = LARGE_TEXT_SCALE if self.large_text else 1.0
        self.refresh_current()

    def toggle_large_text(self):
        self.large_text = not self.large_text

    # ------------------------------------------------------------ navigation
    def go(self, route: str, push: bool = True, direction: str = "left") -> bool:
        """Show ``route`` (``home``, ``section/ID``, ``exhibit/S/E``, ``photo/S/N``, ``attract``)."""
        if self.content is None or not route_exists(self.content, route):
            log.warning("no such screen: %s", route)
            return False
        if self.tour_control.running and not route.startswith("tour/"):
            return False  # during a tour only the guide moves (taps inside a step go nowhere)
        if push and self.route and self.route != route and self.route != "attract":
            self.history.push(self.route)
        if route == "home":
            self.history.clear()
        try:
            screen = self._screen_for(route)
            if screen is None:
                return False
            if isinstance(self.manager.transition, SlideTransition):
                self.manager.transition.direction = direction
            self.manager.current = screen.name
        except Exception as exc:  # the screen boundary: log, drop that screen, go Home
            return self.guard.failed(route, exc)
        self.route = route
        self.mode = "tour" if route.startswith("tour/") else ("attract" if route == "attract" else "browse")
        self._trim_screens()
        self.memory_trim.soon()
        self.write_status()
        return True

    def back(self) -> bool:
        while self.history:
            previous = self.history.pop()
            if route_exists(self.content, previous):
                return self.go(previous, push=False, direction="right")
        if self.route != "home":
            return self.go("home", push=False, direction="right")
        return False

    def home(self) -> bool:
        return self.go("home", push=False, direction="right")

    def _screen_for(self, route: str):
        key = (self.content_version, self.lang, self.text_scale)
        if self.manager.has_screen(route):
            screen = self.manager.get_screen(route)
            if getattr(screen, "loaded_key", None) != key:
                if not screen.load(self, self.content, route):
                    return None
                screen.loaded_key = key
            return screen
        screen = self._spare_screen(route)
        if screen is not None:  # refilled: no new widgets to build
            if not screen.load(self, self.content, route):
                self.manager.remove_widget(screen)
                return None
            screen.name = route
            screen.loaded_key = key
            return screen
        screen = create_screen(self.content, route, name=route)
        if screen is None or not screen.load(self, self.content, route):
            return None
        screen.loaded_key = key
        self.manager.add_widget(screen)
        return screen

    def _spare_screen(self, route: str):
        """For a photo or an exhibit, a kept screen of the same kind to refill (as a language
        switch does): one that is not shown and not on the way back. Swiping through a
        gallery then uses two screens in turn, and opening one exhibit after another builds
        no new page."""
        if not route.startswith(("photo/", "exhibit/")):
            return None
        kind = screen_key(self.content, route)
        for name in self.manager.screen_names:
            if name.split("/", 1)[0] == route.split("/", 1)[0] and name != self.manager.current \
                    and name not in self.history and route_exists(self.content, name) \
                    and screen_key(self.content, name) == kind:
                return self.manager.get_screen(name)
        return None

    def _trim_screens(self):
        """Drop the screens least likely to be needed again (not on the way back, least
        recently shown) until SCREEN_CACHE are left besides Home and the current one."""
        self._shown = [r for r in self._shown if r != self.route] + [self.route]
        del self._shown[:-4 * SCREEN_CACHE]
        names = [n for n in self.manager.screen_names if n not in (self.route, "home")]
        if len(names) <= SCREEN_CACHE:
            return

        def worth(name):
            recent = self._shown.index(name) if name in self._shown else -1
            return (name in self.history, recent)

        for name in sorted(names, key=worth)[:len(names) - SCREEN_CACHE]:
            self.manager.remove_widget(self.manager.get_screen(name))

    def refresh_current(self):
        """Rebuild the visible screen in place (language, text size or content changed)."""
        if self.manager is None or self.content is None:
            return
        route = self.route
        if not route_exists(self.content, route):
            self._go_to_nearest(route)
            return
        try:
            screen = self._screen_for(route)
            if screen is not None and self.manager.current != screen.name:
                self.manager.current = screen.name
        except Exception as exc:  # the screen boundary: log, drop that screen, go Home
            self.guard.failed(route, exc, where="while refreshing")
            return
        self.write_status()

    def _go_to_nearest(self, route: str):
        """The screen being viewed is gone: show its section, or home."""
        parts = route.split("/")
        if len(parts) >= 2 and parts[0] in ("exhibit", "photo"):
            section = f"section/{parts[1]}"
            if route_exists(self.content, section):
                self.go(section, push=False, direction="right")
                return
        self.go("home", push=False, direction="right")

    # --------------------------------------------------------------- content
    def apply_content(self, content: Content):
        """Swap in a new snapshot (main thread only) and keep the visitor's place."""
        self.content = content
        self.content_version += 1
        self.memory_trim.content_changed()  # the new snapshot leaves the collector's passes
        if self.tour_control.content_changed(content):
            return  # the tour moved to the nearest step, or ended
        self.refresh_current()

    # ----------------------------------------------------------- guided mode
    def start_tour(self, tour_id: str) -> bool:
        """Start guided tour ``tour_id`` at its first step (the guide's tour menu calls this)."""
        self.tour_completed = False
        return self.tour_control.start(tour_id)

    def end_tour(self, message: str | None = None) -> None:
        """End the running tour and return Home (``message`` is shown to the guide)."""
        self.tour_control.end(message)

    @property
    def tour_id(self) -> str | None:
        run = self.tour_control.run
        return run.tour.id if run is not None else None

    # ---------------------------------------------------------------- status
    def status_document(self) -> dict:
        content = self.content
        def listed(problems):
            return [{"path": p.path, "line": p.line, "message": p.message,
                     "message_zh": p.message_zh} for p in problems]

        # errors found since the content loaded (a picture failing on screen) count too
        errors = list(content.errors) if content else []
        errors += [p for p in self.content_errors if p not in errors]
        return build_status(
            mode="stopped" if self.stopped else self.mode,
            screen=self.route,
            language=self.lang,
            content_version=int(self.content_version),
            errors=listed(errors),
            warnings=listed(content.warnings if content else ()),
            sections=[s.id for s in content.home_sections()] if content else [],
            extra={"large_text": bool(self.large_text), "accessibility": self.access.status(),
                   "video_playback": videocheck.playback_installed(),
                   "window": {"width": int(Window.width), "height": int(Window.height),
                              "rotation": int(Window.rotation)},
                   **({"tour": self.tour_control.status()} if self.tour_control.running else {}),
                   # the kiosk's own files found damaged and set aside since the start
                   **({"recovered": notes} if (notes := recovery.notices()) else {})},
        )

    def write_status(self):
        write_app_metrics(self, up=not self.stopped)  # the Prometheus file, when kiosk.yaml names one
        path = self.kiosk_config.status_file
        if not path:
            return
        failed = getattr(self, "_status_failed", "")
        try:
            write_status(self.kiosk_config.path(path), self.status_document())
        except OSError as exc:
            if str(exc) != failed:  # once per cause, not every few seconds for months
                log.error("cannot write the status file %s: %s", path, exc)
            self._status_failed = str(exc)
        else:
            if failed:
                log.info("the status file %s is written again", path)
            self._status_failed = ""

