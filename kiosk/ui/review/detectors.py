"""Findings on one screen, from the records of :mod:`kiosk.ui.review.scene` and its pixels.

Pure functions, no Kivy: each detector takes plain records (and the screenshot
as a Pillow image) and returns findings. :func:`detect` runs them all and says
which route and which content file each finding belongs to.

Kinds and levels:

- ``cut`` (error): text that needs more room than it got and lost lines with no
  ellipsis, text clipped by a stencil or a scroll view that cannot scroll there,
  a word broken across two lines;
- ``shortened`` (warning): text that had to be shortened with an ellipsis;
- ``overflow`` (error): glyphs drawn outside the label's own box, outside a
  layout that holds it, or off the screen;
- ``overlap`` (error): the glyphs of two texts on the same pixels;
- ``stretched`` (error): a card or tile whose content fills only a small part
  of its height;
- ``contrast`` (error): text against the pixels drawn around its glyphs below
  4.5:1 (3:1 for large text);
- ``missing-glyph`` (error): characters the label's font cannot draw;
- ``no-scroll-cue`` (error): a list that goes on below its bottom edge with nothing on
  the screen saying so (no "more below" badge, no visible scroll bar);
- ``cropped`` (warning): a card's picture cropped by more than a tenth at one edge to fill
  its box: a number or title printed near that edge (a section cover's) is cut.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from PIL import Image, ImageChops, ImageFilter

from kiosk.ui.review.scene import Rect, Scene, ScrollItem, TextItem, TileItem

ERROR = "error"
WARNING = "warning"
LEVELS = {"cut": ERROR, "shortened": WARNING, "overflow": ERROR, "overlap": ERROR,
          "stretched": ERROR, "contrast": ERROR, "missing-glyph": ERROR, "no-scroll-cue": ERROR,
          "cropped": WARNING}

# WCAG 2 AA: 4.5:1, or 3:1 for large text. Large here: at least 3.0 % of the screen's short
# side (the theme's heading sizes and up), or bold at 2.6 % (bold subheadings and up).
NORMAL_CONTRAST = 4.5
LARGE_CONTRAST = 3.0
LARGE_TEXT = 0.030
LARGE_BOLD_TEXT = 0.026
# a card or tile is stretched when what fills it takes less than this share of its height
# and the empty part is taller than this share of the screen's short side
TILE_FILL = 0.5
TILE_EMPTY = 0.3
# a card's picture is cropped when more than this share of it is hidden at one edge
CROP_EDGE = 0.1
# a list goes on below its edge when at least this share of the screen's height is hidden there
SCROLL_BELOW = 0.01

_WORD = re.compile(r"[A-Za-z0-9À-ɏ]")


@dataclass
class Finding:
    kind: str
    message: str
    widget: dict
    box: list[int]  # x, y, width, height on the picture
    level: str = ""
    route: str = ""
    source: str = ""
    other: dict | None = None  # the second widget of an overlap
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        self.level = self.level or LEVELS[self.kind]

    def as_dict(self) -> dict:
        d = asdict(self)
        if d["other"] is None:
            del d["other"]
        if not d["extra"]:
            del d["extra"]
        return d


# ---------------------------------------------------------------------------- geometry


def intersect(a: Rect, b: Rect) -> Rect | None:
    r = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return r if r[2] > r[0] and r[3] > r[1] else None


def union(rects) -> Rect | None:
    rects = list(rects)
    if not rects:
        return None
    return (min(r[0] for r in rects), min(r[1] for r in rects),
            max(r[2] for r in rects), max(r[3] for r in rects))


def beyond(inner: Rect, outer: Rect) -> dict[str, float]:
    """How far ``inner`` reaches past each side of ``outer`` (only the sides it passes)."""
    sides = {"left": outer[0] - inner[0], "top": outer[1] - inner[1],
             "right": inner[2] - outer[2], "bottom": inner[3] - outer[3]}
    return {k: v for k, v in sides.items() if v > 0}


def as_box(r: Rect) -> list[int]:
    return [int(round(r[0])), int(round(r[1])), int(round(r[2] - r[0])), int(round(r[3] - r[1]))]


def widget_info(item) -> dict:
    text = getattr(item, "text", "") or getattr(item, "title", "")
    text = " ".join(text.split())
    return {"class": item.cls, "path": item.path, "id": item.wid,
            "text": text if len(text) <= 48 else text[:47] + "…"}


def _tolerance(item: TextItem) -> float:
    return max(2.0, 0.15 * item.font_size)


def observe(scene: Scene, pixels: Image.Image) -> None:
    """Mark on each text the glyph pixels the picture shows in the text's colour: glyphs
    under an opaque bar or panel drawn later are not seen (a page scrolled under the
    navigation bar). Text drawn see-through cannot be checked this way and counts as seen."""
    for item in scene.texts:
        if item.mask is None:
            continue
        top = item.mask.getextrema()[1]
        solid = item.mask.point(lambda v, t=top: 255 if v >= t * 0.85 and v else 0)
        if item.colour[3] < 0.9:
            item.seen = solid
            continue
        x, y = int(round(item.drawn[0])), int(round(item.drawn[1]))
        shot = pixels.crop((x, y, x + item.mask.width, y + item.mask.height)).convert("RGB")
        expected = Image.new("RGB", shot.size, tuple(int(round(v)) for v in item.colour[:3]))
        r, g, b = ImageChops.difference(shot, expected).split()
        close = ImageChops.lighter(ImageChops.lighter(r, g), b).point(lambda v: 255 if v <= 48 else 0)
        item.seen = ImageChops.multiply(solid, close)
        for order, rect in scene.covers:  # painted over by something opaque drawn later
            if order > item.order and intersect(rect, item.drawn):
                box = tuple(int(round(v)) for v in (rect[0] - x, rect[1] - y, rect[2] - x, rect[3] - y))
                item.seen.paste(0, box)


def visible_rect(item: TextItem, size) -> Rect | None:
    """The part of the glyphs' box a visitor can see now (inside every clip and the screen)."""
    r = item.seen_ink
    if r is None:
        return None
    r = intersect(r, (0, 0, size[0], size[1]))
    for clip in item.clips:
        if r is None:
            return None
        r = intersect(r, clip.rect)
    return r


