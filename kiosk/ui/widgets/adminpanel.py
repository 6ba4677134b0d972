"""What staff see in the admin panel after the tour list: content status with the
errors by file and line, Reload now, the language for this session, the display,
visitor figures, a screen test pattern for installers and Exit to desktop.

:class:`AdminSections` is one block inside the admin panel
(:mod:`kiosk.ui.admin_panel`); the panel calls :meth:`AdminSections.open`
once the PIN is right. The figures are read when the panel opens and after
each action. Layout in ``adminpanel.kv``.
"""

from __future__ import annotations

import datetime as _dt
import logging
import time
from pathlib import Path

from kivy.app import App
from kivy.core.window import Window
from kivy.graphics import Color, Rectangle
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk import recovery
from kiosk.ui.kv import load_kv
from kiosk.ui.widgets.common import KButton, KLabel

log = logging.getLogger("kiosk.admin")

MAX_ERRORS_SHOWN = 60  # more than this: the count, and `kiosk check` for the rest
WEEK_DAYS = 7


# ------------------------------------------------------------------ figures
def content_problems(app) -> list:
    """The errors in the content on screen (each has path, line, message, message_zh)."""
    content = app.content
    return [p for p in (content.errors if content else ()) if p.severity == "error"]


def videos_without_player(app) -> bool:
    """True when the content has videos this machine cannot play (staff should know)."""
    from kiosk.videocheck import playback_installed

    content = app.content
    has_video = any(ex.video is not None for s in (content.sections if content else ())
                    for ex in s.exhibits)
    return has_video and not playback_installed()


def problem_text(problem, lang: str) -> str:
    where = problem.path + (f":{problem.line}" if problem.line else "")
    message = problem.message_zh if lang == "zh" and problem.message_zh else problem.message
    return f"{where}  {message}"


RECOVERED_WHAT = {"visitor figures database": "参观统计数据库", "content state": "内容加载记录",
                  "picture cache entry": "图片缓存"}


def recovered_text(note: dict, lang: str) -> str:
    """A damaged file of the kiosk's own, set aside (:mod:`kiosk.recovery`), in a line."""
    kept = note.get("moved_to") or "—"
    if lang == "zh":
        what = RECOVERED_WHAT.get(note["what"], note["what"])
        return f"{note['at'][:19].replace('T', ' ')}  {what}已损坏，另存为 {kept}，已重新开始"
    return (f"{note['at'][:19].replace('T', ' ')}  the {note['what']} was damaged; "
            f"kept as {kept}, a new one was started")


def reload_time(app) -> str:
    """Wall-clock time of the last content change, ``YYYY-MM-DD HH:MM:SS`` local time."""
    stamp = app.content_changed_at
    if not stamp:
        return "—"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp))


def reload_content(app) -> bool:
    """Read the content folder again and show it; True when something changed."""
    return bool(app.reloader.reload_now())


def gl_info() -> dict[str, str]:
    """OpenGL vendor, renderer and version as the driver reports them."""
    info = {}
    try:
        from kivy.graphics import opengl as gl

        for key, name in (("vendor", gl.GL_VENDOR), ("renderer", gl.GL_RENDERER),
                          ("version", gl.GL_VERSION)):
            value = gl.glGetString(name)
            info[key] = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    except Exception as exc:  # no GL context: say so rather than fail the panel
        log.warning("OpenGL strings cannot be read: %s", exc)
    return info


def visitor_figures(app, today: _dt.date | None = None) -> tuple[int | None, int | None]:
    """Sessions today and in the last seven days (today included); None: not recorded."""
    analytics = app.analytics
    today_count = None
    if analytics is not None:
        try:
            today_count = int(analytics.sessions_today())
            analytics.flush()  # the week's figure reads the file
        except Exception as exc:
            log.warning("visitor figures for today cannot be read: %s", exc)
    week = None
    db = app.kiosk_config.analytics_db
    if db:
        path = app.kiosk_config.path(db)
        if Path(path).is_file():
            from kiosk.stats import summarize

            day = today or _dt.date.today()
            try:
                week = summarize(path, day - _dt.timedelta(days=WEEK_DAYS - 1), day).sessions
            except Exception as exc:
                log.warning("visitor figures for the week cannot be read: %s", exc)
    return today_count, week


