"""Themes: colours, fonts, sizes and transitions read from ``themes/NAME/theme.yaml``.

No Kivy here. ``load_theme(folder)`` always returns a usable :class:`Theme`
together with the problems it found: a wrong colour keeps its default, a
missing font file falls back to Kivy's built-in Roboto (the app still runs,
Chinese text will not show), an unknown key is warned about with a suggestion.

Sizes in a theme are fractions of the screen's *short* side, so one theme fits
a 1080x1920 portrait panel and a 1920x1080 landscape one alike::

    theme, problems = load_theme(find_theme("party-red", Path("themes")))
    theme.px("body", 1080, 1920)   # -> 32.4
    theme.colours.primary          # -> (r, g, b, a) floats 0..1
"""

from __future__ import annotations

import functools
import importlib.util
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from kiosk.content.fields import did_you_mean
from kiosk.content.model import Problem
from kiosk.content.source import LineDict, load_yaml, problem, read_text
from kiosk.resources import builtin_theme, themes_dir

THEME_FILE = "theme.yaml"
TRANSITIONS = ("slide", "fade", "none")
BACKGROUND_FITS = ("cover", "stretch", "tile")
FALLBACK_FONT_NAME = "Roboto"

Rgba = tuple[float, float, float, float]

# Default values: the party-red look, used for anything a theme leaves out.
DEFAULT_COLOURS: dict[str, str] = {
    "background": "#7a0c12",  # the screen behind everything
    "surface": "#8f1219",  # bars and panels on the background
    "primary": "#b71c1c",  # buttons, the selected tab
    "accent": "#e8c26a",  # gold: headings, highlights, the selected marker
    "text": "#fff6e5",  # body text on background and surface
    "text_muted": "#f0d9b5",  # secondary text: dates, captions
    "on_primary": "#fff6e5",  # text on primary
    "on_accent": "#5a0a0e",  # text on accent
    "card": "#fffaf0",  # cards and article pages
    "on_card": "#3a1a12",  # text on cards
    "card_muted": "#664636",  # secondary text on cards
    "divider": "#e8c26a66",  # thin lines
    "pressed": "#ffffff33",  # overlay on a pressed button or card
    "overlay": "#000000b3",  # behind dialogs and the photo viewer
    "error": "#ffd180",  # staff messages on the background
    # the photo viewer is dark in every theme (photos read best on near-black)
    "viewer": "#0e0b0b",
    "on_viewer": "#fff6e5",  # captions in the viewer
    "viewer_muted": "#d8cbb8",  # the viewer's counter and secondary text
    "viewer_accent": "#e8c26a",  # the viewer's arrows
}
DEFAULT_TEXT_SIZES: dict[str, float] = {
    "display": 0.056,  # the exhibition title on the home and attract screens
    "title": 0.044,  # a screen's title
    "heading": 0.034,
    "subheading": 0.027,
    "body": 0.024,
    "caption": 0.019,
    "stat": 0.085,  # big figures on stats boards
    "button": 0.024,
}
DEFAULT_SPACE_SIZES: dict[str, float] = {
    "margin": 0.045,  # screen edge to content
    "gap": 0.022,  # between cards and blocks
    "touch_min": 0.068,  # smallest touch target (>= 70 px on a 1080 px short side)
    "bar": 0.105,  # height of the top and bottom bars
    "radius": 0.014,  # corner radius of cards and buttons
    "card_height": 0.30,
}
SIZE_NAMES = (*DEFAULT_TEXT_SIZES, *DEFAULT_SPACE_SIZES)
TOP_KEYS = ("name", "description", "colours", "fonts", "sizes", "line_height",
            "background", "transition")
_HEX = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")

# (foreground, background, minimum contrast): WCAG AA is 4.5 for body text, 3 for large text.
CONTRAST_PAIRS = (
    ("text", "background", 4.5),
    ("text", "surface", 4.5),
    ("text_muted", "background", 4.5),
    ("on_primary", "primary", 4.5),
    ("on_card", "card", 4.5),
    ("card_muted", "card", 4.5),
    ("on_accent", "accent", 4.5),
    ("accent", "background", 3.0),
)


def parse_colour(value: str) -> Rgba | None:
    """``"#rrggbb"`` or ``"#rrggbbaa"`` to floats 0..1; None if it is neither."""
    if not isinstance(value, str) or not _HEX.match(value.strip()):
        return None
    digits = value.strip()[1:]
    parts = [int(digits[i:i + 2], 16) / 255.0 for i in range(0, len(digits), 2)]
    if len(parts) == 3:
        parts.append(1.0)
    return (parts[0], parts[1], parts[2], parts[3])


