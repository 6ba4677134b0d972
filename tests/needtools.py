"""Tests that use real programs (an X server, xdotool, systemd-analyze, pip): skip with a
reason when one is missing, but fail when the environment variable ``CI`` is set, where
every tool must be there (``make test`` installs them)."""

from __future__ import annotations

import os
import shutil

import pytest


def require(*commands: str, package: str = "") -> None:
    missing = [c for c in commands if shutil.which(c) is None]
    if not missing:
        return
    why = f"{', '.join(missing)} not installed" + (f" (Debian: apt-get install {package})"
                                                    if package else "")
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why)
