"""Start the kiosk as ``kiosk run`` does, report when Home is first drawn, then stop.

The start-up benchmark runs this in a child process::

    python -m bench.first_frame [--pictures] [kiosk run options ...]

It prints ``HOME_DRAWN <unix time>`` at the first frame that shows Home and, with
``--pictures``, ``PICTURES_DRAWN <unix time>`` at the first frame where Home's
pictures are drawn too; then the app stops (exit code 0, as after a clean stop).

Everything else is the real ``kiosk run`` (:func:`kiosk.cli.main`): the kiosk itself
has no benchmark code. This harness hooks in from outside, when `kiosk run` imports
the app (not before: Kivy and its window load when the kiosk loads them): it wraps the
app's ``build`` to watch the window's frames.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
import time


def watch_first_frames(app, pictures: bool = False) -> None:
    """Print the marks described above as frames are drawn, then stop ``app``."""
    from kivy.core.window import Window

    from kiosk.ui.images import pictures_settled

    state = {"home": False}

    def flipped(*_):
        if app.route != "home" or app.root is None:
            return
        now = time.time()
        if not state["home"]:
            state["home"] = True
            print(f"HOME_DRAWN {now:.6f}", flush=True)
        if not pictures or pictures_settled(app.root):
            if pictures:
                print(f"PICTURES_DRAWN {now:.6f}", flush=True)
            Window.unbind(on_flip=flipped)
            app.stop()

    Window.bind(on_flip=flipped)


class _WhenImported(importlib.abc.MetaPathFinder):
    """Calls ``then(module)`` once the module ``name`` has been imported (run), then leaves."""

    def __init__(self, name: str, then):
        self.name, self.then = name, then

    def find_spec(self, name, path, target=None):
        if name != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            self.then(module)

        spec.loader.exec_module = exec_module
        return spec


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    pictures = "--pictures" in args
    args = [a for a in args if a != "--pictures"]

    from kiosk.cli import main as kiosk_main

    def build_and_watch_in(module) -> None:
        build = module.KioskApp.build

        def build_and_watch(app):
            root = build(app)
            watch_first_frames(app, pictures)
            return root

        module.KioskApp.build = build_and_watch

    # the hook goes in when ``kiosk run`` itself imports the app, not earlier: importing it
    # here would load Kivy's window before the kiosk does what it does while it loads
    sys.meta_path.insert(0, _WhenImported("kiosk.ui.app", build_and_watch_in))
    return kiosk_main(["run", *args])


if __name__ == "__main__":
    sys.exit(main())
