"""The content model: immutable snapshots of what the exhibition shows.

Everything here is plain Python. The loader builds these objects from files;
the screens only read them. Nothing in this package imports Kivy.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

LAYOUTS = ("timeline", "stats", "honors", "grid", "gallery", "article")
EXHIBIT_KINDS = ("page", "stats", "honors")
DEFAULT_LANGUAGE = "zh"


@dataclass(frozen=True)
class Text:
    """A piece of text in one or more languages, e.g. ``{"zh": "历程", "en": "History"}``.

    ``get(lang)`` falls back to the default language, then to any language present,
    so a missing translation never shows up as an empty screen.
    """

    values: tuple[tuple[str, str], ...] = ()
    default: str = DEFAULT_LANGUAGE

    @classmethod
    def of(cls, value: str | Mapping[str, str] | None, default: str = DEFAULT_LANGUAGE) -> Text:
        if value is None:
            return cls((), default)
        if isinstance(value, Text):
            return value
        if isinstance(value, Mapping):
            return cls(tuple((str(k), str(v)) for k, v in value.items() if v is not None), default)
        return cls(((default, str(value)),), default)

    def get(self, lang: str | None = None) -> str:
        table = dict(self.values)
        if lang and lang in table:
            return table[lang]
        if self.default in table:
            return table[self.default]
        return self.values[0][1] if self.values else ""

    def has(self, lang: str) -> bool:
        return any(k == lang for k, _ in self.values)

    def languages(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.values)

    def merged(self, other: Text) -> Text:
        """This text with ``other``'s languages added (other wins on conflicts)."""
        table = dict(self.values)
        table.update(dict(other.values))
        return Text(tuple(table.items()), self.default)

    def __bool__(self) -> bool:
        return any(v for _, v in self.values)

    def __str__(self) -> str:
        return self.get()


EMPTY = Text()


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, month or day: ``2015``, ``2015-07``, ``2015-07-01``."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def label(self, lang: str) -> str:
        """Human form: ``2015年7月`` in Chinese, ``July 2015`` in English."""
        if lang == "zh":
            out = f"{self.year}年"
            if self.month:
                out += f"{self.month}月"
            if self.day:
                out += f"{self.day}日"
            return out
        if self.month is None:
            return str(self.year)
        month = _dt.date(2000, self.month, 1).strftime("%B")
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"


@dataclass(frozen=True)
class Media:
    """An image or video file inside the content root."""

    src: str  # path relative to the content root, with forward slashes
    path: Path  # absolute path on disk
    kind: str = "image"  # "image" or "video"
    caption: Text = EMPTY
    poster: Media | None = None  # still image shown for a video before/without playback
    # pictures for one language, found beside the file: ``cover.en.jpg`` for ``cover.jpg``
    variants: tuple[tuple[str, str, Path], ...] = ()  # (language, src, path)
    focus: tuple[float, float] | None = None  # (x, y) in 0..1 from the top left: kept in view

    def for_language(self, lang: str | None) -> Media:
        """This picture as a reader of ``lang`` sees it: its variant for that language, if any."""
        for variant_lang, src, path in self.variants:
            if variant_lang == lang:
                return replace(self, src=src, path=path, variants=())
        return self


@dataclass(frozen=True)
class StatItem:
    """One figure on a stats board: ``2600`` ``件`` ``+`` — 审批手续."""

    value: float
    label: Text
    unit: Text = EMPTY
    suffix: str = ""
    decimals: int = 0
    note: Text = EMPTY

    def formatted(self, value: float | None = None) -> str:
        v = self.value if value is None else value
        if self.decimals:
            return f"{v:,.{self.decimals}f}"
        return f"{int(round(v)):,}"


@dataclass(frozen=True)
class Honor:
    """One award on an honors wall."""

    title: Text
    year: str = ""
    issuer: Text = EMPTY
    description: Text = EMPTY
    image: Media | None = None
    notes: Text = EMPTY  # for staff only: never shown on screen


