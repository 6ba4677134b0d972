"""The files shipped with the kiosk: the built-in themes (with their fonts and the fonts'
licence) and the demo exhibition.

In the project they live at the top (``themes/``, ``content/``); an installed kiosk
has them inside the package as ``kiosk._themes`` and ``kiosk._demo`` (``setup.py``
maps them there) and reads them through :mod:`importlib.resources`. From a checkout
or an editable install, where those names are not importable, the top-level
folders beside the package are used. No Kivy here.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

_PROJECT = Path(__file__).resolve().parent.parent
_SHIPPED = {"kiosk._themes": "themes", "kiosk._demo": "content"}


def _folder(package: str) -> Path | None:
    try:
        root = importlib.resources.files(package)
    except (ModuleNotFoundError, TypeError):
        root = None
    if root is not None and root.is_dir():
        # installed kiosks are plain folders (pip never installs zipped); fonts and
        # pictures need real paths for SDL and Pillow. A data folder without __init__.py
        # is a namespace package, given as a MultiplexedPath: its entries are real paths.
        if isinstance(root, Path):
            return root
        for entry in root.iterdir():
            if isinstance(entry, Path):
                return entry.parent
    checkout = _PROJECT / _SHIPPED[package]
    return checkout if checkout.is_dir() else None


def themes_dir() -> Path | None:
    """The folder of the built-in themes (``party-red``, ``light``)."""
    return _folder("kiosk._themes")


def demo_content_dir() -> Path | None:
    """The demo exhibition: a starting point for ``kiosk init``."""
    return _folder("kiosk._demo")


def builtin_theme(name: str) -> Path | None:
    """The folder of built-in theme ``name``, if there is one."""
    root = themes_dir()
    if root is None or not name or "/" in name or "\\" in name:
        return None
    folder = root / name
    return folder if (folder / "theme.yaml").is_file() else None


__all__ = ["builtin_theme", "demo_content_dir", "themes_dir"]
