"""Settings files (``kiosk.yaml``, a theme's ``theme.yaml``), each setting declared once.

A setting is a field of a frozen dataclass declared with :func:`setting`: its name (the
field's, or ``key=`` where the file spells it otherwise), its kind, its default, its range or
choices and what it does, in Chinese and English. A group of settings written under one key
(``idle:``, ``colours:``) is a field declared with :func:`section`::

    @dataclass(frozen=True)
    class IdleConfig:
        reset_after: float = setting(90.0, above=0, en="seconds untouched ...", zh="...")

From that one declaration come

- the defaults: the dataclass's own (``IdleConfig().reset_after``);
- :func:`read`: the values of one file, every problem collected at once with file, line and
  key, in the same words for every setting (``'idle.reset_after' should be a number above
  0, not '-1'``), and a warning for every unknown key with the nearest known one
  (:func:`kiosk.content.fields.did_you_mean`, the one suggestion of the project);
- :func:`markdown`: the tables of ``docs/settings.md`` (``python -m kiosk.schema_docs``
  writes it; ``tests/test_schema.py`` fails when it differs).

No Kivy here.
"""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from kiosk.content.fields import did_you_mean, parse_bool, parse_int, parse_number, show
from kiosk.content.model import Problem
from kiosk.content.source import LineDict, problem

META = "kiosk.schema"
Rgba = tuple[float, float, float, float]
_HEX = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")


class Invalid(Exception):
    """A value a kind cannot take (the message is the setting's usual one)."""


# --------------------------------------------------------------------------- kinds


def parse_colour(value: object) -> Rgba | None:
    """``"#rrggbb"`` or ``"#rrggbbaa"`` to floats 0..1; None if it is neither."""
    if not isinstance(value, str) or not _HEX.match(value.strip()):
        return None
    digits = value.strip()[1:]
    parts = [int(digits[i:i + 2], 16) / 255.0 for i in range(0, len(digits), 2)]
    if len(parts) == 3:
        parts.append(1.0)
    return (parts[0], parts[1], parts[2], parts[3])


