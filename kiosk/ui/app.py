"""The kiosk application: holds the current content snapshot and navigates between screens.

Screens never read files: they get the snapshot (``app.content``) and a route.
Everything the layouts need to size and colour themselves comes from the app's
``colors``, ``font`` and ``space`` dictionaries, which follow the theme, the
window size and the large-text switch.

The app's state is declared here as Kivy properties; its services (hot reload, idle,
tours, pictures, figures, ...) are composed in :mod:`kiosk.ui.services` and kept in
``app.services``. They bind to the properties and change the app through its methods.
"""

from __future__ import annotations

import logging
import time
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
from kiosk.content.model import Content, Problem, Text
from kiosk.status import build_status
from kiosk.ui import frameclear, services, style, textmeasure
from kiosk.ui.kv import load_kv  # noqa: F401  (its old home; import it from kiosk.ui.kv)
from kiosk.ui.navigation import History, route_exists
from kiosk.ui.screens import create_screen, screen_key

log = logging.getLogger("kiosk.app")

LARGE_TEXT_SCALE = 1.4
# Screens kept alive besides Home and the current one: the way back first, then the
# most recently shown. Each costs its widgets and text textures, so keep it small.
SCREEN_CACHE = 3
LAYOUT_ROUNDS = 60  # Clock.max_iteration: rounds of layout triggers before a frame is drawn


