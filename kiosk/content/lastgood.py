"""Last good content wins: what fails to load now keeps its previous version.

The running kiosk merges each new snapshot with the one on screen before it
is applied (:func:`keep_last_good`):

- An exhibit, section or tour whose file has any error (YAML, a field's value,
  a picture it names) keeps its whole previous version; a file that is new and
  already has an error is not shown until it is fixed. A section whose folder
  is still there but cannot be loaded keeps its previous version too.
- Tours are checked again against what is really shown, so a step naming an
  exhibit kept from its last good version is not an error.
- A content folder that is gone, has lost its ``site.yaml`` or most of its
  sections and exhibits (an unmounted share, ``rm -rf``, an rsync deleting
  first) is not content: everything stays as it was, and the problems say
  "content folder missing or incomplete".

Plain Python; ``kiosk check`` never uses this (it reports every file as it is).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import replace

from .model import Content, Exhibit, Problem, Section, Tour
from .sections import check_tour
from .source import problem

INCOMPLETE_EN = "the content folder is missing or incomplete"


def _still_shown(path: str) -> Problem:
    return problem(path, None, "warning",
                   "this file has an error; the last version that worked is still shown",
                   "该文件有错误；屏幕上仍显示上一次正确的版本")


def _not_shown(path: str) -> Problem:
    return problem(path, None, "warning",
                   "this file has an error; it is not shown until the error is fixed",
                   "该文件有错误；改正之前不会显示")


def incomplete_problem(root: str) -> Problem:
    return problem(".", None, "error",
                   f"{INCOMPLETE_EN} ({root}: the folder, its site.yaml or most of its "
                   f"sections are gone); the last good content stays on screen until it is back",
                   f"内容文件夹缺失或不完整（{root}：文件夹本身、site.yaml 或大部分栏目不见了）；"
                   f"在它恢复之前，屏幕上保留上一次正确的内容")


def is_incomplete_problem(p: Problem) -> bool:
    return p.path == "." and p.message.startswith(INCOMPLETE_EN)


def _exhibit_count(content: Content) -> int:
    return sum(len(s.exhibits) for s in content.sections)


def _site_missing(content: Content) -> bool:
    return any(p.path == "site.yaml" and p.is_error and p.message.startswith("site.yaml is missing")
               for p in content.problems)


def looks_incomplete(previous: Content, new: Content, root_exists: bool = True) -> bool:
    """Is ``new`` a content folder caught half gone (rather than content staff changed)?"""
    if not root_exists or not os.path.isdir(new.root):
        return True
    if _site_missing(new) and not _site_missing(previous):
        return True
    before, now = len(previous.sections), len(new.sections)
    if before and (now == 0 or (before >= 2 and now * 2 < before)):
        return True
    before, now = _exhibit_count(previous), _exhibit_count(new)
    return before >= 6 and now * 2 < before


def _merge(previous: list, current: list, keep, key) -> tuple[list, list]:
    """``current`` plus the items of ``previous`` that ``keep`` says to keep, each
    placed after the neighbour it followed before. Returns (items, kept)."""
    out = list(current)
    kept = []
    for i, item in enumerate(previous):
        if any(key(x) == key(item) for x in out) or not keep(item):
            continue
        pos = 0
        for before in reversed(previous[:i]):
            idx = next((n for n, x in enumerate(out) if key(x) == key(before)), None)
            if idx is not None:
                pos = idx + 1
                break
        out.insert(pos, item)
        kept.append(item)
    return out, kept


def _site_failed(content: Content, errors: set[str]) -> bool:
    """site.yaml has an error of its own (unreadable, or a value wrong or missing): its
    last good version is shown, as for any file. A ``home:`` entry naming a section that
    is not there is not the site's fault: the section is what changed."""
    rel = content.site.source or "site.yaml"
    return rel in errors and any(
        p.path == rel and p.is_error and not _is_home_reference(p) for p in content.problems)


def _is_home_reference(p: Problem) -> bool:
    return "lists '" in p.message and "no such section" in p.message


class _Notes:
    def __init__(self):
        self.kept: list[str] = []
        self.hidden: list[str] = []


def _exhibits(before: Section | None, section: Section, errors: set[str],
              notes: _Notes) -> tuple[Exhibit, ...]:
    """The exhibits of ``section``, each with an error in its files replaced by its
    previous version (or left out when it has none)."""
    out: list[Exhibit] = []
    changed = False
    for ex in section.exhibits:
        if not any(src in errors for src in (ex.sources or (ex.source,))):
            out.append(ex)
            continue
        changed = True
        old = before.exhibit(ex.id) if before is not None else None
        if old is not None:
            out.append(old)
            notes.kept.append(ex.source)
        else:
            notes.hidden.append(ex.source)
    if before is not None:  # exhibits that failed to load at all
        out, kept = _merge(list(before.exhibits), out,
                           lambda ex: ex.source in errors, lambda ex: ex.id)
        if kept:
            changed = True
            notes.kept.extend(ex.source for ex in kept)
    return _in_order(out, section.layout) if changed else section.exhibits


