"""Themes: colours, fonts, sizes and transitions read from ``themes/NAME/theme.yaml``.

Every setting of ``theme.yaml`` is declared once below (:class:`ThemeFile` and the sections
it holds, through :mod:`kiosk.schema`): its default, its checks and its row in
docs/settings.md come from that declaration.

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
from dataclasses import dataclass, fields, replace
from pathlib import Path

from kiosk.content.model import Problem
from kiosk.content.source import LineDict, load_yaml, problem, read_text
from kiosk.resources import builtin_theme, themes_dir
from kiosk.schema import COLOUR, FILE, Reader, defaults, entries_of, section, setting
from kiosk.schema import parse_colour as parse_colour  # "#rrggbb" to RGBA, for the themes' users

THEME_FILE = "theme.yaml"
TRANSITIONS = ("slide", "fade", "none")
BACKGROUND_FITS = ("cover", "stretch", "tile")
FALLBACK_FONT_NAME = "Roboto"

Rgba = tuple[float, float, float, float]

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


def colour(default: str, en: str, zh: str):
    return setting(default, kind=COLOUR, en=en, zh=zh)


@dataclass(frozen=True)
class Colours:
    """The theme's colours; each default is the party-red look's."""

    background: Rgba = colour("#7a0c12", "the screen behind everything", "最底层的屏幕背景")
    surface: Rgba = colour("#8f1219", "bars and panels on the background", "背景上的栏和面板")
    primary: Rgba = colour("#b71c1c", "buttons, the selected tab", "按钮、选中的标签")
    accent: Rgba = colour("#e8c26a", "gold: headings, highlights, the selected marker",
                          "点缀色（金色）：标题、强调、选中标记")
    text: Rgba = colour("#fff6e5", "body text on background and surface", "背景和面板上的正文")
    text_muted: Rgba = colour("#f0d9b5", "secondary text: dates, captions", "次要文字：日期、图注")
    on_primary: Rgba = colour("#fff6e5", "text on primary", "primary 上的文字")
    on_accent: Rgba = colour("#5a0a0e", "text on accent", "accent 上的文字")
    card: Rgba = colour("#fffaf0", "cards and article pages", "卡片和文章页")
    on_card: Rgba = colour("#3a1a12", "text on cards", "卡片上的文字")
    card_muted: Rgba = colour("#664636", "secondary text on cards", "卡片上的次要文字")
    divider: Rgba = colour("#e8c26a66", "thin lines", "细分隔线")
    pressed: Rgba = colour("#ffffff33", "overlay on a pressed button or card", "按下按钮或卡片时的覆盖色")
    overlay: Rgba = colour("#000000b3", "behind dialogs and the photo viewer", "对话框和看图界面后面的遮罩")
    error: Rgba = colour("#ffd180", "staff messages on the background", "背景上给工作人员的提示")
    # the photo viewer is dark in every theme (photos read best on near-black)
    viewer: Rgba = colour("#0e0b0b", "the photo viewer's background (dark in every theme)",
                          "看图界面的背景（各主题都用深色）")
    on_viewer: Rgba = colour("#fff6e5", "captions in the viewer", "看图界面的图注")
    viewer_muted: Rgba = colour("#d8cbb8", "the viewer's counter and secondary text",
                                "看图界面的计数和次要文字")
    viewer_accent: Rgba = colour("#e8c26a", "the viewer's arrows", "看图界面的箭头")

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
    kind: str = setting(
        "slide", key="type", choices=TRANSITIONS, en="how one screen gives way to the next",
        zh="换屏效果", wrong=("transition type must be one of {choices}, not '{raw}'",
                              "切换效果应为 {choices_zh} 之一，而不是 '{raw}'"))
    duration: float = setting(0.25, above=0, maximum=3, en="how long a change of screen takes, "
                              "in seconds", zh="换屏动画的时长（秒）")


_SIZE_WRONG = ("size '{name}' must be a number above 0 and at most 1 (a fraction of the "
               "screen's short side), not '{raw}'",
               "尺寸 '{name}' 应为大于 0、不超过 1 的数（屏幕短边的比例），而不是 '{raw}'")


def fraction(default: float, group: str, en: str, zh: str):
    """A size: a fraction of the screen's short side (0.024 is 26 px on 1080 px)."""
    return setting(default, above=0, maximum=1, group=group, wrong=_SIZE_WRONG, en=en, zh=zh)


@dataclass(frozen=True)
class Sizes:
    """``sizes:``, each a fraction of the screen's short side."""

    display: float = fraction(0.056, "text", "the exhibition title on the home and attract "
                              "screens", "首页和循环播放中的展览标题")
    title: float = fraction(0.044, "text", "a screen's title", "页面标题")
    heading: float = fraction(0.034, "text", "headings", "标题")
    subheading: float = fraction(0.027, "text", "subheadings", "小标题")
    body: float = fraction(0.024, "text", "body text", "正文")
    caption: float = fraction(0.019, "text", "captions, dates", "图注、日期")
    stat: float = fraction(0.085, "text", "big figures on stats boards", "数字墙上的大数字")
    button: float = fraction(0.024, "text", "text on buttons", "按钮文字")
    margin: float = fraction(0.045, "space", "screen edge to content", "屏幕边缘到内容")
    gap: float = fraction(0.022, "space", "between cards and blocks", "卡片和版块之间")
    touch_min: float = fraction(0.068, "space", "smallest touch target (at least 0.065: "
                                "70 px on a 1080 px short side)",
                                "最小触摸区域（至少 0.065：短边 1080 像素时为 70 像素）")
    bar: float = fraction(0.105, "space", "height of the top and bottom bars", "顶栏和底栏的高度")
    radius: float = fraction(0.014, "space", "corner radius of cards and buttons",
                             "卡片和按钮的圆角")
    card_height: float = fraction(0.30, "space", "height of a card", "卡片高度")