# ------------------------------------------------------------------ widgets
class LanguageButton(KButton):
    lang = StringProperty("")


class AdminSections(BoxLayout):
    """Content status, actions and figures inside the admin panel."""

    show_exit = BooleanProperty(False)  # only for the staff PIN
    version_text = StringProperty("")
    reloaded_text = StringProperty("")
    errors_text = StringProperty("")
    reload_note = StringProperty("")
    display_text = StringProperty("")
    gl_text = StringProperty("")
    today_text = StringProperty("")
    week_text = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.panel = None

    @property
    def app(self):
        return App.get_running_app()

    def open(self, panel, role: str) -> None:
        self.panel = panel
        self.show_exit = role == "admin"
        self.reload_note = ""
        self.refresh()

    def refresh(self) -> None:
        app = self.app
        ui = app.ui
        self.version_text = ui("panel_version").format(v=int(app.content_version))
        self.reloaded_text = ui("panel_reloaded_at").format(t=reload_time(app))
        problems = content_problems(app)
        self.errors_text = (ui("panel_errors").format(n=len(problems)) if problems
                            else ui("panel_no_errors"))
        box = self.ids.error_list
        box.clear_widgets()
        for problem in problems[:MAX_ERRORS_SHOWN]:
            box.add_widget(ProblemLine(text=problem_text(problem, app.lang)))
        if len(problems) > MAX_ERRORS_SHOWN:
            more = ui("panel_more_errors").format(n=len(problems) - MAX_ERRORS_SHOWN)
            box.add_widget(ProblemLine(text=more))
        for note in recovery.notices():  # the kiosk's own files, found damaged
            box.add_widget(ProblemLine(text=recovered_text(note, app.lang)))
        if videos_without_player(app):
            box.add_widget(ProblemLine(text=ui("no_video")))
        w, h = Window.size
        self.display_text = ui("panel_size").format(w=int(w), h=int(h), r=int(Window.rotation))
        gl = gl_info()
        self.gl_text = "\n".join(
            f"OpenGL {gl[k]}" if k == "version" else gl[k]
            for k in ("version", "renderer", "vendor") if gl.get(k)) or "OpenGL —"
        today, week = visitor_figures(app)
        missing = ui("panel_not_recorded")
        self.today_text = ui("panel_today").format(n=missing if today is None else today)
        self.week_text = ui("panel_week").format(n=missing if week is None else week)
        self._fill_languages()

    def _fill_languages(self) -> None:
        app = self.app
        box = self.ids.languages
        box.clear_widgets()
        names = {"zh": "中文", "en": "English"}
        for lang in app.languages:
            button = LanguageButton(lang=lang, text=names.get(lang, lang), active=lang == app.lang)
            button.bind(on_release=lambda b: self.choose_language(b.lang))
            box.add_widget(button)

    # ------------------------------------------------------------ actions
    def reload_now(self) -> bool:
        app = self.app
        try:
            changed = reload_content(app)
        except Exception:
            log.exception("reload from the admin panel failed")
            self.refresh()
            self.reload_note = app.ui("panel_reload_failed")
            return False
        log.info("content reloaded from the admin panel (%s)", "changed" if changed else "no change")
        self.refresh()
        self.reload_note = app.ui("panel_reload_changed" if changed else "panel_reload_same")
        return changed

    def choose_language(self, lang: str) -> None:
        app = self.app
        app.set_language(lang)
        log.info("language for this session set to %s from the admin panel", lang)
        if self.panel is not None:
            self.panel.show_menu()  # the tour names and these figures in the new language
        else:
            self.refresh()

    def open_screen_test(self):
        app = self.app
        pattern = ScreenTest(on_close=self._screen_test_closed)
        app.root.add_widget(pattern)
        log.info("screen test pattern shown")
        return pattern

    def _screen_test_closed(self):
        if self.panel is not None:
            self.panel.poke()

    def exit_to_desktop(self) -> None:
        if not self.show_exit:
            return
        log.warning("exit to desktop from the admin panel")
        if self.panel is not None:
            self.panel.close()
        self.app.stop()


class ProblemLine(KLabel):
    pass


