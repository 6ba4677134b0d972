"""How long Chinese text takes to lay out: our pre-wrap pass versus Kivy's own wrapping.

Run:  SDL_VIDEODRIVER=offscreen .venv/bin/python bench/bench_text.py [--chars 2000] [--width 960]

Prints milliseconds for
* ``wrap`` with a cold width cache (first paragraph in a new font size),
* ``wrap`` with a warm cache (every later paragraph),
* ``prewrap`` + rendering the Label texture with no width constraint,
* Kivy rendering the same text wrapping it itself (``text_size=(width, None)``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import setup_kivy  # noqa: E402

FONT = str(ROOT / "themes" / "party-red" / "fonts" / "NotoSansSC-Regular.otf")
SAMPLE = (
    "2015年以来，岐山县坚持以党建引领企业服务，建成“1+5+N”党群服务中心。"
    "中心整合政务、法律、人才、金融、科技五类服务资源（即“5”），"
    "在园区和重点企业设立N个服务站点，实现了“企业有需求、中心有回应”。"
    "工作人员说：“我们把服务送到车间里！”The center opened in 2015 and serves members daily. "
    "截至目前，累计办理审批手续2600余件，群众满意率达99.5%。"
)


def paragraph(chars: int) -> str:
    text = SAMPLE * (chars // len(SAMPLE) + 1)
    return text[:chars]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--width", type=int, default=960)
    parser.add_argument("--size", type=float, default=28)
    parser.add_argument("--repeat", type=int, default=10)
    args, _ = parser.parse_known_args()  # `python -m bench --quick` passes its own flags

    setup_kivy((540, 960))  # before Kivy is imported: headless, quiet
    from kivy.core.text import Label as CoreLabel
    from kivy.core.window import Window  # textures need a GL context

    from kiosk.text import kivy_measure
    from kiosk.text.linebreak import wrap

    assert Window is not None
    text = paragraph(args.chars)

    kivy_measure.clear_cache()
    start = time.perf_counter()
    lines = kivy_measure.wrap_lines(text, args.width, FONT, args.size)
    cold = (time.perf_counter() - start) * 1000
    measure = kivy_measure.measure_for(FONT, args.size)
    warm = timed(lambda: wrap(text, args.width, measure), args.repeat)

    def ours() -> None:
        label = CoreLabel(text=kivy_measure.prewrap(text, args.width, FONT, args.size),
                          font_name=FONT, font_size=args.size)
        label.refresh()

    def kivys() -> None:
        label = CoreLabel(text=text, font_name=FONT, font_size=args.size,
                          text_size=(args.width, None))
        label.refresh()

    ours_ms = timed(ours, args.repeat)
    kivy_ms = timed(kivys, args.repeat)
    print(f"{len(text)} characters, {len(lines)} lines at {args.width} px, font {args.size:g} px")
    print(f"wrap, cold width cache     {cold:8.1f} ms  ({len(measure)} distinct characters)")
    print(f"wrap, warm cache (median)  {statistics.median(warm):8.1f} ms")
    print(f"prewrap + Label texture    {statistics.median(ours_ms):8.1f} ms")
    print(f"Kivy wrapping + texture    {statistics.median(kivy_ms):8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
