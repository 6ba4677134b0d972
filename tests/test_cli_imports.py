"""Starting the kiosk imports only what ``kiosk run`` needs: the other commands' modules
are imported when those commands are used (or for ``--help``)."""

from __future__ import annotations

import subprocess
import sys

OTHERS = ("kiosk.stats", "kiosk.doctor", "kiosk.init", "kiosk.images.warm")


def _modules_after(argv: list[str]) -> tuple[set[str], str]:
    code = ("import sys\nfrom kiosk import cli\n"
            f"args = cli.build_parser(cli._command({argv!r})).parse_args({argv!r})\n"
            "print(args.command)\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('kiosk'))))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    command, modules = done.stdout.splitlines()
    return set(modules.split()), command


def test_run_leaves_the_other_commands_unimported():
    modules, command = _modules_after(["run", "--windowed", "--size", "540x960"])
    assert command == "run"
    assert not modules & set(OTHERS)


def test_another_command_still_parses_with_its_own_flags():
    modules, command = _modules_after(["doctor", "--config", "kiosk.yaml"])
    assert command == "doctor" and "kiosk.doctor" in modules


def test_help_lists_every_command():
    done = subprocess.run([sys.executable, "-m", "kiosk", "--help"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0
    for command in ("run", "check", "render", "pin", "stats", "doctor", "init", "cache"):
        assert command in done.stdout
