"""``docs/settings.md``, written from the declarations of kiosk.yaml and theme.yaml.

``python -m kiosk.schema_docs`` rewrites it; ``--check`` only says whether it is out of date
(``tests/test_schema.py`` runs that check).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.config import Config
from kiosk.schema import markdown
from kiosk.theme import ThemeFile

DOC_HEAD = """\
# 设置 · Settings: kiosk.yaml and theme.yaml

<!-- Written by `python -m kiosk.schema_docs docs/settings.md` from the declarations in
kiosk/config.py, kiosk/a11y/settings.py and kiosk/theme.py: edit those, not this file
(tests/test_schema.py fails when it is out of date). -->

每个设置都可以省略，省略时使用默认值。`kiosk check` 会列出每个写错的值（文件、行号和设置名），
写错的设置名会提示最接近的正确写法；展机照常运行，写错的设置使用默认值。

Every setting of `kiosk.yaml` (the machine, [operations.md](operations.md)) and of a
theme's `theme.yaml` (the look, [themes/README.md](../themes/README.md)). Each may be left
out: it then takes its default. `kiosk check` names every wrong value at file, line and
key, and an unknown key with the nearest known one; the kiosk keeps running on the default
of anything wrong. A group of settings is written under its key, indented:

```yaml
idle:
  reset_after: 90
```

"""


def document() -> str:
    """The whole of ``docs/settings.md``."""
    return (DOC_HEAD + markdown(Config, "kiosk.yaml · 展机设置") + "\n"
            + markdown(ThemeFile, "theme.yaml · 主题"))


def main(argv: list[str] | None = None) -> int:
    """``python -m kiosk.schema_docs FILE`` writes the settings' docs; ``--check`` only compares."""
    parser = argparse.ArgumentParser(prog="python -m kiosk.schema_docs", description=main.__doc__)
    parser.add_argument("file", nargs="?", default="docs/settings.md")
    parser.add_argument("--check", action="store_true", help="exit 1 if FILE is out of date")
    args = parser.parse_args(argv)
    path, text = Path(args.file), document()
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if args.check:
        if current != text:
            print(f"{path} is out of date: run python -m kiosk.schema_docs {path}")
            return 1
        return 0
    if current != text:
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
