"""The modules of kiosk/ import one another one way only: no module needs itself, however far
round. Every import counts (at the top, inside a function, or in a ``.kv`` file a module
loads), since each is a place where one module assumes another is ready."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "kiosk"
KV_IMPORT = re.compile(r"^#:import\s+\S+\s+([\w.]+)", re.M)


def module_names() -> dict[str, Path]:
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def imports_of(path: Path, names: dict[str, Path], packages: bool = False) -> set[str]:
    """The kiosk modules ``path`` imports, wherever in it (with ``packages``, also the
    packages Python runs first: importing a.b.c runs a and a.b)."""

    def known(name: str) -> str | None:
        while name and name not in names:
            name = name.rpartition(".")[0]
        return name or None

    found: set[str] = set()
    tree = ast.parse(path.read_text("utf-8"), str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(filter(None, (known(a.name) for a in node.names)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            for alias in node.names:  # `from kiosk.ui import style` imports kiosk.ui.style
                found.update(filter(None, [known(f"{base}.{alias.name}")
                                           if f"{base}.{alias.name}" in names else known(base)]))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "load_kv" \
                and len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
            kv = path.with_name(node.args[1].value).read_text("utf-8")
            found.update(filter(None, (known(m) for m in KV_IMPORT.findall(kv))))
    for module in list(found) if packages else ():
        while "." in module:
            module = module.rpartition(".")[0]
            if module in names:
                found.add(module)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        path.append(name)
        for other in sorted(graph.get(name, ())):
            if state.get(other) == 1:
                return path[path.index(other):] + [other]
            if other not in state and (cycle := visit(other)):
                return cycle
        path.pop()
        state[name] = 2
        return None

    for name in sorted(graph):
        if name not in state and (cycle := visit(name)):
            return cycle
    return None


def test_no_module_of_the_kiosk_imports_itself_round_a_cycle():
    names = module_names()
    graph = {name: imports_of(path, names) - {name} for name, path in names.items()}
    assert len(graph) > 50 and "kiosk.ui.app" in graph["kiosk.ui.boot"]  # the walk sees imports
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_widgets_and_screens_find_their_layouts_without_the_app():
    names = module_names()
    for name, path in names.items():
        if name.startswith(("kiosk.ui.widgets", "kiosk.ui.screens")):
            assert "kiosk.ui.app" not in imports_of(path, names), name


KV_WIDGET = re.compile(r"^\s*([A-Z]\w*):\s*$", re.M)  # a child widget or canvas instruction
KV_RULE = re.compile(r"^<([^>]+)>:", re.M)  # <Name>, <Name@Base>, <A,B>


def test_every_class_a_layout_names_comes_with_the_module_that_loads_it():
    """A .kv file may only name classes its module brings along (by importing them), not
    ones that happen to be loaded already because another screen was shown first."""
    from kivy.factory import Factory

    names = module_names()
    graph = {name: imports_of(path, names, packages=True) - {name}
             for name, path in names.items()}
    defined: dict[str, set[str]] = {}
    layouts: dict[str, list[str]] = {}
    for name, path in names.items():
        tree = ast.parse(path.read_text("utf-8"))
        defined[name] = {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
        layouts[name] = [path.with_name(n.args[1].value).read_text("utf-8")
                         for n in ast.walk(tree)
                         if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "load_kv"
                         and len(n.args) == 2 and isinstance(n.args[1], ast.Constant)]
        for kv in layouts[name]:
            for header in KV_RULE.findall(kv):
                defined[name].update(part.split("@")[0].strip() for part in header.split(","))
    checked = 0
    for name, kvs in layouts.items():
        parents = [name.rsplit(".", n)[0] for n in range(1, name.count(".") + 1)]
        seen, todo = set(), [name, *(p for p in parents if p in names)]
        while todo:  # everything importing this module brings along (its packages first)
            module = todo.pop()
            if module not in seen:
                seen.add(module)
                todo.extend(graph[module])
        known = set(Factory.classes).union(*(defined[m] for m in seen))
        for kv in kvs:
            checked += 1
            missing = sorted(set(KV_WIDGET.findall(kv)) - known)
            assert not missing, f"{name}'s layout names {missing} without importing them"
    assert checked > 10
