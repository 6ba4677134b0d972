"""Typed reading of the fields of one YAML mapping, collecting every problem at once.

A :class:`Fields` wraps one mapping from a content file (a whole ``site.yaml``,
a front matter block, one stats item, ...) and offers one method per field
type. Each method returns a usable value (or a default) and records a problem
with the file, line and key when the value is wrong, so a file with five
mistakes gets five messages in one run.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import difflib
import re
from collections.abc import Iterable

from .model import DEFAULT_LANGUAGE, Media, PartialDate, Problem, Schedule, Text
from .paths import MediaResolver
from .source import LineDict, problem

LANGUAGES = ("zh", "en")
_LANGUAGE_ALIASES = {"cn": "zh", "zh-cn": "zh", "zh_cn": "zh", "chs": "zh", "zh-hans": "zh",
                     "中文": "zh", "eng": "en", "en-us": "en", "english": "en", "英文": "en"}
_TRUE = frozenset({"true", "yes", "on", "是", "y"})
_FALSE = frozenset({"false", "no", "off", "否", "n"})
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")
_DATETIME = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")


def _breaks(text: str) -> str:
    """``\\n`` typed in a text (YAML keeps it as two characters outside double
    quotes) is a line break staff asked for, e.g. in a long title."""
    return text.replace("\\n", "\n") if "\\n" in text else text


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` was most likely meant to be (a typo), or None: the one
    suggestion used for content, kiosk.yaml and themes alike."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def parse_bool(value: object) -> bool | None:
    """true/false, yes/no, on/off, 是/否 ...; None if it is none of them."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE:
        return True
    if isinstance(value, str) and value.strip().lower() in _FALSE:
        return False
    return None