# ---------------------------------------------------------------------------- detectors


def text_fit(item: TextItem) -> list[Finding]:
    """Shortened (warning), lines dropped without an ellipsis or a word broken (error)."""
    info = widget_info(item)
    box = as_box(item.drawn)
    if item.shortened or item.ellipsis_added:
        where = item.shortened or "end"
        how = "in the middle: its end is hidden too" if where == "middle" else f"at the {where}"
        return [Finding("shortened", f"shortened with an ellipsis {how}{_room(item)}", info, box)]
    out = []
    tol = max(2.0, 0.25 * item.font_size)
    if item.needed and item.needed[1] > item.shown[1] + tol:
        out.append(Finding(
            "cut", f"text cut without an ellipsis: {item.shown[1]:.0f} of the "
                   f"{item.needed[1]:.0f} px its lines need are drawn", info, box))
    broken = broken_word(item.text, item.lines)
    if broken:
        out.append(Finding("cut", f"a word broken across two lines: '{broken}'", info, box))
    return out


def _room(item: TextItem) -> str:
    """' (needs 412 px, has 294)': the height the whole text's wrapped lines need, or
    the width it needs on its one line, against what is shown."""
    if not item.needed:
        return ""
    (nw, nh), (sw, sh) = item.needed, item.shown
    if nh > sh + 0.5:  # more lines than it shows
        return f" (its lines need {nh:.0f} px of height, has {sh:.0f})"
    if nw > sw + 0.5:  # one line, longer than its room
        return f" (needs {nw:.0f} px, has {sw:.0f})"
    return ""


def broken_word(text: str, lines: list[str]) -> str:
    """``'abc|def'`` when a line ends inside a word of ``text`` (Latin letters or digits on
    both sides, nothing between them in the text), else ``''``."""
    pos = 0
    for a, b in zip(lines, lines[1:], strict=False):
        a_s, b_s = a.strip(), b.strip()
        if not a_s or not b_s:
            continue
        idx = text.find(a_s, pos)
        if idx < 0:
            return ""
        end = idx + len(a_s)
        pos = end
        if end < len(text) and _WORD.match(a_s[-1]) and _WORD.match(text[end]) \
                and text.startswith(b_s[:1], end):
            start = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end)) + 1
            stop = min([i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0]
                       or [len(text)])
            return f"{text[start:end]}|{text[end:stop]}"[:60]
    return ""