@dataclass(frozen=True)
class Schedule:
    """Draft flag and publishing window shared by sections and exhibits."""

    draft: bool = False
    publish_from: _dt.datetime | None = None
    publish_until: _dt.datetime | None = None

    def visible(self, now: _dt.datetime | None = None) -> bool:
        if self.draft:
            return False
        now = now or _dt.datetime.now()
        if self.publish_from and now < self.publish_from:
            return False
        if self.publish_until and now >= self.publish_until:
            return False
        return True


ALWAYS = Schedule()


@dataclass(frozen=True)
class Exhibit:
    """One thing a visitor can open: a Markdown page, a stats board or an honors list."""

    id: str
    section: str
    title: Text
    kind: str = "page"  # one of EXHIBIT_KINDS
    summary: Text = EMPTY
    body: Text = EMPTY  # Markdown source per language
    date: PartialDate | None = None
    images: tuple[Media, ...] = ()
    video: Media | None = None
    cover: Media | None = None
    featured: bool = False
    schedule: Schedule = ALWAYS
    order: int | None = None
    stats: tuple[StatItem, ...] = ()
    honors: tuple[Honor, ...] = ()
    source: str = ""  # main file, relative to the content root
    sources: tuple[str, ...] = ()  # every file it was built from (translations included)
    body_line: int = 1  # line in ``source`` where the Markdown body starts
    narration: tuple[tuple[str, Media], ...] = ()  # (language, sound file): kiosk/a11y/media.py
    captions: tuple[tuple[str, Media], ...] = ()  # (language, WebVTT file) of the video
    notes: Text = EMPTY  # for staff only (sources, open questions): never shown on screen

    @property
    def route(self) -> str:
        return f"exhibit/{self.section}/{self.id}"

    @property
    def thumbnail(self) -> Media | None:
        """The picture that stands for this exhibit on a card."""
        if self.cover:
            return self.cover
        if self.images:
            return self.images[0]
        if self.video and self.video.poster:
            return self.video.poster
        for honor in self.honors:
            if honor.image:
                return honor.image
        return None

    def visible(self, now: _dt.datetime | None = None) -> bool:
        return self.schedule.visible(now)


@dataclass(frozen=True)
class Section:
    """A folder of exhibits shown with one layout, e.g. ``01-history/`` → ``history``."""

    id: str
    title: Text
    layout: str
    subtitle: Text = EMPTY
    intro: Text = EMPTY  # optional Markdown shown above the exhibits
    cover: Media | None = None
    exhibits: tuple[Exhibit, ...] = ()
    schedule: Schedule = ALWAYS
    folder: str = ""  # folder name relative to the content root
    source: str = ""  # the _section.yaml file, relative to the content root
    notes: Text = EMPTY  # for staff only: never shown on screen

    @property
    def route(self) -> str:
        return f"section/{self.id}"

    def exhibit(self, exhibit_id: str) -> Exhibit | None:
        for ex in self.exhibits:
            if ex.id == exhibit_id:
                return ex
        return None

    def visible(self, now: _dt.datetime | None = None) -> bool:
        return self.schedule.visible(now)

    def visible_exhibits(self, now: _dt.datetime | None = None) -> tuple[Exhibit, ...]:
        return tuple(ex for ex in self.exhibits if ex.visible(now))

    def photos(self, now: _dt.datetime | None = None) -> tuple[tuple[Exhibit, Media], ...]:
        """Every image of every visible exhibit, in order: what a gallery shows."""
        return tuple((ex, m) for ex in self.visible_exhibits(now) for m in ex.images)


@dataclass(frozen=True)
class AttractSettings:
    slide_seconds: float = 8.0
    prompt: Text = field(
        default_factory=lambda: Text((("zh", "触摸屏幕开始参观"), ("en", "Touch to begin")))
    )


