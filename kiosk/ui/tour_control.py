"""Guided mode in the app: starts and ends a :class:`kiosk.tour.TourRun`, feeds it
the clicker's keys and the Kivy Clock, and shows its step.

The run itself (what the next step is, auto-advance, pause, blanking) is in
:mod:`kiosk.tour`; this module only connects it to the window and the screens.
A run lives in memory only: a restart always comes back to normal browsing.
"""

from __future__ import annotations

import logging

from kivy.clock import Clock
from kivy.core.window import Keyboard, Window

from kiosk.tour import TourRun, command_for_key, parse_tour_route, tour_route
from kiosk.ui.navigation import route_exists

log = logging.getLogger("kiosk.tour")

TICK = 0.25  # seconds between auto-advance checks
PREPARE_AFTER = 0.5  # seconds after a step shows, its neighbours are built unseen
KEY_NAMES = {code: name for name, code in Keyboard.keycodes.items()}


class TourControl:
    def __init__(self, app):
        self.app = app
        self.run: TourRun | None = None
        self._tick_event = None
        self._prepare = Clock.create_trigger(self._prepare_neighbours, PREPARE_AFTER)
        self._prepare_other = Clock.create_trigger(self._prepare_neighbours, 0)
        self._forward = True  # the way the guide went last: that neighbour is made ready first
        self.keymap = app.kiosk_config.clicker.keymap()  # kiosk.yaml's keys
        from kiosk.remote.link import RemoteLink

        self.remote = RemoteLink(app)  # the guide's phone, when kiosk.yaml switches it on

    @property
    def running(self) -> bool:
        return self.run is not None

    # ---------------------------------------------------------- start / end
    def start(self, tour_id: str) -> bool:
        app = self.app
        tour = app.content.tour(tour_id) if app.content else None
        if tour is None or not tour.steps:
            log.warning("no such tour: %s", tour_id)
            return False
        if self.running:
            self.end(go_home=False)
        self.run = TourRun(tour)
        Window.bind(on_key_down=self._on_key_down)
        self._tick_event = Clock.schedule_interval(self._tick, TICK)
        log.info("tour %s started (%d steps)", tour.id, len(tour.steps))
        if not self._show(direction="left"):
            self.end()
            return False
        return True

    def end(self, message: str | None = None, go_home: bool = True) -> None:
        """Stop the run and return to Home; ``message`` is shown to the guide for a few seconds."""
        run = self.run
        if run is None:
            return
        self.stop()
        log.info("tour %s ended at step %d of %d", run.tour.id, run.number, run.total)
        app = self.app
        app.tour_ended(completed=run.finished)  # browsing again
        app.idle.poke()  # the next visitor gets the full idle time, however long the tour was
        if go_home:
            app.go("home", push=False, direction="right")
            finish_instant_change(app.manager)
        self.remote.changed()
        if message and app.root is not None and hasattr(app.root, "flash"):
            app.root.flash(message, 6.0)

    def stop(self) -> None:
        """Forget the run and let go of the window (also when the app stops)."""
        self.run = None
        Window.unbind(on_key_down=self._on_key_down)
        if self._tick_event is not None:
            self._tick_event.cancel()
            self._tick_event = None
        self._prepare.cancel()
        self._prepare_other.cancel()

    # ------------------------------------------------------------ commands
    def command(self, name: str) -> bool:
        """A command from a key, a swipe or a button: next, previous, first, last, blank,
        pause, notes, finish."""
        run = self.run
        if run is None:
            return False
        if name == "notes" and self.notes_on_phone:
            return False  # the talking points are on the guide's phone, never on the screen
        if name == "finish":
            if not run.is_last:
                return False
            run.finish()
            self.end()
            return True
        before = run.index
        changed = run.handle(name)
        if run.index != before:
            self._show(direction="left" if run.index > before else "right")
        elif changed:
            self._sync()
        return changed

    def go_to(self, number: int) -> bool:
        """Show stop ``number`` (from 1), as the phone's "go to" does."""
        run = self.run
        if run is None:
            return False
        before = run.index
        if run.blanked:
            run.blanked = False
        changed = run.go_to(number - 1)
        if run.index != before:
            self._show(direction="left" if run.index > before else "right")
        else:
            self._sync()
        return changed

    @property
    def notes_on_phone(self) -> bool:
        """A phone is connected: the talking points show there, never on the public screen."""
        return self.remote.phones > 0

    def refresh(self) -> None:
        """Phones came or went: the drawer stays shut until the guide opens it again."""
        if self.run is not None:
            self.run.notes_open = False
        self._sync()

    def _on_key_down(self, window, key, scancode=None, text=None, modifiers=None):
        if self.run is None or self.app.mode != "tour":
            return False
        name = KEY_NAMES.get(key, "")
        command = command_for_key(self.keymap, name, modifiers)
        if command is None and text:
            command = command_for_key(self.keymap, text, modifiers)
        if command is None:
            return False
        self.app.idle.poke()
        self.command(command)
        return True

    def _tick(self, dt):
        run = self.run
        if run is None or self.app.mode != "tour":
            return
        if run.tick(dt):
            self._show(direction="left")
        elif run.counting:
            self._sync()

    # -------------------------------------------------------------- screen
    def _show(self, direction: str) -> bool:
        run = self.run
        self._forward = direction == "left"
        self._skip_missing(forward=self._forward)
        ok = self.app.go(run.route, push=False, direction=direction)
        finish_instant_change(self.app.manager)
        self._sync()
        self._prepare.cancel()
        self._prepare_other.cancel()
        self._prepare()  # while the guide talks, the steps either side are made ready
        return ok

    def _skip_missing(self, forward: bool) -> None:
        """A stop whose section or exhibit is no longer in the content (a folder taken
        away mid-tour) is passed over in the direction of travel, or the other way at the
        tour's end, so the screen, the status file and the phones show the same stop."""
        run, content = self.run, self.app.content
        if route_exists(content, run.route):
            return
        total = len(run.tour.steps)
        order = list(range(run.index + 1, total)) + list(range(run.index - 1, -1, -1)) \
            if forward else list(range(run.index - 1, -1, -1)) + list(range(run.index + 1, total))
        for index in order:
            if route_exists(content, tour_route(run.tour.id, index + 1)):
                log.warning("tour %s: stop %d cannot be shown (%s is gone); showing stop %d",
                            run.tour.id, run.number, run.step_route, index + 1)
                run.go_to(index)
                return

    def _prepare_neighbours(self, dt=None) -> None:
        """Build the screens of the steps either side unseen, so "next" and "back" only have
        to show them: first the one in the direction the guide went last, the other at the
        next frame (one screen built per frame). Both fit in the screens the app keeps."""
        run, app = self.run, self.app
        if run is None or app.mode != "tour":
            return
        ahead, behind = run.number + 1, run.number - 1
        for number in ((ahead, behind) if self._forward else (behind, ahead)):
            if 1 <= number <= run.total and self._prepare_step(tour_route(run.tour.id, number)):
                self._prepare_other()  # the other one at the next frame
                return

    def _prepare_step(self, route: str) -> bool:
        """Build ``route``'s screen unseen; False when it is there already (or cannot be)."""
        manager = self.app.manager
        if manager is None or manager.has_screen(route):
            return False
        try:
            screen = self.app._screen_for(route)
        except Exception as exc:  # shown later through the usual way, which reports it
            log.warning("could not prepare %s: %s", route, exc)
            return False
        if screen is None:
            return False
        # A screen the manager does not show keeps the size it was made with (100 x 100):
        # given the one it will have, its layout and text are done now, unseen, and
        # "next" has only to draw it.
        screen.pos, screen.size = manager.pos, manager.size
        return True

    def _sync(self) -> None:
        """Show the run's state (pause, blank, drawer, time left) on the tour screen."""
        screen = self.current_screen()
        if screen is not None and self.run is not None:
            screen.sync(self.run)
        self.remote.changed()

    def current_screen(self):
        manager = self.app.manager
        screen = manager.current_screen if manager is not None else None
        return screen if screen is not None and hasattr(screen, "sync") else None

    def state_for(self, route: str) -> TourRun | None:
        """The run, if ``route`` is the step it is on (a tour screen asks this when it loads)."""
        run = self.run
        return run if run is not None and run.route == route else None

    # ------------------------------------------------------------- reloads
    def content_changed(self, content) -> bool:
        """New content arrived during a tour. True when this moved or ended the tour
        (the caller need not refresh the screen then)."""
        run = self.run
        if run is None:
            return False
        tour = content.tour(run.tour.id)
        if tour is None or not tour.steps:
            title = self.app.t(run.tour.title)
            self.end(f"导览“{title}”已被删除，讲解结束。\n"
                     f"The tour “{title}” was deleted; the tour has ended.")
            return True
        before = run.route
        run.update(tour)
        if run.route != before or not _route_shown(self.app, run.route):
            self._show(direction="left")
            return True
        return False

    def status(self) -> dict | None:
        return self.run.status() if self.run is not None else None


def finish_instant_change(manager) -> None:
    """A screen change without animation ends on the Clock's next tick. A move made from
    the Clock (a swipe, auto-advance, the guide's phone) would otherwise have its first
    frame draw the old step under the new one: twice the work on a software renderer.
    End it now, with the same events the end of the change sends."""
    from kivy.uix.screenmanager import NoTransition

    transition = getattr(manager, "transition", None)
    if not isinstance(transition, NoTransition) or not transition.is_active:
        return
    screen_in, screen_out = transition.screen_in, transition.screen_out
    transition.stop()  # removes the old screen
    if screen_in is not None:
        screen_in.dispatch("on_enter")
    if screen_out is not None:
        screen_out.dispatch("on_leave")


def _route_shown(app, route: str) -> bool:
    from kiosk.ui.navigation import route_exists

    return parse_tour_route(route) is not None and route_exists(app.content, route)