def parse_int(value: object) -> int | None:
    """A whole number (``3``, ``3.0``, ``"3"``); None if it is not one."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def parse_number(value: object) -> float | None:
    """A number (``2048``, ``0.5``, ``"2,048"``); None if it is not one."""
    if isinstance(value, str):
        try:
            value = float(value.replace(",", "").strip())
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def show(value: object) -> str:
    """A value as staff wrote it, for quoting in a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Fields:
    """The fields of one mapping in one file."""

    def __init__(self, data: LineDict | dict, path: str, problems: list[Problem], *,
                 lang: str = DEFAULT_LANGUAGE, resolver: MediaResolver | None = None,
                 where: tuple[str, str] = ("", ""), key_prefix: str = "",
                 line: int | None = None):
        self.data = data
        self.path = path
        self.problems = problems
        self.lang = lang
        self.resolver = resolver
        self.where_en, self.where_zh = where
        self.key_prefix = key_prefix
        self.base_line = line if line is not None else getattr(data, "line", None)

    # ----------------------------------------------------------------- reporting

    def line(self, key: str | None = None) -> int | None:
        lines = getattr(self.data, "lines", None)
        if key is not None and lines and key in lines:
            return lines[key]
        return self.base_line

    def full_key(self, key: object) -> str | None:
        if key is None:
            return self.key_prefix or None
        return f"{self.key_prefix}.{show(key)}" if self.key_prefix else show(key)

    def report(self, severity: str, key: str | None, en: str, zh: str,
               line: int | None = None) -> None:
        self.problems.append(problem(
            self.path, line if line is not None else self.line(key), severity,
            self.where_en + en, self.where_zh + zh, self.full_key(key)))

    def error(self, key: str | None, en: str, zh: str, line: int | None = None) -> None:
        self.report("error", key, en, zh, line)

    def warning(self, key: str | None, en: str, zh: str, line: int | None = None) -> None:
        self.report("warning", key, en, zh, line)

    def nested(self, data, key: str, where: tuple[str, str], line: int | None = None) -> Fields:
        return Fields(data, self.path, self.problems, lang=self.lang, resolver=self.resolver,
                      where=(self.where_en + where[0], self.where_zh + where[1]),
                      key_prefix=self.full_key(key) or "", line=line)

    # ----------------------------------------------------------------- structure

    def unknown(self, allowed: Iterable[str]) -> None:
        """Warn about every key not in ``allowed``, suggesting the nearest one."""
        allowed = list(allowed)
        for key in self.data:
            if key in allowed:
                continue
            name = show(key)
            guess = did_you_mean(name, allowed)
            if guess:
                self.warning(key, f"unknown field '{name}' — did you mean '{guess}'?",
                             f"未知字段 '{name}'，是不是想写 '{guess}'？")
            else:
                self.warning(key, f"unknown field '{name}' (it is ignored)",
                             f"未知字段 '{name}'（已忽略）")

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def missing(self, key: str) -> None:
        self.error(key, f"missing required field '{key}'", f"缺少必填项 '{key}'",
                   line=self.base_line)

    def get(self, key: str, required: bool = False):
        value = self.data.get(key)
        if value is None and required:
            self.missing(key)
        return value

    def sequence(self, key: str, required: bool = False, non_empty: bool = False) -> list | None:
        value = self.get(key, required)
        if value is None:
            return None
        if not isinstance(value, list):
            self.error(key, f"'{key}' should be a list (lines starting with '- ')",
                       f"'{key}' 应为列表（每项以 '- ' 开头）")
            return None
        if non_empty and not value:
            self.error(key, f"'{key}' is empty; it needs at least one item",
                       f"'{key}' 是空的；至少需要一项")
            return None
        return value

    # ----------------------------------------------------------------- scalar types

    def text(self, key: str, required: bool = False) -> Text:
        value = self.get(key, required)
        if value is None:
            return Text(default=self.lang)
        out = self.to_text(key, value)
        if required and not out:
            self.error(key, f"'{key}' is empty", f"'{key}' 不能为空")
        return out

    def to_text(self, key: str, value: object, line: int | None = None) -> Text:
        if isinstance(value, _dt.date):
            return Text.of(str(value), self.lang)
        if isinstance(value, (bool, list)):
            self.error(key, f"'{key}' should be text or a mapping of languages (zh: ..., en: ...)",
                       f"'{key}' 应为文字，或按语言分开写（zh: ...、en: ...）", line)
            return Text(default=self.lang)
        if isinstance(value, dict):
            pairs: list[tuple[str, str]] = []
            for lang, item in value.items():
                item_line = value.lines.get(lang) if isinstance(value, LineDict) else line
                if lang not in LANGUAGES:
                    guess = _LANGUAGE_ALIASES.get(show(lang).lower()) or did_you_mean(
                        show(lang), LANGUAGES)
                    hint_en = f" — did you mean '{guess}'?" if guess else " (use zh or en)"
                    hint_zh = f"，是不是想写 '{guess}'？" if guess else "（请用 zh 或 en）"
                    self.warning(key, f"'{key}' has an unknown language '{show(lang)}'{hint_en}",
                                 f"'{key}' 里有未知语言 '{show(lang)}'{hint_zh}", item_line)
                    continue
                if item is None:
                    continue
                if isinstance(item, (dict, list, bool)):
                    self.error(key, f"'{key}' ({lang}) should be text",
                               f"'{key}'（{lang}）应为文字", item_line)
                    continue
                pairs.append((lang, _breaks(str(item))))
            return Text(tuple(pairs), self.lang)
        return Text(((self.lang, _breaks(str(value))),), self.lang)

    def string(self, key: str, default: str = "") -> str:
        value = self.get(key)
        if value is None:
            return default
        if isinstance(value, (dict, list)):
            self.error(key, f"'{key}' should be a single piece of text",
                       f"'{key}' 应为一段文字")
            return default
        return show(value)

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.get(key)
        if value is None:
            return default
        parsed = parse_bool(value)
        if parsed is not None:
            return parsed
        self.error(key, f"'{key}' should be true or false, not '{show(value)}'",
                   f"'{key}' 应为 true 或 false，而不是 '{show(value)}'")
        return default

    def integer(self, key: str, minimum: int | None = None, required: bool = False) -> int | None:
        raw = self.get(key, required)
        if raw is None:
            return None
        value = parse_int(raw)
        if value is None:
            self.error(key, f"'{key}' should be a whole number, not '{show(raw)}'",
                       f"'{key}' 应为整数，而不是 '{show(raw)}'")
            return None
        if minimum is not None and value < minimum:
            self.error(key, f"'{key}' should be {minimum} or more, not {value}",
                       f"'{key}' 应不小于 {minimum}，而不是 {value}")
            return None
        return value

    def number(self, key: str, positive: bool = False, required: bool = False) -> float | None:
        raw = self.get(key, required)
        if raw is None:
            return None
        value = parse_number(raw)
        if value is None:
            self.error(key, f"'{key}' should be a number, not '{show(raw)}'",
                       f"'{key}' 应为数字，而不是 '{show(raw)}'")
            return None
        if positive and value <= 0:
            self.error(key, f"'{key}' should be greater than 0, not {show(raw)}",
                       f"'{key}' 应大于 0，而不是 {show(raw)}")
            return None
        return value

    def choice(self, key: str, options: Iterable[str], required: bool = False) -> str | None:
        options = list(options)
        value = self.get(key, required)
        if value is None:
            return None
        if isinstance(value, str) and value.strip() in options:
            return value.strip()
        guess = did_you_mean(show(value), options)
        hint_en = f" — did you mean '{guess}'?" if guess else ""
        hint_zh = f"，是不是想写 '{guess}'？" if guess else ""
        self.error(key, f"'{key}' should be one of {', '.join(options)}, "
                        f"not '{show(value)}'{hint_en}",
                   f"'{key}' 应为 {', '.join(options)} 之一，而不是 '{show(value)}'{hint_zh}")
        return None

    def date(self, key: str = "date") -> PartialDate | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return PartialDate(value.year, value.month, value.day)
        text = show(value)
        match = _DATE.match(text) if isinstance(value, (int, str)) else None
        if not match:
            self.error(key, f"'{key}' should be YYYY, YYYY-MM or YYYY-MM-DD "
                            f"(e.g. 2015-07-01), not '{text}'",
                       f"'{key}' 应写成 YYYY、YYYY-MM 或 YYYY-MM-DD（例如 2015-07-01），"
                       f"而不是 '{text}'")
            return None
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if month is not None and not 1 <= month <= 12:
            self.error(key, f"'{key}' has an invalid month: {text.strip()}",
                       f"'{key}' 的月份不对：{text.strip()}")
            return None
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            self.error(key, f"'{key}' has an invalid day: {text.strip()}",
                       f"'{key}' 的日期不对：{text.strip()}")
            return None
        return PartialDate(year, month, day)

    def moment(self, key: str) -> _dt.datetime | None:
        """``publish_from``/``publish_until``: a date or a local date and time."""
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, _dt.datetime):
            if value.tzinfo is not None:
                value = value.astimezone().replace(tzinfo=None)
            return value
        if isinstance(value, _dt.date):
            return _dt.datetime(value.year, value.month, value.day)
        text = show(value)
        match = _DATETIME.match(text) if isinstance(value, str) else None
        if not match:
            self.error(key, f"'{key}' should be YYYY-MM-DD or \"YYYY-MM-DD HH:MM\", not '{text}'",
                       f"'{key}' 应写成 YYYY-MM-DD 或 \"YYYY-MM-DD HH:MM\"，而不是 '{text}'")
            return None
        try:
            return _dt.datetime(*(int(g) for g in match.groups() if g is not None))
        except ValueError:
            self.error(key, f"'{key}' has an invalid date or time: {text.strip()}",
                       f"'{key}' 的日期或时间不对：{text.strip()}")
            return None

    def schedule(self) -> Schedule:
        draft = self.boolean("draft")
        start = self.moment("publish_from")
        end = self.moment("publish_until")
        if start and end and end <= start:
            self.warning("publish_until",
                         "'publish_until' is not after 'publish_from', so this is never shown",
                         "'publish_until' 不晚于 'publish_from'，因此永远不会显示")
        return Schedule(draft=draft, publish_from=start, publish_until=end)

    def focus(self, key: str = "focus") -> tuple[float, float] | None:
        """``focus: 0.5,0.3``: the point of a picture to keep in view when it is cropped,
        x then y, each from 0 (left, top) to 1 (right, bottom)."""
        value = self.get(key)
        if value is None:
            return None
        parts = value if isinstance(value, list) else str(value).replace("，", ",").split(",")
        try:
            x, y = (float(str(part).strip()) for part in parts)
        except ValueError:
            x = y = -1.0
        if not (0 <= x <= 1 and 0 <= y <= 1):
            self.error(key, f"'{key}' should be two numbers from 0 to 1, x then y "
                            f"(e.g. 0.5,0.3), not '{show(value)}'",
                       f"'{key}' 应为两个 0 到 1 之间的数，先横后纵（例如 0.5,0.3），"
                       f"而不是 '{show(value)}'")
            return None
        return (x, y)

    # ----------------------------------------------------------------- media

    def media(self, key: str, kind: str = "image", value: object = None,
              line: int | None = None, caption: Text | None = None,
              poster: Media | None = None, label: str | None = "") -> Media | None:
        """The media file named by ``key`` (or ``value``); None with a problem if unusable.

        Messages start with ``'key': `` unless ``label`` says otherwise (None: no name).
        """
        if value is None:
            value = self.get(key)
            if value is None:
                return None
        if self.resolver is None:  # pragma: no cover - every loader path passes one
            return None
        problems: list[Problem] = []
        media = self.resolver.resolve(self.path, value, line or self.line(key),
                                      self.full_key(key) or key, kind, problems,
                                      caption=caption, poster=poster,
                                      label=key if label == "" else label)
        for p in problems:  # add "image 2: " where the field sits in a list
            self.problems.append(problem(p.path, p.line, p.severity, self.where_en + p.message,
                                         self.where_zh + p.message_zh, p.key))
        return media
