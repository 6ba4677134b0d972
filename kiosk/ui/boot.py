"""Starting Kivy the way a kiosk needs it, then the app.

Kivy reads its configuration when first imported, so everything that shapes
the window (fullscreen, cursor, size, rotation, Escape) is set here before
any other Kivy module is imported.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger("kiosk")


def configure_kivy(*, fullscreen: bool, size=None, rotation: int = 0, headless: bool = False):
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "0")
    if headless:
        os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
        os.environ.setdefault("KIVY_NO_FILELOG", "1")
    from kivy.config import Config as KivyConfig

    KivyConfig.set("kivy", "exit_on_escape", "0")
    KivyConfig.set("kivy", "log_level", "warning")
    KivyConfig.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    KivyConfig.set("graphics", "borderless", "1" if fullscreen else "0")
    KivyConfig.set("graphics", "show_cursor", "0" if fullscreen else "1")
    KivyConfig.set("graphics", "allow_screensaver", "0")
    KivyConfig.set("graphics", "rotation", str(rotation))
    KivyConfig.set("graphics", "resizable", "0" if fullscreen else "1")
    if size:
        KivyConfig.set("graphics", "width", str(size[0]))
        KivyConfig.set("graphics", "height", str(size[1]))
    KivyConfig.set("input", "mouse", "mouse,disable_on_activity")
    if headless:
        for key in [k for k, _ in KivyConfig.items("input") if k != "mouse"]:
            KivyConfig.remove_option("input", key)


def prepare(config_path=None, content=None, theme=None, status_file=None, metrics_file=None):
    """Read kiosk.yaml, the theme and the content. Nothing here needs a window."""
    from kiosk.config import load_config
    from kiosk.content.state import STATE_FILE, load_with_state
    from kiosk.theme import load_theme_or_builtin

    config, problems = load_config(config_path)
    config = config.with_overrides(content=content, theme=theme, status_file=status_file,
                                   metrics_file=metrics_file)
    for p in problems:
        log.warning(p.format())
    theme_obj, theme_problems = load_theme_or_builtin(config.theme_dir)
    for p in theme_problems:
        log.warning(p.format())
    # what was parsed at the last start is kept in the state folder: only changes are read
    state_file = config.path(str(Path(config.state_dir) / STATE_FILE)) if config.state_dir else None
    loader, snapshot = load_with_state(config.content_dir, state_file)
    for p in snapshot.problems:
        log.warning(p.format(str(config.content_dir)))
    return config, theme_obj, loader, snapshot


def run_kiosk(*, config_path=None, content=None, theme=None, windowed=False, size=None,
              status_file=None, metrics_file=None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    config, theme_obj, loader, snapshot = prepare(config_path, content, theme, status_file,
                                                  metrics_file)
    if not Path(config.content_dir).is_dir():
        log.error("content folder %s does not exist", config.content_dir)
        return 2
    fullscreen = config.fullscreen and not windowed
    size = size or config.size or ((540, 960) if windowed else None)
    configure_kivy(fullscreen=fullscreen, size=size, rotation=config.rotation)
    from kiosk.ui.app import KioskApp
    from kiosk.ui.reload import Reloader

    app = KioskApp(config, theme_obj, snapshot, windowed=windowed, loader=loader)
    app.reloader = Reloader(app, config.watch).start()
    try:
        app.run()
    finally:
        app.reloader.stop()
    return 0


def render_routes(*, out, size, lang=None, content=None, theme=None, config_path=None,
                  routes=None, sheet=None) -> int:
    config, theme_obj, loader, snapshot = prepare(config_path, content, theme)
    configure_kivy(fullscreen=False, size=size, headless=True)
    from kiosk.ui.render import render_all

    return render_all(config, theme_obj, snapshot, out=out, size=size, lang=lang,
                      routes=routes, sheet=sheet)
