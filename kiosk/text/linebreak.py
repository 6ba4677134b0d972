"""Line breaking for Chinese text mixed with Latin words, with the 标点禁则 rules.

Pure Python: the caller supplies ``measure(text) -> width in px``. Rules:

* no line starts with closing punctuation (``，。、；：？！”’）》】」』〕〉…—·%``
  and the ASCII ``,.;:?!)]``) — the character before it moves down with it;
* no line ends with opening punctuation (``“‘（《【「『〔〈([``) — it moves down
  to the next line together with what it opens;
* Latin words, numbers and runs such as ``50%`` or ``don’t`` are never split
  unless a single word is wider than the whole line;
* between Chinese characters (and between Chinese and Latin) a line may break
  anywhere else;
* a separator (``·``, ``—``, ``•``) neither starts nor ends a line: it stays
  with the words on both sides;
* a paragraph never ends on a line of a single character ("点。"): the
  line before gives up a character;
* spaces where a line was broken are dropped; explicit ``\\n`` are kept.

Widths are the sum of per-character widths (cached in :class:`CharWidths`), so
a 2,000-character paragraph wraps in a few milliseconds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

# A line must not start with these (行首禁则).
NO_LINE_START = frozenset(
    "，。、；：？！”’）》】」』〕〉〗〙〛｝］…—·%,.;:?!)]}"
    "％＂＇〞﹂﹄～・ー々〻ゝゞ‰℃°"
)
# A line must not end with these (行尾禁则).
NO_LINE_END = frozenset("“‘（《【「『〔〈〖〘〚｛［([{〝﹁﹃￥＄$£€#＃")
# Separators keep to the words on both sides: never at the start or the end of a line.
SEPARATORS = frozenset("·•—・")

SPACES = frozenset(" \t\u00a0\u2002\u2003\u2009")
IDEOGRAPHIC_SPACE = "\u3000"

Measure = Callable[[str], float]

_SPACE, _WIDE, _LATIN = 0, 1, 2


class CharWidths:
    """A measure that adds up cached per-character widths.

    ``CharWidths(measure)`` calls ``measure`` once per distinct character.
    Reuse one instance per font and size so the cache carries across calls.
    """

    __slots__ = ("_measure", "_cache")

    def __init__(self, measure: Measure) -> None:
        self._measure = measure
        self._cache: dict[str, float] = {}

    def char(self, ch: str) -> float:
        width = self._cache.get(ch)
        if width is None:
            width = float(self._measure(ch))
            self._cache[ch] = width
        return width

    def __call__(self, text: str) -> float:
        cache = self._cache
        total = 0.0
        for ch in text:
            width = cache.get(ch)
            if width is None:
                width = self.char(ch)
            total += width
        return total

    def __len__(self) -> int:
        return len(self._cache)


def _is_wide(ch: str) -> bool:
    """True for characters set one by one in Chinese text (hanzi, full-width forms)."""
    code = ord(ch)
    if code < 0x1100:
        return False
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _tokens(paragraph: str) -> list[tuple[int, str]]:
    """Split into spaces, single wide characters and runs of other characters."""
    out: list[tuple[int, str]] = []
    run: list[str] = []
    for ch in paragraph:
        if ch in SPACES:
            kind = _SPACE
        elif _is_wide(ch):
            kind = _WIDE
        else:
            run.append(ch)
            continue
        if run:
            out.append((_LATIN, "".join(run)))
            run.clear()
        if kind == _SPACE and out and out[-1][0] == _SPACE:
            continue  # collapse runs of spaces
        out.append((kind, " " if kind == _SPACE else ch))
    if run:
        out.append((_LATIN, "".join(run)))
    return out


def _atoms(tokens: list[tuple[int, str]]) -> list[tuple[bool, str]]:
    """Group tokens into unbreakable pieces: ``(is_space, text)``.

    A piece starting with closing punctuation joins the piece before it, and
    the piece after opening punctuation joins it; a space between them stays
    inside the joined piece so the text itself never changes.
    """
    atoms: list[tuple[bool, str]] = []
    glue_next = False
    space_in_glue = False
    for kind, text in tokens:
        if kind == _SPACE:
            if glue_next:
                space_in_glue = True
            else:
                atoms.append((True, text))
            continue
        if atoms and atoms[-1][0] and text[0] in NO_LINE_START and len(atoms) > 1:
            atoms.pop()
            space_in_glue = True
        if atoms and not atoms[-1][0] and (glue_next or text[0] in NO_LINE_START):
            joint = " " if space_in_glue else ""
            atoms[-1] = (False, atoms[-1][1] + joint + text)
        else:
            atoms.append((False, text))
        space_in_glue = False
        glue_next = text[-1] in NO_LINE_END or text[-1] in SEPARATORS
    return atoms


def _split_long(text: str, width: float, measure: CharWidths) -> list[str]:
    """Break a piece wider than a line between characters (at least one per line)."""
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for ch in text:
        w = measure.char(ch)
        if current and used + w > width:
            carry: list[str] = []
            # keep the rules where possible: take characters down with a closing
            # mark, and never leave an opening mark at the end of the line
            while len(current) > 1 and (
                (ch if not carry else carry[0]) in NO_LINE_START or current[-1] in NO_LINE_END
            ):
                carry.insert(0, current.pop())
            lines.append("".join(current))
            current = carry
            used = sum(measure.char(c) for c in current)
        current.append(ch)
        used += w
    if current:
        lines.append("".join(current))
    return [line.strip(" ") for line in lines if line.strip(" ")]


def _wrap_paragraph(paragraph: str, width: float, measure: CharWidths) -> list[str]:
    atoms = _atoms(_tokens(paragraph))
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    pending_space = 0.0  # width of a space waiting between two pieces
    space_width = measure.char(" ")
    for is_space, text in atoms:
        if is_space:
            if line:
                pending_space = space_width
            continue
        if not line and lines and text.startswith(IDEOGRAPHIC_SPACE):
            text = text.lstrip(IDEOGRAPHIC_SPACE)
            if not text:
                continue
        w = measure(text)
        if line and used + pending_space + w <= width:
            if pending_space:
                line.append(" ")
            line.append(text)
            used += pending_space + w
            pending_space = 0.0
            continue
        if line:
            lines.append("".join(line))
        line, used, pending_space = [], 0.0, 0.0
        if w <= width:
            line, used = [text], w
            continue
        pieces = _split_long(text, width, measure) or [text]
        lines.extend(pieces[:-1])
        line, used = [pieces[-1]], measure(pieces[-1])
    if line or not lines:
        lines.append("".join(line))
    if len(lines) > 1:
        _no_orphan(lines, width, measure)
    return lines


def _letters(text: str) -> int:
    """Characters that are not spaces or punctuation."""
    return sum(1 for ch in text if not ch.isspace() and ch not in NO_LINE_START
               and ch not in NO_LINE_END and unicodedata.category(ch)[0] != "P")


def _no_orphan(lines: list[str], width: float, measure: CharWidths) -> None:
    """A last line of one Chinese character ("点。") takes the one before it along
    (and what must stay with that one), if the line still fits."""
    last, before = lines[-1], lines[-2]
    if _letters(last) != 1 or not _is_wide(last.lstrip()[0]):
        return
    cut = len(before) - 1
    # never leave an opening mark at the line end, never start with a closing one
    while cut > 0 and (before[cut] in NO_LINE_START or before[cut - 1] in NO_LINE_END
                       or before[cut] in SEPARATORS or before[cut - 1] in SEPARATORS):
        cut -= 1
    if cut <= 0 or not _is_wide(before[cut]) or _letters(before[:cut]) < 2:
        return
    moved = before[cut:] + last
    if measure(moved) > width:
        return
    lines[-2], lines[-1] = before[:cut].rstrip(" "), moved


def wrap(text: str, width: float, measure: Measure) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (px, as ``measure`` counts).

    Explicit newlines start new lines; an empty paragraph gives an empty line.
    A ``width`` of zero or less leaves each paragraph on one line.
    """
    chars = measure if isinstance(measure, CharWidths) else CharWidths(measure)
    out: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        paragraph = paragraph.replace("\t", " ")
        if width <= 0:
            out.append(paragraph)
            continue
        lead = len(paragraph) - len(paragraph.lstrip(" "))
        out.extend(_wrap_paragraph(paragraph[lead:], width, chars))
    return out


def violations(lines: list[str]) -> list[tuple[int, str]]:
    """Lines that break the punctuation rules: ``(line index, reason)``.

    Used by tests and by anyone checking a layout; a one-character line is
    never counted (there is nothing else to move).
    """
    found: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        if len(line) > 1 and i > 0 and line[0] in NO_LINE_START:
            found.append((i, f"starts with {line[0]!r}"))
        if len(line) > 1 and i < len(lines) - 1 and line[-1] in NO_LINE_END:
            found.append((i, f"ends with {line[-1]!r}"))
        if len(line) > 1 and i < len(lines) - 1 and line.rstrip()[-1:] in SEPARATORS:
            found.append((i, f"ends with the separator {line.rstrip()[-1]!r}"))
    return found


def orphan(lines: list[str]) -> bool:
    """True when a paragraph of several lines ends on a line of one Chinese character."""
    return len(lines) > 1 and _letters(lines[-1]) == 1 and _is_wide(lines[-1].lstrip()[:1] or " ")
