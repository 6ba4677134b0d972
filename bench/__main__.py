"""Run every ``bench/bench_*.py`` (or only those named on the command line), then print
the goals in one table (``bench/summary.py``).

``--quick`` makes the picture benchmarks use 60 photos instead of 500.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    names = sorted(p.stem for p in here.glob("bench_*.py"))
    wanted = [a for a in argv if not a.startswith("-")]  # flags such as --quick are for the benches
    if wanted:
        names = [n for n in names if any(a in n for a in wanted)]
    failed = 0
    for name in names:
        print(f"== {name}")
        module = importlib.import_module(f"bench.{name}")
        code = module.main() or 0
        failed += 1 if code else 0
    from bench.summary import print_summary

    print_summary()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
