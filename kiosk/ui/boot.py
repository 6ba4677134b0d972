"""Starting Kivy the way a kiosk needs it, then the app.

Kivy reads its configuration when first imported, so everything that shapes
the window (fullscreen, cursor, size, rotation, Escape) is set here before
any other Kivy module is imported.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from kiosk.config import SetupError
from kiosk.ui.display import window_size

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
    if software_gl_likely():
        # Kivy's default 2x multisampling multiplies the work of every pixel on a software
        # renderer (Mesa llvmpipe): a frame of 1080x1920 took 35-110 ms with it, 9-12 ms
        # without (window creation is cheaper too). Lines are smoothed on their own
        # (SmoothLine); only rounded corners lose their softening.
        KivyConfig.set("graphics", "multisamples", "0")
    if size:
        KivyConfig.set("graphics", "width", str(size[0]))
        KivyConfig.set("graphics", "height", str(size[1]))
    KivyConfig.set("input", "mouse", "mouse,disable_on_activity")
    # stop signals are the kiosk's own (kiosk/ui/stopsignals.py), not turned into close requests
    os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
    if headless:
        for key in [k for k, _ in KivyConfig.items("input") if k != "mouse"]:
            KivyConfig.remove_option("input", key)


def software_gl_likely() -> bool:
    """No GPU will draw the window: Linux without a GPU render node (``/dev/dri/renderD*``),
    or Mesa told to draw in software."""
    if os.environ.get("LIBGL_ALWAYS_SOFTWARE", "") not in ("", "0"):
        return True
    if os.environ.get("GALLIUM_DRIVER", "").lower() in ("llvmpipe", "softpipe", "swrast"):
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        return not any(name.startswith("renderD") for name in os.listdir("/dev/dri"))
    except OSError:
        return True


def prepare(config_path=None, content=None, theme=None, status_file=None, metrics_file=None):
    """Read kiosk.yaml, the theme and the content. Nothing here needs a window."""
    from kiosk.config import load_config, refuse_own_files_inside_content
    from kiosk.content.state import STATE_FILE, load_with_state
    from kiosk.images.decode import set_max_pixels
    from kiosk.images.verify import checks_file, remember_in
    from kiosk.theme import load_theme_or_builtin

    config, problems = load_config(config_path)
    config = config.with_overrides(content=content, theme=theme, status_file=status_file,
                                   metrics_file=metrics_file)
    for p in problems:
        log.warning(p.format())
    # nothing of the kiosk's own may be read from where content is written
    refuse_own_files_inside_content(config)
    theme_obj, theme_problems = load_theme_or_builtin(config.theme_dir)
    for p in theme_problems:
        log.warning(p.format())
    # what was parsed at the last start is kept in the state folder: only changes are read
    state_file = config.path(str(Path(config.state_dir) / STATE_FILE)) if config.state_dir else None
    set_max_pixels(config.images.max_pixels)  # pictures are proven against it as they load
    remember_in(checks_file(config.path(config.cache.dir)))  # shared with kiosk check
    loader, snapshot = load_with_state(config.content_dir, state_file)
    for p in snapshot.problems:
        log.warning(p.format(str(config.content_dir)))
    if not Path(config.content_dir).is_dir():
        raise SetupError(*no_content_message(config, config_path))
    return config, theme_obj, loader, snapshot


def no_content_message(config, config_path) -> tuple[str, ...]:
    """What to do when there is no exhibition to show."""
    where = f"kiosk.yaml: {config_path}" if config_path else "no kiosk.yaml in this folder"
    return (f"content folder {config.content_dir} does not exist",
            f"({where}) To start from the demo exhibition: kiosk init SOME-FOLDER, then "
            f"cd SOME-FOLDER and kiosk run. For an exhibition you have: kiosk run --content "
            f"FOLDER, or 'content:' in kiosk.yaml.",
            "没有内容文件夹。从示例展览开始：kiosk init 文件夹，然后进入该文件夹运行 kiosk run；"
            "已有展览：kiosk run --content 文件夹，或在 kiosk.yaml 中设置 'content:'。")


# Libraries that log every step at DEBUG: Kivy lowers the root logger's level, and a day's
# journal would be mostly Markdown parsing and image plugin lines.
NOISY_LOGGERS = ("markdown_it", "PIL", "watchdog", "asyncio", "aiohttp")


def quiet_libraries() -> None:
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)


def run_kiosk(*, config_path=None, content=None, theme=None, windowed=False, size=None,
              status_file=None, metrics_file=None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    quiet_libraries()
    from kiosk.ui.stopsignals import StopSignals

    stop = StopSignals().install()  # SIGTERM, SIGINT, SIGHUP: a clean stop, exit code 0
    try:
        return _run(stop, config_path=config_path, content=content, theme=theme,
                    windowed=windowed, size=size, status_file=status_file,
                    metrics_file=metrics_file)
    except SetupError as exc:
        for line in exc.args:
            log.error("%s", line)
        return 2
    finally:
        stop.restore()


def _run(stop, *, config_path, content, theme, windowed, size, status_file, metrics_file) -> int:
    config, theme_obj, loader, snapshot = prepare(config_path, content, theme, status_file,
                                                  metrics_file)
    if stop.received is not None:
        return 0
    fullscreen = config.fullscreen and not windowed
    # full screen: the window opens at the screen's size, so it covers the screen even
    # where nobody carries out the full-screen request (an X server with no window manager)
    size = window_size(fullscreen=fullscreen, configured=size or config.size)
    configure_kivy(fullscreen=fullscreen, size=size, rotation=config.rotation)
    background = getattr(theme_obj, "background", None)
    if background and size:  # decoded on the other core while Kivy and the app load
        from kiosk.ui.backdrop import decode_ahead

        turned = config.rotation in (90, 270)
        decode_ahead(background, (size[1], size[0]) if turned else size)
    from kiosk.ui.app import KioskApp

    app = KioskApp(config, theme_obj, snapshot, windowed=windowed, loader=loader)
    stop.watch(app)  # hot reload (kiosk.yaml's watch) starts with the app's other services
    try:
        app.run()
    finally:
        app.reloader.stop()  # also when the app did not get as far as stopping itself
    if stop.received is not None:
        leave_now(0)
    return 0


def leave_now(code: int) -> None:
    """End the process at once, after a stop signal and once ``on_stop`` has written
    everything: pictures still being decoded (worker threads at a low priority, which
    Python would wait for) must not hold up systemd's stop for seconds."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(code)
