"""Building exhibits: Markdown pages (with translations) and stats/honors boards."""

from __future__ import annotations

import dataclasses
import posixpath
import re

from kiosk.a11y.media import captions_for, narration_for

from .fields import Fields
from .model import Exhibit, Honor, Media, Problem, StatItem, Text
from .paths import MediaResolver, id_from_name
from .source import LineDict, ParsedFile, problem

PAGE_FIELDS = ("title", "date", "summary", "cover", "focus", "images", "video", "featured",
               "draft", "publish_from", "publish_until", "order", "notes", "audio")
TRANSLATION_FIELDS = ("title", "summary", "notes")
STRUCTURED_FIELDS = ("type", "title", "summary", "date", "cover", "focus", "featured", "draft",
                     "publish_from", "publish_until", "order", "items", "notes")
STAT_FIELDS = ("value", "label", "unit", "suffix", "decimals", "note", "notes")
HONOR_FIELDS = ("title", "year", "issuer", "description", "image", "focus", "notes")
IMAGE_ITEM_FIELDS = ("src", "caption", "focus")
VIDEO_FIELDS = ("src", "poster", "caption")

_BODY_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")

TRANSLATION_NAME = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2}(?:-[A-Za-z]{2,4})?)\.md$")


def exhibit_id(file_name: str) -> str:
    """``2015-center-opens.md`` → ``2015-center-opens``; ``03_figures.yaml`` → ``figures``."""
    stem = file_name.rsplit(".", 1)[0]
    return id_from_name(stem)


class Built:
    """An exhibit (or None) with the problems found while building it."""

    __slots__ = ("value", "problems")

    def __init__(self, value, problems: list[Problem]):
        self.value = value
        self.problems = problems


def with_focus(media: Media | None, focus: tuple[float, float] | None) -> Media | None:
    """``media`` with the focal point written beside it (if any)."""
    if media is None or focus is None:
        return media
    return dataclasses.replace(media, focus=focus)


def _common(f: Fields) -> dict:
    return {
        "summary": f.text("summary"),
        "date": f.date("date"),
        "cover": with_focus(f.media("cover", "image"), f.focus()),
        "featured": f.boolean("featured"),
        "schedule": f.schedule(),
        "order": f.integer("order"),
        "notes": f.text("notes"),
    }


def build_page(main: ParsedFile, translations: list[tuple[str, ParsedFile]], section: str,
               lang: str, languages: tuple[str, ...], resolver: MediaResolver) -> Built:
    """A Markdown exhibit from ``NAME.md`` plus its ``NAME.LANG.md`` translations."""
    problems: list[Problem] = []
    if not main.readable:
        return Built(None, problems)
    if not isinstance(main.data, LineDict) or not main.data:
        problems.append(problem(
            main.path, 1, "error",
            "no front matter with a title: start the file with a '---' line, "
            "then 'title: ...', then another '---' line",
            "没有带标题的开头信息：文件第一行应为 '---'，接着写 'title: ...'，再写一行 '---'",
            "title"))
        return Built(None, problems)
    f = Fields(main.data, main.path, problems, lang=lang, resolver=resolver)
    f.unknown(PAGE_FIELDS)
    title = f.text("title", required=True)
    common = _common(f)  # every field is checked, so all errors of the file show at once
    images = _images(f)
    video = _video(f)
    narration = narration_for(f, main.path, resolver, languages, lang)
    captions = captions_for(video, resolver, languages)
    body = Text(((lang, main.body),), lang) if main.body.strip() else Text(default=lang)
    _check_body_images(main, resolver, problems)
    if not title:
        return Built(None, problems)
    summary = common.pop("summary")
    notes = common.pop("notes")
    sources = [main.path]
    main_name = posixpath.basename(main.path)
    for tr_lang, tr in translations:
        sources.append(tr.path)
        if tr_lang not in languages:
            problems.append(problem(
                tr.path, None, "warning",
                f"this translation is in '{tr_lang}', which is not one of the site languages "
                f"({', '.join(languages)}); it is not shown",
                f"这个翻译的语言 '{tr_lang}' 不在网站语言（{', '.join(languages)}）之中；不会显示"))
            continue
        if not tr.readable:
            continue
        if isinstance(tr.data, LineDict):
            tf = Fields(tr.data, tr.path, problems, lang=tr_lang, resolver=resolver)
            for key in tr.data:
                if key not in TRANSLATION_FIELDS:
                    tf.warning(key, f"'{key}' is ignored in a translation; set it in {main_name}",
                               f"翻译文件里的 '{key}' 不起作用；请写在 {main_name} 里")
            title = title.merged(tf.text("title"))
            summary = summary.merged(tf.text("summary"))
            notes = notes.merged(tf.text("notes"))
        if tr.body.strip():
            body = body.merged(Text(((tr_lang, tr.body),), lang))
        _check_body_images(tr, resolver, problems)
    exhibit = Exhibit(
        id=exhibit_id(main_name), section=section, title=title, kind="page",
        summary=summary, body=body, images=images, video=video, notes=notes,
        source=main.path, sources=tuple(sources), body_line=main.body_line,
        narration=narration, captions=captions, **common)
    return Built(exhibit, problems)