def parse_size(text: object) -> tuple[int, int] | None:
    """``"1080x1920"`` → ``(1080, 1920)``; None if it is not of that form."""
    parts = str(text).lower().replace("×", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        return None
    w, h = (int(p) for p in parts)
    return (w, h) if w > 0 and h > 0 else None


def _text(raw: object, report) -> str:
    if isinstance(raw, dict | list):
        raise Invalid
    return show(raw)


def _parsed(parse: Callable) -> Callable:
    def convert(raw: object, report) -> object:
        value = parse(raw)
        if value is None:
            raise Invalid
        return value

    return convert


_boolean, _integer, _number = _parsed(parse_bool), _parsed(parse_int), _parsed(parse_number)


def _colour(raw: object, report) -> Rgba:
    parsed = parse_colour(raw)
    if parsed is None:
        raise Invalid
    return parsed


def _size(raw: object, report) -> tuple[int, int]:
    size = parse_size(raw)
    if size is None:
        raise Invalid
    return size


def _address(raw: object, report) -> str:
    text = _text(raw, report).strip()
    try:
        ipaddress.ip_address(text)
    except ValueError:
        raise Invalid from None
    return text


@dataclass(frozen=True)
class Kind:
    """What a setting holds: how it is read and how its values are named to staff."""

    name: str  # in the docs' table
    en: str  # "should be <en>, not '...'"
    zh: str  # "应为<zh>，而不是 '...'"
    convert: Callable  # (raw value, report) -> value; raises Invalid
    wrong: tuple[str, str] | None = None  # a message of its own (see Setting.wrong)


TEXT = Kind("text", "a single piece of text", "一段文字", _text)
FILE = Kind("path", "a path", "路径", _text)  # relative to the folder of the file it is in
BOOL = Kind("true/false", "true or false", "true 或 false", _boolean)
INT = Kind("whole number", "a whole number", "整数", _integer)
NUMBER = Kind("number", "a number", "数字", _number)
CHOICE = Kind("choice", "one of", "之一", _text)
SIZE = Kind("size", "a size such as 1080x1920", "1080x1920 这样的尺寸", _size)
ADDRESS = Kind("IP address", "an IP address of this machine such as 127.0.0.1 or 0.0.0.0",
               "本机的 IP 地址，例如 127.0.0.1 或 0.0.0.0", _address)
COLOUR = Kind("colour", "#rrggbb or #rrggbbaa", "#rrggbb 或 #rrggbbaa", _colour,
              wrong=("colour '{name}' must look like #rrggbb or #rrggbbaa, not '{raw}'",
                     "颜色 '{name}' 应写成 #rrggbb 或 #rrggbbaa，而不是 '{raw}'"))
_NUMERIC = (INT, NUMBER)


# --------------------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Setting:
    """One setting: ``name`` in Python, ``key`` in the file."""

    kind: Kind
    default: object  # as written in the file; None: nothing unless it is set
    en: str  # what it does
    zh: str
    minimum: float | None = None  # ``minimum <= value``
    above: float | None = None  # ``above < value``
    maximum: float | None = None  # ``value <= maximum``
    choices: tuple = ()
    wrong: tuple[str, str] | None = None  # its own message: {name} {key} {raw} {choices} ...
    shown_default: str | None = None  # the default in the docs, when it is worked out at start
    group: str = ""  # a tag for the code that reads it (a theme's text and space sizes)
    key: str = ""
    name: str = ""

    def allowed(self, lang: str = "en") -> str:
        """The values it takes, in plain words (the docs' column and every message)."""
        zh = lang == "zh"
        if self.choices:
            names = [show(c) for c in self.choices]
            return f"{'、'.join(names)} 之一" if zh else f"one of {', '.join(names)}"
        low = self.above if self.above is not None else self.minimum
        if self.kind not in _NUMERIC or (low is None and self.maximum is None):
            return self.kind.zh if zh else self.kind.en
        high, above = self.maximum, self.above is not None
        if zh:
            noun = "整数" if self.kind is INT else "数"
            if high is None:
                return f"{'大于' if above else '不小于'} {low:g} 的{noun}"
            if low is None:
                return f"不超过 {high:g} 的{noun}"
            if above:
                return f"大于 {low:g}、不超过 {high:g} 的{noun}"
            return f"{low:g} 到 {high:g} 之间的{noun}"
        noun = "whole number" if self.kind is INT else "number"
        if high is None:
            return f"a {noun} {'above' if above else 'of at least'} {low:g}"
        if low is None:
            return f"a {noun} of at most {high:g}"
        if above:
            return f"a {noun} above {low:g} and at most {high:g}"
        return f"a {noun} from {low:g} to {high:g}"

    def accepts(self, value: object) -> bool:
        if self.choices:
            return value in self.choices
        if self.kind not in _NUMERIC:
            return True
        if self.minimum is not None and value < self.minimum:
            return False
        if self.above is not None and value <= self.above:
            return False
        return self.maximum is None or value <= self.maximum


@dataclass(frozen=True)
class Section:
    """Settings written under one key (``idle:``); ``entries`` are Settings and Sections."""

    en: str
    zh: str
    cls: type | None = None  # the dataclass whose fields declare it (and that it builds)
    entries_given: tuple = ()  # or the entries, declared one by one
    build: Callable | None = None  # {name: value given} -> the section's value
    aliases: tuple[str, ...] = ()  # other spellings accepted without a warning
    key: str = ""
    name: str = ""

    @property
    def entries(self) -> tuple:
        return self.entries_given or entries_of(self.cls)

    def make(self, values: dict):
        if self.build is not None:
            return self.build(values)
        return self.cls(**values)


def setting(default: object = None, *, en: str, zh: str, kind: Kind | None = None,
            default_factory: Callable | None = None, **options):
    """A dataclass field declaring one setting. The field's default is ``default`` read as
    the file would be (a colour's ``"#7a0c12"`` becomes its RGBA), or ``default_factory()``."""
    if kind is None:
        kind = (CHOICE if options.get("choices") and isinstance(options["choices"][0], str)
                else BOOL if isinstance(default, bool) else INT if isinstance(default, int)
                else NUMBER if isinstance(default, float) else TEXT)
    declared = Setting(kind, default, en, zh, **options)
    if default_factory is not None:
        return field(default_factory=default_factory, metadata={META: declared})
    value = kind.convert(default, None) if kind is COLOUR else default
    return field(default=value, metadata={META: declared})


def section(cls: type, *, en: str, zh: str, **options):
    """A dataclass field holding a group of settings (its default: ``cls()``)."""
    return field(default_factory=cls, metadata={META: Section(en, zh, cls, **options)})


@functools.cache
def entries_of(cls: type) -> tuple:
    """The settings and sections a dataclass declares, with their names and keys."""
    out = []
    for f in dataclasses.fields(cls):
        declared = f.metadata.get(META)
        if declared is not None:
            out.append(dataclasses.replace(declared, name=f.name, key=declared.key or f.name))
    return tuple(out)


def walk(entries: tuple, prefix: str = "") -> Iterator[tuple[str, Setting | Section]]:
    """Every setting and section under ``entries``, by its full key (``idle.countdown``)."""
    for entry in entries:
        full = f"{prefix}.{entry.key}" if prefix else entry.key
        yield full, entry
        if isinstance(entry, Section):
            yield from walk(entry.entries, full)


def defaults(cls: type) -> dict[str, object]:
    """``{name: default as written in the file}`` of a dataclass's settings."""
    return {e.name: e.default for e in entries_of(cls) if isinstance(e, Setting)}


# --------------------------------------------------------------------------- reading


class Reader:
    """Reads the settings of one file into values, collecting its problems."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems

    def report(self, line, severity: str, key: str, en: str, zh: str) -> None:
        self.problems.append(problem(self.path, line, severity, en, zh, key))

    def read(self, data: object, entries: tuple, prefix: str = "") -> dict[str, object]:
        """``{name: value}`` for each setting of ``entries`` that ``data`` sets rightly;
        sections it sets are built (their missing settings keep their defaults)."""
        if not isinstance(data, dict):
            return {}
        first = len(self.problems)
        self.unknown(data, entries, prefix)
        values: dict[str, object] = {}
        for entry in entries:
            key = next((k for k in (entry.key, *getattr(entry, "aliases", ())) if k in data),
                       entry.key)
            raw = data.get(key)
            if raw is None:
                continue
            full = f"{prefix}.{entry.key}" if prefix else entry.key
            line = data.line_of(key) if isinstance(data, LineDict) else None
            if isinstance(entry, Section):
                if not isinstance(raw, dict):
                    self.report(line, "error", full,
                                f"'{full}' should be a group of 'name: value' settings",
                                f"'{full}' 应为一组“名称: 值”设置")
                    continue
                values[entry.name] = entry.make(self.read(raw, entry.entries, full))
            else:
                value = self.value(entry, raw, full, line)
                if value is not _INVALID:
                    values[entry.name] = value
        if not prefix:  # in file order, for reading top-down
            self.problems[first:] = sorted(self.problems[first:], key=lambda p: p.line or 0)
        return values

    def value(self, s: Setting, raw: object, full: str, line: int | None) -> object:
        def report(en: str, zh: str) -> None:  # one wrong part of the value; {key}: its key
            self.report(line, "error", full, en.replace("{key}", full), zh.replace("{key}", full))

        try:
            value = s.kind.convert(raw, report)
            if isinstance(value, str):
                value = value.strip() if s.choices else value
                if not value:
                    return _INVALID  # an empty value: the default
            if not s.accepts(value):
                raise Invalid
        except Invalid:
            self.wrong(s, raw, full, line)
            return _INVALID
        return value

    def wrong(self, s: Setting, raw: object, full: str, line: int | None) -> None:
        wrong = s.wrong or s.kind.wrong
        if wrong:
            names = [show(c) for c in s.choices]
            words = {"name": s.name, "key": full, "raw": show(raw), "choices": ", ".join(names),
                     "choices_zh": "、".join(names)}
            self.report(line, "error", full, wrong[0].format(**words), wrong[1].format(**words))
            return
        guess = did_you_mean(show(raw), [show(c) for c in s.choices]) if s.choices else None
        zh = s.allowed("zh")
        zh = f" {zh}" if zh[:1].isascii() else zh  # a space between Chinese and Latin or digits
        self.report(line, "error", full,
                    f"'{full}' should be {s.allowed()}, not '{show(raw)}'"
                    + (f" — did you mean '{guess}'?" if guess else ""),
                    f"'{full}' 应为{zh}，而不是 '{show(raw)}'"
                    + (f"，是不是想写 '{guess}'？" if guess else ""))

    def unknown(self, data: dict, entries: tuple, where: str) -> None:
        """A warning for each key that is no setting, with the nearest one."""
        known = [e.key for e in entries]
        spellings = set(known).union(*(getattr(e, "aliases", ()) for e in entries))
        for key in data:
            if key in spellings:
                continue
            guess = did_you_mean(show(key), known)
            en = f"unknown key '{show(key)}'" + (f" in {where}" if where else "")
            zh = (f"{where} 中" if where else "") + f"有未知的设置 '{show(key)}'"
            if guess:
                en += f" — did you mean '{guess}'?"
                zh += f"，是否应为 '{guess}'？"
            else:
                en += f" (known: {', '.join(known)})"
                zh += f"（可用：{', '.join(known)}）"
            line = data.line_of(key) if isinstance(data, LineDict) else None
            self.report(line, "warning", f"{where}.{show(key)}".strip("."), en, zh)


_INVALID = object()


def read(data: object, cls: type, path: str, problems: list[Problem]) -> dict[str, object]:
    """The settings ``cls`` declares, as ``data`` (one file's mapping) sets them."""
    return Reader(path, problems).read(data, entries_of(cls))


# --------------------------------------------------------------------------- docs


def _shown(s: Setting) -> str:
    if s.shown_default is not None:
        return s.shown_default
    if s.default is None:
        return "—"
    if isinstance(s.default, tuple | list):
        return "`" + ", ".join(show(v) for v in s.default) + "`"
    if isinstance(s.default, float):
        return f"`{s.default:g}`"
    return f"`{show(s.default)}`"


_TABLE = ("| Key · 键 | Default · 默认 | Value · 取值 | Meaning · 说明 |\n"
          "|---|---|---|---|\n")


def _rows(entries: tuple, prefix: str) -> str:
    out = []
    for entry in entries:
        if isinstance(entry, Setting):
            full = f"{prefix}.{entry.key}" if prefix else entry.key
            out.append(f"| `{full}` | {_shown(entry)} | {entry.allowed('zh')} · {entry.allowed()} "
                       f"| {entry.zh} · {entry.en} |\n")
    for entry in entries:
        if isinstance(entry, Section):
            full = f"{prefix}.{entry.key}" if prefix else entry.key
            out.append(f"\n### `{full}:`\n\n{entry.zh} · {entry.en}\n\n{_TABLE}")
            out.append(_rows(entry.entries, full))
    return "".join(out)


def markdown(cls: type, title: str) -> str:
    """The tables of every setting ``cls`` declares: its own, then one per section."""
    return f"## {title}\n\n{_TABLE}" + _rows(entries_of(cls), "")
