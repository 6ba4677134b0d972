"""The HTML review sheet: every picture, its route and source file, every finding boxed on it."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

COLOURS = {"error": "#d0021b", "warning": "#f5a623"}


def _picture(png: Path) -> tuple[str, tuple[int, int]]:
    from PIL import Image

    with Image.open(png) as im:
        size = im.size
        im = im.convert("RGB")
        im.thumbnail((540, 540))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=80)
    return base64.b64encode(buf.getvalue()).decode("ascii"), size


def _combo(e: dict) -> str:
    parts = [e["lang"], f"{e['size'][0]}×{e['size'][1]}"]
    if e.get("large_text"):
        parts.append("大字")
    if e.get("theme"):
        parts.append(e["theme"])
    return " · ".join(parts)


def figure(e: dict, out: Path) -> str | None:
    png = out / e["file"]
    if not png.exists():
        return None
    data, (w, h) = _picture(png)
    findings = e.get("findings", [])
    boxes = []
    notes = []
    for n, f in enumerate(findings, 1):
        colour = COLOURS.get(f["level"], "#d0021b")
        x, y, bw, bh = f["box"]
        boxes.append(f'<rect x="{x}" y="{y}" width="{max(bw, 2)}" height="{max(bh, 2)}" '
                     f'fill="none" stroke="{colour}" stroke-width="{max(2, w // 270)}"/>'
                     f'<text x="{x}" y="{max(y - 3, 12)}" fill="{colour}" '
                     f'font-size="{max(12, w // 45)}" font-weight="bold">{n}</text>')
        widget = f["widget"]
        where = html.escape(widget["class"] + (f"#{widget['id']}" if widget.get("id") else ""))
        notes.append(
            f'<li class="{f["level"]}"><b>{n}. {html.escape(f["kind"])}</b> '
            f'({"错误 error" if f["level"] == "error" else "提示 warning"}) {where} '
            f'“{html.escape(widget["text"])}”: {html.escape(f["message"])}'
            f'<br><code>{html.escape(f.get("source") or "")}</code> '
            f'<small>{html.escape(widget["path"])}</small></li>')
    counts = f'{e.get("errors", 0)} errors · {e.get("warnings", 0)} warnings'
    return (
        f'<figure class="{"bad" if e.get("errors") else "ok"}"><div class="pic">'
        f'<img src="data:image/jpeg;base64,{data}" alt="{html.escape(e["route"])}">'
        f'<svg viewBox="0 0 {w} {h}" preserveAspectRatio="none">{"".join(boxes)}</svg></div>'
        f'<figcaption><b>{html.escape(e["route"])}</b> · {_combo(e)} · {counts}'
        f'<br><code>{html.escape(e.get("source") or "")}</code>'
        + (f'<ol>{"".join(notes)}</ol>' if notes else "")
        + "</figcaption></figure>"
    )


def write_sheet(path: Path, out: Path, entries: list[dict], content) -> None:
    """One self-contained HTML page: pictures with errors first, each finding boxed."""
    title = html.escape(content.site.title.get())
    ordered = sorted(entries, key=lambda e: (-e.get("errors", 0), -e.get("warnings", 0)))
    cards = [c for c in (figure(e, out) for e in ordered) if c]
    errors = sum(e.get("errors", 0) for e in entries)
    warnings = sum(e.get("warnings", 0) for e in entries)
    bad = sum(1 for e in entries if e.get("errors"))
    page = f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{title} — 审阅 review</title>
<style>
body {{ font-family: sans-serif; background: #f4efe6; color: #2a1a14; margin: 2em; }}
h1 {{ color: #8f1219; }}
main {{ display: flex; flex-wrap: wrap; gap: 1.2em; align-items: flex-start; }}
figure {{ margin: 0; background: #fff; padding: .6em; border: 1px solid #d9c9a8; width: 300px; }}
figure.bad {{ border: 2px solid #d0021b; }}
.pic {{ position: relative; }}
.pic img {{ width: 100%; height: auto; display: block; }}
.pic svg {{ position: absolute; left: 0; top: 0; width: 100%; height: 100%; }}
figcaption {{ font-size: .8em; margin-top: .4em; word-break: break-word; }}
li.error {{ color: #b00020; }} li.warning {{ color: #8a5a00; }}
small {{ color: #777; }}
</style></head><body>
<h1>{title}</h1>
<p>共 {len(cards)} 张画面，{bad} 张有错误 / {len(cards)} screens, {bad} with errors:
{errors} 错误 errors, {warnings} 提示 warnings. 方框标出每个问题 / every finding is boxed on its
picture; 每张下方是页面路径和内容文件 / route and source file under each.</p>
<main>{''.join(cards)}</main>
</body></html>
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, "utf-8")
