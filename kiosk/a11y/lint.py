"""Accessibility checks with numbers, for ``kiosk check`` and ``kiosk render``. No Kivy.

* colour pairs of a theme below 4.5:1 (3:1 for large text), WCAG 2.2 §1.4.3;
* touch targets smaller than 9 mm on the configured panel;
* visitor controls outside 380-1,220 mm above the floor (EN 301 549 §8.3.3, ADA §308),
  from the panel's size and mounting;
* label text for the editors: sentences over 25 words, labels over 100 words, lines
  over 55 characters (Smithsonian Guidelines for Accessible Exhibition Design);
* pictures without alt text, which read-aloud cannot describe.

Controls (for targets and reach) are plain :class:`Control` rectangles in window pixels;
``kiosk.ui.access.probe`` takes them from a drawn screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kiosk.a11y.settings import (
    CONTRAST_LARGE,
    CONTRAST_TEXT,
    MAX_LABEL_WORDS,
    MAX_LINE_CHARS,
    MAX_SENTENCE_WORDS,
    MIN_TARGET_MM,
    REACH_HIGH_MM,
    REACH_LOW_MM,
    PanelConfig,
    reading_width,
)
from kiosk.content.model import Problem
from kiosk.content.source import problem

# Text colour pairs as the screens draw them: (text, on what, large text?, where).
# Large text (WCAG: 18 pt, or 14 pt bold) needs 3:1; everything else 4.5:1.
TEXT_PAIRS = (
    ("text", "background", False, "body text on the screen"),
    ("text", "surface", False, "text on the bars"),
    ("text_muted", "background", False, "dates and captions"),
    ("text_muted", "surface", False, "secondary text on the bars"),
    ("on_primary", "primary", False, "button labels"),
    ("on_accent", "accent", False, "labels of selected buttons"),
    ("accent", "surface", False, "labels of the 大字, language and accessibility buttons"),
    ("accent", "background", True, "headings"),
    ("on_card", "card", False, "text on cards and article pages"),
    ("card_muted", "card", False, "secondary text on cards"),
    ("primary", "card", False, "the countdown's number and links on cards"),
    ("on_viewer", "viewer", False, "captions in the photo viewer"),
    ("viewer_muted", "viewer", False, "the photo viewer's counter"),
    ("viewer_accent", "viewer", False, "the photo viewer's arrows"),
    ("text", "overlay", False, "the countdown and dialogs (over the screen)"),
    ("error", "background", False, "messages for staff"),
)


@dataclass(frozen=True)
class Control:
    """Something a visitor touches, in window pixels (y from the bottom edge)."""

    name: str  # what it is, for the message: "Back button", "card 'History'"
    x: float
    y: float
    width: float
    height: float
    screen: str = ""  # the route it was found on


# ------------------------------------------------------------------ contrast

def contrast_problems(theme, path: str = "") -> list[Problem]:
    """Text colour pairs of ``theme`` below the WCAG minimum. Pairs the theme loader
    already reports (``kiosk.theme.CONTRAST_PAIRS``) are left to it."""
    from kiosk.theme import CONTRAST_PAIRS, contrast

    already = {(fg, bg) for fg, bg, _ in CONTRAST_PAIRS}
    colours = theme.colours
    path = path or str(theme.folder / "theme.yaml")
    found = []
    for fg, bg, large, where in TEXT_PAIRS:
        if (fg, bg) in already or not hasattr(colours, fg) or not hasattr(colours, bg):
            continue
        back = getattr(colours, bg)
        if bg == "overlay":  # a translucent layer: what shows is it over the background
            from kiosk.theme import _over

            back = _over(back, colours.background)
        ratio = contrast(getattr(colours, fg), back)
        need = CONTRAST_LARGE if large else CONTRAST_TEXT
        if ratio + 1e-9 < need:
            found.append(problem(
                path, None, "warning",
                f"'{fg}' on '{bg}' ({where}) has contrast {ratio:.2f}:1; at least {need:g}:1 is "
                f"needed (WCAG 2.2 §1.4.3)",
                f"'{fg}' 与 '{bg}'（{where}）的对比度为 {ratio:.2f}:1，至少需要 {need:g}:1（WCAG 2.2 §1.4.3）",
                f"colours.{fg}"))
    return found


# ------------------------------------------------------------------ size and reach

def target_problems(controls, size, panel: PanelConfig, path: str = "") -> list[Problem]:
    """Controls smaller than 9 mm (either side) on the panel."""
    w, h = size
    per = panel.mm_per_px(w, h)
    found = []
    for c in controls:
        side = min(c.width, c.height) * per
        if side + 1e-6 < MIN_TARGET_MM:
            found.append(problem(
                path or c.screen, None, "warning",
                f"{c.screen}: {c.name} is {c.width * per:.1f} x {c.height * per:.1f} mm on a "
                f"{panel.diagonal_inches:g}-inch panel; touch targets need at least {MIN_TARGET_MM:g} mm",
                f"{c.screen}：{c.name} 在 {panel.diagonal_inches:g} 英寸屏幕上为 "
                f"{c.width * per:.1f} x {c.height * per:.1f} 毫米；触摸目标至少需要 {MIN_TARGET_MM:g} 毫米",
                "panel"))
    return found


def reach_of(control: Control, size, panel: PanelConfig) -> tuple[float, float, float]:
    """(bottom mm, top mm, mm of its height within reach) above the floor."""
    w, h = size
    bottom = panel.height_above_floor(control.y, w, h)
    top = panel.height_above_floor(control.y + control.height, w, h)
    inside = max(0.0, min(top, REACH_HIGH_MM) - max(bottom, REACH_LOW_MM))
    return bottom, top, inside


def reach_problems(controls, size, panel: PanelConfig, path: str = "") -> list[Problem]:
    """Controls with less than a fingertip (9 mm) of themselves between 380 and 1,220 mm
    above the floor."""
    found = []
    for c in controls:
        bottom, top, inside = reach_of(c, size, panel)
        if inside + 1e-6 < min(MIN_TARGET_MM, top - bottom):
            found.append(problem(
                path or c.screen, None, "warning",
                f"{c.screen}: {c.name} is {bottom:.0f}-{top:.0f} mm above the floor (panel bottom "
                f"at {panel.mount_bottom_mm:g} mm); a visitor in a wheelchair reaches "
                f"{REACH_LOW_MM:g}-{REACH_HIGH_MM:g} mm (EN 301 549 §8.3.3)",
                f"{c.screen}：{c.name} 离地 {bottom:.0f}-{top:.0f} 毫米（屏幕下沿离地 "
                f"{panel.mount_bottom_mm:g} 毫米）；轮椅使用者可触及的高度为 "
                f"{REACH_LOW_MM:g}-{REACH_HIGH_MM:g} 毫米（EN 301 549 §8.3.3）",
                "panel"))
    return found


def nominal_problems(theme, size, panel: PanelConfig, path: str) -> list[Problem]:
    """What ``kiosk check`` can tell without drawing: the theme's smallest touch target
    and the navigation bar (at the bottom of every screen) on the configured panel."""
    w, h = size
    touch = theme.px("touch_min", w, h)
    bar = theme.px("bar", w, h)
    controls = [Control("the smallest touch target (touch_min)", 0, 0, touch, touch, "theme")]
    found = target_problems(controls, size, panel, path)
    found += reach_problems([Control("the navigation bar", 0, 0, w, bar, "every screen")],
                            size, panel, path)
    return found


# ------------------------------------------------------------------ label text

_SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])\s*|\n\s*\n")
_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CJK_CHARS_PER_WORD = 2.0  # a modern Chinese word is 1.5-2 characters on average
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|`[^`]*`|^[#>*\-+\s]+|[*_]{1,3}",
                     re.MULTILINE)


def words(text: str) -> float:
    """Words in ``text``: Latin words, plus Chinese characters / 2."""
    return len(_LATIN_WORD.findall(text)) + len(_CJK.findall(text)) / CJK_CHARS_PER_WORD


def plain(markdown: str) -> str:
    """Markdown to the words a visitor reads (links keep their text, pictures go)."""
    return _MARKUP.sub(lambda m: m.group(1) or "", markdown)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def chars_per_line(column_px: float, font_px: float, lang: str) -> float:
    """About how many characters a line of running text holds: a Chinese character is
    one em wide, a Latin letter about half an em on average. Used when the font file
    cannot be read; :func:`measured_line_chars` measures with the font itself."""
    if font_px <= 0:
        return 0.0
    return column_px / (font_px * (1.0 if lang == "zh" else 0.5))


_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]|[^\s\u3400-\u9fff]+\s*|\s+")


@lru_cache(maxsize=8)
def _font(path: str, size: int):
    from PIL import ImageFont  # Pillow is a dependency; imported only for this check
    return ImageFont.truetype(path, size)


def wrapped_lines(text: str, column_px: float, font_path: str, font_px: float) -> list[str]:
    """``text`` broken into lines as a label ``column_px`` wide breaks it: between words
    in Latin text, between characters in Chinese, each piece measured with the font."""
    font = _font(font_path, max(1, round(font_px)))
    lines, line, width = [], "", 0.0
    for token in _TOKEN.findall(text):
        advance = font.getlength(token)
        if line and width + font.getlength(token.rstrip()) > column_px:
            lines.append(line.rstrip())
            line, width = token.lstrip(), font.getlength(token.lstrip())
        else:
            line, width = line + token, width + advance
    if line.strip():
        lines.append(line.rstrip())
    return lines


def measured_line_chars(content, lang: str, column_px: float, font_path: str,
                        font_px: float) -> tuple[int, str]:
    """Characters in a typical full line of running text in ``lang`` (the median over
    every exhibit's body, last lines of paragraphs left out), and a file that has such
    lines; (0, "") when no paragraph fills a line."""
    full: list[tuple[int, str]] = []
    for section in content.sections:
        for ex in section.exhibits:
            body = dict(getattr(ex.body, "values", ())).get(lang)
            if not body:
                continue
            for _, paragraph in _paragraphs(body):
                if paragraph.lstrip().startswith(("|", "```", "    ", "#", "!")):
                    continue
                sep = "" if _CJK.search(paragraph) else " "
                text = sep.join(plain(paragraph).split("\n")).strip()
                lines = wrapped_lines(text, column_px, font_path, font_px)
                full += [(len(line), _file_for(ex, lang)) for line in lines[:-1]]
    if not full:
        return 0, ""
    full.sort()
    return full[len(full) // 2]


def _file_for(ex, lang: str) -> str:
    """The file an exhibit's text in ``lang`` comes from (``NAME.en.md`` for English)."""
    stem = ex.source.rsplit(".", 1)[0]
    return next((s for s in ex.sources if s.startswith(stem + f".{lang}.")), ex.source)


def text_problems(content, column_px: float = 0, font_px: float = 0,
                  font_path: str = "") -> list[Problem]:
    """Warnings for the editors about each exhibit's summary and Markdown body; with a
    column width and a font size, the length of the lines running text is set in
    (measured with ``font_path`` when given, else estimated)."""
    found: list[Problem] = []
    for section in content.sections:
        for ex in section.exhibits:
            for lang, body in getattr(ex.body, "values", ()):
                found += _body_problems(ex, lang, body)
            for lang, summary in getattr(ex.summary, "values", ()):
                n = words(summary)
                if n > MAX_LABEL_WORDS:
                    found.append(problem(
                        ex.source, None, "warning",
                        f"the summary ({lang}) is about {n:.0f} words; labels read best at "
                        f"{MAX_LABEL_WORDS} words or fewer",
                        f"摘要（{lang}）约 {n:.0f} 个词；展签最好不超过 {MAX_LABEL_WORDS} 个词",
                        "summary"))
    if column_px and font_px:
        for lang in content.site.languages:
            example = ""
            column = reading_width(column_px, font_px, lang)  # as the exhibit page sets it
            try:
                per_line, example = measured_line_chars(content, lang, column, font_path,
                                                        font_px) if font_path else (0, "")
            except OSError:  # the font cannot be read: estimate from the font size
                font_path = ""
            if not font_path:
                per_line = chars_per_line(column, font_px, lang)
            if per_line > MAX_LINE_CHARS:
                where = f" (for example {example})" if example else ""
                where_zh = f"（例如 {example}）" if example else ""
                found.append(problem(
                    content.site.source, None, "warning",
                    f"running text in '{lang}' holds about {per_line:.0f} characters a line at "
                    f"this screen size{where}; {MAX_LINE_CHARS} or fewer read best (a narrower "
                    "column or larger text)",
                    f"在此屏幕尺寸下，'{lang}' 正文每行约 {per_line:.0f} 个字符{where_zh}；"
                    f"不超过 {MAX_LINE_CHARS} 个最易阅读（可缩窄栏宽或放大字号）",
                    "layout"))
    return found


def _body_problems(ex, lang: str, body: str) -> list[Problem]:
    found = []
    line_base = ex.body_line if lang == ex.body.default else None
    long_sentences = []
    for paragraph_start, paragraph in _paragraphs(body):
        if paragraph.lstrip().startswith(("|", "```", "    ")):
            continue  # tables and code are not read as sentences
        text = " ".join(plain(paragraph).split()) if not _CJK.search(paragraph) \
            else "".join(plain(paragraph).split("\n"))
        n = words(text)
        line = line_base + paragraph_start if line_base else None
        if n > MAX_LABEL_WORDS:
            found.append(problem(
                _file_for(ex, lang), line, "warning",
                f"a paragraph ({lang}) of about {n:.0f} words; labels read best at "
                f"{MAX_LABEL_WORDS} words or fewer: split it",
                f"一段文字（{lang}）约 {n:.0f} 个词；展签最好不超过 {MAX_LABEL_WORDS} 个词，请分段",
                "body"))
        for sentence in sentences(text):
            if words(sentence) > MAX_SENTENCE_WORDS:
                long_sentences.append((line, sentence))
    if long_sentences:
        line, first = long_sentences[0]
        shown = first if len(first) <= 40 else first[:40] + "…"
        found.append(problem(
            _file_for(ex, lang), line, "warning",
            f"{len(long_sentences)} sentence(s) ({lang}) over {MAX_SENTENCE_WORDS} words, "
            f"the first: '{shown}'",
            f"{len(long_sentences)} 个句子（{lang}）超过 {MAX_SENTENCE_WORDS} 个词，第一个：'{shown}'",
            "body"))
    return found


def _paragraphs(body: str):
    """(line offset, text) of each paragraph of a Markdown body."""
    start, lines = 0, []
    for i, line in enumerate(body.split("\n")):
        if line.strip():
            if not lines:
                start = i
            lines.append(line)
        elif lines:
            yield start, "\n".join(lines)
            lines = []
    if lines:
        yield start, "\n".join(lines)


# ------------------------------------------------------------------ alt text

_BODY_IMAGE = re.compile(r"!\[([^\]]*)\]\(")


def alt_text_problems(content) -> list[Problem]:
    """Pictures in a Markdown body with empty alt text, which read-aloud cannot describe.
    (Pictures in ``images:`` are described by their captions, which galleries often
    leave out on purpose: not reported.)"""
    found = []
    for section in content.sections:
        for ex in section.exhibits:
            for lang, body in getattr(ex.body, "values", ()):
                for m in _BODY_IMAGE.finditer(body):
                    if m.group(1).strip():
                        continue
                    line = ex.body_line + body.count("\n", 0, m.start()) \
                        if lang == ex.body.default else None
                    found.append(problem(
                        _file_for(ex, lang), line, "warning",
                        f"a picture ({lang}) without alt text: write what it shows inside "
                        "![...] so read-aloud can describe it",
                        f"图片（{lang}）缺少替代文字：请在 ![...] 中写明图片内容，供朗读使用",
                        "body"))
    return found


def content_problems(content, column_px: float = 0, font_px: float = 0,
                     font_path: str = "") -> list[Problem]:
    return text_problems(content, column_px, font_px, font_path) + alt_text_problems(content)
