"""The content loader: walks the content folder and builds one :class:`Content` snapshot.

Loading is incremental. Each :meth:`ContentLoader.load` walks the tree (a cheap
``scandir``/``stat`` pass) and re-reads only files whose modification time,
size or inode changed since the previous load; everything else comes from a
per-file cache. Media files are checked again on every load, so a picture that
appears or disappears is noticed without touching the file that names it.

Given the paths that changed (``load(changed=paths)``, as the watcher reports
them), a load does not walk the tree: it lists the root folder and the folders
the changed paths lie in, reads the changed files, looks again only at media
files below a changed path (and rebuilds what names them), and takes every
other section as it was. The snapshot is the same as a full walk's.

One broken file never stops the others: it is left out and reported.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from kiosk.images.verify import PictureChecks

from .exhibits import TRANSLATION_NAME, Built, build_page, build_structured, exhibit_id
from .fields import did_you_mean
from .model import Content, Exhibit, Problem, Section, Tour
from .paths import MediaResolver, id_from_name, is_ignored, media_kind
from .sections import SiteDraft, build_section, build_site, build_tour, check_tour, default_site
from .source import ParsedFile, parse_file, problem

TOURS_FOLDER = "tours"
SITE_FILE = "site.yaml"
SECTION_FILE = "_section.yaml"
YAML_EXTS = (".yaml", ".yml")


def _base(rel: str) -> str:
    return rel.rpartition("/")[2]


def _stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


def _not_used(path: str) -> Problem:
    return problem(path, None, "warning",
                   "not used: a section folder holds .md and .yaml exhibits, pictures and videos",
                   "未使用：栏目文件夹里只放 .md、.yaml 展项以及图片和视频")


def _outside_link(path: str) -> Problem:
    return problem(path, None, "error",
                   "this is a link to a place outside the content folder; it is not used",
                   "这是指向内容文件夹以外的链接；不会使用")


def _dead_link(path: str) -> Problem:
    return problem(path, None, "error",
                   "this link leads nowhere (its target is missing, or it points to itself); "
                   "it is not used",
                   "这个链接指向的位置不存在（目标缺失或指向自身）；不会使用")


def _not_a_file(path: str) -> Problem:
    return problem(path, None, "error",
                   "this is not an ordinary file (a pipe, a device or a socket); it is not used",
                   "这不是普通文件（而是管道、设备或套接字）；不会使用")


class _Folder:
    """What one section folder holds, by kind of file."""

    def __init__(self, name: str):
        self.name = name
        self.settings: str | None = None
        self.pages: list[str] = []  # NAME.md
        self.translations: dict[str, list[tuple[str, str]]] = {}  # stem -> [(lang, rel)]
        self.structured: list[str] = []  # NAME.yaml


class _Listing:
    """One folder as it was last listed: its entries, its files and what was wrong."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bool, bool]] = []  # (name, is a folder, is a file)
        self.files: list[str] = []  # relative paths of the files in it
        self.problems: list[Problem] = []
        self.linked = False  # one of the entries is a symbolic link
        self.sections: list[str] = []  # the root: section folders, in name order
        self.tours = False  # the root: there is a tours folder
        self.folder: _Folder | None = None  # a section folder: its files by kind
        self.tour_files: list[str] = []  # the tours folder


class _FullWalk(Exception):
    """A load of changed paths cannot be sure of its answer: walk the whole tree."""


