"""A small WebVTT reader: the cues of a caption file, and the cue shown at a moment.

Enough of https://www.w3.org/TR/webvtt1/ for captions staff write or export: the
``WEBVTT`` header, optional cue identifiers, ``hh:mm:ss.ttt`` or ``mm:ss.ttt`` times,
cue settings after the times (ignored), NOTE/STYLE/REGION blocks (skipped), tags such
as ``<i>`` or ``<v Speaker>`` (removed) and the HTML entities WebVTT knows::

    track = parse_webvtt(text)
    track.at(12.5)   # -> "Cue text shown at 12.5 s" or ""

Problems are collected with their line numbers instead of stopping at the first.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_TIME = re.compile(r"^(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})$")
_TAG = re.compile(r"<[^>]*>")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": "\u00a0",
             "&lrm;": "\u200e", "&rlm;": "\u200f"}


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    line: int  # where the timing line is, 1-based


@dataclass
class CaptionTrack:
    cues: list[Cue] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, en, zh)

    def __post_init__(self):
        self.cues.sort(key=lambda c: (c.start, c.end))
        self._starts = [c.start for c in self.cues]

    def at(self, seconds: float) -> str:
        """Text of every cue showing at ``seconds`` (overlapping cues one per line)."""
        i = bisect.bisect_right(self._starts, seconds)
        shown = [c.text for c in self.cues[:i] if c.start <= seconds < c.end]
        return "\n".join(shown)

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_time(text: str) -> float | None:
    """``"01:02.500"`` -> 62.5; ``"1:00:00.000"`` -> 3600.0; None if malformed."""
    m = _TIME.match(text.strip())
    if not m:
        return None
    hours, minutes, secs, millis = m.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + int(millis) / 1000


def clean_text(text: str) -> str:
    text = _TAG.sub("", text)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return text


def parse_webvtt(text: str) -> CaptionTrack:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    problems: list[tuple[int, str, str]] = []
    cues: list[Cue] = []
    if not lines or not (lines[0] == "WEBVTT" or lines[0].startswith(("WEBVTT ", "WEBVTT\t"))):
        problems.append((1, "a WebVTT file must start with the line 'WEBVTT'",
                         "WebVTT 字幕文件的第一行必须是 'WEBVTT'"))
        return CaptionTrack(cues, problems)
    # blocks are separated by blank lines; the header block is the first
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if line.strip() == "":
            if current:
                blocks.append((start, current))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, current))
    for first_line, block in blocks[1:]:
        head = block[0]
        if head.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in head:
            continue
        timing_index = 0 if "-->" in head else 1
        if timing_index >= len(block) or "-->" not in block[timing_index]:
            problems.append((first_line, "a caption without a 'start --> end' time line",
                             "字幕缺少 '开始 --> 结束' 时间行"))
            continue
        line_no = first_line + timing_index
        left, _, right = block[timing_index].partition("-->")
        begin = parse_time(left)
        end = parse_time(right.strip().split()[0]) if right.strip() else None
        if begin is None or end is None:
            problems.append((line_no, f"the times '{block[timing_index].strip()}' should look like "
                             "00:01.000 --> 00:04.000",
                             f"时间 '{block[timing_index].strip()}' 应写成 00:01.000 --> 00:04.000 这样的形式"))
            continue
        if end <= begin:
            problems.append((line_no, "a caption ends before it starts", "字幕的结束时间早于开始时间"))
            continue
        body = clean_text("\n".join(block[timing_index + 1:])).strip()
        if body:
            cues.append(Cue(begin, end, body, line_no))
    if not cues and not problems:
        problems.append((1, "the caption file has no captions", "字幕文件里没有字幕"))
    return CaptionTrack(cues, problems)