class ScreenTest(Widget):
    """Colour bars, a gray ramp, a 1-pixel grid and corner markers over the whole window.
    Any touch closes it."""

    BARS = ((1, 1, 1), (1, 1, 0), (0, 1, 1), (0, 1, 0), (1, 0, 1), (1, 0, 0), (0, 0, 1), (0, 0, 0))
    RAMP_STEPS = 16
    GRID = 40  # px between grid lines

    def __init__(self, on_close=None, **kwargs):
        super().__init__(**kwargs)
        self.on_close = on_close
        self.hint = Label(text="", halign="center")
        self.add_widget(self.hint)
        Window.bind(size=self._draw)
        self._draw()

    def _draw(self, *args):
        app = App.get_running_app()
        w, h = Window.size
        self.pos, self.size = (0, 0), (w, h)
        self.canvas.before.clear()
        with self.canvas.before:
            Color(0, 0, 0, 1)
            Rectangle(pos=(0, 0), size=(w, h))
            bars_h = round(h * 0.4)
            bar_w = w / len(self.BARS)
            for i, rgb in enumerate(self.BARS):
                Color(*rgb, 1)
                Rectangle(pos=(round(i * bar_w), h - bars_h), size=(round((i + 1) * bar_w) - round(i * bar_w), bars_h))
            ramp_h = round(h * 0.15)
            step_w = w / self.RAMP_STEPS
            for i in range(self.RAMP_STEPS):
                v = i / (self.RAMP_STEPS - 1)
                Color(v, v, v, 1)
                x0, x1 = round(i * step_w), round((i + 1) * step_w)
                Rectangle(pos=(x0, h - bars_h - ramp_h), size=(x1 - x0, ramp_h))
            grid_top = h - bars_h - ramp_h
            Color(1, 1, 1, 1)
            for x in range(0, int(w), self.GRID):
                Rectangle(pos=(x, 0), size=(1, grid_top))
            for y in range(0, int(grid_top), self.GRID):
                Rectangle(pos=(0, y), size=(w, 1))
            # a 1-pixel frame on the outermost pixels, and L-shaped corner markers
            Color(1, 0.2, 0.2, 1)
            for pos, size in (((0, 0), (w, 1)), ((0, h - 1), (w, 1)), ((0, 0), (1, h)), ((w - 1, 0), (1, h))):
                Rectangle(pos=pos, size=size)
            arm, thick = max(24, round(min(w, h) * 0.06)), max(3, round(min(w, h) * 0.006))
            Color(0, 1, 0.3, 1)
            for cx, cy, sx, sy in ((0, 0, 1, 1), (w, 0, -1, 1), (0, h, 1, -1), (w, h, -1, -1)):
                Rectangle(pos=(cx if sx > 0 else cx - arm, cy if sy > 0 else cy - thick), size=(arm, thick))
                Rectangle(pos=(cx if sx > 0 else cx - thick, cy if sy > 0 else cy - arm), size=(thick, arm))
            # a dark plate under the hint so the grid does not cross the words
            font = app.font["body"] if app else 20
            plate_w, plate_h = min(w * 0.8, font * 18), font * 5
            Color(0, 0, 0, 1)
            Rectangle(pos=((w - plate_w) / 2, (h - bars_h - ramp_h) / 2 - plate_h / 2),
                      size=(plate_w, plate_h))
        hint = self.hint
        hint.font_name = app.font_name if app else "Roboto"
        hint.font_size = app.font["body"] if app else 20
        hint.text = f"{w}×{h}\n{_both('panel_screen_test_hint')}"
        hint.size = (w, (h - bars_h - ramp_h) * 0.5)
        hint.text_size = hint.size
        hint.valign = "middle"
        hint.pos = (0, (h - bars_h - ramp_h) * 0.25)
        hint.color = (1, 0.85, 0.4, 1)

    def close(self):
        Window.unbind(size=self._draw)
        if self.parent is not None:
            self.parent.remove_widget(self)
            log.info("screen test pattern closed")
            if self.on_close is not None:
                self.on_close()

    def on_touch_down(self, touch):
        self.close()
        return True

    def on_touch_move(self, touch):
        return True

    def on_touch_up(self, touch):
        return True


def _both(key: str) -> str:
    from kiosk.ui.style import ui_text

    return f"{ui_text(key, 'zh')}\n{ui_text(key, 'en')}"


load_kv(__file__, "adminpanel.kv")
