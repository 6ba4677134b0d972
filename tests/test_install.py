"""The kiosk installed as a technician installs it: the wheel built from the project,
installed into a fresh virtual environment in a folder outside the checkout, then
``kiosk init``, ``kiosk check`` and ``kiosk render`` there. The themes (with the
Chinese font and its licence) and the demo exhibition come from the package.

Offline: the wheel is built without fetching anything (``--no-build-isolation``,
``--no-index``), and the fresh environment borrows the already installed
dependencies (Kivy, Pillow, ...) through a ``.pth`` file instead of downloading them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from PIL import Image

SHIPPED = ("pyproject.toml", "setup.py", "LICENSE", "README.md", "kiosk", "themes", "content")


def run(cmd, cwd, env=None, timeout=180, codes=(0,)) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode in codes, f"{cmd}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(bin folder of a fresh venv with the kiosk wheel, the wheel, the environment)."""
    pytest.importorskip("wheel", reason="the wheel package builds the wheel (pip install wheel)")
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"  # a copy, so building leaves nothing in the checkout
    src.mkdir()
    for name in SHIPPED:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(item, src / name)
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", "-w", tmp / "dist", src], cwd=tmp)
    (wheel,) = (tmp / "dist").glob("kiosk-*.whl")

    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp)
    python = venv / "bin" / "python"
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    cwd=tmp).stdout.strip())
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-compile", "--no-deps",
         "--no-index", "--ignore-installed", wheel], cwd=tmp)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(SDL_VIDEODRIVER="offscreen", KIVY_HOME=str(tmp / "kivy-home"),
               PATH=f"{venv / 'bin'}:{env.get('PATH', '')}")
    yield venv / "bin", wheel, env


def test_the_wheel_holds_the_licences_themes_and_demo(installed):
    _, wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE")
               for n in names)
    for shipped in ("kiosk/_themes/party-red/theme.yaml",
                    "kiosk/_themes/party-red/fonts/NotoSansSC-Regular.otf",
                    "kiosk/_themes/party-red/fonts/OFL.txt", "kiosk/_themes/light/theme.yaml",
                    "kiosk/_demo/site.yaml", "kiosk/ui/root.kv"):
        assert shipped in names
    assert not any(n.startswith(("tests/", "bench/", "kiosk/_demo/__init__")) for n in names)


def test_init_check_and_render_outside_the_checkout(installed, tmp_path):
    bin_dir, _, env = installed
    where = run([bin_dir / "python", "-c",
                 "import kiosk, kiosk.resources as r; "
                 "print(kiosk.__file__); print(r.themes_dir()); print(r.demo_content_dir())"],
                cwd=tmp_path, env=env)
    assert str(ROOT) not in where.stdout  # nothing comes from the checkout
    assert str(bin_dir.parent) in where.stdout.splitlines()[0]

    kiosk = bin_dir / "kiosk"
    run([kiosk, "init", "site"], cwd=tmp_path, env=env)
    site = tmp_path / "site"
    assert (site / "kiosk.yaml").is_file() and (site / "content" / "site.yaml").is_file()
    assert not (site / "content" / "__init__.py").exists()
    theme = run([bin_dir / "python", "-c", "import kiosk.config as c; "
                 "print(c.load_config('kiosk.yaml')[0].theme_dir)"], cwd=site, env=env)
    assert theme.stdout.strip().startswith(str(bin_dir.parent))  # the package's theme

    # every character of the demo is drawn by the theme's font: no glyph is missing (the
    # warnings left are the editors' hints: long sentences, a video without captions)
    report = json.loads(run([kiosk, "check", "--json"], cwd=site, env=env).stdout)
    assert report["ok"] and report["errors"] == [], report
    assert not [w for w in report["warnings"]
                if "glyph" in w["message"] or "字体" in w["message"]
                or w["path"].endswith("kiosk.yaml")], report["warnings"]
    assert report["summary"]["exhibits"] > 10
    run([kiosk, "check", "content", "--theme", "party-red"], cwd=site, env=env)

    # (exit 1 would be a layout finding of the render check, which is not what this tests)
    done = run([kiosk, "render", "--route", "home", "--out", "shots"], cwd=site, env=env,
               codes=(0, 1))
    assert "WARNING" not in done.stderr, done.stderr
    index = json.loads((site / "shots" / "index.json").read_text("utf-8"))
    assert [e["missing_glyphs"] for e in index["pictures"]] == [""]  # every character drawn
    (picture,) = (site / "shots").glob("home*.png")
    image = Image.open(picture).convert("RGB")
    assert image.size == (1080, 1920)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is None or len(colours) > 500  # drawn, not one flat colour

    # a second init into the same folder overwrites nothing
    again = subprocess.run([kiosk, "init", "site"], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=60)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_run_without_content_says_what_to_do(installed, tmp_path):
    bin_dir, _, env = installed
    done = subprocess.run([bin_dir / "kiosk", "run"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "kiosk init" in done.stderr and "--content" in done.stderr, done.stderr
