"""``kiosk render``: every screen to PNG, offscreen, for review before content goes live.

Writes one PNG per route and combination (language, size, 大字, theme),
``index.json`` listing each picture with its route, source file and findings,
and optionally one self-contained HTML review sheet with every finding marked
on its picture. The findings come from :mod:`kiosk.ui.review`: text cut
without an ellipsis, text outside its box or the screen, texts overlapping,
stretched tiles, low contrast on the rendered pixels, missing glyphs (errors)
and text shortened with an ellipsis (warnings). The command exits 1 when a
picture has an error.
"""

from __future__ import annotations

import gc
import json
import logging
from pathlib import Path

from kivy.base import EventLoop, runTouchApp
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.uix.screenmanager import NoTransition

from kiosk.ui import frameclear
from kiosk.ui.access.probe import findings as access_findings
from kiosk.ui.images import pictures_settled, wait_idle
from kiosk.ui.navigation import all_routes, tour_routes
from kiosk.ui.review import ERROR, WARNING, collect, detect
from kiosk.ui.review.sheet import write_sheet

PORTRAIT, LANDSCAPE = (1080, 1920), (1920, 1080)


def route_file(route: str, lang: str, size, large: bool = False, theme: str | None = None) -> str:
    w, h = size
    tags = (".large" if large else "") + (f".{theme}" if theme else "")
    return f"{route.replace('/', '__')}.{lang}.{w}x{h}{tags}.png"


def _frames(n: int = 4):
    """``n`` rounds of the Clock and layout without drawing the window: the pictures are
    drawn offscreen (``grab``), so a window frame would be work thrown away (except the one
    :func:`release_left_behind` draws, for memory)."""
    for _ in range(n):
        Clock.tick()
        EventLoop.dispatch_input()
        Builder.sync()
        Clock.tick_draw()
        Builder.sync()


def grab(widget):
    """What ``widget`` draws, as a Pillow RGB image (drawn offscreen, over the window's
    clear colour as the window shows it)."""
    from kivy.graphics.context import get_context
    from PIL import Image

    texture = widget.export_as_image().texture
    w, h = texture.size
    pixels = texture.pixels
    del texture  # the offscreen drawing's memory goes before the picture is made
    # (each full-screen copy is 8 MB at 1080x1920: no more of them than needed). Kivy
    # deletes the drawing's texture and buffers at the next frame; now, so that they are
    # not held while the picture is made and inspected (16 MB at 1080x1920).
    get_context().gl_dealloc()
    image = Image.frombuffer("RGBA", (w, h), pixels, "raw", "RGBA", 0, 1)
    if image.getextrema()[3] == (255, 255):  # opaque all over (a screen with a background)
        return image.convert("RGB")  # the same pixels, one full-screen copy fewer
    # what the window shows under anything drawn: its clear colour (the drawing offscreen
    # starts from transparent instead)
    out = Image.new("RGB", (w, h), tuple(round(c * 255) for c in Window.clearcolor[:3]))
    out.paste(image.convert("RGB"), (0, 0), image)
    return out


def save_png(widget, path: Path) -> None:
    """Draw ``widget`` offscreen and save it (Pillow encodes far faster than Kivy's saver)."""
    grab(widget).save(path, compress_level=1)


def routes_to_render(content) -> list[str]:
    """Every screen a visitor can reach, then every step of every guided tour (``tour/ID/N``)."""
    return all_routes(content) + tour_routes(content)


def source_of(content, route: str) -> str:
    if route.startswith("tour/"):
        tour = content.tour(route.split("/")[1])
        return tour.source if tour is not None else ""
    target = content.resolve(route)
    if target is None:
        return content.site.source if route in ("home", "attract") else ""
    return getattr(target, "source", "")


def inspect_screen(app, root, *, route: str = "", content=None, pixels=None) -> list:
    """The findings on what ``root`` shows now (``pixels``: its picture, for contrast)."""
    content = content if content is not None else app.content
    scene = collect([root])
    source = source_of(content, route) if (content is not None and route) else ""
    return detect(scene, pixels, route=route, source=source,
                  source_of=(lambda r: source_of(content, r)) if content is not None else None)