@dataclass(frozen=True)
class FontFiles:
    regular: str | None = setting(
        kind=FILE, en="font file, relative to the theme folder", zh="字体文件（相对于主题文件夹）",
        shown_default="Roboto (no Chinese)")
    bold: str | None = setting(kind=FILE, en="bold font file", zh="粗体字体文件",
                               shown_default="the regular font")


@dataclass(frozen=True)
class BackgroundFile:
    image: str | None = setting(kind=FILE, en="picture behind every screen, relative to the "
                                "theme folder", zh="所有页面的背景图片（相对于主题文件夹）",
                                shown_default="the background colour")
    fit: str = setting("cover", choices=BACKGROUND_FITS, en="how the picture fills the screen",
                       zh="背景图片的填充方式",
                       wrong=("background fit must be one of {choices}, not '{raw}'",
                              "背景填充方式应为 {choices_zh} 之一，而不是 '{raw}'"))


@dataclass(frozen=True)
class ThemeFile:
    """What ``theme.yaml`` holds, as declared; :class:`Theme` is built from it."""

    name: str | None = setting(en="shown to staff", zh="给工作人员看的名称",
                               shown_default="the folder's name")
    description: str | None = setting(en="a few words on the look", zh="外观说明")
    colours: Colours = section(Colours, aliases=("colors",),
                               en='colours, "#rrggbb" or "#rrggbbaa" (in quotes); text colours '
                               "are checked against what they sit on",
                               zh='颜色，写成 "#rrggbb" 或 "#rrggbbaa"（加引号）；文字颜色会与其底色比较对比度')
    fonts: FontFiles = section(FontFiles, en="font files", zh="字体文件")
    sizes: Sizes = section(Sizes, en="fractions of the screen's short side (0.026 is 28 px on "
                           "a 1080x1920 screen, in either orientation)",
                           zh="屏幕短边的比例（0.026 在 1080x1920 屏幕上为 28 像素，横竖一样）")
    line_height: float = setting(1.5, above=1, maximum=3,
                                 en="line height, in times the font size", zh="行高（字号的倍数）")
    background: BackgroundFile = section(BackgroundFile, en="the background picture",
                                         zh="背景图片")
    transition: Transition = section(Transition, en="changes of screen", zh="换屏")


DEFAULT_COLOURS: dict[str, str] = defaults(Colours)  # as written in a theme.yaml
DEFAULT_TEXT_SIZES: dict[str, float] = {
    e.name: e.default for e in entries_of(Sizes) if e.group == "text"}
DEFAULT_SPACE_SIZES: dict[str, float] = {
    e.name: e.default for e in entries_of(Sizes) if e.group == "space"}
SIZE_NAMES = (*DEFAULT_TEXT_SIZES, *DEFAULT_SPACE_SIZES)


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
        declared = ThemeFile(**Reader(self.path, self.problems).read(data, entries_of(ThemeFile)))
        colours = declared.colours
        fonts = self._fonts(declared.fonts, self._section(data, "fonts"))
        sizes = tuple((name, getattr(declared.sizes, name)) for name in SIZE_NAMES)
        self._check_touch(declared.sizes.touch_min, self._section(data, "sizes"))
        background = self._background(declared.background, self._section(data, "background"))
        files = [self.folder / THEME_FILE]
        for f in (fonts.regular, fonts.bold, background):
            if f and Path(f).is_absolute() and Path(f) not in files:
                files.append(Path(f))
        theme = Theme(
            id=self.folder.name,
            name=declared.name or self.folder.name,
            folder=self.folder,
            colours=colours,
            fonts=fonts,
            sizes=sizes,
            line_height=declared.line_height,
            background=background,
            background_fit=declared.background.fit,
            transition=declared.transition,
            files=tuple(files),
        )
        self._check_contrast(colours, self._section(data, "colours"))
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

    @staticmethod
    def _section(data: dict, key: str) -> dict:
        """The mapping under ``key`` (for the lines of its settings), or an empty one."""
        value = data.get(key)
        if value is None and key == "colours":
            value = data.get("colors")
        return value if isinstance(value, dict) else LineDict()

    def _fonts(self, declared: FontFiles, section: dict) -> Fonts:
        regular = self._font_file(declared.regular, section, "regular")
        bold = self._font_file(declared.bold, section, "bold")
        if regular is None:
            return Fonts(_kivy_font("Roboto-Regular.ttf"),
                         bold or _kivy_font("Roboto-Bold.ttf"))
        return Fonts(regular, bold or regular)

    def _font_file(self, raw: str | None, section: dict, key: str) -> str | None:
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

    def _check_touch(self, touch: float, section: dict) -> None:
        if touch * 1080 < 70 - 0.5:
            self.report(_line(section, "touch_min"), "warning",
                        f"touch_min {touch} gives {touch * 1080:.0f} px on a 1080 px screen; "
                        "touch targets should be at least 70 px (about 0.065)",
                        f"touch_min {touch} 在 1080 像素的屏幕上只有 {touch * 1080:.0f} 像素；"
                        "触摸区域至少应为 70 像素（约 0.065）", "sizes.touch_min")

    def _background(self, declared: BackgroundFile, section: dict) -> Path | None:
        if not declared.image:
            return None
        path = (self.folder / declared.image).resolve()
        if not path.is_file():
            self.report(_line(section, "image"), "error",
                        f"background image not found: {declared.image}; the plain background "
                        "colour is used",
                        f"找不到背景图片 {declared.image}，改用纯色背景", "background.image")
            return None
        return path

    def _check_contrast(self, colours: Colours, section: dict) -> None:
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