def _images(f: Fields) -> tuple[Media, ...]:
    if isinstance(f.get("images"), str):  # a single picture written without "- "
        media = f.media("images", "image", label=None)
        return (media,) if media else ()
    items = f.sequence("images")
    if not items:
        return ()
    out: list[Media] = []
    for i, item in enumerate(items):
        line = items.line_of(i) if hasattr(items, "line_of") else None
        if isinstance(item, dict):
            sub = f.nested(item, f"images[{i + 1}]", (f"image {i + 1}: ", f"第 {i + 1} 张图片："))
            sub.unknown(IMAGE_ITEM_FIELDS)
            caption = sub.text("caption")
            src = sub.get("src", required=True)
            media = with_focus(sub.media("src", "image", caption=caption, label=None),
                               sub.focus()) if src is not None else None
        else:
            sub = f.nested({}, "", (f"image {i + 1}: ", f"第 {i + 1} 张图片："), line=line)
            media = sub.media(f"images[{i + 1}]", "image", value=item, line=line, label=None)
        if media is not None:
            out.append(media)
    return tuple(out)


def _video(f: Fields) -> Media | None:
    value = f.get("video")
    if value is None:
        return None
    if not isinstance(value, dict):
        return f.media("video", "video")
    sub = f.nested(value, "video", ("video: ", "视频："))
    sub.unknown(VIDEO_FIELDS)
    caption = sub.text("caption")
    poster = sub.media("poster", "image")
    if sub.get("src", required=True) is None:
        return None
    return sub.media("src", "video", caption=caption, poster=poster, label=None)


def _check_body_images(parsed: ParsedFile, resolver: MediaResolver,
                       problems: list[Problem]) -> None:
    if "![" not in parsed.body:
        return
    for match in _BODY_IMAGE.finditer(parsed.body):
        src = match.group(1)  # web addresses (http://, file://) are refused by resolve
        line = parsed.body_line + parsed.body.count("\n", 0, match.start())
        resolver.resolve(parsed.path, src, line, "body", "image", problems)


# --------------------------------------------------------------------------- structured


def build_structured(parsed: ParsedFile, section: str, lang: str,
                     resolver: MediaResolver) -> Built:
    """A stats board or honors list from ``NAME.yaml`` in a section folder."""
    problems: list[Problem] = []
    if not parsed.readable:
        return Built(None, problems)
    data = parsed.data if isinstance(parsed.data, LineDict) else LineDict()
    if parsed.data is None:
        data.line = 1
    f = Fields(data, parsed.path, problems, lang=lang, resolver=resolver)
    f.unknown(STRUCTURED_FIELDS)
    kind = f.choice("type", ("stats", "honors"), required=True)
    title = f.text("title", required=True)
    items = f.sequence("items", required=True)
    common = _common(f)
    if kind is None or not title or items is None:
        return Built(None, problems)
    stats: list[StatItem] = []
    honors: list[Honor] = []
    for i, item in enumerate(items):
        line = items.line_of(i) if hasattr(items, "line_of") else None
        where = (f"item {i + 1}: ", f"第 {i + 1} 项：")
        if not isinstance(item, dict):
            f.error("items", f"item {i + 1} should be a set of 'name: value' lines",
                    f"第 {i + 1} 项应为“名称: 值”形式的内容", line)
            continue
        sub = f.nested(item, f"items[{i + 1}]", where, line=line)
        if kind == "stats":
            stat = _stat(sub)
            if stat:
                stats.append(stat)
        else:
            honor = _honor(sub)
            if honor:
                honors.append(honor)
    name = posixpath.basename(parsed.path)
    exhibit = Exhibit(
        id=exhibit_id(name), section=section, title=title, kind=kind,
        stats=tuple(stats), honors=tuple(honors),
        source=parsed.path, sources=(parsed.path,), **common)
    return Built(exhibit, problems)


def _stat(f: Fields) -> StatItem | None:
    f.unknown(STAT_FIELDS)
    value = f.number("value", required=True)
    label = f.text("label", required=True)
    unit = f.text("unit")
    suffix = f.string("suffix")
    decimals = f.integer("decimals", minimum=0)
    note = f.text("note")
    if value is None or not label:
        return None
    return StatItem(value=value, label=label, unit=unit, suffix=suffix,
                    decimals=decimals or 0, note=note)


def _honor(f: Fields) -> Honor | None:
    f.unknown(HONOR_FIELDS)
    title = f.text("title", required=True)
    year = f.string("year")
    issuer = f.text("issuer")
    description = f.text("description")
    image = with_focus(f.media("image", "image"), f.focus())
    notes = f.text("notes")
    if not title:
        return None
    return Honor(title=title, year=year, issuer=issuer, description=description, image=image,
                 notes=notes)
