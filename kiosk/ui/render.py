"""``kiosk render``: every screen to PNG, offscreen, for review before content goes live.

Writes one PNG per route, ``index.json`` mapping each route to its picture and
source file, and optionally one self-contained HTML review sheet. While each
screen is shown it also looks for text the theme's font cannot draw and for
labels that run off the screen, and lists them in ``index.json``.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

from kivy.base import EventLoop, runTouchApp
from kivy.core.window import Window
from kivy.uix.label import Label
from kivy.uix.screenmanager import NoTransition

from kiosk.ui.access.probe import findings as access_findings
from kiosk.ui.images import pictures_settled, wait_idle
from kiosk.ui.navigation import all_routes, tour_routes


def route_file(route: str, lang: str, size) -> str:
    w, h = size
    return f"{route.replace('/', '__')}.{lang}.{w}x{h}.png"


def _frames(n: int = 4):
    for _ in range(n):
        EventLoop.idle()


def save_png(widget, path: Path) -> None:
    """Draw ``widget`` offscreen and save it (Pillow encodes far faster than Kivy's saver)."""
    from kivy.core.window import Window
    from PIL import Image

    texture = widget.export_as_image().texture
    w, h = texture.size
    image = Image.frombytes("RGBA", (w, h), bytes(texture.pixels))
    # what the window shows under anything drawn: its clear colour (the drawing offscreen
    # starts from transparent instead)
    under = Image.new("RGBA", (w, h), tuple(round(c * 255) for c in Window.clearcolor[:3]) + (255,))
    Image.alpha_composite(under, image).convert("RGB").save(path, compress_level=1)


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


def inspect_screen(app, root) -> dict:
    """Characters the font lacks and labels outside the window, on what is shown now."""
    theme = app.theme
    have = theme.font_chars() if theme is not None else frozenset()
    missing: dict[str, None] = {}
    overflow: list[str] = []
    win_w, win_h = Window.size
    for widget in root.walk(restrict=True):
        if not isinstance(widget, Label) or not widget.text or widget.opacity == 0:
            continue
        if _hidden(widget):
            continue
        if have:
            for ch in widget.text:
                if not ch.isspace() and ch not in have and ord(ch) > 0x7F:
                    missing[ch] = None
        x, y = widget.to_window(widget.x, widget.y)
        tw = widget.texture_size[0]
        left = x + (widget.width - tw) / 2 if widget.halign == "center" else x
        if tw > 2 and (left < -2 or left + tw > win_w + 2) and not widget.shorten:
            if _inside_scroll(widget):
                continue
            overflow.append(widget.text[:60])
    return {"missing_glyphs": "".join(missing), "overflow": overflow}


def _hidden(widget) -> bool:
    w = widget
    while w is not None and w.parent is not w:
        if getattr(w, "opacity", 1) == 0:
            return True
        w = w.parent
    return False


def _inside_scroll(widget) -> bool:
    from kivy.uix.scrollview import ScrollView

    w = widget.parent
    while w is not None and w.parent is not w:
        if isinstance(w, ScrollView) and w.do_scroll_x:
            return True
        w = w.parent
    return False


def render_all(config, theme, content, *, out, size=(1080, 1920), lang=None, routes=None,
               sheet=None) -> int:
    from kiosk.ui.app import KioskApp

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    Window.size = size
    from dataclasses import replace

    from kiosk.config import RemoteConfig

    config = replace(config, remote=RemoteConfig())  # pictures only: the guide's phone stays off
    app = KioskApp(config, theme, content, windowed=True)
    app._run_prepare()
    runTouchApp(embedded=True)
    from kivy.clock import Clock

    max_fps, Clock._max_fps = Clock._max_fps, 0  # offline: draw as fast as possible
    try:
        app.idle.stop()
        app.manager.transition = NoTransition()
        _frames(3)
        lang = lang or content.site.default_language
        app.set_language(lang)
        index_path = out / "index.json"
        index = json.loads(index_path.read_text("utf-8")) if index_path.exists() else {}
        entries = index.setdefault("pictures", [])
        entries[:] = [e for e in entries if not (e["lang"] == lang and e["size"] == list(size))]
        problems = 0
        for route in routes or routes_to_render(content):
            if not app.go(route, push=False):
                print(f"{route}: cannot be shown")
                problems += 1
                continue
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
            name = route_file(route, lang, size)
            save_png(app.root, out / name)
            found = inspect_screen(app, app.root)
            found["accessibility"] = access_findings(app, app.root)  # size and reach of controls
            entry = {
                "route": route,
                "file": name,
                "lang": lang,
                "size": list(size),
                "source": source_of(content, route),
                **found,
            }
            entries.append(entry)
            if found["missing_glyphs"] or found["overflow"]:
                problems += 1
                print(f"{route}: missing glyphs {found['missing_glyphs']!r}, overflow {found['overflow']}")
        index["routes"] = sorted({e["route"] for e in entries})
        index_path.write_text(json.dumps(index, ensure_ascii=False, indent=2), "utf-8")
        if sheet:
            write_sheet(Path(sheet), out, entries, content)
        print(f"rendered {len([e for e in entries if e['lang'] == lang and e['size'] == list(size)])} "
              f"screens to {out} ({lang}, {size[0]}x{size[1]})")
        return 1 if problems else 0
    finally:
        Clock._max_fps = max_fps
        app.stop()
        for child in list(Window.children):
            Window.remove_widget(child)


def write_sheet(path: Path, out: Path, entries: list[dict], content) -> None:
    """One HTML page with every picture embedded, its route and source file."""
    from PIL import Image

    title = html.escape(content.site.title.get())
    cards = []
    for e in entries:
        png = out / e["file"]
        if not png.exists():
            continue
        with Image.open(png) as im:
            im = im.convert("RGB")
            im.thumbnail((540, 540))
            buf = io.BytesIO()
            im.save(buf, "JPEG", quality=82)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        notes = []
        if e.get("missing_glyphs"):
            notes.append(f"缺字 missing glyphs: {html.escape(e['missing_glyphs'])}")
        if e.get("overflow"):
            notes.append("文字超出屏幕 text off screen: " + html.escape("; ".join(e["overflow"])))
        cards.append(
            f'<figure><img src="data:image/jpeg;base64,{data}" alt="{html.escape(e["route"])}">'
            f'<figcaption><b>{html.escape(e["route"])}</b> · {e["lang"]} · {e["size"][0]}×{e["size"][1]}'
            f'<br><code>{html.escape(e.get("source") or "")}</code>'
            + "".join(f'<br><span class="warn">{n}</span>' for n in notes)
            + "</figcaption></figure>"
        )
    page = f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{title} — 审阅 review</title>
<style>
body {{ font-family: sans-serif; background: #f4efe6; color: #2a1a14; margin: 2em; }}
h1 {{ color: #8f1219; }}
main {{ display: flex; flex-wrap: wrap; gap: 1.2em; }}
figure {{ margin: 0; background: #fff; padding: .6em; border: 1px solid #d9c9a8; width: 280px; }}
img {{ width: 100%; height: auto; display: block; }}
figcaption {{ font-size: .85em; margin-top: .4em; word-break: break-all; }}
.warn {{ color: #b00020; }}
</style></head><body>
<h1>{title}</h1>
<p>共 {len(cards)} 张画面 / {len(cards)} screens. 每张下方是页面路径和内容文件 / route and source file under each.</p>
<main>{''.join(cards)}</main>
</body></html>
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, "utf-8")
