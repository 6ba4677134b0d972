"""Characters the content uses that the theme's fonts cannot draw.

A character missing from the font shows up on screen as an empty box ("tofu"),
which for a name such as 喆 or 堃 is an embarrassment at an exhibition. This
module lists such characters per content file, at the first line using them.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Iterator

from .model import Content, Exhibit, Problem, Text
from .source import problem, read_text

_MAX_SHOWN = 30


def font_charset(paths: Iterable[str | os.PathLike]) -> frozenset[str]:
    """Every character any of the fonts (.ttf/.otf/.ttc) maps to a glyph."""
    from fontTools.ttLib import TTCollection, TTFont

    chars: set[str] = set()
    for path in paths:
        path = os.fspath(path)
        if path.lower().endswith((".ttc", ".otc")):
            fonts = TTCollection(path, lazy=True).fonts
        else:
            fonts = [TTFont(path, lazy=True, fontNumber=0)]
        for font in fonts:
            cmap = font.getBestCmap() or {}
            chars.update(chr(code) for code in cmap)
            font.close()
    return frozenset(chars)


def _texts(values: Iterable[Text | str | None]) -> Iterator[str]:
    for value in values:
        if isinstance(value, Text):
            for _, text in value.values:
                yield text
        elif value:
            yield value


def _exhibit_texts(ex: Exhibit) -> Iterator[str]:
    yield from _texts((ex.title, ex.summary, ex.body))
    media = [*ex.images, ex.video, ex.cover]
    yield from _texts(m.caption for m in media if m is not None)
    for item in ex.stats:
        yield from _texts((item.label, item.unit, item.suffix, item.note))
    for honor in ex.honors:
        yield from _texts((honor.title, honor.year, honor.issuer, honor.description))


def content_texts(content: Content) -> Iterator[tuple[tuple[str, ...], str]]:
    """(files the text may come from, text) for every text shown on screen."""
    site = content.site
    yield from (((site.source,), t) for t in _texts(
        (site.title, site.subtitle, site.footer, site.attract.prompt)))
    for section in content.sections:
        yield from (((section.source,), t) for t in _texts(
            (section.title, section.subtitle, section.intro)))
        for ex in section.exhibits:
            sources = ex.sources or (ex.source,)
            yield from ((sources, t) for t in _exhibit_texts(ex))
    for tour in content.tours:
        texts = [tour.title, tour.description]
        for step in tour.steps:
            texts += [step.title, step.notes]
        yield from (((tour.source,), t) for t in _texts(texts))


def _drawable_needed(ch: str) -> bool:
    if ch.isspace():
        return False
    return unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")


def missing_glyphs(content: Content, charset: Iterable[str] | frozenset[str]) -> list[Problem]:
    """One warning per file naming the characters the font lacks, at their first line."""
    have = charset if isinstance(charset, (set, frozenset)) else frozenset(charset)
    per_sources: dict[tuple[str, ...], dict[str, None]] = {}
    for sources, text in content_texts(content):
        for ch in set(text) - have:
            if _drawable_needed(ch):
                per_sources.setdefault(sources, {})[ch] = None
    per_file: dict[str, dict[str, tuple[int, int] | None]] = {}
    for sources, chars in per_sources.items():
        placed: set[str] = set()
        for path in sources:
            found = _locate(content, path, chars)
            if found:
                per_file.setdefault(path, {}).update(found)
                placed.update(found)
        rest = [ch for ch in chars if ch not in placed]
        if rest:
            per_file.setdefault(sources[0], {}).update(dict.fromkeys(rest))
    problems = []
    for path, chars in per_file.items():
        ordered = sorted(chars, key=lambda ch: (chars[ch] or (0, 0), ch))
        lines = [chars[ch][0] for ch in ordered if chars[ch]]
        shown = " ".join(ordered[:_MAX_SHOWN])
        if len(ordered) > _MAX_SHOWN:
            shown += f" … ({len(ordered)})"
        problems.append(problem(path, min(lines) if lines else None, "warning",
                                f"the font cannot draw: {shown}", f"字体缺少这些字：{shown}"))
    problems.sort(key=lambda p: (p.path, p.line or 0))
    return problems


def _locate(content: Content, path: str,
            chars: dict[str, None]) -> dict[str, tuple[int, int]]:
    """(line, column) in ``path`` where each of ``chars`` first appears."""
    text, _ = read_text(os.path.join(content.root, *path.split("/")), path)
    if not text:
        return {}
    found: dict[str, tuple[int, int]] = {}
    for number, line in enumerate(text.split("\n"), 1):
        for ch in chars:
            if ch not in found and ch in line:
                found[ch] = (number, line.index(ch))
        if len(found) == len(chars):
            break
    return found
