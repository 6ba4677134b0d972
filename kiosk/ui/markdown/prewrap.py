"""Pre-wrapping of Chinese text in Markdown Labels.

Kivy wraps Chinese slowly and breaks lines anywhere (a line may start with
"。"). Labels holding Chinese are therefore given text with line breaks already
placed by ``kiosk.text.linebreak`` (through ``kiosk.text.kivy_measure``), and
are re-wrapped whenever their width changes. Kivy's own wrapping stays on as a
safety net (e.g. for bold runs, which are a little wider than measured).

The break positions are computed on the plain text and then put back into the
styled runs, so bold and italic survive and escaping still applies per run.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty

from . import blocks as b

try:  # the Chinese line breaker; without it Kivy's own wrapping is used
    from kiosk.text.kivy_measure import wrap_lines as _wrap_lines
except ImportError:  # pragma: no cover - only when the module is absent
    _wrap_lines = None

# Bold runs are measured with the regular face: leave a little room for them.
BOLD_ALLOWANCE = 0.97
DEFAULT_FONT = "Roboto"
UNSET_WIDTH = 100  # a new Kivy widget's width before any layout


def available() -> bool:
    """True when the Chinese line breaker can be used."""
    return _wrap_lines is not None


def needs_prewrap(text: str) -> bool:
    """Only text with CJK characters benefits (Kivy wraps Latin text well)."""
    return _wrap_lines is not None and any(b.is_cjk(ch) for ch in text)


def break_runs(runs: list, lines: list[str]) -> list:
    """Put the line breaks of ``lines`` (the wrapped plain text) back into
    ``runs``. Spaces dropped at a break are dropped from the runs as well.
    Returns ``runs`` unchanged when the lines do not match the text."""
    plain = "".join(run.text for run in runs)
    wrapped = "\n".join(lines)
    breaks: set[int] = set()  # plain offsets that get a "\n" before them
    dropped: set[int] = set()
    i = j = 0
    while i < len(plain) and j < len(wrapped):
        if plain[i] == wrapped[j]:
            i += 1
            j += 1
        elif wrapped[j] == "\n":
            breaks.add(i)
            j += 1
        elif plain[i].isspace():
            dropped.add(i)
            i += 1
        else:
            return runs
    dropped.update(k for k in range(i, len(plain)) if plain[k].isspace())
    if j < len(wrapped) or any(not plain[k].isspace() for k in range(i, len(plain))):
        return runs
    out: list = []
    offset = 0
    for run in runs:
        chars = []
        for ch in run.text:
            if offset in breaks:
                chars.append("\n")
            if offset not in dropped:
                chars.append(ch)
            offset += 1
        out.append(b.Run("".join(chars), run.bold, run.italic, run.code))
    return out


class PrewrapLabelMixin:
    """Mixed into the Markdown Label classes. ``set_runs`` gives the content;
    the Label's ``text`` is then derived from it for the current width."""

    runs = ListProperty([])
    plain_text = StringProperty("")
    use_markup_runs = BooleanProperty(True)
    bold_font = ObjectProperty(None, allownone=True)
    prewrapped = BooleanProperty(False)
    measure_bold = BooleanProperty(False)  # the whole Label is drawn bold

    def set_runs(self, runs: list, markup: bool, bold_font: str | None, render) -> None:
        """``render(runs) -> str`` turns runs into the Label's text."""
        self._render = render
        self.use_markup_runs = markup
        self.bold_font = bold_font
        self.runs = list(runs)
        self.plain_text = "".join(run.text for run in runs)
        if needs_prewrap(self.plain_text):
            self.prewrapped = True
            self.fbind("width", self._rewrap)
            self.fbind("padding", self._rewrap)
            self.fbind("font_size", self._rewrap)
            if self.parent is None and self.width == UNSET_WIDTH:
                # Not laid out yet: wrap once the layout gives the real width,
                # or at the next frame if it never changes.
                Clock.schedule_once(self._rewrap_if_empty, 0)
            else:
                self._rewrap()
        else:
            self.text = render(self.runs)

    def _rewrap_if_empty(self, *_args) -> None:
        if not self.text:
            self._rewrap()

    def _rewrap(self, *_args) -> None:
        pad = self.padding
        width = self.width - pad[0] - pad[2]
        if any(run.bold for run in self.runs):
            width *= BOLD_ALLOWANCE
        if width <= self.font_size * 2:
            self.text = self._render(self.runs)
            return
        font = self.font_name or DEFAULT_FONT
        lines = _wrap_lines(
            self.plain_text, width, font, float(self.font_size), bold=self.measure_bold
        )
        self.text = self._render(break_runs(self.runs, lines))
