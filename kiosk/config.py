"""``kiosk.yaml``: the machine's settings, typed and validated.

Every option has a type and a default; unknown keys are warned about with a
suggestion; all problems are collected at once, each with file, line and key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from kiosk.a11y.settings import ACCESS_KEYS, PANEL_KEYS, AccessConfig, PanelConfig, check_settings
from kiosk.content.model import Problem

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
    reset_after: float = 90.0  # seconds untouched before returning home
    countdown: float = 20.0  # the last seconds of that show a countdown (WCAG 2.2.1: >= 20)
    attract_after: float = 120.0  # seconds on the home screen before the attract loop


@dataclass(frozen=True)
class CacheConfig:
    texture_mb: int = 48  # what one 1080x1920 screen shows, its neighbours and the way back
    dir: str = field(default_factory=default_cache_dir)
    disk_mb: int = 2048


@dataclass(frozen=True)
class ImagesConfig:
    max_pixels: int = 120_000_000  # pictures with more pixels are refused (errors, never decoded)


@dataclass(frozen=True)
class AdminConfig:
    # PINs are kept only as salted hashes (kiosk/pin.py; `kiosk pin` sets them)
    pin_hash: str | None = None  # the staff PIN
    guide_pin_hash: str | None = None  # a PIN that only opens guided tours
    pin_file: str | None = None  # where `kiosk pin` keeps the hashes (default <state_dir>/pins.json)
    pin: str | None = None  # a PIN in plain text: never used (kiosk check warns)
    guide_pin: str | None = None  # the same, for the guide PIN


@dataclass(frozen=True)
class RemoteConfig:
    """The guide's phone (kiosk/remote/): off unless switched on."""

    enabled: bool = False
    host: str = "127.0.0.1"  # the address it listens on; 0.0.0.0 for every network
    port: int = 8080
    token_hours: float = 4.0  # a phone signs in again after this long


@dataclass(frozen=True)
class ClickerConfig:
    """Keys of the presenter clicker, per tour command (kiosk/tour.py DEFAULT_KEYS).
    ``keys`` holds only the commands kiosk.yaml sets: (command, (key, ...)) pairs."""

    keys: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def keymap(self) -> dict[str, str]:
        from kiosk.tour import build_keymap

        return build_keymap(dict(self.keys))


@dataclass(frozen=True)
class Config:
    content: str = "content"
    theme: str = "party-red"
    themes_dir: str = "themes"
    fullscreen: bool = True
    size: tuple[int, int] | None = None
    rotation: int = 0
    language: str | None = None
    status_file: str | None = None
    watch: str = "native"
    # screen changes: the theme's animation (theme), none, or auto: none on a software
    # renderer, where a slide runs at a few frames a second and only delays the next screen
    transitions: str = "auto"
    # monitoring and visitor figures
    name: str | None = None  # this kiosk's name in merged figures (default: the host name)
    state_dir: str = field(default_factory=default_state_dir)
    metrics_file: str | None = None  # Prometheus text file for node_exporter
    analytics_db: str | None = None  # SQLite file of visitor figures; None: not recorded
    idle: IdleConfig = field(default_factory=IdleConfig)
    cache: CacheConfig = field(default_factory=CacheConfig)
    images: ImagesConfig = field(default_factory=ImagesConfig)
    admin: AdminConfig = field(default_factory=AdminConfig)
    remote: RemoteConfig = field(default_factory=RemoteConfig)
    clicker: ClickerConfig = field(default_factory=ClickerConfig)
    panel: PanelConfig = field(default_factory=PanelConfig)  # size and mounting (mm checks)
    accessibility: AccessConfig = field(default_factory=AccessConfig)
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