@dataclass(frozen=True)
class Site:
    title: Text
    subtitle: Text = EMPTY
    languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)
    home: tuple[str, ...] = ()  # section ids in home-screen order; empty = folder order
    attract: AttractSettings = field(default_factory=AttractSettings)
    logo: Media | None = None
    footer: Text = EMPTY
    source: str = "site.yaml"

    @property
    def default_language(self) -> str:
        return self.languages[0]


@dataclass(frozen=True)
class TourStep:
    """One stop of a guided tour: a section, an exhibit, or one photo of a gallery."""

    section: str
    exhibit: str | None = None
    photo: int | None = None  # 0-based index into the section's photos
    title: Text = EMPTY
    notes: Text = EMPTY  # the guide's talking points (讲解词)
    seconds: float | None = None  # auto-advance after this many seconds
    line: int | None = None

    @property
    def route(self) -> str:
        if self.photo is not None:
            return f"photo/{self.section}/{self.photo + 1}"
        if self.exhibit:
            return f"exhibit/{self.section}/{self.exhibit}"
        return f"section/{self.section}"


@dataclass(frozen=True)
class Tour:
    id: str
    title: Text
    steps: tuple[TourStep, ...]
    description: Text = EMPTY
    source: str = ""


@dataclass(frozen=True)
class Problem:
    """Something wrong (or worth a look) in a file, located by path and line.

    ``path`` is relative to the content root for content files; ``message`` is
    English and ``message_zh`` Chinese, both in plain words for staff.
    """

    path: str
    line: int | None
    severity: str  # "error" or "warning"
    message: str
    message_zh: str = ""
    key: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self, prefix: str = "", lang: str = "both") -> str:
        if prefix and self.path == ".":  # the content folder itself
            path = prefix.rstrip("/") or "/"
        else:
            path = f"{prefix.rstrip('/')}/{self.path}" if prefix and self.path else self.path
        where = f"{path}:{self.line}" if self.line else path
        if lang == "zh" and self.message_zh:
            text = self.message_zh
        elif lang == "en" or not self.message_zh:
            text = self.message
        else:
            text = f"{self.message_zh} / {self.message}"
        return f"{where}: {self.severity}: {text}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "message": self.message,
            "message_zh": self.message_zh,
            "key": self.key,
        }


@dataclass(frozen=True)
class Content:
    """One complete, consistent snapshot of the exhibition."""

    root: Path
    site: Site
    sections: tuple[Section, ...] = ()
    tours: tuple[Tour, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)

    def section(self, section_id: str) -> Section | None:
        for s in self.sections:
            if s.id == section_id:
                return s
        return None

    def exhibit(self, section_id: str, exhibit_id: str) -> Exhibit | None:
        s = self.section(section_id)
        return s.exhibit(exhibit_id) if s else None

    def tour(self, tour_id: str) -> Tour | None:
        for t in self.tours:
            if t.id == tour_id:
                return t
        return None

    def home_sections(self, now: _dt.datetime | None = None) -> tuple[Section, ...]:
        """Visible sections in the order the home screen shows them."""
        visible = [s for s in self.sections if s.visible(now)]
        if not self.site.home:
            return tuple(visible)
        rank = {sid: i for i, sid in enumerate(self.site.home)}
        return tuple(sorted(visible, key=lambda s: rank.get(s.id, len(rank))))

    def featured(self, now: _dt.datetime | None = None) -> tuple[Exhibit, ...]:
        return tuple(
            ex
            for s in self.home_sections(now)
            for ex in s.visible_exhibits(now)
            if ex.featured
        )

    def resolve(self, route: str) -> Section | Exhibit | None:
        """The section or exhibit a route such as ``exhibit/history/x`` names."""
        parts = route.split("/")
        if parts[0] == "section" and len(parts) == 2:
            return self.section(parts[1])
        if parts[0] == "exhibit" and len(parts) == 3:
            return self.exhibit(parts[1], parts[2])
        if parts[0] == "photo" and len(parts) == 3:
            return self.section(parts[1])
        return None
