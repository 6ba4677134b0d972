"""``kiosk check``: validate content, tours, kiosk.yaml and the theme's fonts, without a screen.

Prints one line per problem (``path:line: error: 中文 / English``) and a summary;
the exit code is 1 if anything is an error, else 0. Nothing here imports Kivy.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from kiosk.content.glyphs import font_charset, missing_glyphs
from kiosk.content.loader import ContentLoader
from kiosk.content.model import Content, Problem
from kiosk.content.source import problem
from kiosk.images.decode import set_max_pixels
from kiosk.images.verify import PictureChecks, checks_file


def _has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _config_problems(config_path, theme_dir) -> tuple[list[Problem], object | None]:
    """Problems of kiosk.yaml (if that module and file exist) and the config itself."""
    if config_path is None or not _has_module("kiosk.config"):
        return [], None
    from kiosk.config import load_config

    config, problems = load_config(config_path)
    return list(problems), config


def _pictures_file(config) -> Path:
    """Where pictures proven are remembered (the cache folder, shared with the kiosk)."""
    from kiosk.config import CacheConfig

    folder = config.path(config.cache.dir) if config is not None \
        else Path(CacheConfig().dir).expanduser()
    return checks_file(folder)


def _pictures(config) -> PictureChecks:
    limit = getattr(getattr(config, "images", None), "max_pixels", None)
    if limit:
        set_max_pixels(limit)
    return PictureChecks(file=_pictures_file(config))


def _background_problems(theme, pictures: PictureChecks) -> list[Problem]:
    """The theme's background picture, proven like the content's pictures."""
    background = getattr(theme, "background", None)
    if not background or not os.path.isfile(background):
        return []
    source = str(Path(getattr(theme, "folder", Path(background).parent)) / "theme.yaml")
    return [problem(source, None, severity, f"'background.image': {en}",
                    f"'background.image'：{zh}", "background.image")
            for severity, en, zh in pictures.get(os.fspath(background))]


def _theme_fonts(theme_dir, config, pictures: PictureChecks | None = None
                 ) -> tuple[list[str], list[Problem]]:
    """Font files of the theme given (folder or name), or of the configured theme."""
    if not _has_module("kiosk.theme"):
        return [], []
    from kiosk.theme import find_theme, load_theme

    folder: Path | None = None
    problems: list[Problem] = []
    if theme_dir is not None:
        themes_root = config.path(config.themes_dir) if config is not None else Path("themes")
        folder = find_theme(str(theme_dir), themes_root)
        if folder is None:
            problems.append(problem(
                str(theme_dir), None, "error",
                f"theme not found: {theme_dir} (a theme is a folder with a theme.yaml)",
                f"找不到主题：{theme_dir}（主题是一个含有 theme.yaml 的文件夹）"))
            return [], problems
    elif config is not None and (Path(config.theme_dir) / "theme.yaml").is_file():
        folder = Path(config.theme_dir)
    if folder is None:
        return [], problems
    theme, theme_problems = load_theme(folder)
    problems.extend(theme_problems)
    if pictures is not None:
        problems.extend(_background_problems(theme, pictures))
    fonts = getattr(theme, "fonts", None)
    paths = [getattr(fonts, "regular", None), getattr(fonts, "bold", None)]
    return [p for p in dict.fromkeys(paths) if p and os.path.isfile(p)], problems


def glyph_problems(content: Content, fonts: Sequence[str | os.PathLike]) -> list[Problem]:
    """Characters of the content that any of ``fonts`` cannot draw (each font must draw all)."""
    if not fonts:
        return []
    charset: frozenset[str] | None = None
    for path in fonts:
        chars = font_charset([path])
        charset = chars if charset is None else charset & chars
    return missing_glyphs(content, charset or frozenset())


def _line_of(root: Path, rel: str, text: str, fallback: int | None) -> int | None:
    """The line of file ``rel`` that holds ``text`` (first match), else ``fallback``."""
    try:
        lines = (root / rel).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return fallback
    needle = text.strip()
    for number, line in enumerate(lines, 1):
        if needle and needle in line:
            return number
    return fallback


def _markdown_sources(content: Content):
    """(file, Markdown text) for every section intro, exhibit body and tour step's talking
    points, per language."""
    for section in content.sections:
        for _lang, text in section.intro.values:
            yield section.source, text
        for ex in section.exhibits:
            for lang, text in ex.body.values:
                rel = ex.source
                if lang != ex.body.default:
                    stem = ex.source.rsplit(".", 1)[0]
                    rel = next((s for s in ex.sources if s == f"{stem}.{lang}.md"), ex.source)
                yield rel, text
    for tour in content.tours:
        for step in tour.steps:
            for _lang, text in step.notes.values:
                yield tour.source, text


def emphasis_problems(content: Content) -> list[Problem]:
    """Bold markers (``**``) that would reach the screen as literal asterisks."""
    from kiosk.ui.markdown.blocks import leftover_markers

    found: list[Problem] = []
    for rel, text in _markdown_sources(content):
        lines = text.splitlines()
        for number, _marker in leftover_markers(text):
            source_line = lines[number - 1] if 0 < number <= len(lines) else ""
            line = _line_of(content.root, rel, source_line, None)
            found.append(problem(
                rel, line, "warning",
                "'**' would show on screen as two asterisks: bold needs a closing '**' on the "
                "same paragraph, and no space just inside the markers",
                "'**' 会在屏幕上显示成两个星号：加粗要在同一段里用 '**' 收尾，"
                "且星号内侧不要留空格"))
    return found


def video_problems(content: Content) -> list[Problem]:
    """A warning when exhibits have videos but this machine cannot play them."""
    from kiosk.videocheck import playback_installed

    videos = [ex for s in content.sections for ex in s.exhibits if ex.video is not None]
    if not videos or playback_installed():
        return []
    first = videos[0]
    return [problem(
        first.source, None, "warning",
        f"{len(videos)} exhibit(s) have a video, but video playback is not installed on this "
        "machine (pip install ffpyplayer); visitors see the poster picture instead",
        f"有 {len(videos)} 个展项带视频，但本机没有安装视频播放组件（pip install ffpyplayer）；"
        "观众只能看到封面图", "video")]


def summary_text(content: Content, errors: int, warnings: int, lang: str = "both") -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    counts_en = (f"{plural(len(content.sections), 'section')}, "
                 f"{plural(sum(len(s.exhibits) for s in content.sections), 'exhibit')}, "
                 f"{plural(len(content.tours), 'tour')}")
    counts_zh = (f"{len(content.sections)} 个栏目，"
                 f"{sum(len(s.exhibits) for s in content.sections)} 个展项，"
                 f"{len(content.tours)} 条导览")
    if errors:
        en = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
        zh = f"{errors} 个错误，{warnings} 个警告"
    else:
        en = f"content OK: {counts_en}"
        zh = f"内容检查通过：{counts_zh}"
        if warnings:
            en += f" ({plural(warnings, 'warning')})"
            zh += f"（{warnings} 个警告）"
    if lang == "zh":
        return zh
    if lang == "en":
        return en
    return f"{zh} / {en}"


def _is_empty_folder(folder) -> bool:
    try:
        return os.path.isdir(folder) and not any(
            not name.startswith(".") for name in os.listdir(folder))
    except OSError:
        return False


def collect(content_dir: str | os.PathLike, *, config_path=None, theme_dir=None,
            fonts: Iterable[str | os.PathLike] | None = None
            ) -> tuple[Content, list[tuple[str, Problem]]]:
    """Load and check everything; returns the content and (path prefix, problem) pairs."""
    config_problems, config = _config_problems(config_path, theme_dir)
    pictures = _pictures(config)
    content = ContentLoader(content_dir, pictures=pictures).load()  # remembers what it proved
    prefix = os.fspath(content_dir).rstrip("/") or "/"
    found: list[tuple[str, Problem]] = [(prefix, p) for p in content.problems]
    if _is_empty_folder(content_dir):  # a new installation: say how to start, not what is missing
        found = [(prefix, problem(
            ".", None, "error",
            f"the content folder is empty: 'kiosk init {prefix}' puts a starting exhibition "
            "in it to edit",
            f"内容文件夹是空的：运行 'kiosk init {prefix}' 可放入一套示例展览供修改"))]
    found += [("", p) for p in config_problems]
    font_paths = [os.fspath(f) for f in fonts or ()]
    if not font_paths:
        font_paths, theme_problems = _theme_fonts(theme_dir, config, pictures)
        found += [("", p) for p in theme_problems]
    found += [(prefix, p) for p in glyph_problems(content, font_paths)]
    from kiosk.a11y.check import accessibility_problems, load_theme_for  # contrast, reach, sound

    found += accessibility_problems(content, prefix, config, load_theme_for(theme_dir, config),
                                    str(config_path or ""))
    found += [(prefix, p) for p in emphasis_problems(content)]
    found += [(prefix, p) for p in video_problems(content)]
    return content, found


def run_check(content_dir: str | os.PathLike, *, config_path=None, theme_dir=None,
              fonts: Iterable[str | os.PathLike] | None = None, as_json: bool = False,
              lang: str = "both", out: TextIO | None = None) -> int:
    """Check a content folder (and kiosk.yaml / theme fonts if given); print; return 0 or 1.

    ``fonts`` lists font files that must draw every character; without it the
    theme (``theme_dir``, else the one kiosk.yaml names) supplies them.
    """
    out = out or sys.stdout
    content, found = collect(content_dir, config_path=config_path, theme_dir=theme_dir,
                             fonts=fonts)
    errors = [(pre, p) for pre, p in found if p.is_error]
    warnings = [(pre, p) for pre, p in found if not p.is_error]
    summary = summary_text(content, len(errors), len(warnings), lang)
    if as_json:
        def item(pre: str, p: Problem) -> dict:
            d = p.as_dict()
            if pre and p.path == ".":  # the content folder itself
                d["file"] = pre
            else:
                d["file"] = f"{pre.rstrip('/')}/{p.path}" if pre and p.path else p.path
            return d

        payload = {
            "ok": not errors,
            "errors": [item(pre, p) for pre, p in errors],
            "warnings": [item(pre, p) for pre, p in warnings],
            "summary": {
                "sections": len(content.sections),
                "exhibits": sum(len(s.exhibits) for s in content.sections),
                "tours": len(content.tours),
                "errors": len(errors),
                "warnings": len(warnings),
                "text": summary,
            },
        }
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for pre, p in found:
            out.write(p.format(pre, lang) + "\n")
        out.write(summary + "\n")
    return 1 if errors else 0
