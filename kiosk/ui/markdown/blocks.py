"""Markdown text -> a neutral list of blocks (no Kivy here).

The body of an exhibit is CommonMark (raw HTML off) plus tables. It is parsed
with markdown-it-py and reduced to a few plain, frozen dataclasses that the
widget builder (``widgets.py``) turns into Kivy widgets. Keeping this step free
of Kivy lets it be tested and reused without a window.

Inline content is a tuple of inline nodes: ``Text``, ``Code``, ``Strong``,
``Emphasis``, ``Link`` (shown as text only) and ``Break``. A paragraph that
holds only images becomes ``Image`` blocks, the alt text being the caption; a
paragraph mixing text and images is split around the images.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_cjk_friendly import cjk_friendly

# ---------------------------------------------------------------- inline nodes


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Code:
    """Inline code: shown as plain text."""

    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple


@dataclass(frozen=True)
class Emphasis:
    children: tuple


@dataclass(frozen=True)
class Link:
    """A link: the kiosk has no browser, so only its text is shown."""

    children: tuple
    href: str = ""


@dataclass(frozen=True)
class Break:
    """A line break. ``hard`` breaks always start a new line; soft breaks
    (a newline inside a paragraph) become a space, or nothing between two
    CJK characters."""

    hard: bool = False


# ----------------------------------------------------------------- block nodes


@dataclass(frozen=True)
class Heading:
    level: int
    inlines: tuple


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple  # tuple of tuples of blocks
    start: int = 1


@dataclass(frozen=True)
class Quote:
    blocks: tuple


@dataclass(frozen=True)
class Image:
    src: str
    caption: str = ""
    title: str = ""


@dataclass(frozen=True)
class Table:
    header: tuple  # tuple of cells; a cell is a tuple of inlines
    rows: tuple  # tuple of rows; a row is a tuple of cells
    aligns: tuple = ()  # "left" | "center" | "right" | "" per column


@dataclass(frozen=True)
class Rule:
    pass


@dataclass(frozen=True)
class CodeBlock:
    text: str
    info: str = ""


# ---------------------------------------------------------------------- parser


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # cjk_friendly: ``**“重点”**`` next to Chinese text is bold, not literal asterisks
    # (CommonMark's flanking rules treat full-width quotes as blocking punctuation).
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    return md.use(cjk_friendly)


def leftover_markers(text: str) -> list[tuple[int, str]]:
    """Bold markers (``**``) left as literal text after parsing: ``(line number
    in text, 1-based; the marker)`` for each line that would show them on screen.
    Inline code and code blocks are not counted."""
    if not text or "**" not in text:
        return []
    found: list[tuple[int, str]] = []
    for token in _parser().parse(text):
        if token.type != "inline" or not token.children or token.map is None:
            continue
        line = token.map[0]
        for child in token.children:
            if child.type == "softbreak" or child.type == "hardbreak":
                line += 1
            elif child.type == "text":
                if "**" in child.content and (line + 1, "**") not in found:
                    found.append((line + 1, "**"))
    return found


def parse_blocks(text: str) -> list:
    """Parse Markdown ``text`` into a list of block dataclasses."""
    if not text or not text.strip():
        return []
    root = SyntaxTreeNode(_parser().parse(text))
    return _blocks(root.children)


def _blocks(nodes) -> list:
    out: list = []
    for node in nodes:
        out.extend(_block(node))
    return out


def _block(node: SyntaxTreeNode) -> list:
    kind = node.type
    if kind == "heading":
        level = int(node.tag[1:]) if node.tag[1:].isdigit() else 1
        return [Heading(level, _inline_children(node))]
    if kind == "paragraph":
        return _paragraph(_inline_children(node))
    if kind in ("bullet_list", "ordered_list"):
        items = tuple(tuple(_blocks(item.children)) for item in node.children)
        start = 1
        if kind == "ordered_list":
            try:
                start = int(node.attrs.get("start", 1))
            except (TypeError, ValueError):
                start = 1
        return [ListBlock(kind == "ordered_list", items, start)]
    if kind == "blockquote":
        return [Quote(tuple(_blocks(node.children)))]
    if kind == "hr":
        return [Rule()]
    if kind in ("code_block", "fence"):
        info = (node.info or "").strip() if kind == "fence" else ""
        return [CodeBlock(node.content.rstrip("\n"), info)]
    if kind == "table":
        return [_table(node)]
    if kind == "html_block":  # only reachable if html were enabled: keep it as text
        return [Paragraph((Text(node.content.rstrip("\n")),))]
    # Unknown container: keep whatever it holds.
    return _blocks(node.children)


def _inline_children(node: SyntaxTreeNode) -> tuple:
    for child in node.children:
        if child.type == "inline":
            return _inlines(child.children)
    return ()


def _inlines(nodes) -> tuple:
    out: list = []
    for node in nodes:
        kind = node.type
        if kind == "text":
            if node.content:
                out.append(Text(node.content))
        elif kind == "code_inline":
            out.append(Code(node.content))
        elif kind == "strong":
            out.append(Strong(_inlines(node.children)))
        elif kind == "em":
            out.append(Emphasis(_inlines(node.children)))
        elif kind == "link":
            out.append(Link(_inlines(node.children), str(node.attrs.get("href", ""))))
        elif kind == "softbreak":
            out.append(Break(hard=False))
        elif kind == "hardbreak":
            out.append(Break(hard=True))
        elif kind == "image":
            out.append(
                Image(
                    str(node.attrs.get("src", "")),
                    plain_text(_inlines(node.children)).strip(),
                    str(node.attrs.get("title", "") or ""),
                )
            )
        elif kind == "html_inline":
            out.append(Text(node.content))
        elif node.children:
            out.extend(_inlines(node.children))
        elif node.content:
            out.append(Text(node.content))
    return tuple(out)


def _paragraph(inlines: tuple) -> list:
    """A paragraph; images directly inside it are lifted out as Image blocks."""
    if not any(isinstance(n, Image) for n in inlines):
        return [Paragraph(inlines)] if inlines else []
    out: list = []
    run: list = []

    def flush() -> None:
        while run and _is_blank(run[0]):
            run.pop(0)
        while run and _is_blank(run[-1]):
            run.pop()
        if run:
            out.append(Paragraph(tuple(run)))
        run.clear()

    for node in inlines:
        if isinstance(node, Image):
            flush()
            out.append(node)
        else:
            run.append(node)
    flush()
    return out


def _is_blank(node) -> bool:
    return isinstance(node, Break) or (isinstance(node, Text) and not node.text.strip())


def _table(node: SyntaxTreeNode) -> Table:
    header: tuple = ()
    rows: list = []
    aligns: list = []
    for part in node.children:
        for tr in part.children:
            cells = []
            for cell in tr.children:
                cells.append(_inline_children(cell))
                if part.type == "thead":
                    aligns.append(_align(cell))
            if part.type == "thead":
                header = tuple(cells)
            else:
                rows.append(tuple(cells))
    return Table(header, tuple(rows), tuple(aligns))


def _align(cell: SyntaxTreeNode) -> str:
    style = str(cell.attrs.get("style", "") or "")
    for name in ("left", "center", "right"):
        if f"text-align:{name}" in style:
            return name
    return ""


# ------------------------------------------------------------------- helpers


def is_cjk(ch: str) -> bool:
    """True for CJK ideographs, kana, hangul and full-width punctuation."""
    if not ch:
        return False
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, punctuation, kana, ideographs
        or 0xAC00 <= code <= 0xD7AF  # hangul
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= code <= 0xFE4F  # compatibility forms
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x3FFFF  # extension B and later
    )


# Punctuation shared by Chinese and Western text; set without spaces in Chinese.
_SHARED_PUNCT = frozenset("—…“”‘’·")


def soft_break_text(before: str, after: str) -> str:
    """What a soft line break shows: nothing between CJK text, else a space."""
    left, right = before[-1:], after[:1]

    def wide(ch: str) -> bool:
        return is_cjk(ch) or ch in _SHARED_PUNCT

    if wide(left) and wide(right) and (is_cjk(left) or is_cjk(right)):
        return ""
    if _is_cjk_punct(left) or _is_cjk_punct(right):  # "。" then "The": no space
        return ""
    return " "


def _is_cjk_punct(ch: str) -> bool:
    if not ch:
        return False
    code = ord(ch)
    return 0x3000 <= code <= 0x303F or (0xFF00 <= code <= 0xFFEF and not ch.isalnum())


@dataclass(frozen=True)
class Run:
    """A piece of visible inline text with its style; hard breaks are "\\n"."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


