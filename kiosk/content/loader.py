"""The content loader: walks the content folder and builds one :class:`Content` snapshot.

Loading is incremental. Each :meth:`ContentLoader.load` walks the tree (a cheap
``scandir``/``stat`` pass) and re-reads only files whose modification time,
size or inode changed since the previous load; everything else comes from a
per-file cache. Media files are checked again on every load, so a picture that
appears or disappears is noticed without touching the file that names it.

One broken file never stops the others: it is left out and reported.
"""

from __future__ import annotations

import gc
import os
from dataclasses import replace
from pathlib import Path

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


class _Folder:
    """What one section folder holds, by kind of file."""

    def __init__(self, name: str):
        self.name = name
        self.settings: str | None = None
        self.pages: list[str] = []  # NAME.md
        self.translations: dict[str, list[tuple[str, str]]] = {}  # stem -> [(lang, rel)]
        self.structured: list[str] = []  # NAME.yaml


class ContentLoader:
    """Loads a content folder, re-reading only what changed since the last load."""

    def __init__(self, root: str | os.PathLike):
        self.root = os.path.abspath(os.fspath(root))
        self.last_parsed: list[str] = []
        self._files: dict[str, tuple[tuple, ParsedFile]] = {}
        self._stats: dict[str, tuple] = {}
        self._built: dict[str, tuple[tuple, object, list[Problem], dict[str, bool]]] = {}
        self._resolver = MediaResolver(self.root)

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
        return parsed

    def _build(self, unit: str, inputs: tuple[str, ...], context: tuple, make):
        """Run ``make(resolver)`` unless its inputs, context and media are unchanged."""
        sig = (context, tuple(self._stats.get(rel) for rel in inputs))
        cached = self._built.get(unit)
        if cached is not None and cached[0] == sig and self._resolver.still_same(cached[3]):
            return cached[1], cached[2]
        resolver = self._resolver.fork()
        value, problems = make(resolver)
        self._built[unit] = (sig, value, problems, resolver.checked)
        return value, problems

    # ----------------------------------------------------------------- walking

    def _scan(self, folder: str, problems: list[Problem]) -> list[os.DirEntry]:
        """Entries of ``folder`` (relative) that are not ignored, in name order."""
        try:
            with os.scandir(self._abs(folder) if folder else self.root) as it:
                entries = sorted((e for e in it if not is_ignored(e.name)), key=lambda e: e.name)
        except OSError as exc:
            problems.append(problem(folder or ".", None, "error",
                                    f"the folder cannot be read: {exc.strerror or exc}",
                                    f"文件夹无法读取：{exc.strerror or exc}"))
            return []
        out = []
        for entry in entries:
            rel = f"{folder}/{entry.name}" if folder else entry.name
            try:
                if entry.is_symlink() and not self._resolver.inside(entry.path):
                    problems.append(_outside_link(rel))
                    continue
                if entry.is_symlink() and not os.path.exists(entry.path):
                    problems.append(_dead_link(rel))
                    continue
                if entry.is_file():
                    self._stats[rel] = _stat_key(entry.stat())
                out.append(entry)
            except OSError:
                continue  # vanished while we looked (a sync tool at work)
        return out

    def _scan_section(self, name: str, problems: list[Problem]) -> _Folder:
        folder = _Folder(name)
        for entry in self._scan(name, problems):
            rel = f"{name}/{entry.name}"
            if not entry.is_file():
                continue  # sub-folders only hold media
            low = entry.name.lower()
            if entry.name == SECTION_FILE:
                folder.settings = rel
            elif low.endswith(".md"):
                match = TRANSLATION_NAME.match(entry.name)
                if match:
                    folder.translations.setdefault(match["stem"], []).append(
                        (match["lang"], rel))
                else:
                    folder.pages.append(rel)
            elif low.endswith(YAML_EXTS) and not entry.name.startswith("_"):
                folder.structured.append(rel)
            elif media_kind(entry.name) is None:
                problems.append(_not_used(rel))
        return folder

    # ----------------------------------------------------------------- loading

    def load(self) -> Content:
        """A fresh snapshot; only files changed since the last call are read again."""
        # Loading allocates many small objects that all stay alive; the cyclic
        # garbage collector would only rescan them over and over.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._load()
        finally:
            if gc_was_enabled:
                gc.enable()

    def _load(self) -> Content:
        self.last_parsed = []
        self._stats = {}
        self._resolver = MediaResolver(self.root)  # media are looked at afresh each load
        problems: list[Problem] = []
        folder_name = os.path.basename(self.root.rstrip(os.sep))
        if not os.path.isdir(self.root):
            problems.append(problem(".", None, "error",
                                    f"the content folder does not exist: {self.root}",
                                    f"内容文件夹不存在：{self.root}"))
            return Content(root=Path(self.root), site=default_site(folder_name),
                           problems=tuple(problems))
        section_folders: list[str] = []
        tour_files: list[str] = []
        for entry in self._scan("", problems):
            if entry.is_dir():
                if entry.name.startswith("_"):
                    continue
                if entry.name == TOURS_FOLDER:
                    tour_files = self._scan_tours(problems)
                else:
                    section_folders.append(entry.name)
        site = self._load_site(folder_name, problems)
        lang, languages = site.site.default_language, site.site.languages
        sections: list[Section] = []
        used: dict[str, str] = {}
        for name in section_folders:
            section = self._load_section(name, lang, languages, problems)
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
        self._check_home(site, sections, problems)
        content = Content(root=Path(self.root), site=site.site, sections=tuple(sections))
        tours = self._load_tours(tour_files, lang, content, problems)
        problems.sort(key=lambda p: (p.path, p.line or 0))
        self._forget_vanished()
        return replace(content, tours=tuple(tours), problems=tuple(problems))

    def _forget_vanished(self) -> None:
        for rel in [r for r in self._files if r not in self._stats]:
            del self._files[rel]
        live = set(self._stats)
        for unit in [u for u in self._built if u not in live]:
            del self._built[unit]

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

    def _check_home(self, site: SiteDraft, sections: list[Section],
                    problems: list[Problem]) -> None:
        ids = [s.id for s in sections]
        for sid, line in zip(site.site.home, site.home_lines, strict=False):
            if sid in ids:
                continue
            guess = did_you_mean(sid, ids)
            hint_en = f" — did you mean '{guess}'?" if guess else f" (sections: {', '.join(ids)})"
            hint_zh = f"，是不是想写 '{guess}'？" if guess else f"（现有栏目：{'、'.join(ids)}）"
            problems.append(problem(site.site.source, line, "error",
                                    f"'home' lists '{sid}', but there is no such section{hint_en}",
                                    f"'home' 里的 '{sid}' 不是现有栏目{hint_zh}", "home"))

    def _load_section(self, name: str, lang: str, languages: tuple[str, ...],
                      problems: list[Problem]) -> Section | None:
        folder = self._scan_section(name, problems)
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

    def _scan_tours(self, problems: list[Problem]) -> list[str]:
        files = []
        for entry in self._scan(TOURS_FOLDER, problems):
            rel = f"{TOURS_FOLDER}/{entry.name}"
            if entry.is_file() and entry.name.lower().endswith(YAML_EXTS):
                files.append(rel)
            elif entry.is_file():
                problems.append(problem(rel, None, "warning",
                                        "not used: the tours folder holds NAME.yaml files",
                                        "未使用：tours 文件夹里只放 NAME.yaml 文件"))
        return files

    def _load_tours(self, files: list[str], lang: str, content: Content,
                    problems: list[Problem]) -> list[Tour]:
        tours: list[Tour] = []
        used: dict[str, str] = {}
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
            tour, step_problems = check_tour(tour, content)
            problems.extend(step_problems)
            tours.append(tour)
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