def _in_order(exhibits: list[Exhibit], layout: str) -> tuple[Exhibit, ...]:
    """In the loader's order: ``order`` then file name; a timeline by date first."""

    def by_order(ex: Exhibit):
        return (ex.order is None, ex.order or 0, ex.source.rpartition("/")[2])

    if layout != "timeline":
        return tuple(sorted(exhibits, key=by_order))
    return tuple(sorted(exhibits, key=lambda ex: (
        ex.date is None, ex.date.sort_key if ex.date else (0, 0, 0), by_order(ex))))


_HOME_MISSING = re.compile(r"^'home' lists '(.+?)', but there is no such section")


def _home_names_shown(p: Problem, content: Content, shown: set[str]) -> bool:
    if p.key != "home" or p.path != (content.site.source or "site.yaml"):
        return False
    match = _HOME_MISSING.match(p.message)
    return match is not None and match[1] in shown


def _folder_there(content: Content, section: Section) -> bool:
    folder = section.folder or section.source.rpartition("/")[0]
    return bool(folder) and os.path.isdir(os.path.join(str(content.root), folder))


def keep_last_good(previous: Content | None, new: Content, *, root_exists: bool = True,
                   tours: Iterable[tuple[Tour, tuple[Problem, ...]]] | None = None) -> Content:
    """``new``, except that what failed to load now keeps its previous version.

    ``tours`` are the tours as built before their steps were checked, each with
    the problems that check found (the loader's ``last_tours``): they are
    checked again against the merged content.
    """
    if previous is None:
        return new
    if not root_exists or not os.path.isdir(new.root):  # the loader said it does not exist
        return replace(previous, problems=new.problems)
    if looks_incomplete(previous, new, root_exists):
        kept = [p for p in previous.problems if not is_incomplete_problem(p)]
        return replace(previous, problems=(incomplete_problem(str(new.root)), *kept))
    errors = {p.path for p in new.problems if p.is_error}
    if not errors:
        return new
    notes = _Notes()
    sections: list[Section] = []
    for section in new.sections:
        before = previous.section(section.id)
        if section.source in errors:
            if before is None:
                notes.hidden.append(section.source)
                continue
            notes.kept.append(section.source)
            settings = before
        else:
            settings = section
        exhibits = _exhibits(before, section, errors, notes)
        if settings is not section or exhibits is not section.exhibits:
            section = replace(settings, exhibits=exhibits)
        sections.append(section)
    new_ids = {s.id for s in new.sections}
    sections, kept_sections = _merge(
        list(previous.sections), sections,
        lambda s: s.id not in new_ids and (s.source in errors or _folder_there(new, s)),
        lambda s: s.id)
    notes.kept.extend(s.source for s in kept_sections)
    merged = replace(new, sections=tuple(sections))
    shown_ids = {s.id for s in sections}
    # 'home' naming a section shown from its last good version is not an error either
    problems = [p for p in new.problems if not _home_names_shown(p, new, shown_ids)]
    tour_list = list(new.tours)
    if tours is not None:  # check the steps against what is shown now
        stale = {p for _, found in tours for p in found}
        problems = [p for p in problems if p not in stale]
        by_id = {t.id: t for t in new.tours}
        tour_list = []
        for draft, _ in tours:
            if by_id.get(draft.id) is None or by_id[draft.id].source != draft.source:
                continue  # left out by the loader (a duplicate id)
            checked, found = check_tour(draft, merged)
            problems.extend(found)
            tour_list.append(checked)
        errors = {p.path for p in problems if p.is_error}
    out_tours: list[Tour] = []
    for tour in tour_list:
        if tour.source not in errors:
            out_tours.append(tour)
            continue
        old = previous.tour(tour.id)
        if old is not None:
            out_tours.append(old)
            notes.kept.append(tour.source)
        else:
            notes.hidden.append(tour.source)
    out_tours, kept_tours = _merge(list(previous.tours), out_tours,
                                   lambda t: t.source in errors, lambda t: t.id)
    notes.kept.extend(t.source for t in kept_tours)
    site = new.site
    if _site_failed(new, errors) and previous.site.source:
        site = previous.site
        notes.kept.append(site.source)
    added = [_still_shown(p) for p in dict.fromkeys(notes.kept)] + \
        [_not_shown(p) for p in dict.fromkeys(notes.hidden) if p not in notes.kept]
    # each note comes right after the errors of its file
    problems = sorted([*problems, *added], key=lambda p: (p.path, p in added, p.line or 0))
    return replace(merged, site=site, tours=tuple(out_tours), problems=tuple(problems))


__all__ = ["incomplete_problem", "is_incomplete_problem", "keep_last_good", "looks_incomplete"]
