"""How long headline breaking takes: every title of the demo exhibition, word-aware and
balanced (``kiosk.text.headline``), against the plain line breaker, and what importing the
word list costs at start-up.

Run:  SDL_VIDEODRIVER=offscreen .venv/bin/python bench/bench_headline.py [--size 44]

Prints milliseconds for importing ``kiosk.text.headline`` (the word list included), then,
over all titles at three widths, the median and worst time per title for the headline
breaker and for ``wrap``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import setup_kivy  # noqa: E402

FONT = str(ROOT / "themes" / "party-red" / "fonts" / "NotoSansSC-Bold.otf")
WIDTHS = (360, 520, 940)


def import_ms() -> float:
    """Import time of the headline module in a fresh interpreter (``-X importtime``)."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import kiosk.text.headline"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stderr
    total = 0
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() in ("kiosk.text.headline", "kiosk.text.words"):
            total += int(parts[0].split(":")[1])  # self time, microseconds
    return total / 1000


def titles() -> list[str]:
    from kiosk.content import load_content

    content = load_content(ROOT / "content")
    out = [content.site.title.get("zh")]
    for section in content.sections:
        out.append(section.title.get("zh"))
        out.extend(ex.title.get("zh") for ex in section.exhibits)
        out.extend(h.title.get("zh") for ex in section.exhibits for h in ex.honors)
    return [t for t in out if t]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=44)
    args, _ = parser.parse_known_args()  # `python -m bench --quick` passes its own flags

    setup_kivy((540, 960))
    from kivy.core.window import Window  # text measuring needs a GL context

    from kiosk.text import kivy_measure
    from kiosk.text.headline import headline_lines
    from kiosk.text.linebreak import wrap

    assert Window is not None
    measure = kivy_measure.measure_for(FONT, args.size, True)
    texts = titles()
    for text in texts:  # warm the width cache: the app measures each character once
        measure(text)
    ours: list[float] = []
    plain: list[float] = []
    for width in WIDTHS:
        for text in texts:
            start = time.perf_counter()
            headline_lines(text, width, measure)
            ours.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            wrap(text, width, measure)
            plain.append((time.perf_counter() - start) * 1000)
    print(f"{len(texts)} titles x {len(WIDTHS)} widths, bold {args.size:g} px")
    print(f"import kiosk.text.headline   {import_ms():8.2f} ms (word list included)")
    print(f"headline, median / worst    {statistics.median(ours):8.3f} / {max(ours):.3f} ms")
    print(f"plain wrap, median / worst  {statistics.median(plain):8.3f} / {max(plain):.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
