"""``kiosk.yaml``: the machine's settings, typed and validated.

Each setting is declared once below (:func:`kiosk.schema.setting`: kind, default, range or
choices, what it does in Chinese and English); that declaration gives its default, its
checks (every problem at once, each with file, line and key), the warning for an unknown
key with a suggestion, and its row in docs/settings.md. What is checked across settings
(a countdown shorter than the time it counts down, a key set for two clicker commands,
the kiosk's own files outside the content) follows :func:`load_config`'s reading.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from kiosk.a11y.settings import AccessConfig, PanelConfig, check_settings
from kiosk.content.model import Problem
from kiosk.schema import ADDRESS, FILE, SIZE, Invalid, Kind, Setting, read, section, setting
from kiosk.tour import DEFAULT_KEYS, normalise_key

WATCH_MODES = ("native", "polling", "off")
TRANSITION_MODES = ("auto", "theme", "none")
ROTATIONS = (0, 90, 180, 270)


def _systemd_dir(variable: str) -> str | None:
    """The first folder systemd names in ``$STATE_DIRECTORY``/``$CACHE_DIRECTORY``."""
    value = os.environ.get(variable, "").split(":")[0]
    return value or None


def default_state_dir() -> str:
    """Where the kiosk keeps its own state (figures, PINs, the loader's memory):
    systemd's ``StateDirectory=`` when it runs as a service, else the system's usual
    place (``~/.local/state/kiosk`` on Linux)."""
    import platformdirs

    return _systemd_dir("STATE_DIRECTORY") or platformdirs.user_state_dir("kiosk", appauthor=False)


def default_cache_dir() -> str:
    """Resized pictures: systemd's ``CacheDirectory=``, else ``~/.cache/kiosk`` on Linux."""
    import platformdirs

    return _systemd_dir("CACHE_DIRECTORY") or platformdirs.user_cache_dir("kiosk", appauthor=False)


class SetupError(Exception):
    """kiosk.yaml asks for something the kiosk refuses to do (the message says what)."""


@dataclass(frozen=True)
class IdleConfig:
    reset_after: float = setting(
        90.0, above=0, en="seconds untouched before the screen returns home",
        zh="无人触摸多少秒后回到首页")
    countdown: float = setting(
        20.0, above=0, en="the last seconds of that show a countdown with \"keep browsing\" "
        "(at least 20: WCAG 2.2.1; shorter than reset_after)",
        zh="其中最后多少秒显示倒计时和“继续浏览”（至少 20 秒，WCAG 2.2.1；须小于 reset_after）")
    attract_after: float = setting(
        120.0, above=0, en="seconds on the home screen before the attract loop starts",
        zh="首页停留多少秒后开始循环播放")


@dataclass(frozen=True)
class CacheConfig:
    texture_mb: int = setting(
        48, above=0, en="memory for decoded pictures, in MB (what one 1080x1920 screen shows, "
        "its neighbours and the way back); the oldest unused go first",
        zh="已解码图片占用的内存（MB），最久未用的先释放")
    dir: str = setting(
        default_factory=default_cache_dir, kind=FILE, en="folder of resized pictures",
        zh="缩小后图片的缓存文件夹",
        shown_default="`$CACHE_DIRECTORY` under systemd, else `~/.cache/kiosk`")
    disk_mb: int = setting(2048, above=0, en="disk space for resized pictures, in MB",
                           zh="缩小后图片占用的磁盘空间（MB）")


@dataclass(frozen=True)
class ImagesConfig:
    max_pixels: int = setting(
        120_000_000, above=0, en="pictures with more pixels are refused (kiosk check names them)",
        zh="像素多于此数的图片不予显示（kiosk check 会列出）")


@dataclass(frozen=True)
class AdminConfig:
    # PINs are kept only as salted hashes (kiosk/pin.py; `kiosk pin` sets them)
    pin_hash: str | None = setting(
        en="the staff PIN as a hash printed by `kiosk pin --print`",
        zh="管理密码的散列值（由 `kiosk pin --print` 生成）")
    guide_pin_hash: str | None = setting(
        en="a PIN that only opens guided tours, as a hash (`kiosk pin --guide --print`)",
        zh="只能打开讲解路线的密码的散列值（`kiosk pin --guide --print`）")
    pin_file: str | None = setting(
        kind=FILE, en="where `kiosk pin` keeps the hashes", zh="`kiosk pin` 保存密码散列值的文件",
        shown_default="`<state_dir>/pins.json`")
    pin: str | None = setting(
        en="a PIN in plain text: never used (kiosk check warns); use `kiosk pin`",
        zh="明文密码：不会使用（kiosk check 会提示）；请用 `kiosk pin`")
    guide_pin: str | None = setting(
        en="the same, for the guide PIN", zh="同上，讲解员密码")


@dataclass(frozen=True)
class RemoteConfig:
    """The guide's phone (kiosk/remote/): off unless switched on."""

    enabled: bool = setting(False, en="serve the tour remote page on the local network",
                            zh="在局域网内提供讲解遥控页面")
    host: str = setting(
        "127.0.0.1", kind=ADDRESS, en="the address it listens on; 0.0.0.0 for every network",
        zh="监听的地址；0.0.0.0 表示本机所有网络")
    port: int = setting(8080, minimum=1, maximum=65535, en="the port it listens on",
                        zh="监听的端口")
    token_hours: float = setting(4.0, above=0, en="a phone signs in again after this many hours",
                                 zh="手机登录多少小时后须重新登录")


def _keys(raw: object, report) -> tuple[str, ...]:
    """A key name or a list of them, as the clicker sends them (kiosk/tour.py)."""
    items = [raw] if isinstance(raw, str | int | float) else raw
    if not isinstance(items, list | tuple):
        raise Invalid
    keys = []
    for item in items:
        spec = normalise_key(str(item)) if item is not None else None
        if spec is None:
            report(f"'{item}' under '{{key}}' is not a key name "
                   "(such as pagedown, shift+up, f5, escape, b or .)",
                   f"'{{key}}' 中的 '{item}' 不是按键名称（例如 pagedown、shift+up、f5、escape、b 或 .）")
            continue
        keys.append(spec)
    return tuple(keys)


KEYS = Kind("keys", "a key or a list of keys", "一个按键或按键列表", _keys)
CLICKER_COMMANDS = {  # command: (what it does, 作用)
    "next": ("the next stop of a guided tour", "讲解路线的下一站"),
    "previous": ("the stop before", "上一站"),
    "blank": ("blank the screen, or show it again", "黑屏或恢复显示"),
    "first": ("the first stop", "第一站"),
    "last": ("the last stop", "最后一站"),
    "pause": ("pause or resume auto-advance", "暂停或继续自动翻页"),
    "notes": ("show or hide the guide's notes", "显示或隐藏讲解词"),
}


@dataclass(frozen=True)
class ClickerConfig:
    """Keys of the presenter clicker, per tour command (kiosk/tour.py DEFAULT_KEYS).
    ``keys`` holds only the commands kiosk.yaml sets: (command, (key, ...)) pairs."""

    keys: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def keymap(self) -> dict[str, str]:
        from kiosk.tour import build_keymap

        return build_keymap(dict(self.keys))


CLICKER_KEYS = tuple(Setting(KEYS, DEFAULT_KEYS[command], en, zh, key=command, name=command)
                     for command, (en, zh) in CLICKER_COMMANDS.items())


@dataclass(frozen=True)
class Config:
    content: str = setting("content", kind=FILE,
                           en="folder of the exhibition (site.yaml, sections, tours)",
                           zh="展览内容文件夹（site.yaml、栏目、讲解路线）")
    theme: str = setting("party-red", en="the look: a folder name under themes_dir "
                         "(party-red, light) or the path of a theme folder",
                         zh="外观：themes_dir 下的文件夹名（party-red、light）或主题文件夹的路径")
    themes_dir: str = setting("themes", kind=FILE, en="folder of the themes", zh="主题所在的文件夹")
    fullscreen: bool = setting(True, en="fill the whole screen without borders or cursor "
                               "(`kiosk run --windowed` overrides it)",
                               zh="全屏显示，无边框、无光标（`kiosk run --windowed` 可覆盖）")
    size: tuple[int, int] | None = setting(
        kind=SIZE, en="a window of this size (1080x1920 portrait, 1920x1080 landscape)",
        zh="窗口尺寸（竖屏 1080x1920，横屏 1920x1080）", shown_default="the screen's own size")
    rotation: int = setting(0, choices=ROTATIONS, en="turn the picture for a panel mounted on its side",
                            zh="屏幕侧装时旋转画面")
    language: str | None = setting(
        choices=("zh", "en"), en="language the kiosk starts in and returns to after idle",
        zh="开机和复位后的语言", shown_default="the first language of site.yaml")
    status_file: str | None = setting(
        kind=FILE, en="a JSON file with what the kiosk is doing, for monitoring",
        zh="记录展机运行状态的 JSON 文件（用于监控）")
    watch: str = setting("native", choices=WATCH_MODES, en="how changes to the content are "
                         "noticed: native (inotify), polling (for network shares), off",
                         zh="如何发现内容的改动：native（inotify）、polling（网络共享）、off")
    # screen changes: the theme's animation (theme), none, or auto: none on a software
    # renderer, where a slide runs at a few frames a second and only delays the next screen
    transitions: str = setting(
        "auto", choices=TRANSITION_MODES, en="screen changes: auto (the theme's animation, "
        "except on a software renderer), theme (always) or none",
        zh="换屏效果：auto（主题的动画，软件渲染时不用）、theme（总是）或 none")
    # monitoring and visitor figures
    name: str | None = setting(en="this kiosk's name in merged visitor figures",
                               zh="合并参观统计时本机的名称", shown_default="the host name")
    state_dir: str = setting(
        default_factory=default_state_dir, kind=FILE,
        en="the kiosk's own files: visitor figures, PIN hashes, what the loader parsed",
        zh="展机自己的文件：参观统计、密码散列值、已解析的内容",
        shown_default="`$STATE_DIRECTORY` under systemd, else `~/.local/state/kiosk`")
    metrics_file: str | None = setting(
        kind=FILE, en="Prometheus text metrics for node_exporter's textfile collector",
        zh="供 node_exporter 读取的 Prometheus 指标文件")
    analytics_db: str | None = setting(
        kind=FILE, en="SQLite file of visitor figures; `off` records nothing",
        zh="参观统计的 SQLite 文件；写 `off` 则不记录", shown_default="`<state_dir>/analytics.sqlite`")
    idle: IdleConfig = section(IdleConfig, en="when nobody touches the screen", zh="无人触摸时")
    cache: CacheConfig = section(CacheConfig, en="resized and decoded pictures", zh="图片缓存")
    images: ImagesConfig = section(ImagesConfig, en="pictures", zh="图片")
    admin: AdminConfig = section(
        AdminConfig, en="PINs for the hidden admin gesture (hold the top-left corner 3 s), "
        "kept only as salted hashes: set them with `kiosk pin`",
        zh="隐藏管理手势（按住左上角 3 秒）的密码，只保存加盐散列值：用 `kiosk pin` 设置")
    remote: RemoteConfig = section(
        RemoteConfig, en="the guide's phone: a page on the local network that drives guided "
        "tours (docs/guided-tours.md)", zh="讲解员手机遥控：局域网内操控讲解路线的网页")
    clicker: ClickerConfig = section(
        ClickerConfig, entries_given=CLICKER_KEYS,
        build=lambda chosen: ClickerConfig(tuple(chosen.items())),
        en="presenter clicker keys, per command; a command left out keeps its keys",
        zh="翻页笔按键，按命令设置；未写的命令保留默认按键")
    panel: PanelConfig = section(  # size and mounting (mm checks)
        PanelConfig, en="the physical panel: turns pixels into millimetres for `kiosk check`",
        zh="实际屏幕：供 `kiosk check` 把像素换算成毫米")
    accessibility: AccessConfig = section(
        AccessConfig, en="what each visitor starts with; the accessibility menu changes it "
        "for one visit (docs/accessibility.md)",
        zh="每位观众开始时的设置；无障碍菜单只改变本次参观")
    base_dir: Path = field(default_factory=Path.cwd)  # relative paths are read from here

    def path(self, value: str) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)

    @property
    def content_dir(self) -> Path:
        return self.path(self.content)

    @property
    def theme_dir(self) -> Path:
        direct = self.path(self.theme)
        if (direct / "theme.yaml").exists():
            return direct
        folder = self.path(self.themes_dir) / self.theme
        if not (folder / "theme.yaml").exists():
            from kiosk.resources import builtin_theme

            return builtin_theme(self.theme) or folder  # a theme shipped with the kiosk
        return folder

    def with_overrides(self, **changes) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _problem(path: str, line: int | None, key: str, en: str, zh: str, severity="error") -> Problem:
    return Problem(path, line, severity, en, zh, key)


