"""deploy/sync/push-content.sh: the fleet push checks the content first, with the kiosk
command found on PATH, given as KIOSK, or where the install guide puts it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "deploy" / "sync" / "push-content.sh"
KIOSK = Path(sys.executable).with_name("kiosk")


def push(tmp_path, env_extra, content):
    kiosks = tmp_path / "kiosks.txt"
    kiosks.write_text("# no kiosk yet\n", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env_extra}
    return subprocess.run(["sh", str(SCRIPT), str(content), str(kiosks)], env=env,
                          capture_output=True, text=True, timeout=120)


def test_without_the_kiosk_command_it_says_so_rather_than_blaming_the_content(tmp_path):
    done = push(tmp_path, {}, ROOT / "content")
    if Path("/opt/kiosk/bin/kiosk").exists():  # an installed kiosk is found there
        return
    assert done.returncode == 2
    assert "the kiosk command is not found: set KIOSK=" in done.stderr
    assert "content has errors" not in done.stderr


def test_content_with_errors_is_not_pushed(tmp_path):
    bad = tmp_path / "content"
    bad.mkdir()
    (bad / "site.yaml").write_text("title: [\n", encoding="utf-8")
    done = push(tmp_path, {"KIOSK": str(KIOSK), "SDL_VIDEODRIVER": os.environ.get(
        "SDL_VIDEODRIVER", "offscreen")}, bad)
    assert done.returncode == 1
    assert "content/site.yaml:" in done.stdout + done.stderr
    assert "content has errors, nothing pushed" in done.stderr
