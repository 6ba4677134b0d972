"""Loading a module's ``.kv`` layout file, once.

Screens and widgets call :func:`load_kv` at import, beside their own module. It lives
here, not in the app, so that a widget never has to import the app (and with it the
window) to find its layout.
"""

from __future__ import annotations

from pathlib import Path


def load_kv(module_file: str, name: str) -> None:
    """Load the .kv file ``name`` beside ``module_file`` once (Kivy re-declares the rules
    of a file loaded twice)."""
    from kivy.lang import Builder

    path = str(Path(module_file).with_name(name))
    if path not in Builder.files:
        Builder.load_file(path)