def matrix_combos(size=PORTRAIT, langs=("zh", "en")) -> list[tuple]:
    """Portrait and landscape (``size`` and its transpose) × languages × normal/大字."""
    w, h = size
    portrait, landscape = (min(w, h), max(w, h)), (max(w, h), min(w, h))
    return [(s, lang, large) for s in (portrait, landscape) for lang in langs for large in (False, True)]


def release_left_behind(app) -> None:
    """No quiet moment comes while rendering: the screen just left behind (its widgets hold
    each other, and their text textures) is collected and memory handed back before the next
    one is drawn and taken, not after. Everything made since rendering began is looked at:
    nothing of it is frozen (the app's memory trim holds its passes)."""
    from kivy.graphics.context import get_context

    _frames(1)  # the screen manager lets go of the screen it showed
    gc.collect()
    get_context().gl_dealloc()  # the textures of what was collected go now
    # and the renderer lets go of their memory only once a window frame is shown (one per
    # picture; the layout rounds draw none): without it a render with camera photos peaked
    # at 460-470 MB instead of about 380. A cleared frame does it as well as one with the
    # screen drawn in it, for nothing of a screen's drawing (the picture is drawn offscreen).
    frameclear.clear_all(Window)
    Window.dispatch("on_flip")
    app.memory_trim.trim_now()


def settle_screen(app) -> None:
    _frames(3)
    screen = app.manager.current_screen
    if hasattr(screen, "settle"):
        screen.settle()
    _frames(4)
    for _ in range(10):  # every picture decoded and shown before the PNG is taken
        wait_idle()  # (lists that recycle their rows place them a frame later)
        _frames(2)
        if pictures_settled(app.root):
            break


def render_all(config, theme, content, *, out, size=PORTRAIT, lang=None, routes=None,
               sheet=None, large_text=False, combos=None, theme_name=None, verbose=True) -> int:
    """Render ``routes`` (default: all) in each of ``combos`` ((size, lang, large) triples;
    default: the one given by ``size``, ``lang`` and ``large_text``) with one app on ``theme``.
    Returns 1 when a route cannot be shown or a picture has an error, else 0."""

    from kiosk.ui.app import KioskApp

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    lang = lang or content.site.default_language
    combos = combos or [(tuple(size), lang, bool(large_text))]
    Window.size = combos[0][0]
    from dataclasses import replace

    from kiosk.config import RemoteConfig

    # pictures only: the guide's phone stays off, and nothing reloads while they are taken
    config = replace(config, remote=RemoteConfig(), watch="off")
    app = KioskApp(config, theme, content, windowed=True)
    app._run_prepare()
    runTouchApp(embedded=True)
    max_fps, Clock._max_fps = Clock._max_fps, 0  # offline: draw as fast as possible
    index_path = out / "index.json"
    index = json.loads(index_path.read_text("utf-8")) if index_path.exists() else {}
    entries = index.setdefault("pictures", [])
    done = {(tuple(s), lg, bool(lt), theme_name) for s, lg, lt in combos}
    entries[:] = [e for e in entries if (tuple(e["size"]), e["lang"], bool(e.get("large_text")),
                                         e.get("theme")) not in done]
    problems = 0
    try:
        app.manager.transition = NoTransition()
        _frames(3)  # the app's services start after the first of these
        app.idle.stop()  # no countdown or attract loop while pictures are taken
        # what exists now (the app, its fonts, the caller's objects) outlives every picture:
        # the collection after each picture looks only at what was made since
        app.memory_trim.hold_passes()
        gc.collect()
        gc.freeze()
        # Routes are drawn one after the other, each once: one screen kept besides Home (to
        # refill for the next photo or exhibit) is enough, and each costs memory.
        app.keep_screens(1, spares=False)
        for csize, clang, large in combos:
            if tuple(Window.size) != tuple(csize):
                Window.size = csize
            app.set_language(clang)
            if app.large_text != large:
                app.toggle_large_text()
            _frames(3)
            for route in routes or routes_to_render(content):
                if not app.go(route, push=False):
                    print(f"{route}: cannot be shown")
                    problems += 1
                    continue
                release_left_behind(app)
                settle_screen(app)
                name = route_file(route, clang, csize, large, theme_name)
                pixels = grab(app.root)
                pixels.save(out / name, compress_level=1)
                findings = [f.as_dict() for f in inspect_screen(app, app.root, route=route,
                                                                 content=content, pixels=pixels)]
                del pixels  # (8 MB at 1080x1920: not kept while the next screen is drawn)
                errors = sum(f["level"] == ERROR for f in findings)
                entry = {
                    "route": route, "file": name, "lang": clang, "size": list(csize),
                    "large_text": large, "theme": theme_name, "source": source_of(content, route),
                    "errors": errors, "warnings": sum(f["level"] == WARNING for f in findings),
                    "findings": findings,
                    "accessibility": access_findings(app, app.root),  # size and reach of controls
                    "missing_glyphs": "".join(dict.fromkeys(
                        "".join(f["extra"]["chars"] for f in findings if f["kind"] == "missing-glyph"))),
                    "overflow": [f["widget"]["text"] for f in findings if f["kind"] == "overflow"],
                }
                entries.append(entry)
                if errors:
                    problems += 1
                    if verbose:
                        print(f"{name}: {errors} error(s)")
                        for f in findings:
                            if f["level"] == ERROR:
                                print(f"  {f['kind']}: {f['widget']['class']} "
                                      f"'{f['widget']['text']}': {f['message']}")
        index["routes"] = sorted({e["route"] for e in entries})
        # The pictures show the content as it loads now: its own errors (a misspelt title
        # shows the folder's name) count too, though `kiosk check` is where they are told.
        content_errors = [f"{p.path}:{p.line}: {p.message}" if p.line else f"{p.path}: {p.message}"
                          for p in content.problems if p.is_error]
        index["content_errors"] = content_errors
        index_path.write_text(json.dumps(index, ensure_ascii=False, indent=1), "utf-8")
        if sheet:
            write_sheet(Path(sheet), out, entries, content)
        mine = [e for e in entries if (tuple(e["size"]), e["lang"], bool(e.get("large_text")),
                                       e.get("theme")) in done]
        print(f"rendered {len(mine)} screens to {out} ({theme_name or 'theme'}: "
              + ", ".join(f"{lg} {s[0]}x{s[1]}{' 大字' if lt else ''}" for s, lg, lt in combos)
              + f"): {sum(e['errors'] for e in mine)} errors, {sum(e['warnings'] for e in mine)} warnings")
        if content_errors:
            print(f"the content itself has {len(content_errors)} error(s), shown as it loads now "
                  "(kiosk check explains each):")
            for line in content_errors[:10]:
                print(f"  {line}")
        return 1 if problems or content_errors else 0
    finally:
        gc.unfreeze()
        Clock._max_fps = max_fps
        app.stop()
        for child in list(Window.children):
            Window.remove_widget(child)
        EventLoop.quit = False  # the loop outlives the app: the next theme starts another


