"""What "read aloud" says: the current screen's title and text in the visitor's language.

An exhibit page is read from the content (title, summary, the Markdown body as plain
text with each picture's alt text); any other screen from the labels it shows, top to
bottom and left to right.
"""

from __future__ import annotations

import re

from kivy.uix.label import Label

from kiosk.a11y.lint import plain
from kiosk.ui.access.words import word

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}.*$", re.MULTILINE)


def exhibit_text(app, exhibit) -> str:
    lang = app.lang
    parts = [app.t(exhibit.title), app.t(exhibit.summary)]
    body = app.t(exhibit.body)
    body = _IMAGE.sub(lambda m: word("picture", lang, t=m.group(1)) + "。" if m.group(1).strip() else "",
                      body)
    body = _TABLE_RULE.sub("", body).replace("|", " ")
    parts.append(plain(body))
    for media in exhibit.images:
        caption = app.t(media.caption)
        if caption:
            parts.append(word("picture", lang, t=caption))
    return "\n".join(p.strip() for p in parts if p and p.strip())


def screen_text(app) -> str:
    """The text to read on the screen shown now."""
    content = app.content
    route = app.route
    if content is not None and route.startswith("exhibit/"):
        target = content.resolve(route)
        if target is not None and getattr(target, "kind", "") == "page":
            return exhibit_text(app, target)
    screen = app.manager.current_screen
    heading = getattr(screen, "heading", "") or ""
    labels = []
    for w in screen.walk(restrict=True):
        if isinstance(w, Label) and w.text and _shown(w):
            x, y = w.to_window(w.x, w.top)
            labels.append((-round(y / 20), x, w.text))
    labels.sort()
    seen, lines = set(), [heading] if heading else []
    for _, _, text in labels:
        text = re.sub(r"\[/?[a-z]+(=[^\]]*)?\]", "", text).strip()  # markup tags
        if text and text not in seen:
            seen.add(text)
            lines.append(text)
    return "\n".join(lines)


def _shown(widget) -> bool:
    w = widget
    while w is not None and w.parent is not w:
        if getattr(w, "opacity", 1) == 0:
            return False
        w = w.parent
    return True