def flatten(inlines) -> list[Run]:
    """Inline nodes -> styled text runs; soft breaks are resolved and
    neighbouring runs of the same style are merged."""
    raw: list = []
    _collect(inlines, False, False, raw)
    runs: list[Run] = []
    for i, item in enumerate(raw):
        if item is None:  # a soft break
            before = next((r.text for r in reversed(raw[:i]) if r is not None and r.text), "")
            after = next((r.text for r in raw[i + 1 :] if r is not None and r.text), "")
            text = soft_break_text(before, after)
            if not text:
                continue
            prev = runs[-1] if runs else Run("")
            item = Run(text, prev.bold, prev.italic)
        if runs and (runs[-1].bold, runs[-1].italic, runs[-1].code) == (
            item.bold,
            item.italic,
            item.code,
        ):
            runs[-1] = Run(runs[-1].text + item.text, item.bold, item.italic, item.code)
        else:
            runs.append(item)
    return [r for r in runs if r.text]


def _collect(inlines, bold: bool, italic: bool, out: list) -> None:
    for node in inlines:
        if isinstance(node, Text):
            out.append(Run(node.text, bold, italic))
        elif isinstance(node, Code):
            out.append(Run(node.text, bold, italic, code=True))
        elif isinstance(node, Strong):
            _collect(node.children, True, italic, out)
        elif isinstance(node, Emphasis):
            _collect(node.children, bold, True, out)
        elif isinstance(node, Link):
            _collect(node.children, bold, italic, out)
        elif isinstance(node, Break):
            out.append(Run("\n", bold, italic) if node.hard else None)
        elif isinstance(node, Image):
            out.append(Run(node.caption, bold, italic))


def plain_text(inlines) -> str:
    """The visible text of inline nodes, without any styling."""
    return "".join(run.text for run in flatten(inlines))