def position(item: TextItem, size) -> list[Finding]:
    """Glyphs outside their own box, a layout that holds them, a clip or the screen."""
    ink = item.ink
    if ink is None or visible_rect(item, size) is None:
        return []
    info = widget_info(item)
    tol = _tolerance(item)
    out = []
    reasons = []
    own = {k: v for k, v in beyond(ink, item.box).items() if v > tol}
    if own:
        reasons.append("outside its own box by " + _sides(own))
    for name, rect in item.parents:
        past = {k: v for k, v in beyond(ink, rect).items() if v > tol}
        if past:
            reasons.append(f"outside the {name} that holds it by " + _sides(past))
            break
    scroll_x = any(c.scroll_x for c in item.clips)
    scroll_y = any(c.scroll_y for c in item.clips)
    off = {k: v for k, v in beyond(ink, (0, 0, size[0], size[1])).items() if v > 1
           and not (scroll_x and k in ("left", "right")) and not (scroll_y and k in ("top", "bottom"))}
    if off:
        reasons.append("off the screen by " + _sides(off))
    if reasons:
        out.append(Finding("overflow", "text " + "; ".join(reasons), info, as_box(ink)))
    for clip in item.clips:
        past = {k: v for k, v in beyond(ink, clip.rect).items() if v > tol
                and not (clip.scroll_x and k in ("left", "right"))
                and not (clip.scroll_y and k in ("top", "bottom"))}
        if past:
            out.append(Finding("cut", f"text clipped by its {clip.kind} ({_sides(past)} hidden, "
                                      "and it cannot scroll there)", info, as_box(ink)))
            break
    return out


def _sides(d: dict[str, float]) -> str:
    return ", ".join(f"{v:.0f} px {k}" for k, v in d.items())


def overlaps(texts: list[TextItem], size) -> list[Finding]:
    """Pairs of texts whose glyphs cover the same pixels."""
    shown = [(t, visible_rect(t, size)) for t in texts]
    shown = [(t, r) for t, r in shown if r is not None]
    out = []
    for i, (a, ra) in enumerate(shown):
        ra = (ra[0] - 1, ra[1] - 1, ra[2] + 1, ra[3] + 1)
        for b, rb in shown[i + 1:]:
            r = intersect(ra, rb)
            if r is None:
                continue
            region = tuple(int(round(v)) for v in r)
            if region[2] - region[0] < 1 or region[3] - region[1] < 1:
                continue
            if _inked_together(a, b, region):
                f = Finding("overlap", f"text overlaps '{widget_info(b)['text']}' ({b.cls})",
                            widget_info(a), as_box(r), other=widget_info(b))
                f.extra["other_route"] = b.route
                out.append(f)
    return out


def _placed(item: TextItem, region, mask=None) -> Image.Image:
    """The item's glyph mask cut to ``region`` (picture coordinates)."""
    x, y = int(round(item.drawn[0])), int(round(item.drawn[1]))
    mask = item.mask if mask is None else mask
    return mask.crop((region[0] - x, region[1] - y, region[2] - x, region[3] - y))


def _inked_together(a: TextItem, b: TextItem, region) -> bool:
    """Glyph pixels of both within a pixel of each other (where each is seen)."""
    grown = (region[0] - 1, region[1] - 1, region[2] + 1, region[3] + 1)
    sa = _placed(a, grown, a.seen).filter(ImageFilter.MaxFilter(3))
    both = ImageChops.multiply(sa, _placed(b, grown, b.seen))
    return both.getextrema()[1] >= 128


def _filled(tile: TileItem) -> float | None:
    """The height of what fills the tile (None: nothing in it)."""
    inside = [r for r in (intersect(c, tile.box) for c in tile.content) if r is not None]
    content = union(inside)
    return None if content is None else content[3] - content[1]


def stretched(tiles: list[TileItem], size) -> list[Finding]:
    """Cards and tiles mostly empty: what is in them fills a small part of their height.
    Tiles of one row (same kind, same top and bottom) end level: a tile is judged by the
    fullest tile of its row, so a short one beside a full one is not stretched."""
    short = min(size)
    fills = {id(t): _filled(t) for t in tiles}
    out = []
    for tile in tiles:
        box = tile.box
        seen = intersect(box, (0, 0, size[0], size[1]))
        for clip in tile.clips:
            seen = intersect(seen, clip.rect) if seen else None
        if seen is None or fills[id(tile)] is None:
            continue
        height = box[3] - box[1]
        filled = fills[id(tile)]
        row = max(fills[id(t)] or 0 for t in tiles
                  if t.cls == tile.cls and abs(t.box[1] - box[1]) <= 1 and abs(t.box[3] - box[3]) <= 1)
        if row < TILE_FILL * height and height - row > TILE_EMPTY * short:
            out.append(Finding(
                "stretched", f"{tile.cls} {height:.0f} px tall, its content fills "
                             f"{filled / height:.0%} of it ({height - filled:.0f} px empty)",
                widget_info(tile), as_box(box), extra={"fill": round(filled / height, 3)}))
    return out


