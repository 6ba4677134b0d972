"""From a theme to what layouts use: colours, font sizes and spacing in pixels.

Sizes in a theme are fractions of the screen's short side, so the same theme
fits a 1080x1920 portrait panel and a 1920x1080 landscape one.
"""

from __future__ import annotations

from kivy.core.text import LabelBase
from kivy.utils import get_color_from_hex

from kiosk.a11y.lint import CONTRAST_TEXT
from kiosk.a11y.lint import TEXT_PAIRS as A11Y_TEXT_PAIRS
from kiosk.theme import DEFAULT_COLOURS, DEFAULT_SPACE_SIZES, DEFAULT_TEXT_SIZES, Transition
from kiosk.theme import contrast as _theme_contrast

FONT_NAME = "KioskSans"

# The theme's defaults (kiosk/theme.py, the one place they are written), under the names
# the layouts use: ``app.colors``, ``app.font`` and ``app.space`` start from these.
DEFAULT_COLORS = dict(DEFAULT_COLOURS)
DEFAULT_FONT_SIZES = dict(DEFAULT_TEXT_SIZES)  # fractions of the screen's short side
DEFAULT_SPACES = {**DEFAULT_SPACE_SIZES, "touch": DEFAULT_SPACE_SIZES["touch_min"]}
# (text, what it sits on, minimum) for every text colour pair a screen draws on an opaque
# colour: the accessibility check's list (kiosk/a11y/lint.py), held here to the body-text
# minimum of 4.5:1 throughout
TEXT_PAIRS = [(fg, bg, CONTRAST_TEXT) for fg, bg, _large, _where in A11Y_TEXT_PAIRS
              if bg != "overlay"]

UI_TEXT = {
    "back": ("返回", "Back"),
    "home": ("首页", "Home"),
    "large_text": ("大字", "Large text"),
    "normal_text": ("标准", "Normal text"),
    "language": ("English", "中文"),
    "touch_to_begin": ("触摸屏幕开始参观", "Touch to begin"),
    "returning_home": ("即将返回首页", "Returning to the home page"),
    "stay": ("继续浏览", "Keep browsing"),
    "seconds": ("秒", "s"),
    "no_video": ("本机未安装视频播放组件（ffpyplayer）：带视频的展项只显示封面", "Video playback (ffpyplayer) is not installed: exhibits with a video show their poster"),
    "no_items": ("暂无内容", "Nothing here yet"),
    "photo_of": ("第 {n} / {total} 张", "Photo {n} of {total}"),
    "exhibits": ("件展项", "exhibits"),
    "open": ("查看", "Open"),
    "photo_count": ("共 {n} 张", "{n} photos"),
    "more_pictures": ("更多图片", "More pictures"),
    "undated": ("其他", "Other"),
    "drag_hint": ("左右拖动，浏览历程", "Drag sideways to travel through time"),
    "close": ("关闭", "Close"),
    "tap_for_details": ("轻触卡片查看详情", "Tap a card to see it in full"),
    "also_here": ("本单元还有", "Also in this section"),
    # guided tours and the admin panel
    "tour_previous": ("‹ 上一站", "‹ Back"),
    "tour_next": ("下一站 ›", "Next ›"),
    "tour_finish": ("完成讲解", "Finish"),
    "tour_pause": ("暂停", "Pause"),
    "tour_resume": ("继续", "Resume"),
    "tour_auto_in": ("自动翻页 {s}秒", "Auto-advance\n{s} s"),  # tap to pause
    "tour_auto_paused": ("自动翻页：已暂停", "Auto-advance:\npaused"),  # tap to resume
    "tour_next_in": ("{s} 秒后翻页", "Next in {s} s"),
    "tour_paused": ("已暂停自动翻页", "Auto-advance paused"),
    "tour_notes": ("讲解词", "Notes"),
    "tour_stops": ("共 {n} 站", "{n} stops"),
    "admin_title": ("讲解模式", "Guided tours"),
    "admin_choose": ("请选择讲解路线", "Choose a tour"),
    "admin_end_tour": ("结束当前讲解", "End the current tour"),
    "admin_no_tours": ("还没有讲解路线：请在 content/tours/ 里放入 .yaml 文件。",
                       "No tours yet: put .yaml files in content/tours/."),
    "pin_prompt": ("请输入密码", "Enter the PIN"),
    "pin_wrong": ("密码不正确", "Wrong PIN"),
    "pin_wait": ("尝试次数过多，请 {s} 秒后再试", "Too many tries: try again in {s} s"),
    "pin_none": ("本机尚未设置密码。请在终端运行 kiosk pin 设置。",
                 "No PIN is set on this kiosk. Run `kiosk pin` in a terminal."),
    "pin_delete": ("删除", "Delete"),
    "ok": ("确定", "OK"),
    "cancel": ("取消", "Cancel"),
    # the staff panel (hidden gesture + staff PIN)
    "panel_title": ("管理面板", "Admin panel"),
    "remote_failed": ("讲解遥控未能启动（{e}），请检查 kiosk.yaml 中的 remote 设置。",
                      "The tour remote could not start ({e}): check remote in kiosk.yaml."),
    "remote_scan": ("讲解员用手机扫码，打开讲解遥控。手机须与大屏连在同一网络。",
                    "Scan with the guide's phone to open the tour remote. "
                    "The phone must be on the same network as the screen."),
    "panel_tours": ("讲解路线", "Guided tours"),
    "panel_content": ("展示内容", "Content"),
    "panel_version": ("内容版本：{v}", "Content version: {v}"),
    "panel_reloaded_at": ("上次更新：{t}", "Last reload: {t}"),
    "panel_errors": ("内容错误：{n} 处", "Content errors: {n}"),
    "panel_no_errors": ("内容没有错误", "No errors in the content"),
    "panel_more_errors": ("……另有 {n} 处，见 kiosk check", "… and {n} more: run kiosk check"),
    "panel_reload": ("立即重新载入", "Reload now"),
    "panel_reload_changed": ("已载入新内容", "New content applied"),
    "panel_reload_same": ("内容没有变化", "The content has not changed"),
    "panel_reload_failed": ("重新载入失败，见日志", "Reload failed: see the log"),
    "panel_language": ("本次默认语言", "Language for this session"),
    "panel_display": ("显示器", "Display"),
    "panel_size": ("窗口 {w}×{h}，旋转 {r}°", "Window {w}×{h}, rotation {r}°"),
    "panel_visitors": ("观众人次", "Visitors"),
    "panel_today": ("今天：{n}", "Today: {n}"),
    "panel_week": ("最近 7 天：{n}", "Last 7 days: {n}"),
    "panel_not_recorded": ("未记录", "not recorded"),
    "panel_screen_test": ("屏幕测试图", "Screen test"),
    "panel_screen_test_hint": ("轻触任意处关闭", "Touch anywhere to close"),
    "panel_exit": ("退出到桌面", "Exit to desktop"),
}