def load_config(path: str | Path | None) -> tuple[Config, list[Problem]]:
    """Read ``kiosk.yaml``. A missing file gives the defaults; a wrong value gives a problem
    and its default, so the kiosk still starts."""
    from kiosk.content.fields import Fields
    from kiosk.content.source import LineDict, parse_file

    if path is None:
        return Config(), []
    path = Path(path)
    shown = str(path)
    base = path.resolve().parent
    if not path.exists():
        return Config(base_dir=base), [
            _problem(shown, None, "", f"{shown} not found; using the defaults",
                     f"找不到 {shown}；使用默认设置", "warning")
        ]
    parsed = parse_file(str(path), shown, markdown=False)
    problems = list(parsed.problems)
    data = parsed.data if isinstance(parsed.data, LineDict) else LineDict()
    values = read(data, Config, shown, problems)
    # Visitor figures are recorded by default in <state_dir>/analytics.sqlite;
    # ``analytics_db: off`` stops that.
    db = values.get("analytics_db")
    if db is not None and db.strip().lower() in ("off", "false", "no"):
        values["analytics_db"] = None
    elif db is None:
        state_dir = values.get("state_dir") or default_state_dir()
        values["analytics_db"] = str(Path(state_dir) / "analytics.sqlite")
    config = Config(**values, base_dir=base)
    f = Fields(data, shown, problems)
    _plain_pins(f, config.admin)
    _clicker_conflicts(f, config.clicker)
    problems += own_files_problems(config, shown, data)
    if config.idle.countdown >= config.idle.reset_after:
        f.error("idle.countdown", "'idle.countdown' must be shorter than 'idle.reset_after'",
                "'idle.countdown' 必须小于 'idle.reset_after'",
                line=getattr(data.get("idle"), "lines", {}).get("countdown"))
        config = replace(config, idle=replace(config.idle, countdown=min(20.0, config.idle.reset_after / 2)))
    check_settings(f, config)
    return config, problems