def crops(tiles: list[TileItem], size) -> list[Finding]:
    """Card pictures cropped at an edge past :data:`CROP_EDGE` (on screen)."""
    out = []
    names = ("left", "top", "right", "bottom")
    for tile in tiles:
        for box, hidden in tile.crops:
            seen = intersect(box, (0, 0, size[0], size[1]))
            for clip in tile.clips:
                seen = intersect(seen, clip.rect) if seen else None
            cut = {n: v for n, v in zip(names, hidden, strict=True) if v > CROP_EDGE}
            if seen is None or not cut:
                continue
            out.append(Finding(
                "cropped", "its picture is cropped to fill the card ("
                + ", ".join(f"{v:.0%} at the {n}" for n, v in cut.items())
                + " hidden): a number or title near that edge is cut; give the picture the "
                  "card's shape or a `focus`", widget_info(tile), as_box(box),
                extra={"hidden": dict(zip(names, (round(v, 3) for v in hidden), strict=True))}))
    return out


def scroll_cues(scrolls: list[ScrollItem], size) -> list[Finding]:
    """Lists with more below their visible bottom edge and no cue that they scroll."""
    out = []
    for view in scrolls:
        if view.cued or view.below < max(4.0, SCROLL_BELOW * size[1]):
            continue
        seen = intersect(view.box, (0, 0, size[0], size[1]))
        for clip in view.clips:
            seen = intersect(seen, clip.rect) if seen else None
        if seen is None or seen[3] - seen[1] < 0.05 * size[1]:
            continue
        out.append(Finding(
            "no-scroll-cue", f"{view.cls} goes on {view.below:.0f} px below its bottom edge and "
                             "nothing shows that it scrolls", widget_info(view), as_box(seen),
            extra={"below": round(view.below)}))
    return out


def is_large(item: TextItem, size) -> bool:
    short = min(size)
    return item.font_size >= LARGE_TEXT * short or (item.bold and item.font_size >= LARGE_BOLD_TEXT * short)


def grow(mask: Image.Image, r: int) -> Image.Image:
    """``mask`` (mode L) with each pixel the largest within ``r`` pixels across and down: the
    same as ``MaxFilter(2 * r + 1)``, as a row pass and a column pass of shifted copies (a
    tenth of the time on a screenful)."""
    w, h = mask.size
    padded = Image.new("L", (w + 2 * r, h + 2 * r), 0)
    padded.paste(mask, (r, r))
    for dx, dy in ((1, 0), (0, 1)):
        out = padded
        for k in range(1, r + 1):
            out = ImageChops.lighter(out, ImageChops.offset(padded, k * dx, k * dy))
            out = ImageChops.lighter(out, ImageChops.offset(padded, -k * dx, -k * dy))
        padded = out
    return padded.crop((r, r, r + w, r + h))


def contrast(texts: list[TextItem], pixels: Image.Image, size, covers=()) -> list[Finding]:
    """Each text's colour against the pixels drawn around its glyphs (other texts' glyphs
    left out of that sample)."""
    shown = [(t, visible_rect(t, size)) for t in texts]
    shown = [(t, r) for t, r in shown if r is not None and t.colour[3] > 0 and not t.disabled]
    ink = Image.new("L", pixels.size, 0)
    for t in texts:
        if t.mask is not None:
            x, y = int(round(t.drawn[0])), int(round(t.drawn[1]))
            ink.paste(t.mask, (x, y), t.mask)
    ink = grow(ink, 2).point(lambda v: 0 if v else 255)  # 255: background
    out = []
    for item, r in shown:
        later = [c for o, c in covers if o > item.order]  # painted over it: not its background
        measured = measure_contrast(item, pixels, ink, r, later, within=_inside_clips(item, size))
        if measured is None:
            continue
        ratio, bg = measured
        need = LARGE_CONTRAST if is_large(item, size) else NORMAL_CONTRAST
        if ratio < need - 0.05:
            out.append(Finding(
                "contrast", f"contrast {ratio:.1f}:1 ({_hex(item.colour)} on {_hex(bg)}), "
                            f"needs {need:g}:1{' (large text)' if need == LARGE_CONTRAST else ''}",
                widget_info(item), as_box(r), extra={"ratio": round(ratio, 2), "needs": need}))
    return out


