"""The remote on the app's side: starts the server, carries phones' commands out on the
Kivy main thread (through the Clock) and hands every change of the tour to the server.

The server's thread never touches the app: a command arrives as a call to
:meth:`RemoteLink.submit` (any thread), which schedules the work on the Clock
and returns a Future the server awaits; state goes the other way through
:meth:`kiosk.remote.server.RemoteServer.publish`.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future

from kivy.clock import Clock

from kiosk.pin import configured_pins

log = logging.getLogger("kiosk.remote")

NO_TOUR = ("no tour is running", "当前没有进行中的讲解")


class RemoteLink:
    def __init__(self, app):
        self.app = app
        self.server = None
        self.phones = 0  # phones listening now
        self.error = ""  # why the remote is not running though kiosk.yaml switches it on
        self._publish_trigger = Clock.create_trigger(lambda dt: self.publish(), 0)

    # ------------------------------------------------------------ life
    def start(self) -> bool:
        """Start the server if kiosk.yaml switches the remote on. False if it could not."""
        settings = self.app.kiosk_config.remote
        if not settings.enabled:
            return False
        from kiosk.remote.server import RemoteServer

        config = self.app.kiosk_config
        server = RemoteServer(settings.host, settings.port,
                              pins_provider=lambda: configured_pins(config),
                              submit=self.submit, token_hours=settings.token_hours,
                              on_phones=self._phones_changed)
        try:
            server.start()
        except OSError as exc:
            log.error("the guide's remote cannot listen on %s:%s: %s", settings.host,
                      settings.port, exc)
            self.error = f"{settings.host}:{settings.port}: {exc.strerror or exc}"
            return False
        self.server = server
        self.app.bind(lang=self.changed, mode=self.changed, content_version=self.changed)
        self.publish()
        return True

    def stop(self) -> None:
        if self.server is not None:
            self.app.unbind(lang=self.changed, mode=self.changed, content_version=self.changed)
            self.server.stop()
            self.server = None
        self.phones = 0

    @property
    def running(self) -> bool:
        return self.server is not None

    @property
    def address(self) -> str | None:
        return self.server.address if self.server is not None else None

    # ------------------------------------------------- server → main thread
    def submit(self, command: dict) -> Future:
        """A phone's command (called on the server's thread): done on the main thread."""
        future: Future = Future()
        Clock.schedule_once(lambda dt: self._carry_out(command, future), 0)
        return future

    def _carry_out(self, command: dict, future: Future) -> None:
        try:
            ok, message = self.apply(command)
            future.set_result((ok, message, self.state() if ok else None))
        except Exception as exc:  # a command must never stop the kiosk
            log.exception("remote command %r failed", command)
            future.set_result((False, (f"the kiosk could not do that: {exc}",
                                       f"大屏无法执行：{exc}"), None))
        self.publish()

    def apply(self, command: dict) -> tuple[bool, tuple[str, str] | None]:
        app = self.app
        control = app.tour_control
        action = command.get("action")
        app.idle.poke()
        if action == "start":
            if app.start_tour(command.get("tour", "")):
                return True, None
            return False, ("this tour cannot be started", "无法开始这条讲解路线")
        run = control.run
        if run is None:
            return False, NO_TOUR
        if action == "end":
            app.end_tour()
            return True, None
        if action == "goto":
            step = int(command.get("step", 0))
            if not 1 <= step <= run.total:
                return False, (f"there are stops 1 to {run.total}", f"站号应为 1 到 {run.total}")
            control.go_to(step)
            return True, None
        name = {"next": "next", "prev": "previous", "blank": "blank", "pause": "pause"}[action]
        control.command(name)
        return True, None

    def _phones_changed(self, count: int) -> None:  # on the server's thread
        Clock.schedule_once(lambda dt: self._set_phones(count), 0)

    def _set_phones(self, count: int) -> None:
        if count == self.phones:
            return
        self.phones = count
        log.info("remote: %d phone(s) connected", count)
        self.app.tour_control.refresh()  # talking points move to the phone, or back

    # ------------------------------------------------- main thread → server
    def changed(self, *args) -> None:
        """Something the phones show may have changed: publish on the next frame."""
        if self.server is not None:
            self._publish_trigger()

    def publish(self) -> None:
        if self.server is None:
            return
        self.server.publish(self.state(), self.thumbnails())

    def state(self) -> dict:
        """What ``GET /api/state`` answers (and every phone is sent)."""
        app = self.app
        run = app.tour_control.run
        tours = [{"id": t.id, "title": {"zh": t.title.get("zh"), "en": t.title.get("en")},
                  "steps": len(t.steps),
                  # each stop's title, for the phone's "go to" list
                  "stops": [{"zh": s.title.get("zh") or "", "en": s.title.get("en") or ""}
                            for s in t.steps]}
                 for t in (app.content.tours if app.content else ())]
        if run is None:
            return {"mode": app.mode, "tour": None, "step": 0, "steps": 0, "title": "",
                    "talking_points": "", "thumbnail": False, "paused": False,
                    "blanked": False, "auto_advance": False, "remaining": None,
                    "lang": app.lang, "tours": tours}
        step = run.step
        remaining = run.remaining
        return {"mode": app.mode, "tour": run.tour.id, "step": run.number, "steps": run.total,
                "title": app.t(step.title) or app.t(run.tour.title),
                "talking_points": app.t(step.notes).strip(),
                "thumbnail": self.step_picture(step) is not None,
                "paused": run.paused, "blanked": run.blanked,
                "auto_advance": step.seconds is not None and not run.is_last,
                "remaining": int(remaining + 0.999) if remaining is not None else None,
                "lang": app.lang, "tours": tours}

    def thumbnails(self) -> list:
        """The pictures of the current tour's stops (the only files the server may read)."""
        run = self.app.tour_control.run
        return [self.step_picture(s) for s in run.tour.steps] if run is not None else []

    def step_picture(self, step):
        content = self.app.content
        section = content.section(step.section) if content is not None else None
        if section is None:
            return None
        media = None
        if step.photo is not None:
            photos = section.photos()
            if 0 <= step.photo < len(photos):
                media = photos[step.photo][1]
        elif step.exhibit:
            exhibit = section.exhibit(step.exhibit)
            media = exhibit.thumbnail if exhibit is not None else None
        else:
            media = section.cover or next(
                (e.thumbnail for e in section.visible_exhibits() if e.thumbnail), None)
        if media is not None and media.kind == "video":
            media = media.poster
        return str(media.path) if media is not None else None