OWN_FILES = (  # (key in kiosk.yaml, what it is)
    ("state_dir", "state folder", "状态文件夹"),
    ("cache.dir", "picture cache folder", "图片缓存文件夹"),
    ("analytics_db", "visitor figures database", "参观统计数据库"),
    ("admin.pin_file", "PIN file", "密码文件"),
)


def pin_file_path(config) -> Path:
    """``admin.pin_file``, or ``pins.json`` in the kiosk's state folder."""
    value = getattr(config.admin, "pin_file", None)
    if not value:
        state_dir = getattr(config, "state_dir", None)
        if not state_dir:
            state_dir = default_state_dir()
        value = str(Path(state_dir) / "pins.json")
    return config.path(value)


def own_paths(config: Config) -> dict[str, Path]:
    """The kiosk's own files and folders, by their key in kiosk.yaml."""
    paths = {"state_dir": config.path(config.state_dir), "cache.dir": config.path(config.cache.dir),
             "admin.pin_file": pin_file_path(config)}
    if config.analytics_db:
        paths["analytics_db"] = config.path(config.analytics_db)
    return paths


def _inside(path: Path, folder: Path) -> bool:
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))
    except (OSError, ValueError):
        return False


def own_files_problems(config: Config, shown: str = "kiosk.yaml", data=None) -> list[Problem]:
    """The kiosk's own files must not be in the content folder or the theme's (the folders
    it watches, which whoever edits the content can write): an error for each, naming
    its key in kiosk.yaml."""
    watched = [("content", config.content_dir, "content folder", "内容文件夹")]
    watched.append(("theme", config.theme_dir, "theme folder", "主题文件夹"))
    paths = own_paths(config)
    problems = []
    for key, en_what, zh_what in OWN_FILES:
        path = paths.get(key)
        if path is None:
            continue
        for _, folder, en_folder, zh_folder in watched:
            if not _inside(path, folder):
                continue
            line = None
            top, _, sub = key.partition(".")
            lines = getattr(data, "lines", {}) if data is not None else {}
            line = lines.get(top)
            if sub and data is not None:
                line = getattr(data.get(top), "lines", {}).get(sub, line)
            problems.append(_problem(
                shown, line, key,
                f"'{key}' ({path}) is inside the {en_folder} {folder}: the kiosk's own "
                f"{en_what} must not be where content is put (whoever can change the content "
                f"could change it); choose a folder outside it, or leave '{key}' out for the default",
                f"'{key}'（{path}）位于{zh_folder} {folder} 之内：展机自己的{zh_what}不能放在"
                f"内容所在的地方（能修改内容的人就能改动它）；请改用其外的位置，或删去 '{key}' 使用默认位置"))
            break
    return problems