def _rgba(value) -> tuple[float, float, float, float]:
    if isinstance(value, str):
        return tuple(get_color_from_hex(value))
    v = tuple(float(x) for x in value)
    return v if len(v) == 4 else (*v, 1.0)


def over(top, under) -> tuple[float, float, float, float]:
    """``top`` (with its opacity) laid over the opaque colour ``under``."""
    a = top[3] if len(top) > 3 else 1.0
    return tuple(top[i] * a + under[i] * (1 - a) for i in range(3)) + (1.0,)


def contrast(fg, bg) -> float:
    """WCAG contrast ratio of two colours (RGB(A) floats 0-1; see-through ``fg`` over ``bg``)."""
    return _theme_contrast(_rgba(fg), _rgba(bg)[:3] + (1.0,))


def colors(theme) -> dict:
    table = {k: _rgba(v) for k, v in DEFAULT_COLORS.items()}
    for k, v in (getattr(theme, "colors", None) or {}).items():
        table[k] = _rgba(v)
    return table


def _short_side(w: float, h: float) -> float:
    return min(w, h)


def fonts(theme, w: float, h: float, scale: float = 1.0) -> dict:
    sizes = dict(DEFAULT_FONT_SIZES)
    sizes.update(getattr(theme, "font_sizes", None) or {})
    s = _short_side(w, h)
    return {k: round(v * s * scale, 1) for k, v in sizes.items()}


def spaces(theme, w: float, h: float) -> dict:
    table = dict(DEFAULT_SPACES)
    table.update(getattr(theme, "spaces", None) or {})
    s = _short_side(w, h)
    out = {k: round(v * s, 1) for k, v in table.items()}
    out["touch"] = max(out["touch"], 70.0 * s / 1080.0 if s < 1080 else 70.0)
    return out


def transition(theme) -> tuple[str, float]:
    t = getattr(theme, "transition", None) or Transition()
    return t.kind, float(t.duration)


def register_fonts(theme) -> None:
    """Point the layouts' font name at the theme's font files; what was measured with
    the previous files is forgotten (:mod:`kiosk.ui.textmeasure`)."""
    from kiosk.ui import textmeasure

    textmeasure.clear()
    regular = getattr(theme, "font_regular", None)
    bold = getattr(theme, "font_bold", None) or regular
    if regular:
        LabelBase.register(FONT_NAME, fn_regular=str(regular), fn_bold=str(bold))
    else:
        LabelBase.register(FONT_NAME, fn_regular="Roboto-Regular.ttf", fn_bold="Roboto-Bold.ttf")


def ui_text(key: str, lang: str) -> str:
    zh, en = UI_TEXT.get(key, (key, key))
    return zh if lang == "zh" else en