def parse_size(text: str) -> tuple[int, int] | None:
    """``"1080x1920"`` → ``(1080, 1920)``; None if it is not of that form."""
    parts = str(text).lower().replace("×", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        return None
    w, h = (int(p) for p in parts)
    return (w, h) if w > 0 and h > 0 else None


def _problem(path: str, line: int | None, key: str, en: str, zh: str, severity="error") -> Problem:
    return Problem(path, line, severity, en, zh, key)


TOP_KEYS = (
    "content", "theme", "themes_dir", "fullscreen", "size", "rotation", "language",
    "status_file", "watch", "transitions", "idle", "cache", "images", "admin",
    "name", "state_dir", "metrics_file", "analytics_db", "remote", "clicker", "panel",
    "accessibility",
)
IDLE_KEYS = ("reset_after", "countdown", "attract_after")
CACHE_KEYS = ("texture_mb", "dir", "disk_mb")
IMAGES_KEYS = ("max_pixels",)
ADMIN_KEYS = ("pin_hash", "guide_pin_hash", "pin_file", "pin", "guide_pin")
REMOTE_KEYS = ("enabled", "host", "port", "token_hours")


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
    f = Fields(data, shown, problems)
    f.unknown(TOP_KEYS)
    defaults = Config()
    values: dict = {"base_dir": base}
    for key in ("content", "theme", "themes_dir"):
        values[key] = f.string(key, getattr(defaults, key)) or getattr(defaults, key)
    values["fullscreen"] = f.boolean("fullscreen", defaults.fullscreen)
    if f.has("size"):
        size = parse_size(f.get("size"))
        if size is None:
            f.error("size", f"'size' should look like 1080x1920, not '{f.get('size')}'",
                    f"'size' 应写成 1080x1920 这样的形式，而不是 '{f.get('size')}'")
        values["size"] = size
    rotation = f.integer("rotation")
    if rotation is not None and rotation not in ROTATIONS:
        f.error("rotation", "'rotation' must be 0, 90, 180 or 270", "'rotation' 只能是 0、90、180 或 270")
        rotation = None
    values["rotation"] = rotation or 0
    values["language"] = f.choice("language", ("zh", "en"))
    status = f.string("status_file", "")
    values["status_file"] = status or None
    values["watch"] = f.choice("watch", WATCH_MODES) or defaults.watch
    values["transitions"] = f.choice("transitions", TRANSITION_MODES) or defaults.transitions
    _monitoring(f, values, defaults)
    values["idle"] = _section(f, "idle", IDLE_KEYS, IdleConfig, number=True)
    values["cache"] = _section(f, "cache", CACHE_KEYS, CacheConfig)
    values["images"] = _section(f, "images", IMAGES_KEYS, ImagesConfig)
    values["admin"] = _section(f, "admin", ADMIN_KEYS, AdminConfig)
    _plain_pins(f, values["admin"])
    values["remote"] = _remote(f)
    values["clicker"] = _clicker(f)
    values["panel"] = _section(f, "panel", PANEL_KEYS, PanelConfig, number=True)
    values["accessibility"] = _section(f, "accessibility", ACCESS_KEYS, AccessConfig)
    config = Config(**values)
    problems += own_files_problems(config, shown, data)
    if config.idle.countdown >= config.idle.reset_after:
        f.error("idle.countdown", "'idle.countdown' must be shorter than 'idle.reset_after'",
                "'idle.countdown' 必须小于 'idle.reset_after'")
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


def _monitoring(f, values: dict, defaults: Config) -> None:
    """name, state_dir, metrics_file, analytics_db. Visitor figures are recorded by default
    in ``<state_dir>/analytics.sqlite``; ``analytics_db: off`` stops that."""
    values["name"] = f.string("name", "") or None
    values["state_dir"] = f.string("state_dir", defaults.state_dir) or defaults.state_dir
    values["metrics_file"] = f.string("metrics_file", "") or None
    raw = f.get("analytics_db")
    if raw is False or (raw is not None and str(raw).strip().lower() in ("off", "false", "no")):
        values["analytics_db"] = None
    else:
        db = f.string("analytics_db", "") if raw is not None else ""
        values["analytics_db"] = db or str(Path(values["state_dir"]) / "analytics.sqlite")


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


def _remote(f) -> RemoteConfig:
    """``remote:``: enabled, host (an IP address), port (1-65535), token_hours."""
    import ipaddress

    remote = _section(f, "remote", REMOTE_KEYS, RemoteConfig)
    lines = getattr(f.get("remote"), "lines", {})
    try:
        ipaddress.ip_address(remote.host.strip())
    except ValueError:
        f.error("remote.host", f"'remote.host' should be an IP address of this machine such as "
                f"127.0.0.1 or 0.0.0.0, not '{remote.host}'",
                f"'remote.host' 应为本机的 IP 地址，例如 127.0.0.1 或 0.0.0.0，而不是 '{remote.host}'",
                line=lines.get("host"))
        remote = replace(remote, host=RemoteConfig.host)
    if not 1 <= remote.port <= 65535 or remote.port != int(remote.port):
        f.error("remote.port", "'remote.port' should be a whole number from 1 to 65535",
                "'remote.port' 应为 1 到 65535 之间的整数", line=lines.get("port"))
        remote = replace(remote, port=RemoteConfig.port)
    return replace(remote, host=remote.host.strip(), port=int(remote.port))


def _clicker(f) -> ClickerConfig:
    """``clicker:``: command → key or list of keys; a command left out keeps its keys."""
    from kiosk.content.source import LineDict
    from kiosk.tour import DEFAULT_KEYS, normalise_key

    raw = f.get("clicker")
    if raw is None:
        return ClickerConfig()
    if not isinstance(raw, LineDict):
        f.error("clicker", "'clicker' should be a group of 'command: [keys]' lines",
                "'clicker' 应为若干 '命令: [按键]' 行")
        return ClickerConfig()
    sub = f.nested(raw, "clicker", ("", ""))
    sub.unknown(DEFAULT_KEYS)
    chosen: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for command in DEFAULT_KEYS:
        if command not in raw:
            continue
        value = raw[command]
        items = [value] if isinstance(value, str | int | float) else value
        if not isinstance(items, list):
            sub.error(command, f"'clicker.{command}' should be a key or a list of keys",
                      f"'clicker.{command}' 应为一个按键或按键列表")
            continue
        keys = []
        for item in items:
            spec = normalise_key(str(item)) if item is not None else None
            if spec is None:
                sub.error(command, f"'{item}' under 'clicker.{command}' is not a key name "
                          "(such as pagedown, shift+up, f5, escape, b or .)",
                          f"'clicker.{command}' 中的 '{item}' 不是按键名称"
                          "（例如 pagedown、shift+up、f5、escape、b 或 .）")
                continue
            keys.append(spec)
        chosen[command] = tuple(keys)
    for command, keys in {**DEFAULT_KEYS, **chosen}.items():
        for key in keys:
            spec = normalise_key(key) or key
            if owner.setdefault(spec, command) != command:
                first = owner[spec]
                culprit = command if command in chosen else first
                sub.error(culprit, f"the key '{spec}' is set for both '{first}' and '{command}'",
                          f"按键 '{spec}' 同时用于 '{first}' 和 '{command}'")
    return ClickerConfig(tuple(chosen.items()))


def _section(f, key: str, keys: tuple[str, ...], cls, number: bool = False):
    from kiosk.content.source import LineDict

    defaults = cls()
    raw = f.get(key)
    if raw is None:
        return defaults
    if not isinstance(raw, LineDict):
        f.error(key, f"'{key}' should be a group of 'name: value' lines",
                f"'{key}' 应为若干 'name: value' 行")
        return defaults
    sub = f.nested(raw, key, ("", ""))
    sub.unknown(keys)
    values = {}
    for name in keys:
        default = getattr(defaults, name)
        if not sub.has(name):
            continue
        if isinstance(default, bool):
            values[name] = sub.boolean(name, default)
        elif isinstance(default, int | float) and not isinstance(default, bool):
            got = sub.number(name, positive=True)
            if got is not None:
                values[name] = type(default)(got)
        else:
            values[name] = str(sub.get(name))
    return cls(**values)
