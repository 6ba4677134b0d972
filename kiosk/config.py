"""``kiosk.yaml``: the machine's settings, typed and validated.

Every option has a type and a default; unknown keys are warned about with a
suggestion; all problems are collected at once, each with file, line and key.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

from kiosk.a11y.settings import ACCESS_KEYS, PANEL_KEYS, AccessConfig, PanelConfig, check_settings
from kiosk.content.model import Problem

WATCH_MODES = ("native", "polling", "off")
TRANSITION_MODES = ("auto", "theme", "none")
ROTATIONS = (0, 90, 180, 270)


@dataclass(frozen=True)
class IdleConfig:
    reset_after: float = 90.0  # seconds untouched before returning home
    countdown: float = 20.0  # the last seconds of that show a countdown (WCAG 2.2.1: >= 20)
    attract_after: float = 120.0  # seconds on the home screen before the attract loop


@dataclass(frozen=True)
class CacheConfig:
    texture_mb: int = 48  # what one 1080x1920 screen shows, its neighbours and the way back
    dir: str = "~/.cache/kiosk"
    disk_mb: int = 2048


@dataclass(frozen=True)
class AdminConfig:
    # PINs are kept only as salted hashes (kiosk/pin.py; `kiosk pin` sets them)
    pin_hash: str | None = None  # the staff PIN
    guide_pin_hash: str | None = None  # a PIN that only opens guided tours
    pin_file: str | None = None  # where `kiosk pin` keeps the hashes (default <state_dir>/pins.json)
    pin: str | None = None  # a PIN in plain text: never used (kiosk check warns)
    guide_pin: str | None = None  # the same, for the guide PIN


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
    state_dir: str = "~/.local/state/kiosk"
    metrics_file: str | None = None  # Prometheus text file for node_exporter
    analytics_db: str | None = None  # SQLite file of visitor figures; None: not recorded
    idle: IdleConfig = field(default_factory=IdleConfig)
    cache: CacheConfig = field(default_factory=CacheConfig)
    admin: AdminConfig = field(default_factory=AdminConfig)
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
        return self.path(self.themes_dir) / self.theme

    def with_overrides(self, **changes) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def parse_size(text: str) -> tuple[int, int] | None:
    """``"1080x1920"`` → ``(1080, 1920)``; None if it is not of that form."""
    parts = str(text).lower().replace("×", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        return None
    w, h = (int(p) for p in parts)
    return (w, h) if w > 0 and h > 0 else None


def suggest(name: str, choices) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return close[0] if close else ""


def _problem(path: str, line: int | None, key: str, en: str, zh: str, severity="error") -> Problem:
    return Problem(path, line, severity, en, zh, key)


TOP_KEYS = (
    "content", "theme", "themes_dir", "fullscreen", "size", "rotation", "language",
    "status_file", "watch", "transitions", "idle", "cache", "admin",
    "name", "state_dir", "metrics_file", "analytics_db", "panel", "accessibility",
)
IDLE_KEYS = ("reset_after", "countdown", "attract_after")
CACHE_KEYS = ("texture_mb", "dir", "disk_mb")
ADMIN_KEYS = ("pin_hash", "guide_pin_hash", "pin_file", "pin", "guide_pin")


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
    values["admin"] = _section(f, "admin", ADMIN_KEYS, AdminConfig)
    _plain_pins(f, values["admin"])
    values["panel"] = _section(f, "panel", PANEL_KEYS, PanelConfig, number=True)
    values["accessibility"] = _section(f, "accessibility", ACCESS_KEYS, AccessConfig)
    config = Config(**values)
    if config.idle.countdown >= config.idle.reset_after:
        f.error("idle.countdown", "'idle.countdown' must be shorter than 'idle.reset_after'",
                "'idle.countdown' 必须小于 'idle.reset_after'")
        config = replace(config, idle=replace(config.idle, countdown=min(20.0, config.idle.reset_after / 2)))
    check_settings(f, config)
    return config, problems


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
    from kiosk.pin import parse_hash

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