def _luminance(c: Rgba) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])


def _over(fg: Rgba, bg: Rgba) -> Rgba:
    a = fg[3]
    return (fg[0] * a + bg[0] * (1 - a), fg[1] * a + bg[1] * (1 - a),
            fg[2] * a + bg[2] * (1 - a), 1.0)


def contrast(fg: Rgba, bg: Rgba) -> float:
    """WCAG contrast ratio of ``fg`` drawn over ``bg`` (1 to 21)."""
    solid_bg = bg if bg[3] >= 1 else _over(bg, (1.0, 1.0, 1.0, 1.0))
    solid_fg = _over(fg, solid_bg)
    hi, lo = sorted((_luminance(solid_fg), _luminance(solid_bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _kivy_font(name: str) -> str:
    """Path of one of Kivy's bundled fonts, found without importing Kivy."""
    spec = importlib.util.find_spec("kivy")
    if spec and spec.submodule_search_locations:
        path = Path(list(spec.submodule_search_locations)[0]) / "data" / "fonts" / name
        if path.exists():
            return str(path)
    return FALLBACK_FONT_NAME


@dataclass(frozen=True)
class Colours:
    background: Rgba
    surface: Rgba
    primary: Rgba
    accent: Rgba
    text: Rgba
    text_muted: Rgba
    on_primary: Rgba
    on_accent: Rgba
    card: Rgba
    on_card: Rgba
    card_muted: Rgba
    divider: Rgba
    pressed: Rgba
    overlay: Rgba
    error: Rgba
    viewer: Rgba
    on_viewer: Rgba
    viewer_muted: Rgba
    viewer_accent: Rgba

    def as_dict(self) -> dict[str, Rgba]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Fonts:
    regular: str  # absolute file path (or Kivy's "Roboto" if nothing else exists)
    bold: str

    @property
    def is_fallback(self) -> bool:
        return "Roboto" in Path(self.regular).name


@dataclass(frozen=True)
class Transition:
    kind: str = "slide"  # slide | fade | none
    duration: float = 0.25  # seconds


@dataclass(frozen=True)
class Theme:
    id: str  # folder name, e.g. "party-red"
    name: str  # shown to staff, e.g. "党建红 Party red"
    folder: Path
    colours: Colours
    fonts: Fonts
    sizes: tuple[tuple[str, float], ...]  # name -> fraction of the short side
    line_height: float = 1.5
    background: Path | None = None
    background_fit: str = "cover"
    transition: Transition = Transition()
    files: tuple[Path, ...] = ()  # everything the theme is built from (for hot reload)

    def size(self, name: str) -> float:
        for key, value in self.sizes:
            if key == name:
                return value
        raise KeyError(f"unknown theme size {name!r}; known: {', '.join(k for k, _ in self.sizes)}")

    def px(self, name: str, screen_w: float, screen_h: float) -> float:
        """Size ``name`` in pixels on a ``screen_w`` x ``screen_h`` screen."""
        return self.size(name) * min(screen_w, screen_h)

    def colour(self, name: str) -> Rgba:
        return getattr(self.colours, name)

    def font_chars(self) -> frozenset[str]:
        """Every character the regular font can draw (read from its cmap, cached).

        Empty when that cannot be known (fontTools not installed, unreadable file).
        """
        return font_chars(self.fonts.regular)

    def missing_chars(self, text: str) -> str:
        """The distinct characters of ``text`` the regular font cannot draw, in order."""
        have = self.font_chars()
        if not have:  # coverage unknown (fontTools missing or unreadable font)
            return ""
        seen: dict[str, None] = {}
        for ch in text:
            if ch not in have and not ch.isspace() and ch not in seen:
                seen[ch] = None
        return "".join(seen)

    # Plain dictionaries for layout code.
    @property
    def colors(self) -> dict[str, Rgba]:
        return self.colours.as_dict()

    @property
    def font_sizes(self) -> dict[str, float]:
        return {k: v for k, v in self.sizes if k in DEFAULT_TEXT_SIZES}

    @property
    def spaces(self) -> dict[str, float]:
        out = {k: v for k, v in self.sizes if k not in DEFAULT_TEXT_SIZES}
        out["touch"] = out.get("touch_min", DEFAULT_SPACE_SIZES["touch_min"])
        return out

    @property
    def font_regular(self) -> str:
        return self.fonts.regular

    @property
    def font_bold(self) -> str:
        return self.fonts.bold


def font_chars(path: str) -> frozenset[str]:
    """Characters a font file maps (cached per file path, size and change time)."""
    p = Path(path)
    try:
        stat = p.stat()
    except OSError:
        return frozenset()
    return _cmap_chars(str(p.resolve()), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _cmap_chars(path: str, size: int, mtime_ns: int) -> frozenset[str]:
    try:
        from fontTools.ttLib import TTFont  # only needed here; a dev/build dependency
    except ImportError:  # pragma: no cover - fontTools is installed with the dev extras
        return frozenset()
    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            return frozenset(chr(code) for code in font.getBestCmap())
    except Exception:  # not a font file fontTools can read: coverage unknown
        return frozenset()


def find_theme(name: str, themes_root: Path | str) -> Path | None:
    """The folder of theme ``name`` under ``themes_root``, or None if it has no theme.yaml.

    ``name`` may also be a path to a theme folder.
    """
    for candidate in (Path(themes_root) / name, Path(name)):
        if (candidate / THEME_FILE).is_file():
            return candidate
    return builtin_theme(str(name))  # the themes shipped with the kiosk


def list_themes(themes_root: Path | str) -> list[str]:
    root = Path(themes_root)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / THEME_FILE).is_file())


def load_theme(theme_dir: Path | str) -> tuple[Theme, list[Problem]]:
    """Read ``theme_dir/theme.yaml``; always returns a usable theme and its problems."""
    return _ThemeReader(Path(theme_dir)).read()


# The theme shipped with the kiosk: what is shown when the chosen one cannot be read.
BUILTIN_THEME_DIR = (themes_dir() or Path(__file__).resolve().parent.parent / "themes") / "party-red"


def load_theme_or_builtin(theme_dir: Path | str,
                          builtin_dir: Path | str = BUILTIN_THEME_DIR) -> tuple[Theme, list[Problem]]:
    """Like :func:`load_theme`, but a theme whose ``theme.yaml`` is missing or cannot be
    read (a YAML mistake, a wrong encoding) gives way to the built-in theme, with a
    warning saying so. Lesser mistakes (one wrong colour) keep the chosen theme."""
    reader = _ThemeReader(Path(theme_dir))
    theme, problems = reader.read()
    builtin = Path(builtin_dir)
    if not (builtin / THEME_FILE).is_file() or builtin.resolve() == reader.folder:
        return theme, problems
    fallback, fallback_problems = load_theme(builtin)
    if reader.loaded:
        if theme.fonts.is_fallback and not fallback.fonts.is_fallback:  # Roboto has no Chinese
            theme = replace(theme, fonts=fallback.fonts)
            problems.append(problem(
                reader.path, None, "warning",
                f"the font of the built-in theme '{fallback.name}' is used instead, "
                f"so Chinese shows",
                f"改用内置主题 '{fallback.name}' 的字体，以便显示中文", "fonts.regular"))
        return theme, problems
    problems.append(problem(
        reader.path, None, "warning",
        f"the theme '{reader.folder.name}' cannot be used; the built-in theme "
        f"'{fallback.name}' is shown instead",
        f"主题 '{reader.folder.name}' 无法使用，改用内置主题 '{fallback.name}'"))
    return fallback, problems + [p for p in fallback_problems if p.is_error]


# --------------------------------------------------------------------------- reading


class _ThemeReader:
    def __init__(self, folder: Path):
        self.folder = folder.resolve()
        self.path = f"{folder.parent.name}/{folder.name}/{THEME_FILE}".lstrip("/")
        self.problems: list[Problem] = []
        self.loaded = False  # False when theme.yaml is missing or unreadable (reported once)

    def report(self, line: int | None, severity: str, en: str, zh: str, key: str | None = None):
        self.problems.append(problem(self.path, line, severity, en, zh, key))

    def read(self) -> tuple[Theme, list[Problem]]:
        data = self._load()
        self._unknown_keys(data, TOP_KEYS, "", aliases={"colors": "colours"})
        colours = self._colours(data)
        fonts = self._fonts(data)
        sizes = self._sizes(data)
        line_height = self._number(data, "line_height", 1.5, 1.0, 3.0, "")
        background, fit = self._background(data)
        transition = self._transition(data)
        name = data.get("name")
        files = [self.folder / THEME_FILE]
        for f in (fonts.regular, fonts.bold, background):
            if f and Path(f).is_absolute() and Path(f) not in files:
                files.append(Path(f))
        theme = Theme(
            id=self.folder.name,
            name=str(name) if name else self.folder.name,
            folder=self.folder,
            colours=colours,
            fonts=fonts,
            sizes=sizes,
            line_height=line_height,
            background=background,
            background_fit=fit,
            transition=transition,
            files=tuple(files),
        )
        self._check_contrast(colours, data)
        self.problems.sort(key=lambda p: p.line or 0)  # in file order, for reading top-down
        return theme, self.problems

    def _load(self) -> LineDict:
        file = self.folder / THEME_FILE
        if not file.is_file():
            self.report(None, "error",
                        f"theme file not found: {file}; using the built-in colours and Roboto",
                        f"找不到主题文件 {file}，改用内置颜色和 Roboto 字体")
            return LineDict()
        text, problems = read_text(str(file), self.path)
        self.problems.extend(problems)
        if text is None:
            return LineDict()
        result = load_yaml(text, self.path)
        self.problems.extend(result.problems)
        if not result.ok:
            return LineDict()
        if not isinstance(result.data, dict):
            self.report(1, "error", "the theme file must be a list of 'key: value' settings",
                        "主题文件应由“键: 值”形式的设置组成")
            return LineDict()
        self.loaded = True
        return result.data

    def _section(self, data: dict, key: str) -> dict:
        value = data.get(key)
        if value is None and key == "colours":
            value = data.get("colors")
        if value is None:
            return LineDict()
        if not isinstance(value, dict):
            self.report(_line(data, key), "error",
                        f"'{key}' must be a group of 'name: value' settings",
                        f"'{key}' 应为一组“名称: 值”设置", key)
            return LineDict()
        return value

    def _unknown_keys(self, data: dict, known, where: str, aliases=None) -> None:
        aliases = aliases or {}
        for key in data:
            if key in known or key in aliases:
                continue
            guess = did_you_mean(str(key), known)
            place_en = f" in {where}" if where else ""
            place_zh = f"{where} 中" if where else ""
            en = f"unknown key '{key}'{place_en}"
            zh = f"{place_zh}有未知的设置 '{key}'"
            if guess:
                en += f" — did you mean '{guess}'?"
                zh += f"，是否应为 '{guess}'？"
            else:
                en += f" (known: {', '.join(known)})"
                zh += f"（可用：{', '.join(known)}）"
            self.report(_line(data, key), "warning", en, zh, f"{where}.{key}".strip("."))

    def _colours(self, data: dict) -> Colours:
        section = self._section(data, "colours")
        self._unknown_keys(section, tuple(DEFAULT_COLOURS), "colours")
        values: dict[str, Rgba] = {}
        for name, default in DEFAULT_COLOURS.items():
            raw = section.get(name)
            parsed = parse_colour(raw) if raw is not None else None
            if raw is not None and parsed is None:
                self.report(_line(section, name), "error",
                            f"colour '{name}' must look like #rrggbb or #rrggbbaa, not '{raw}'",
                            f"颜色 '{name}' 应写成 #rrggbb 或 #rrggbbaa，而不是 '{raw}'",
                            f"colours.{name}")
            values[name] = parsed or parse_colour(default)  # type: ignore[assignment]
        return Colours(**values)

    def _fonts(self, data: dict) -> Fonts:
        section = self._section(data, "fonts")
        self._unknown_keys(section, ("regular", "bold"), "fonts")
        regular = self._font_file(section, "regular")
        bold = self._font_file(section, "bold")
        if regular is None:
            return Fonts(_kivy_font("Roboto-Regular.ttf"),
                         bold or _kivy_font("Roboto-Bold.ttf"))
        return Fonts(regular, bold or regular)

    def _font_file(self, section: dict, key: str) -> str | None:
        raw = section.get(key)
        if raw is None:
            if key == "regular" and self.loaded:
                self.report(_line(section, key), "error",
                            "no regular font is given; using the default font Roboto, "
                            "Chinese will not show",
                            "未指定常规字体，改用默认字体 Roboto，中文将无法显示", "fonts.regular")
            return None
        path = (self.folder / str(raw)).resolve()
        if not path.is_file():
            fallback = "Roboto" if key == "regular" else "the regular font"
            fallback_zh = "默认字体 Roboto，中文将无法显示" if key == "regular" else "常规字体"
            self.report(_line(section, key), "error",
                        f"font file not found: {raw}; using {fallback}"
                        + (", Chinese will not show" if key == "regular" else ""),
                        f"找不到字体文件 {raw}，改用{fallback_zh}", f"fonts.{key}")
            return None
        return str(path)

    def _sizes(self, data: dict) -> tuple[tuple[str, float], ...]:
        section = self._section(data, "sizes")
        self._unknown_keys(section, SIZE_NAMES, "sizes")
        out = []
        for name in SIZE_NAMES:
            default = DEFAULT_TEXT_SIZES.get(name, DEFAULT_SPACE_SIZES.get(name, 0.0))
            out.append((name, self._number(section, name, default, 0.0, 1.0, "sizes")))
        touch = dict(out)["touch_min"]
        if touch * 1080 < 70 - 0.5:
            self.report(_line(section, "touch_min"), "warning",
                        f"touch_min {touch} gives {touch * 1080:.0f} px on a 1080 px screen; "
                        "touch targets should be at least 70 px (about 0.065)",
                        f"touch_min {touch} 在 1080 像素的屏幕上只有 {touch * 1080:.0f} 像素；"
                        "触摸区域至少应为 70 像素（约 0.065）", "sizes.touch_min")
        return tuple(out)

    def _number(self, section: dict, name: str, default: float, low: float, high: float,
                where: str) -> float:
        raw = section.get(name)
        if raw is None:
            return default
        ok = isinstance(raw, (int, float)) and not isinstance(raw, bool)
        if ok and low < float(raw) <= high:
            return float(raw)
        key = f"{where}.{name}".strip(".")
        if where == "sizes":
            en = (f"size '{name}' must be a number above 0 and at most 1 (a fraction of the "
                  f"screen's short side), not '{raw}'")
            zh = f"尺寸 '{name}' 应为大于 0、不超过 1 的数（屏幕短边的比例），而不是 '{raw}'"
        else:
            en = f"'{key}' must be a number above {low:g} and at most {high:g}, not '{raw}'"
            zh = f"'{key}' 应为大于 {low:g}、不超过 {high:g} 的数，而不是 '{raw}'"
        self.report(_line(section, name), "error", en, zh, key)
        return default

    def _background(self, data: dict) -> tuple[Path | None, str]:
        section = self._section(data, "background")
        self._unknown_keys(section, ("image", "fit"), "background")
        fit = section.get("fit", "cover")
        if fit not in BACKGROUND_FITS:
            self.report(_line(section, "fit"), "error",
                        f"background fit must be one of {', '.join(BACKGROUND_FITS)}, not '{fit}'",
                        f"背景填充方式应为 {'、'.join(BACKGROUND_FITS)} 之一，而不是 '{fit}'",
                        "background.fit")
            fit = "cover"
        raw = section.get("image")
        if not raw:
            return None, fit
        path = (self.folder / str(raw)).resolve()
        if not path.is_file():
            self.report(_line(section, "image"), "error",
                        f"background image not found: {raw}; the plain background colour is used",
                        f"找不到背景图片 {raw}，改用纯色背景", "background.image")
            return None, fit
        return path, fit

    def _transition(self, data: dict) -> Transition:
        section = self._section(data, "transition")
        self._unknown_keys(section, ("type", "duration"), "transition")
        kind = section.get("type", "slide")
        if kind not in TRANSITIONS:
            self.report(_line(section, "type"), "error",
                        f"transition type must be one of {', '.join(TRANSITIONS)}, not '{kind}'",
                        f"切换效果应为 {'、'.join(TRANSITIONS)} 之一，而不是 '{kind}'",
                        "transition.type")
            kind = "slide"
        duration = self._number(section, "duration", 0.25, 0.0, 3.0, "transition")
        return Transition(kind=kind, duration=duration)

    def _check_contrast(self, colours: Colours, data: dict) -> None:
        section = self._section(data, "colours")
        for fg, bg, minimum in CONTRAST_PAIRS:
            ratio = contrast(getattr(colours, fg), getattr(colours, bg))
            if ratio + 1e-9 < minimum:
                self.report(_line(section, fg), "warning",
                            f"'{fg}' on '{bg}' is hard to read: contrast {ratio:.1f}:1, "
                            f"at least {minimum:g}:1 is needed",
                            f"'{fg}' 与 '{bg}' 对比度 {ratio:.1f}:1，不易看清；至少需要 {minimum:g}:1",
                            f"colours.{fg}")


def _line(data: dict, key: str) -> int | None:
    return data.line_of(key) if isinstance(data, LineDict) else None
