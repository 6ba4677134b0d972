"""Start the kiosk as ``kiosk run`` does, report when Home is first drawn, then stop.

The start-up benchmark runs this in a child process::

    python -m bench.first_frame [--pictures] [kiosk run options ...]

It prints ``HOME_DRAWN <unix time>`` at the first frame that shows Home and, with
``--pictures``, ``PICTURES_DRAWN <unix time>`` at the first frame where Home's
pictures are drawn too; then the app stops (exit code 0, as after a clean stop).

Everything else is the real ``kiosk run`` (:func:`kiosk.cli.main`): the kiosk itself
has no benchmark code. This harness hooks in from outside, once Kivy has been
configured: it wraps the app's ``build`` to watch the window's frames.
"""

from __future__ import annotations

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


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    pictures = "--pictures" in args
    args = [a for a in args if a != "--pictures"]

    from kiosk.cli import main as kiosk_main
    from kiosk.ui import boot

    configure = boot.configure_kivy

    def configured(**options):
        configure(**options)  # Kivy may be imported from here on
        from kiosk.ui.app import KioskApp

        build = KioskApp.build

        def build_and_watch(app):
            root = build(app)
            watch_first_frames(app, pictures)
            return root

        KioskApp.build = build_and_watch

    boot.configure_kivy = configured
    return kiosk_main(["run", *args])


if __name__ == "__main__":
    sys.exit(main())