def render_command(*, out, size=None, lang=None, content=None, theme=None, config_path=None,
                   routes=None, sheet=None, large_text=False, matrix=False) -> int:
    """``kiosk render``: one combination, or with ``matrix`` every theme of the themes folder
    × portrait/landscape × zh/en × normal/大字."""
    from kiosk.config import SetupError
    from kiosk.theme import find_theme, list_themes, load_theme
    from kiosk.ui.boot import configure_kivy, prepare

    try:
        config, theme_obj, _, snapshot = prepare(config_path, content, theme)
    except SetupError as exc:  # no content, a broken kiosk.yaml, own files in the content
        for line in exc.args:
            logging.getLogger("kiosk").error("%s", line)
        return 2
    size = tuple(size or PORTRAIT)
    configure_kivy(fullscreen=False, size=size, headless=True)
    if not matrix:
        return render_all(config, theme_obj, snapshot, out=out, size=size, lang=lang,
                          routes=routes, sheet=sheet, large_text=large_text,
                          theme_name=Path(theme).name if theme else None)
    root = config.path(config.themes_dir)
    names = [theme] if theme else list_themes(root)
    langs = (lang,) if lang else tuple(snapshot.site.languages)
    code = 0
    for name in names:
        folder = find_theme(name, root)
        obj = load_theme(folder)[0] if folder else theme_obj
        code |= render_all(config, obj, snapshot, out=out, routes=routes, combos=matrix_combos(size, langs),
                           theme_name=Path(name).name)
    if sheet:
        index = json.loads((Path(out) / "index.json").read_text("utf-8"))
        write_sheet(Path(sheet), Path(out), index["pictures"], snapshot)
    return code
