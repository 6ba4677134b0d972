"""The ``kiosk`` command: run, check, render."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from kiosk import __version__
from kiosk.schema import parse_size


def _size(text: str):
    size = parse_size(text)
    if size is None:
        raise argparse.ArgumentTypeError(f"size should look like 1080x1920, not {text!r}")
    return size


def _default_config() -> str | None:
    return "kiosk.yaml" if Path("kiosk.yaml").exists() else None


def _command(argv: list[str] | None) -> str | None:
    """The subcommand named on the command line (its first word that is not a flag)."""
    words = sys.argv[1:] if argv is None else argv
    return next((w for w in words if not w.startswith("-")), None)


def _add_parsers(sub, command: str | None, *modules: str) -> None:
    """Add the subcommands that live in ``modules`` (each has ``add_parser(sub)``), importing
    a module only when its command is the one asked for, or for help and errors (``command``
    None or unknown): ``kiosk run`` starts without them."""
    if command in CORE_COMMANDS:
        return
    for name in modules:
        importlib.import_module(name).add_parser(sub)


# built here in build_parser itself; every other command comes from its own module
CORE_COMMANDS = ("run", "check", "render", "pin")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; ``command`` (the subcommand about to run) spares the other commands'
    modules from being imported."""
    parser = argparse.ArgumentParser(
        prog="kiosk", description="Touchscreen kiosk for a party-building exhibition center."
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="start the kiosk")
    run.add_argument("--config", default=None, help="kiosk.yaml to read (default: ./kiosk.yaml)")
    run.add_argument("--content", default=None, help="content folder (overrides kiosk.yaml)")
    run.add_argument("--theme", default=None, help="theme name or folder (overrides kiosk.yaml)")
    run.add_argument("--windowed", action="store_true", help="a normal window, for development")
    run.add_argument("--size", type=_size, default=None, help="window size such as 1080x1920")
    run.add_argument("--status-file", default=None, help="keep a JSON status file here")
    run.add_argument("--metrics-file", default=None,
                     help="keep a Prometheus text file here (node_exporter textfile collector)")

    check = sub.add_parser("check", help="check content, tours, theme and kiosk.yaml")
    check.add_argument("dir", nargs="?", default=None, help="content folder (default: from kiosk.yaml)")
    check.add_argument("--content", default=None, help="content folder (the same as DIR)")
    check.add_argument("--config", default=None, help="kiosk.yaml to check too")
    check.add_argument("--theme", default=None, help="theme whose font must draw every character")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    check.add_argument("--lang", choices=("zh", "en", "both"), default="both",
                       help="language of the messages")

    render = sub.add_parser("render", help="render every screen to PNG for review")
    render.add_argument("--out", required=True, help="folder for the pictures and index.json")
    render.add_argument("--size", type=_size, default=(1080, 1920),
                        help="screen size, e.g. 1920x1080 (with --matrix: and its landscape/portrait twin)")
    render.add_argument("--lang", choices=("zh", "en"), default=None, help="language (default: the site's)")
    render.add_argument("--content", default=None, help="content folder (overrides kiosk.yaml)")
    render.add_argument("--theme", default=None,
                        help="theme name or folder (with --matrix: only this theme)")
    render.add_argument("--large-text", action="store_true", help="render in 大字 (large text)")
    render.add_argument("--matrix", action="store_true",
                        help="every theme in the themes folder x portrait/landscape x languages x "
                             "normal/大字")
    render.add_argument("--config", default=None, help="kiosk.yaml to read")
    render.add_argument("--route", action="append", default=None,
                        help="render only this route (may be repeated)")
    render.add_argument("--sheet", default=None, help="also write one HTML review page here")

    # --- kiosk pin: the staff / guide PIN, kept only as a salted hash (kiosk/pin.py) ---
    pin = sub.add_parser("pin", help="set the staff PIN or the guide PIN (kept only as a salted hash)")
    pin.add_argument("--guide", action="store_true", help="the guide PIN (opens guided tours only)")
    pin.add_argument("--clear", action="store_true", help="remove the PIN instead of setting it")
    pin.add_argument("--print", dest="print_hash", action="store_true",
                     help="print the hash for kiosk.yaml instead of saving it")
    pin.add_argument("--config", default=None, help="kiosk.yaml to read (default: ./kiosk.yaml)")
    pin.add_argument("--file", default=None, help="PIN file to write (default: admin.pin_file)")
    # --- end kiosk pin ---

    # --- operations: kiosk stats, kiosk doctor (kiosk/stats.py, kiosk/doctor.py) ---
    _add_parsers(sub, command, "kiosk.stats", "kiosk.doctor")
    # --- end operations ---

    # --- kiosk init (kiosk/init.py) ---
    _add_parsers(sub, command, "kiosk.init")
    # --- end kiosk init ---

    # --- kiosk cache warm (kiosk/images/warm.py) ---
    _add_parsers(sub, command, "kiosk.images.warm")
    # --- end kiosk cache ---
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser(_command(argv)).parse_args(argv)
    if args.command == "check":
        from kiosk.check import run_check

        config_path = args.config or _default_config()
        content_dir = args.content or args.dir
        if content_dir is None:
            from kiosk.config import load_config

            content_dir = str(load_config(config_path)[0].content_dir)
        return run_check(content_dir, config_path=config_path, theme_dir=args.theme,
                         as_json=args.json, lang=args.lang)
    if args.command == "run":
        from kiosk.ui.boot import run_kiosk

        return run_kiosk(
            config_path=args.config or _default_config(),
            content=args.content,
            theme=args.theme,
            windowed=args.windowed,
            size=args.size,
            status_file=args.status_file,
            metrics_file=args.metrics_file,
        )
    if args.command == "render":
        from kiosk.ui.boot import configure_kivy

        configure_kivy(fullscreen=False, size=args.size, headless=True)  # before Kivy starts
        from kiosk.ui.render import render_command

        return render_command(
            out=args.out,
            size=args.size,
            lang=args.lang,
            content=args.content,
            theme=args.theme,
            config_path=args.config or _default_config(),
            routes=args.route,
            sheet=args.sheet,
            large_text=args.large_text,
            matrix=args.matrix,
        )
    if args.command == "pin":  # kiosk pin
        from kiosk.pin import pin_command

        return pin_command(args.config or _default_config(), guide=args.guide, clear=args.clear,
                           print_hash=args.print_hash, file=args.file)
    if args.command in ("stats", "doctor"):  # operations
        from kiosk import doctor, stats

        return {"stats": stats, "doctor": doctor}[args.command].run(args)
    if args.command == "init":  # kiosk init
        from kiosk import init

        return init.run(args)
    if args.command == "cache":  # kiosk cache warm
        from kiosk.images import warm

        return warm.run(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