def _inside_clips(item: TextItem, size) -> Rect:
    """Where the text can be seen at all: the screen within every stencil and scroll view
    that clips it (what lies past a scroll view's edge is another part of the screen)."""
    r: Rect | None = (0, 0, size[0], size[1])
    for clip in item.clips:
        r = intersect(r, clip.rect) if r else None
    return r or (0, 0, 0, 0)


def measure_contrast(item: TextItem, pixels: Image.Image, background: Image.Image, visible: Rect,
                     covers=(), within: Rect | None = None):
    """(ratio, background colour): the WCAG ratio of the text's colour (blended by its alpha)
    that 90 % of the rendered background pixels around its glyphs reach at least.
    ``background`` marks (255) the pixels no text is drawn on; ``within``: the part of the
    picture the text can show in (the sample stays inside it)."""
    pad = max(3, int(round(0.3 * item.font_size)))
    lo_x, lo_y, hi_x, hi_y = within or (0, 0, pixels.width, pixels.height)
    x0 = max(0, int(lo_x), int(visible[0]) - pad)
    y0 = max(0, int(lo_y), int(visible[1]) - pad)
    x1 = min(pixels.width, int(hi_x), int(round(visible[2])) + pad)
    y1 = min(pixels.height, int(hi_y), int(round(visible[3])) + pad)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    region = (x0, y0, x1, y1)
    sample = pixels.crop(region).convert("RGB")
    around = background.crop(region)
    for c in covers:
        if intersect(c, region):
            around.paste(0, tuple(int(round(v)) for v in (c[0] - x0, c[1] - y0, c[2] - x0, c[3] - y0)))
    sample.putalpha(around)
    colours = [(n, c[:3]) for n, c in (sample.getcolors(sample.width * sample.height) or []) if c[3]]
    total = sum(n for n, _ in colours)
    if total < 8:
        return None
    r, g, b, a = item.colour
    rated = []
    for n, c in colours:
        fg = (r * a + c[0] * (1 - a), g * a + c[1] * (1 - a), b * a + c[2] * (1 - a))
        rated.append((_ratio(luminance(fg), luminance(c)), n, c))
    rated.sort()
    seen = 0
    for ratio, n, c in rated:
        seen += n
        if seen >= 0.1 * total:
            return ratio, c
    return rated[-1][0], rated[-1][2]


_LUM: dict = {}


def luminance(c) -> float:
    value = _LUM.get(c)
    if value is None:
        c = tuple(c)
        def channel(v: int) -> float:
            s = min(max(v, 0), 255) / 255
            return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

        value = 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])
        if len(_LUM) < 200_000:
            _LUM[c] = value
    return value


def _ratio(a: float, b: float) -> float:
    hi, lo = (a, b) if a >= b else (b, a)
    return (hi + 0.05) / (lo + 0.05)


def _hex(c) -> str:
    r, g, b = (int(round(v)) for v in c[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def glyphs(item: TextItem, size) -> list[Finding]:
    if not item.missing:
        return []
    box = intersect(item.drawn, (0, 0, size[0], size[1])) or item.drawn
    return [Finding("missing-glyph", f"the font cannot draw {item.missing!r}: "
                                     "these characters vanish", widget_info(item), as_box(box),
                    extra={"chars": item.missing})]


# ---------------------------------------------------------------------------- all at once


def detect(scene: Scene, pixels: Image.Image | None, *, route: str = "", source: str = "",
           source_of=None) -> list[Finding]:
    """Every finding on one screen. ``source_of(route)`` names the content file of a card's
    target (a text on a card comes from that file); otherwise ``source`` is used."""
    size = scene.size
    if pixels is not None:
        observe(scene, pixels)
    found: list[Finding] = []
    for item in scene.texts:
        found += glyphs(item, size) + text_fit(item) + position(item, size)
    found += overlaps(scene.texts, size)
    found += stretched(scene.tiles, size)
    found += scroll_cues(scene.scrolls, size)
    found += crops(scene.tiles, size)
    if pixels is not None:
        found += contrast(scene.texts, pixels, size, scene.covers)
    out = []
    for f in found:
        f.route = route
        target = _route_of(scene, f)
        f.source = (source_of(target) if source_of and target else "") or source
        if target:
            f.extra.setdefault("card_route", target)
        out.append(f)
    return out


def _route_of(scene: Scene, f: Finding) -> str:
    path = f.widget.get("path")
    for item in (*scene.texts, *scene.tiles):
        if item.path == path:
            return item.route
    return ""
