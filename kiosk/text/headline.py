"""Balanced line breaking for headlines: between words, at punctuation, never an orphan.

Body text may break between any two Chinese characters; a headline should not
("红/色引擎", "服/务中心"). :func:`headline_lines` chooses the breaks of a
headline as a whole (not line by line), trading off:

* as few lines as will do (each extra line costs ``LINE``),
* lines of even length (a balanced block, not a long line and a stub),
* where each break falls (:func:`kiosk.text.words.break_costs`: after punctuation
  and at spaces is best, between words is fine, inside a word or a quoted term
  only when nothing else fits),
* no last line of a single character ("点。"),

and always keeps the punctuation rules of :mod:`kiosk.text.linebreak`. A list
separator written with spaces around it (``一个平台 · 五大中心``, ``党建 —— 一个平台``)
is a good place to break; the separator is then left out, so it never dangles at
a line end or starts a line.

Staff can force a break: a line break in the text (``\\n`` in a YAML text) always
starts a new line; a zero-width space (U+200B) marks a preferred break.
"""

from __future__ import annotations

import re

from kiosk.text.linebreak import CharWidths, Measure, _atoms, _tokens, wrap
from kiosk.text.words import GOOD, break_costs

LINE = 200  # the cost of one more line
EVEN = 100  # the cost of a line left empty, scaled by the square of its empty share
ORPHAN = 300  # a last line with one character
ZERO_WIDTH_SPACE = "\u200b"

_SEPARATOR = re.compile(r"\s+([·•|｜]|——|—)\s+")
_PUNCT = frozenset("，。、；：？！”’）》」』】…—·,.;:?!)")


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


class _Piece:
    """An unbreakable piece of a headline, with what joins it to the piece before."""

    __slots__ = ("text", "joint", "cost")

    def __init__(self, text: str, joint: str, cost: int):
        self.text = text
        self.joint = joint  # shown between this piece and the one before, unless broken there
        self.cost = cost  # cost of a line break before this piece


def _pieces(paragraph: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    parts = _SEPARATOR.split(paragraph)
    # parts: text, separator, text, separator, ...
    for index in range(0, len(parts), 2):
        joint = f" {parts[index - 1]} " if index else ""
        for k, chunk in enumerate(parts[index].split(ZERO_WIDTH_SPACE)):
            chunk = chunk.strip()
            if not chunk:
                continue
            atoms = _atoms(_tokens(chunk))
            text = "".join(t for _is_space, t in atoms)
            costs = break_costs(text)
            offset = 0
            first = True
            space = False
            for is_space, atom in atoms:
                if is_space:
                    space = True
                    offset += len(atom)
                    continue
                if first:
                    cost = GOOD
                    join = joint if (k == 0 and pieces) else ""
                else:
                    cost = costs[offset]
                    join = " " if space else ""
                pieces.append(_Piece(atom, join, cost))
                offset += len(atom)
                first = False
                space = False
            joint = ""
    return pieces


def _letters(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace() and ch not in _PUNCT)


def _balanced(paragraph: str, width: float, chars: CharWidths, max_rows: int) -> list[str] | None:
    pieces = _pieces(paragraph)
    n = len(pieces)
    if n == 0:
        return [""]
    widths = [chars(p.text) for p in pieces]
    joints = [chars(p.joint) for p in pieces]
    if max(widths) > width:
        return None  # a piece wider than the line: leave it to the plain line breaker
    # prefix sums: width of pieces i..j-1 on one line = pw[j] - pw[i] - pj[i+1] + pj[j] ...
    pw = [0.0]
    for w in widths:
        pw.append(pw[-1] + w)
    pj = [0.0]
    for w in joints:
        pj.append(pj[-1] + w)

    def line_width(i: int, j: int) -> float:
        # pieces i..j-1 and the joints between them (joint k sits before piece k)
        return (pw[j] - pw[i]) + (pj[j] - pj[i + 1])

    fewest = 1  # first fit gives the fewest lines possible
    start = 0
    for j in range(1, n + 1):
        if line_width(start, j) > width:
            fewest += 1
            start = j - 1
    limit = fewest + 2 if max_rows <= 0 else min(max_rows, fewest + 2)
    if limit < fewest:
        return None
    inf = float("inf")
    # best[k][j]: cheapest way to set pieces 0..j-1 on k lines
    best = [[inf] * (n + 1) for _ in range(limit + 1)]
    back = [[-1] * (n + 1) for _ in range(limit + 1)]
    best[0][0] = 0.0
    for k in range(1, limit + 1):
        row, prev = best[k], best[k - 1]
        for j in range(1, n + 1):
            for i in range(j - 1, -1, -1):
                w = line_width(i, j)
                if w > width:
                    break
                if prev[i] == inf:
                    continue
                slack = (width - w) / width
                cost = prev[i] + LINE + EVEN * slack * slack + (pieces[i].cost if i else 0)
                if cost < row[j]:
                    row[j] = cost
                    back[k][j] = i
    options = []
    for k in range(1, limit + 1):
        if best[k][n] == inf:
            continue
        i = back[k][n]
        last = "".join(p.text for p in pieces[i:])
        orphan = ORPHAN if k > 1 and _letters(last) <= 1 else 0
        options.append((best[k][n] + orphan, k))
    if not options:
        return None
    _cost, k = min(options)
    lines: list[str] = []
    j = n
    while k > 0:
        i = back[k][j]
        text = pieces[i].text + "".join(p.joint + p.text for p in pieces[i + 1:j])
        lines.append(text)
        j, k = i, k - 1
    lines.reverse()
    return lines


def headline_lines(text: str, width: float, measure: Measure, max_rows: int = 0) -> list[str]:
    """Break the headline ``text`` into lines no wider than ``width``.

    ``max_rows`` > 0 asks for at most that many lines when the words allow it
    (the caller shortens what still does not fit). A line break in ``text``
    always starts a new line. A width of zero or less keeps each line whole.
    """
    chars = measure if isinstance(measure, CharWidths) else CharWidths(measure)
    out: list[str] = []
    paragraphs = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for paragraph in paragraphs:
        paragraph = paragraph.replace("\t", " ").strip()
        if width <= 0:
            out.append(paragraph.replace(ZERO_WIDTH_SPACE, ""))
            continue
        rows = max(max_rows - len(out), 1) if max_rows > 0 else 0
        lines = _balanced(paragraph, width, chars, rows)
        if lines is None and rows:
            lines = _balanced(paragraph, width, chars, 0)
        if lines is None:
            lines = wrap(paragraph.replace(ZERO_WIDTH_SPACE, ""), width, chars)
        out.extend(lines)
    return out
