"""Benchmarks: ``python -m bench`` runs every ``bench_*.py`` module's ``main()``."""

import os
import tempfile


def setup_kivy(size: tuple[int, int]) -> None:
    """Before any Kivy import in a benchmark's child process: headless, quiet, no input
    providers, Escape ignored, a window of ``size``."""
    os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "MIXED")
    os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kiosk-bench-kivy-"))
    from kivy.config import Config as KivyConfig

    for key in [k for k, _ in KivyConfig.items("input")]:
        KivyConfig.remove_option("input", key)
    KivyConfig.set("kivy", "exit_on_escape", "0")
    KivyConfig.set("kivy", "log_level", "warning")
    KivyConfig.set("graphics", "width", str(size[0]))
    KivyConfig.set("graphics", "height", str(size[1]))
    from kiosk.ui.boot import software_gl_likely

    if software_gl_likely():  # the window as `kiosk run` makes it (kiosk/ui/boot.py)
        KivyConfig.set("graphics", "multisamples", "0")

