"""The app owns its state, declared: whoever reads the code can see who changes what.

No module of kiosk/ guesses whether the app has an attribute (``getattr(app, "x", None)``)
or hangs one on it from outside (``app._x = ...``, ``setattr(app, ...)``); the app's
``mode`` is written by the app alone and ``content_errors`` by the reloader alone; the
services are built in one place."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "kiosk"
APP = PACKAGE / "ui" / "app.py"
SERVICES = PACKAGE / "ui" / "services.py"

# the app, however a module names it: app, self.app, self._app, App.get_running_app()
APP_NAME = r"(?:\bapp|\bself\._?app|App\.get_running_app\(\))"
GUESS = re.compile(rf"getattr\(\s*{APP_NAME}\s*,\s*[\"']")
SET_FROM_OUTSIDE = re.compile(rf"setattr\(\s*{APP_NAME}\s*,|{APP_NAME}\._\w+\s*=(?!=)")
WRITE = re.compile(rf"{APP_NAME}\.(\w+)\s*(?:=|\+=|-=)(?!=)")
# the one writer of each shared property outside the app itself
OWNERS = {"content_errors": PACKAGE / "ui" / "reload.py"}


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def lines(path: Path):
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        code = line.split("#", 1)[0]
        if code.strip():
            yield number, code


def test_no_module_guesses_what_the_app_has():
    found = [f"{path.relative_to(ROOT)}:{n}: {code.strip()}"
             for path in sources() for n, code in lines(path) if GUESS.search(code)]
    assert found == []


def test_nothing_is_hung_on_the_app_from_outside():
    found = [f"{path.relative_to(ROOT)}:{n}: {code.strip()}"
             for path in sources() if path != APP
             for n, code in lines(path) if SET_FROM_OUTSIDE.search(code)]
    assert found == []


def test_the_apps_properties_are_written_by_the_app_or_their_one_owner():
    found = []
    for path in sources():
        if path == APP:
            continue
        for n, code in lines(path):
            for name in WRITE.findall(code):
                if OWNERS.get(name) != path:
                    found.append(f"{path.relative_to(ROOT)}:{n}: {code.strip()}")
    assert found == []


def test_the_services_are_built_in_one_place():
    """Each service class is made in kiosk/ui/services.py and nowhere else in kiosk/."""
    built = re.compile(r"\b(FrameSync|ScreenGuard|MemoryTrim|AccessState|IdleController|"
                       r"TourControl|Reloader|StatusWriter|ScheduleRefresher|AnalyticsHooks)\(")
    places = {}
    for path in sources():
        for n, code in lines(path):
            for name in built.findall(code):
                if not re.search(rf"class {name}\(", code):
                    places.setdefault(name, []).append(f"{path.relative_to(ROOT)}:{n}")
    outside = {name: where for name, where in places.items()
               if any(not w.startswith(str(SERVICES.relative_to(ROOT))) and
                      not w.startswith("kiosk/ui/analytics_hooks.py") for w in where)}
    assert outside == {}
    assert set(places) >= {"FrameSync", "ScreenGuard", "MemoryTrim", "AccessState",
                           "IdleController", "TourControl", "Reloader", "StatusWriter",
                           "ScheduleRefresher"}


def test_the_checks_above_see_what_they_look_for():
    """The patterns catch the shapes they are meant to catch (so the tests above can fail)."""
    assert GUESS.search('x = getattr(app, "idle", None)')
    assert GUESS.search("getattr(self.app, 'manager', None)")
    assert GUESS.search('getattr(App.get_running_app(), "access", None)')
    assert not GUESS.search('getattr(app.kiosk_config, "x", None)')
    assert SET_FROM_OUTSIDE.search("app._pin_gate = gate")
    assert SET_FROM_OUTSIDE.search('setattr(self.app, "x", 1)')
    assert not SET_FROM_OUTSIDE.search("if app._x == 1:")
    assert WRITE.findall("self.app.mode = 'admin'") == ["mode"]
    assert WRITE.findall("app.content_errors = []") == ["content_errors"]
    assert WRITE.findall("if app.mode == 'tour':") == []