class KioskApp(App):
    content = ObjectProperty(None, allownone=True)
    # the theme on screen: the theme folder's (``normal_theme``), or the high-contrast one
    # while a visitor has chosen it (``access.high_contrast``)
    theme = ObjectProperty(None, allownone=True)
    normal_theme = ObjectProperty(None, allownone=True)  # kiosk.yaml's theme, hot reloaded
    lang = StringProperty("zh")
    large_text = BooleanProperty(False)
    text_scale = NumericProperty(1.0)
    mode = StringProperty("browse")  # browse, attract, tour, admin: written by this class only
    route = StringProperty("home")
    content_version = NumericProperty(0)
    colors = DictProperty()
    font = DictProperty()
    space = DictProperty()
    font_name = StringProperty("Roboto")
    background_image = StringProperty("")  # the theme's picture behind every screen
    background_ratio = NumericProperty(0.5625)  # its width / height
    # that picture covering the window, ready to draw 1:1 (kiosk.ui.backdrop.Prepared)
    background = ObjectProperty(None, allownone=True)
    # State the services share, declared here so that each can bind to it and none has to
    # guess whether it exists (docs/architecture.md):
    manager = ObjectProperty(None, allownone=True)  # the ScreenManager, once built
    content_errors = ListProperty()  # errors in the content on screen, for staff (the reloader's)
    content_changed_at = NumericProperty(0)  # wall-clock time the content last changed
    tour_completed = BooleanProperty(False)  # the last tour ended with Finish on its last step
    reloader = ObjectProperty(None, allownone=True)  # kiosk.ui.reload.Reloader, hot reload

    def __init__(self, config: Config, theme, content: Content | None = None, *,
                 windowed: bool = True, loader=None, **kwargs):
        super().__init__(**kwargs)
        self.kiosk_config = config
        self.windowed = windowed
        self.loader = loader
        self.normal_theme = theme
        self.theme = theme
        self.history = History()
        self._shown: list[str] = []  # routes shown, least recent first
        self.screen_cache = SCREEN_CACHE  # screens kept besides Home and the current one
        self.keep_spares = True  # ... and the last exhibit page and photo screen, to refill
        # seconds after the first frame: an exhibit page made ready (None: not)
        self.prepare_page_after = services.PREPARE_PAGE_AFTER
        self._mode_before_admin = "browse"
        self._first_frame_event = None
        self.title = "kiosk"
        self.stopped = False  # on_stop ran: the status file says so
        if content is not None:
            self.content = content
            self.content_version = 1
        self.content_changed_at = time.time()
        self.services: services.Services = services.compose(self)
        self.reloader = self.services.reloader
        self.access.bind(high_contrast=self._show_theme, reduced_motion=self._update_transition)

    # the services others use, by name (kiosk/ui/services.py builds them)
    @property
    def access(self):
        return self.services.access

    @property
    def idle(self):
        return self.services.idle

    @property
    def tour_control(self):
        return self.services.tour_control

    @property
    def guard(self):
        return self.services.guard

    @property
    def frame_sync(self):
        return self.services.frame_sync

    @property
    def memory_trim(self):
        return self.services.memory_trim

    @property
    def pin_gate(self):
        return self.services.pin_gate

    @property
    def schedule_refresher(self):
        return self.services.schedule

    @property
    def analytics(self):
        """The visitor figures (:class:`kiosk.analytics.Analytics`) while recorded, else None."""
        hooks = self.services.analytics
        return hooks.analytics if hooks is not None else None

    # ----------------------------------------------------------------- build
    def build(self):
        # A screen laid out for the first time settles in up to about 30 rounds of Kivy's layout
        # triggers (text wrapped to its width, then its card, then the row that fits the cards,
        # then the list). Past Clock.max_iteration (20) Kivy draws a half-laid-out frame and logs
        # "too much iteration".
        Clock.max_iteration = LAYOUT_ROUNDS

        from kiosk.ui.backdrop import plain_fills_unsmoothed

        plain_fills_unsmoothed()
        style.register_fonts(self.theme)
        textmeasure.install()  # long pages of Chinese text lay out without re-measuring
        self.font_name = style.FONT_NAME if self.theme else "Roboto"
        self._update_metrics()
        Window.bind(size=self._update_metrics, on_request_close=self._on_request_close)
        self.bind(text_scale=self._update_metrics, theme=self._update_metrics)
        self.lang = self.kiosk_config.language or self.default_language
        services.start_for_first_frame(self, self.services)
        from kiosk.ui.root import KioskRoot  # loads the root .kv after the fonts exist

        root = KioskRoot()
        self.manager: ScreenManager = root.ids.manager
        frameclear.install(Window, lambda: root.backdrop.paints(Window.size))
        self._update_transition()
        Clock.schedule_once(lambda dt: self.go("home", push=False), 0)
        Window.bind(on_flip=self._first_frame_drawn)
        return root

    def _first_frame_drawn(self, *_):
        """Home is on screen: the other services start on the next tick."""
        Window.unbind(on_flip=self._first_frame_drawn)
        self._first_frame_event = Clock.schedule_once(
            lambda dt: services.start_after_first_frame(self, self.services), 0)

    def _on_request_close(self, *args, **kwargs):
        """Alt+F4 or the window's close button: ignored in kiosk mode."""
        return not self.windowed

    def open_settings(self, *args):
        """F1 would open Kivy's settings panel: never on a kiosk."""
        return False

    def on_stop(self):
        Window.unbind(size=self._update_metrics, on_request_close=self._on_request_close,
                      on_flip=self._first_frame_drawn)
        if self._first_frame_event is not None:
            self._first_frame_event.cancel()
        frameclear.uninstall(Window)
        self.stopped = True  # the status file says stopped, the metrics file kiosk_up 0
        if self.reloader is not None and self.reloader is not self.services.reloader:
            self.reloader.stop()
        services.stop(self, self.services)

    def _transition(self):
        kind, duration = style.transition(self.theme)
        mode = self.kiosk_config.transitions
        if mode == "none" or (mode == "auto" and self.frame_sync.software):
            kind = "none"  # a slide drawn by the CPU: a few frames a second, the next screen late
        if kind == "none":
            from kiosk.ui.root import CutTransition

            return CutTransition()
        if kind == "fade":
            return FadeTransition(duration=duration)
        return SlideTransition(duration=duration)

    def _update_transition(self, *_):
        """The theme's transition, or none while a visitor has asked for reduced motion."""
        if self.manager is None:
            return
        from kivy.uix.screenmanager import NoTransition

        self.manager.transition = NoTransition() if self.access.reduced_motion \
            else self._transition()

    # ----------------------------------------------------------------- theme
    def apply_theme(self, theme) -> None:
        """The theme folder changed (the reloader, main thread only): show the new theme,
        or keep it for when high contrast is switched off again."""
        self.normal_theme = theme
        self._show_theme()

    def _show_theme(self, *_):
        """Show ``normal_theme``, or the high-contrast theme while the visitor chose it:
        colours, fonts and sizes follow at once (``_update_metrics``), the transition too,
        and the screens kept in memory are built again when next shown."""
        contrast = self.access.contrast_theme() if self.access.high_contrast else None
        theme = contrast or self.normal_theme
        if theme is self.theme:
            return
        self.theme = theme
        if self.manager is None:
            return
        self._update_transition()
        for screen in self.manager.screens:
            screen.loaded_key = None
        self.refresh_current()

    # --------------------------------------------------------------- metrics
    def _update_metrics(self, *args):
        w, h = Window.size
        self.colors = style.colors(self.theme)
        self.font = style.fonts(self.theme, w, h, self.text_scale)
        self.space = style.spaces(self.theme, w, h)
        self._update_background()

    def _update_background(self):
        from kiosk.ui import backdrop

        path = getattr(self.theme, "background", None)
        if not path or not Path(path).is_file():
            self.background_image = ""
            self.background = None
            return
        prepared = backdrop.prepare(path, Window.size)
        if prepared is None:  # a broken picture must not stop the kiosk (logged)
            self.background_image = ""
            self.background = None
            return
        self.background_ratio = prepared.ratio
        self.background_image = str(path)
        self.background = prepared

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

    def ui(self, key: str, lang: str | None = None) -> str:
        """A fixed interface word (Back, Home, ...) in the visitor's language (a layout passes
        ``app.lang`` to be told again when it changes)."""
        return style.ui_text(key, lang or self.lang)

    def set_language(self, lang: str):
        if lang not in self.languages or lang == self.lang:
            return
        self.lang = lang
        self.refresh_current()

    def toggle_language(self):
        langs = self.languages
        if len(langs) > 1:
            self.set_language(langs[(langs.index(self.lang) + 1) % len(langs)] if self.lang in langs else langs[0])

    def reset_visitor(self, keep_motion: bool = False):
        """What the last visitor changed goes back to the defaults for the next one
        (the idle controller calls this, keeping a visitor's reduced motion until the next
        touch so the attract loop that follows stays still for them)."""
        self.large_text = False
        self.access.reset(keep_motion)  # contrast, motion, sound and volume back to the defaults
        default = self.kiosk_config.language or self.default_language
        if self.lang != default:
            self.set_language(default)

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
        self.memory_trim.soon(photo=route.startswith("photo/"))
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

    def prepare_exhibit_page(self, *_) -> bool:
        """Build an exhibit page unseen (a moment after start), so that the first exhibit a
        visitor opens refills it like every later one, instead of waiting for a page to be
        built (about 20 ms more). The page is filled with the first exhibit there is."""
        if self.stopped or self.content is None or not self.keep_spares or any(
                n.startswith("exhibit/") for n in self.manager.screen_names):
            return False
        route = next((e.route for s in self.content.home_sections() for e in s.visible_exhibits()
                      if screen_key(self.content, e.route) == "exhibit"), None)
        if route is None:
            return False
        try:
            return self._screen_for(route) is not None  # built and kept, not shown
        except Exception:  # only a head start: the page is built when it is asked for
            log.exception("preparing an exhibit page failed")
            return False

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

    def keep_screens(self, count: int, spares: bool = True) -> None:
        """Keep ``count`` screens besides Home and the current one (``kiosk render``, which
        shows each route once, keeps one), and with ``spares`` the last exhibit page and
        photo screen left, to be refilled."""
        self.screen_cache = max(0, int(count))
        self.keep_spares = spares

    def _trim_screens(self):
        """Drop the screens least likely to be needed again (not on the way back, least
        recently shown) until ``screen_cache`` are left besides Home and the current one."""
        keep = self.screen_cache
        self._shown = [r for r in self._shown if r != self.route] + [self.route]
        del self._shown[:-4 * max(1, keep)]
        names = [n for n in self.manager.screen_names if n not in (self.route, "home")]

        def recent(name):
            return self._shown.index(name) if name in self._shown else -1

        # the last exhibit page and the last photo screen left stay as well, to be refilled:
        # the next exhibit opened or photo swiped to then builds no page (kept or not, a page
        # costs the same memory while it is shown)
        for kind in ("exhibit/", "photo/") if self.keep_spares else ():
            spare = [n for n in names if n.startswith(kind) and n not in self.history]
            if spare:
                names.remove(max(spare, key=recent))
        if len(names) <= keep:
            return

        def worth(name):
            return (name in self.history, recent(name))

        for name in sorted(names, key=worth)[:len(names) - keep]:
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
        self.content_changed_at = time.time()
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

    def tour_ended(self, completed: bool = False) -> None:
        """The tour control's run ended (``completed``: with Finish on its last step): the
        kiosk is browsing again; Home follows unless another tour starts."""
        self.tour_completed = completed
        self.mode = "browse"

    @property
    def tour_id(self) -> str | None:
        run = self.tour_control.run
        return run.tour.id if run is not None else None

    # ------------------------------------------------------------------ admin
    def enter_admin(self) -> None:
        """The admin panel is open over the screen (a running tour stays in tour mode)."""
        if self.mode not in ("tour", "admin"):
            self._mode_before_admin = self.mode
            self.mode = "admin"

    def leave_admin(self) -> None:
        """The admin panel closed: back to what the kiosk was doing."""
        if self.mode == "admin":
            self.mode = self._mode_before_admin

    # ---------------------------------------------------------------- problems
    def report_problem(self, problem: Problem) -> None:
        """A problem found while showing the content (a picture that cannot be shown):
        listed for staff with the content errors by the reloader."""
        if self.reloader is not None:
            self.reloader.report(problem)

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
        """The status and metrics files, now (from the first frame on)."""
        self.services.status.write()
