"""The systemd units in deploy/ are valid (``systemd-analyze verify``: nothing to say but
that the programs of a kiosk machine, Xorg, cage and the installed kiosk, are not on this
one), start the kiosk installed from its wheel, and give a clean stop time to finish."""

from __future__ import annotations

import re
import subprocess

from conftest import ROOT
from needtools import require

UNITS = sorted((ROOT / "deploy").glob("*/*.service")) + sorted((ROOT / "deploy").glob("*/*.timer"))
NOT_HERE = re.compile(r"^(\S+): Command (\S+) is not executable: No such file or directory$")


def settings(unit) -> dict[str, str]:
    text = unit.read_text(encoding="utf-8").replace("\\\n", " ")
    return {k.strip(): v.strip() for k, _, v in
            (ln.partition("=") for ln in text.splitlines() if "=" in ln and not ln.startswith("#"))}


def test_systemd_analyze_verify_has_nothing_to_say(tmp_path):
    require("systemd-analyze", package="systemd")
    assert len(UNITS) >= 5
    done = subprocess.run(["systemd-analyze", "verify", *map(str, UNITS)], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    other = []
    for line in (done.stdout + done.stderr).splitlines():
        m = NOT_HERE.match(line.strip())
        if m and m.group(2) in ("/usr/bin/Xorg", "/usr/bin/cage", "/opt/kiosk/bin/kiosk"):
            continue  # installed on the kiosk machine, not here
        if line.strip():
            other.append(line)
    assert other == []


def test_the_app_units_run_the_installed_kiosk_and_wait_for_a_clean_stop():
    for name in ("kiosk.service", "kiosk-cage.service"):
        unit = settings(ROOT / "deploy" / "systemd" / name)
        assert "/opt/kiosk/bin/kiosk run --config /etc/kiosk/kiosk.yaml" in unit["ExecStart"]
        assert ".venv" not in unit["ExecStart"] and unit["WorkingDirectory"] != "/opt/kiosk"
        # the kiosk stops within 2 s of SIGTERM (tests/test_deploy_x11.py); a little more here
        assert 2 < float(unit["TimeoutStopSec"].rstrip("s")) <= 10
        assert unit["StateDirectory"] == unit["CacheDirectory"] == "kiosk"