class ContentLoader:
    """Loads a content folder, re-reading only what changed since the last load."""

    def __init__(self, root: str | os.PathLike, pictures: PictureChecks | None = None):
        self.root = os.path.abspath(os.fspath(root))
        # every picture named is opened and decoded once per (size, mtime)
        self.pictures = pictures if pictures is not None else PictureChecks()
        self._proved_ahead = False
        self.last_parsed: list[str] = []  # files read again by the last load
        self.last_listed: list[str] = []  # folders listed by the last load ("." is the root)
        self.last_full_walk = True  # the last load walked the whole tree
        # the tours of the last load as built, each with what checking its steps found
        self.last_tours: list[tuple[Tour, tuple[Problem, ...]]] = []
        self._files: dict[str, tuple[tuple, ParsedFile]] = {}
        self._stats: dict[str, tuple] = {}
        self._built: dict[str, tuple[tuple, object, list[Problem], dict[str, bool]]] = {}
        self._resolver = MediaResolver(self.root, self.pictures)
        # What a load of changed paths starts from: the previous load's folders,
        # sections and snapshot, and who uses which media file.
        self._listings: dict[str, _Listing] = {}  # "" (the root), "tours", section folders
        self._sections: dict[str, tuple[tuple, Section | None, list[Problem]]] = {}
        self._media_users: dict[str, set[str]] = {}  # media path, or a folder on its way -> units
        self._unit_media: dict[str, tuple[str, ...]] = {}  # unit -> its keys in _media_users
        self._linked_units: set[str] = set()  # units with a media file reached through a link
        self._content: Content | None = None
        self._incremental = False  # this load lists only the folders concerned
        self._touched: set[str] = set()  # units whose media changed (a load of changed paths)
        self._reparsed: set[str] = set()  # files read again by this load

    # ----------------------------------------------------------------- file cache

    def _abs(self, rel: str) -> str:
        return os.path.join(self.root, *rel.split("/"))

    def _parsed(self, rel: str, markdown: bool) -> ParsedFile:
        key = self._stats[rel]
        cached = self._files.get(rel)
        if cached is not None and cached[0] == key:
            return cached[1]
        parsed = parse_file(self._abs(rel), rel, markdown)
        self._files[rel] = (key, parsed)
        self.last_parsed.append(rel)
        self._reparsed.add(rel)
        return parsed

    def _build(self, unit: str, inputs: tuple[str, ...], context: tuple, make):
        """Run ``make(resolver)`` unless its inputs, context and media are unchanged."""
        sig = (context, tuple(self._stats.get(rel) for rel in inputs))
        cached = self._built.get(unit)
        if cached is not None and cached[0] == sig \
                and not any(rel in self._reparsed for rel in inputs) \
                and self._media_same(unit, cached[3]):
            return cached[1], cached[2]
        resolver = self._resolver.fork()
        value, problems = make(resolver)
        self._built[unit] = (sig, value, problems, resolver.checked)
        self._register(unit, resolver)
        return value, problems

    def _media_same(self, unit: str, checked: dict[str, bool | str]) -> bool:
        if self._incremental:  # only media below a changed path can have changed
            return unit not in self._touched
        if not self._resolver.still_same(checked):
            return False
        if checked:  # the same answers, but perhaps through a link made since
            self._note_links(unit, self._resolver, checked)
        return True

    def _register(self, unit: str, resolver: MediaResolver) -> None:
        """Remember which media files (and folders on their way) ``unit`` looked at."""
        self._unregister(unit)
        if not resolver.checked:
            return
        prefix = self.root + os.sep
        keys: set[str] = set()
        for abspath in resolver.checked:
            path = abspath
            while path.startswith(prefix) and path not in keys:
                keys.add(path)
                path = os.path.dirname(path)
        for key in keys:
            self._media_users.setdefault(key, set()).add(unit)
        self._unit_media[unit] = tuple(keys)
        self._note_links(unit, resolver, resolver.checked)

    def _note_links(self, unit: str, resolver: MediaResolver, checked) -> None:
        if any(resolver.linked(abspath) for abspath in checked):
            self._linked_units.add(unit)
        else:
            self._linked_units.discard(unit)

    def _unregister(self, unit: str) -> None:
        for key in self._unit_media.pop(unit, ()):
            users = self._media_users.get(key)
            if users is not None:
                users.discard(unit)
                if not users:
                    del self._media_users[key]
        self._linked_units.discard(unit)

    def _forget(self, rel: str) -> None:
        """``rel`` is gone: drop everything remembered about it."""
        self._stats.pop(rel, None)
        self._files.pop(rel, None)
        if self._built.pop(rel, None) is not None:
            self._unregister(rel)

    def _forget_vanished(self) -> None:
        for rel in [r for r in self._files if r not in self._stats]:
            del self._files[rel]
        live = set(self._stats)
        for unit in [u for u in self._built if u not in live]:
            del self._built[unit]
            self._unregister(unit)
        for name in [n for n in self._sections if n not in self._listings]:
            del self._sections[name]

    # ----------------------------------------------------------------- listing

    def _list(self, folder: str) -> _Listing:
        """Entries of ``folder`` (relative) that are not ignored, in name order; the
        stat of each file goes to ``_stats``."""
        listing = _Listing()
        self.last_listed.append(folder or ".")
        try:
            with os.scandir(self._abs(folder) if folder else self.root) as it:
                entries = sorted((e for e in it if not is_ignored(e.name)), key=lambda e: e.name)
        except OSError as exc:
            if self._incremental:
                raise _FullWalk(folder) from exc  # let the full walk report it
            listing.problems.append(problem(folder or ".", None, "error",
                                            f"the folder cannot be read: {exc.strerror or exc}",
                                            f"文件夹无法读取：{exc.strerror or exc}"))
            return listing
        for entry in entries:
            rel = f"{folder}/{entry.name}" if folder else entry.name
            try:
                if entry.is_symlink():
                    listing.linked = True
                    if not self._resolver.inside(entry.path):
                        listing.problems.append(_outside_link(rel))
                        continue
                    if not os.path.exists(entry.path):
                        listing.problems.append(_dead_link(rel))
                        continue
                is_file = entry.is_file()
                is_dir = not is_file and entry.is_dir()
                if is_file:
                    self._stats[rel] = _stat_key(entry.stat())
                    listing.files.append(rel)
                elif not is_dir:
                    listing.problems.append(_not_a_file(rel))
                    continue
                listing.entries.append((entry.name, is_dir, is_file))
            except OSError:
                continue  # vanished while we looked (a sync tool at work)
        return listing

    def _list_root(self) -> _Listing:
        listing = self._list("")
        for name, is_dir, _ in listing.entries:
            if not is_dir or name.startswith("_"):
                continue
            if name == TOURS_FOLDER:
                listing.tours = True
            else:
                listing.sections.append(name)
        return listing

    def _list_section(self, name: str) -> _Listing:
        listing = self._list(name)
        folder = listing.folder = _Folder(name)
        for entry_name, _, is_file in listing.entries:
            rel = f"{name}/{entry_name}"
            if not is_file:
                continue  # sub-folders only hold media
            low = entry_name.lower()
            if entry_name == SECTION_FILE:
                folder.settings = rel
            elif low.endswith(".md"):
                match = TRANSLATION_NAME.match(entry_name)
                if match:
                    folder.translations.setdefault(match["stem"], []).append(
                        (match["lang"], rel))
                else:
                    folder.pages.append(rel)
            elif low.endswith(YAML_EXTS) and not entry_name.startswith("_"):
                folder.structured.append(rel)
            elif media_kind(entry_name) is None:
                listing.problems.append(_not_used(rel))
        return listing

    def _list_tours(self) -> _Listing:
        listing = self._list(TOURS_FOLDER)
        for entry_name, _, is_file in listing.entries:
            rel = f"{TOURS_FOLDER}/{entry_name}"
            if is_file and entry_name.lower().endswith(YAML_EXTS):
                listing.tour_files.append(rel)
            elif is_file:
                listing.problems.append(problem(
                    rel, None, "warning", "not used: the tours folder holds NAME.yaml files",
                    "未使用：tours 文件夹里只放 NAME.yaml 文件"))
        return listing

    def _pictures_in_tree(self, limit: int = 5_000) -> list[str]:
        """Every picture file below the root (hidden and ignored names left out); none
        when there are more than ``limit`` (heaps of leftovers rather than an exhibition:
        each picture named is then proven as it is met)."""
        found = []
        for folder, dirs, files in os.walk(self.root):
            dirs[:] = [d for d in dirs if not is_ignored(d)]
            found.extend(os.path.join(folder, f) for f in files
                         if media_kind(f) == "image" and not is_ignored(f))
            if len(found) > limit:
                return []
        return found

    def _linked(self) -> bool:
        """Does anything loaded depend on a symbolic link? (a change to its target is
        reported under the target's path, not the link's)"""
        return bool(self._linked_units) or any(x.linked for x in self._listings.values())

    # ----------------------------------------------------------------- loading

    def load(self, changed: Iterable[str | os.PathLike] | None = None) -> Content:
        """A fresh snapshot; only files changed since the last call are read again.

        Without ``changed`` the whole tree is walked (a cheap ``scandir``/``stat``
        pass) and every media file named is looked at again. ``changed`` is the set
        of absolute paths that changed since the last load (what the watcher
        reports): then only the root folder and the folders concerned are listed,
        and only the media files under a changed path are looked at; the result is
        the same as a full walk's. Paths outside the content folder are ignored.
        Whenever that cannot be sure (the first load, the root folder itself
        changed, a folder that cannot be read, symbolic links in the tree), the
        whole tree is walked.
        """
        # Loading allocates many small objects that all stay alive; the cyclic
        # garbage collector would only rescan them over and over.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        self.last_parsed = []
        self.last_listed = []
        try:
            if changed is not None:
                try:
                    content = self._load_changed(changed)
                except (OSError, _FullWalk):
                    content = None
                if content is not None:
                    self.last_full_walk = False
                    return content
            self.last_full_walk = True
            return self._load_full()
        finally:
            self._incremental = False
            self._touched = set()
            self.pictures.save_if_new()
            if gc_was_enabled:
                gc.enable()

    def _load_full(self) -> Content:
        self._incremental = False
        self._reparsed = set()
        self._stats = {}
        self._listings = {}
        self._content = None
        self._resolver = MediaResolver(self.root, self.pictures)  # media are looked at afresh each load
        folder_name = os.path.basename(self.root.rstrip(os.sep))
        if not os.path.isdir(self.root):
            return Content(root=Path(self.root), site=default_site(folder_name), problems=(
                problem(".", None, "error", f"the content folder does not exist: {self.root}",
                        f"内容文件夹不存在：{self.root}"),))
        root = self._listings[""] = self._list_root()
        if root.tours:
            self._listings[TOURS_FOLDER] = self._list_tours()
        for name in root.sections:
            self._listings[name] = self._list_section(name)
        if not self._proved_ahead:  # the first load: every picture at once, on every core
            self._proved_ahead = True
            self.pictures.prove_ahead(self._pictures_in_tree())
        content = self._assemble(folder_name, None)
        self._forget_vanished()
        return content

    def _load_changed(self, changed: Iterable[str | os.PathLike]) -> Content | None:
        """The snapshot after ``changed`` paths changed, or None to walk everything."""
        if self._content is None or self._linked():
            return None
        prefix = self.root + os.sep
        rels: set[str] = set()
        for path in changed:
            path = os.fspath(path)
            if isinstance(path, bytes):
                path = os.fsdecode(path)
            if not os.path.isabs(path):
                return None
            path = os.path.normpath(path)
            if path == self.root or self.root.startswith(path.rstrip(os.sep) + os.sep):
                return None  # the content folder itself (or a folder above it)
            if path.startswith(prefix):
                rels.add(path[len(prefix):])
        if not rels:
            return self._content  # nothing in the content folder changed
        if not os.path.isdir(self.root):
            return None
        # From here on the state is changed bit by bit: should this load fail, the
        # next one walks everything.
        self._content = None
        self._incremental = True
        self._reparsed = set()
        self._resolver = MediaResolver(self.root, self.pictures)
        touched: set[str] = set()
        folders: set[str] = set()  # folders the changed paths lie in, or are
        for rel in rels:
            touched.update(self._media_users.get(prefix + rel, ()))
            rel = rel.replace(os.sep, "/")
            parts = rel.split("/")
            if len(parts) <= 2:  # deeper paths are media files only: nothing lists them
                folders.add(parts[0])
            self._files.pop(rel, None)  # read it again even if its stat looks the same
        self._touched = touched
        # The root is always listed again (a few entries): a section folder created,
        # deleted or renamed shows there.
        old_root = self._listings[""]
        for rel in old_root.files:
            self._stats.pop(rel, None)
        root = self._listings[""] = self._list_root()
        for rel in set(old_root.files).difference(root.files):
            self._forget(rel)
        listed = set(root.sections)
        if root.tours:
            listed.add(TOURS_FOLDER)
        for name in [n for n in self._listings if n and n not in listed]:
            for rel in self._listings.pop(name).files:
                self._forget(rel)
            self._sections.pop(name, None)
        again = {n for n in listed if n in folders or n not in self._listings}
        for name in sorted(again):
            old = self._listings.pop(name, None)
            for rel in old.files if old is not None else ():
                self._stats.pop(rel, None)
            new = self._listings[name] = (
                self._list_tours() if name == TOURS_FOLDER else self._list_section(name))
            for rel in set(old.files if old is not None else ()).difference(new.files):
                self._forget(rel)
        rebuild = again | {unit.partition("/")[0] for unit in touched if "/" in unit}
        return self._assemble(os.path.basename(self.root.rstrip(os.sep)), rebuild)

    def _assemble(self, folder_name: str, rebuild: set[str] | None) -> Content:
        """The snapshot from the folders listed; sections not in ``rebuild`` (None:
        all) come from the previous load unless the site's languages changed."""
        root = self._listings[""]
        problems: list[Problem] = list(root.problems)
        tours = self._listings.get(TOURS_FOLDER) if root.tours else None
        if tours is not None:
            problems.extend(tours.problems)
        site = self._load_site(folder_name, problems)
        lang, languages = site.site.default_language, site.site.languages
        context = (lang, languages)
        sections: list[Section] = []
        used: dict[str, str] = {}
        for name in root.sections:
            kept = self._sections.get(name)
            if rebuild is None or name in rebuild or kept is None or kept[0] != context:
                chunk: list[Problem] = []
                kept = (context, self._load_section(name, lang, languages, chunk), chunk)
                self._sections[name] = kept
            section = kept[1]
            problems.extend(kept[2])
            if section is None:
                continue
            if section.id in used:
                problems.append(problem(
                    section.source, None, "error",
                    f"the section id '{section.id}' is already used by the folder "
                    f"'{used[section.id]}'; rename one of the folders",
                    f"栏目名 '{section.id}' 已被文件夹 '{used[section.id]}' 使用；请给其中一个改名"))
                continue
            used[section.id] = name
            sections.append(section)
        broken = self._broken_lookup(root.sections, problems)
        self._check_home(site, sections, problems, broken)
        content = Content(root=Path(self.root), site=site.site, sections=tuple(sections))
        tour_list = self._load_tours(tours.tour_files if tours is not None else [], lang,
                                     content, problems, broken)
        problems.sort(key=lambda p: (p.path, p.line or 0))
        self._content = replace(content, tours=tuple(tour_list), problems=tuple(problems))
        return self._content

    def _load_site(self, folder_name: str, problems: list[Problem]) -> SiteDraft:
        if SITE_FILE not in self._stats:
            draft = build_site(None, folder_name, self._resolver.fork())
        else:
            parsed = self._parsed(SITE_FILE, markdown=False)
            problems.extend(parsed.problems)
            draft, _ = self._build(SITE_FILE, (SITE_FILE,), (folder_name,),
                                   lambda r: (build_site(parsed, folder_name, r), []))
        problems.extend(draft.problems)
        return draft

    def _broken_lookup(self, names, problems: list[Problem]):
        """``broken(section, exhibit=None)``: the file whose error keeps that section (its
        _section.yaml) or exhibit from loading, or None. References to it elsewhere are
        then follow-on warnings naming that file, not errors of their own."""
        folders = {id_from_name(name): name for name in names}
        failed = {path for path in (p.path for p in problems if p.is_error)}

        def broken(section_id: str, exhibit_id: str | None = None) -> str | None:
            name = folders.get(section_id)
            if name is None:
                return None
            if exhibit_id is None:
                settings = f"{name}/{SECTION_FILE}"
                return settings if settings in failed else None
            for path in sorted(failed):
                folder, _, file = path.rpartition("/")
                if folder == name and id_from_name(file.split(".")[0]) == exhibit_id:
                    return path
            return None

        return broken

    def _check_home(self, site: SiteDraft, sections: list[Section],
                    problems: list[Problem], broken=None) -> None:
        ids = [s.id for s in sections]
        for sid, line in zip(site.site.home, site.home_lines, strict=False):
            if sid in ids:
                continue
            cause = broken(sid) if broken else None
            if cause:
                problems.append(problem(
                    site.site.source, line, "warning",
                    f"'home' lists '{sid}', which is not shown because {cause} has an error; "
                    "fix that file first",
                    f"'home' 里的 '{sid}' 因 {cause} 有错误而没有显示；请先改正该文件", "home"))
                continue
            guess = did_you_mean(sid, ids)
            hint_en = f" — did you mean '{guess}'?" if guess else f" (sections: {', '.join(ids)})"
            hint_zh = f"，是不是想写 '{guess}'？" if guess else f"（现有栏目：{'、'.join(ids)}）"
            problems.append(problem(site.site.source, line, "error",
                                    f"'home' lists '{sid}', but there is no such section{hint_en}",
                                    f"'home' 里的 '{sid}' 不是现有栏目{hint_zh}", "home"))

    def _load_section(self, name: str, lang: str, languages: tuple[str, ...],
                      problems: list[Problem]) -> Section | None:
        listing = self._listings[name]
        problems.extend(listing.problems)
        folder = listing.folder
        section: Section | None = None
        if folder.settings is None:
            problems.append(problem(
                name, None, "error",
                f"the folder '{name}' has no {SECTION_FILE}: add one to make it a section, "
                f"or start the folder name with '_' if it only holds shared files",
                f"文件夹 '{name}' 里没有 {SECTION_FILE}：如果它是栏目请添加该文件；"
                f"如果只放共用文件，请把文件夹名改为以 '_' 开头"))
        else:
            parsed = self._parsed(folder.settings, markdown=False)
            problems.extend(parsed.problems)
            section, built = self._build(
                folder.settings, (folder.settings,), (lang,),
                lambda r: build_section(parsed, name, lang, r))
            problems.extend(built)
        section_id = id_from_name(name)
        exhibits = self._load_exhibits(folder, section_id, lang, languages, problems)
        if section is None:
            return None
        return replace(section, exhibits=_ordered(exhibits, section, problems))

    def _load_exhibits(self, folder: _Folder, section_id: str, lang: str,
                       languages: tuple[str, ...], problems: list[Problem]) -> list[Exhibit]:
        context = (lang, languages, section_id)
        listing = self._listings.get(folder.name)  # narration beside a page is found here
        self._resolver.folder = folder.name
        self._resolver.folder_files = frozenset(listing.files) if listing is not None else None
        found: list[tuple[str, Exhibit]] = []
        mains = sorted(folder.pages + folder.structured, key=_base)
        page_stems = {_base(rel)[:-3] for rel in folder.pages}
        for rel in mains:
            if rel.endswith(".md"):
                stem = _base(rel)[:-3]
                trs = sorted(folder.translations.get(stem, ()))
                parsed = self._parsed(rel, markdown=True)
                problems.extend(parsed.problems)
                tr_parsed = []
                for tr_lang, tr_rel in trs:
                    tp = self._parsed(tr_rel, markdown=True)
                    problems.extend(tp.problems)
                    tr_parsed.append((tr_lang, tp))
                exhibit, built = self._build(
                    rel, (rel, *(r for _, r in trs)), context,
                    lambda res, p=parsed, t=tr_parsed: _pair(
                        build_page(p, t, section_id, lang, languages, res)))
            else:
                parsed = self._parsed(rel, markdown=False)
                problems.extend(parsed.problems)
                exhibit, built = self._build(
                    rel, (rel,), context,
                    lambda res, p=parsed: _pair(build_structured(p, section_id, lang, res)))
            problems.extend(built)
            if exhibit is not None:
                found.append((rel, exhibit))
            elif rel.endswith(".md"):  # the translations wait for their main file
                for _, tr_rel in trs:
                    problems.append(problem(
                        tr_rel, None, "warning",
                        f"this translation is not shown while {rel} has an error",
                        f"{rel} 有错误，这份翻译暂不显示"))
        for stem, trs in folder.translations.items():
            if stem in page_stems:
                continue
            for _, tr_rel in trs:
                problems.append(problem(
                    tr_rel, None, "warning",
                    f"translation without a main file: {stem}.md is missing",
                    f"只有翻译没有原文：缺少 {stem}.md"))
        out: list[Exhibit] = []
        used: dict[str, str] = {}
        for rel, exhibit in found:
            if exhibit.id in used:
                problems.append(problem(
                    rel, None, "error",
                    f"the exhibit id '{exhibit.id}' is already used by "
                    f"{_base(used[exhibit.id])} in this section; rename one of them",
                    f"展项名 '{exhibit.id}' 已被本栏目的 {_base(used[exhibit.id])} "
                    f"使用；请给其中一个改名"))
                continue
            used[exhibit.id] = rel
            out.append(exhibit)
        return out

    def _load_tours(self, files: list[str], lang: str, content: Content,
                    problems: list[Problem], broken=None) -> list[Tour]:
        tours: list[Tour] = []
        used: dict[str, str] = {}
        self.last_tours = []
        for rel in files:
            parsed = self._parsed(rel, markdown=False)
            problems.extend(parsed.problems)
            tour, built = self._build(rel, (rel,), (lang,), lambda r, p=parsed: build_tour(p, lang))
            problems.extend(built)
            if tour is None:
                continue
            if tour.id in used:
                problems.append(problem(
                    rel, None, "error",
                    f"the tour id '{tour.id}' is already used by {used[tour.id]}; "
                    f"rename one of the files",
                    f"导览名 '{tour.id}' 已被 {used[tour.id]} 使用；请给其中一个文件改名"))
                continue
            used[tour.id] = rel
            checked, step_problems = check_tour(tour, content, broken)
            problems.extend(step_problems)
            tours.append(checked)
            self.last_tours.append((tour, tuple(step_problems)))
        return tours


def _pair(built: Built) -> tuple[object, list[Problem]]:
    return built.value, built.problems


def _ordered(exhibits: list[Exhibit], section: Section,
             problems: list[Problem]) -> tuple[Exhibit, ...]:
    """Exhibits by ``order`` then file name; a timeline by date (undated ones last)."""

    def by_order(ex: Exhibit):
        return (ex.order is None, ex.order or 0, _base(ex.source))

    if section.layout != "timeline":
        return tuple(sorted(exhibits, key=by_order))
    date_errors = {p.path for p in problems if p.key == "date" and p.is_error}
    for ex in exhibits:
        if ex.date is None and ex.source not in date_errors:
            problems.append(problem(
                ex.source, None, "warning",
                "no 'date': in a timeline this exhibit is shown last",
                "没有 'date'：在时间轴里这个展项会排在最后", "date"))
    return tuple(sorted(exhibits, key=lambda ex: (
        ex.date is None, ex.date.sort_key if ex.date else (0, 0, 0), by_order(ex))))


def load_content(root: str | os.PathLike) -> Content:
    """Load a content folder once (no cache kept)."""
    return ContentLoader(root).load()


__all__ = ["ContentLoader", "load_content", "exhibit_id"]
