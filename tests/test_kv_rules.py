"""The .kv layouts position widgets, bind properties and call methods; the numbers and
choices behind them live in Python, each constant once.

Read as text, without Kivy: every .kv file under kiosk/ is checked for
- lines longer than MAX_LINE characters;
- a number that is also a layout constant in Python: a share (``*_SHARE``) of any module
  or its complement (1 - x), or a distinctive number (two decimals or more) of the module
  that loads the file; the .kv imports the constant or reads a property computed from it;
- conditional chains (more than one ``if`` in one expression);
- displayed text assembled with ``+`` (a method of the widget builds it).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KIOSK = ROOT / "kiosk"
MAX_LINE = 120
# a module constant that is a share of the screen, wherever it is defined (and its complement)
SHARED_NAME = re.compile(r"SHARE")
# constants of time and counts are not layout numbers, even in the module that loads a .kv
NOT_LAYOUT = re.compile(r"SECONDS|TIME|EVERY|TICK|DELAY|AFTER|QUIET|BUSY|LIMIT|MAX_|MIN_|STAGGER"
                        r"|COUNT|PASS|ERRORS|DAYS|STEPS|GRID|CHARS|BATCH|CACHE|HISTORY")
TEXT_KEYS = ("text", "raw", "source_text", "hint_text")
NUMBER = re.compile(r"(?<![\w.])(\d+\.\d*|\.\d+|\d+)(?![\w.])")


def kv_files() -> list[Path]:
    return sorted(KIOSK.rglob("*.kv"))


def _constants(py: Path) -> dict[str, float]:
    """The module-level numeric constants (UPPER_CASE = number) of one Python file."""
    found = {}
    for node in ast.parse(py.read_text("utf-8")).body:
        target = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        if not isinstance(target, ast.Name) or not target.id.isupper():
            continue
        if isinstance(value, ast.Constant) and type(value.value) in (int, float):
            found[target.id] = float(value.value)
    return found


def _owners() -> dict[Path, list[Path]]:
    """{.kv file: the Python modules that load it}."""
    owners: dict[Path, list[Path]] = {}
    for py in KIOSK.rglob("*.py"):
        for name in re.findall(r"load_kv\(__file__,\s*[\"']([^\"']+\.kv)[\"']\)", py.read_text("utf-8")):
            owners.setdefault(py.with_name(name), []).append(py)
    return owners


def _forbidden(kv: Path, owners, shared) -> dict[float, str]:
    """{number: the constant it duplicates} for one .kv file."""
    numbers: dict[float, str] = {}

    def add(name, value, complement=False):
        if value in (0.0, 1.0, 0.5):
            return  # halves and units are arithmetic, not constants
        numbers.setdefault(value, name)
        if complement and 0 < value < 1:
            numbers.setdefault(round(1 - value, 9), f"1 - {name}")

    for name, value in shared.items():
        add(name, value, complement=True)
    for py in owners.get(kv, []):
        for name, value in _constants(py).items():
            # a distinctive number (0.42, 0.72; not a round 0.6 or 2 that many rules scale by)
            if not NOT_LAYOUT.search(name) and round(value, 1) != value:
                add(f"{py.stem}.{name}", value)
    return numbers


def _shared() -> dict[str, float]:
    shared = {}
    for py in (KIOSK / "ui").rglob("*.py"):
        for name, value in _constants(py).items():
            if SHARED_NAME.search(name) and not NOT_LAYOUT.search(name):
                shared[f"{py.stem}.{name}"] = value
    return shared


def _rules(kv: Path):
    """(line number, text of the rule's value) of every property line of a .kv file."""
    for number, line in enumerate(kv.read_text("utf-8").splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        key, sep, value = stripped.partition(":")
        if sep and value.strip():
            yield number, key.strip(), value.strip()


def _where(kv: Path, number: int) -> str:
    return f"{kv.relative_to(ROOT)}:{number}"


def test_kv_lines_are_short():
    long = [f"{_where(kv, n)} ({len(line)})"
            for kv in kv_files()
            for n, line in enumerate(kv.read_text("utf-8").splitlines(), 1) if len(line) > MAX_LINE]
    assert not long, f"kv lines over {MAX_LINE} characters: move the expression into Python: {long}"


def test_kv_numbers_are_not_python_constants():
    owners, shared = _owners(), _shared()
    assert "exhibit.LANDSCAPE_MEDIA_SHARE" in shared  # the check knows the shares it guards
    found = []
    for kv in kv_files():
        forbidden = _forbidden(kv, owners, shared)
        for n, _key, value in _rules(kv):
            for literal in NUMBER.findall(value):
                name = forbidden.get(round(float(literal), 9))
                if name is not None:
                    found.append(f"{_where(kv, n)}: {literal} is {name}")
    assert not found, "numbers written in .kv that Python defines: import or read them: " + "; ".join(found)


def test_kv_has_no_conditional_chains():
    found = [_where(kv, n) for kv in kv_files() for n, _key, value in _rules(kv)
             if len(re.findall(r"\bif\b", value)) > 1]
    assert not found, f"conditional chains in .kv: make them a property or method: {found}"


def test_kv_does_not_assemble_text():
    found = [_where(kv, n) for kv in kv_files() for n, key, value in _rules(kv)
             if key in TEXT_KEYS and "+" in value]
    assert not found, f"text assembled in .kv: build it in a method of the widget: {found}"


def test_the_check_sees_a_duplicated_share(tmp_path):
    """The checks themselves: a share written in a .kv is caught."""
    shared = _shared()
    kv = tmp_path / "x.kv"
    kv.write_text("<X>:\n    size_hint_x: 0.42 if root.wide else 0.58\n", "utf-8")
    forbidden = _forbidden(kv, {}, shared)
    literals = [float(x) for _n, _k, v in _rules(kv) for x in NUMBER.findall(v)]
    assert literals == [0.42, 0.58]
    assert all(forbidden.get(x) is not None for x in literals)