def refuse_own_files_inside_content(config: Config) -> None:
    """Raise :class:`SetupError` when :func:`own_files_problems` finds any (``kiosk run``
    and ``kiosk render`` stop before reading any of those files)."""
    problems = own_files_problems(config)
    if problems:
        raise SetupError(*(p.format() for p in problems))


def _plain_pins(f, admin: AdminConfig) -> None:
    """A PIN written in plain text is not used: only salted hashes are (``kiosk pin``)."""
    from kiosk.pinhash import parse_hash

    raw = f.get("admin")
    lines = getattr(raw, "lines", {})
    for key, option in (("pin", ""), ("guide_pin", " --guide")):
        if getattr(admin, key):
            f.warning(f"admin.{key}", f"'admin.{key}' holds a PIN in plain text and is not used; "
                      f"set the PIN with `kiosk pin{option}` and delete this line",
                      f"'admin.{key}' 是明文密码，不会使用；请运行 `kiosk pin{option}` 设置密码，并删除这一行",
                      line=lines.get(key))
    for key in ("pin_hash", "guide_pin_hash"):
        value = getattr(admin, key)
        if value and parse_hash(value) is None:
            f.warning(f"admin.{key}", f"'admin.{key}' is not a PIN hash written by `kiosk pin`; it is not used",
                      f"'admin.{key}' 不是 `kiosk pin` 生成的密码散列值，不会使用", line=lines.get(key))


def _clicker_conflicts(f, clicker: ClickerConfig) -> None:
    """One key for two commands, counting the default keys of the commands left out."""
    chosen = dict(clicker.keys)
    if not chosen:
        return
    sub = f.nested(f.get("clicker"), "clicker", ("", ""))
    owner: dict[str, str] = {}
    for command, keys in {**DEFAULT_KEYS, **chosen}.items():
        for key in keys:
            spec = normalise_key(key) or key
            if owner.setdefault(spec, command) != command:
                first = owner[spec]
                culprit = command if command in chosen else first
                sub.error(culprit, f"the key '{spec}' is set for both '{first}' and '{command}'",
                          f"按键 '{spec}' 同时用于 '{first}' 和 '{command}'")
