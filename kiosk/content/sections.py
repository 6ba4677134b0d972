"""Building the site settings, section settings and guided tours from their YAML files."""

from __future__ import annotations

import posixpath

from .exhibits import with_focus
from .fields import LANGUAGES, Fields, did_you_mean, show
from .model import (
    DEFAULT_LANGUAGE,
    LAYOUTS,
    AttractSettings,
    Content,
    Problem,
    Section,
    Site,
    Text,
    Tour,
    TourStep,
)
from .paths import MediaResolver, id_from_name
from .source import LineDict, ParsedFile, problem

SITE_FIELDS = ("title", "subtitle", "languages", "home", "attract", "logo", "footer")
ATTRACT_FIELDS = ("slide_seconds", "prompt")
SECTION_FIELDS = ("title", "subtitle", "layout", "cover", "focus", "intro", "draft",
                  "publish_from", "publish_until", "notes")
TOUR_FIELDS = ("title", "description", "steps")
STEP_FIELDS = ("section", "exhibit", "photo", "title", "notes", "seconds")


class SiteDraft:
    """The site as read from ``site.yaml``, plus where each ``home`` entry was written."""

    __slots__ = ("site", "home_lines", "problems")

    def __init__(self, site: Site, home_lines: tuple[int | None, ...], problems: list[Problem]):
        self.site = site
        self.home_lines = home_lines
        self.problems = problems


def default_site(folder_name: str) -> Site:
    """Stand-in settings when site.yaml is missing: every language shown, title = folder."""
    return Site(title=Text.of(folder_name or "Exhibition"), languages=LANGUAGES)


def build_site(parsed: ParsedFile | None, folder_name: str,
               resolver: MediaResolver) -> SiteDraft:
    problems: list[Problem] = []
    if parsed is None:
        problems.append(problem(
            "site.yaml", None, "error",
            "site.yaml is missing; the exhibition title is taken from the folder name",
            "缺少 site.yaml；展览标题暂用文件夹名称"))
        return SiteDraft(default_site(folder_name), (), problems)
    if not parsed.readable:
        return SiteDraft(default_site(folder_name), (), problems)
    data = parsed.data if isinstance(parsed.data, LineDict) else LineDict()
    if parsed.data is None:
        data.line = 1
    f = Fields(data, parsed.path, problems, lang=DEFAULT_LANGUAGE, resolver=resolver)
    f.unknown(SITE_FIELDS)
    languages = _languages(f)
    f.lang = languages[0]
    title = f.text("title", required=True) or Text.of(folder_name, languages[0])
    home_list = f.sequence("home") or []
    home: list[str] = []
    home_lines: list[int | None] = []
    for i, item in enumerate(home_list):
        line = home_list.line_of(i) if hasattr(home_list, "line_of") else f.line("home")
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            home.append(id_from_name(str(item)))
            home_lines.append(line)
        else:
            f.error("home", "each 'home' entry should be a section id (its folder name)",
                    "'home' 的每一项应为栏目名（文件夹名）", line)
    attract = AttractSettings()
    raw_attract = f.get("attract")
    if isinstance(raw_attract, dict):
        sub = f.nested(raw_attract, "attract", ("attract: ", "attract："))
        sub.unknown(ATTRACT_FIELDS)
        seconds = sub.number("slide_seconds", positive=True)
        prompt = sub.text("prompt")
        attract = AttractSettings(slide_seconds=seconds or attract.slide_seconds,
                                  prompt=prompt or attract.prompt)
    elif raw_attract is not None:
        f.error("attract", "'attract' should contain 'slide_seconds:' and/or 'prompt:' lines",
                "'attract' 下应写 'slide_seconds:' 或 'prompt:'")
    site = Site(title=title, subtitle=f.text("subtitle"), languages=languages,
                home=tuple(home), attract=attract, logo=f.media("logo", "image"),
                footer=f.text("footer"), source=parsed.path)
    return SiteDraft(site, tuple(home_lines), problems)


def _languages(f: Fields) -> tuple[str, ...]:
    raw = f.get("languages")
    if raw is None:
        return (DEFAULT_LANGUAGE,)
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        f.error("languages", "'languages' should be a list such as [zh, en]",
                "'languages' 应为列表，例如 [zh, en]")
        return (DEFAULT_LANGUAGE,)
    out: list[str] = []
    for item in raw:
        if item in LANGUAGES and item not in out:
            out.append(item)
        elif item not in LANGUAGES:
            f.error("languages", f"'languages' has '{show(item)}'; allowed: zh, en",
                    f"'languages' 里的 '{show(item)}' 不支持；可用：zh、en")
    return tuple(out) or (DEFAULT_LANGUAGE,)


def build_section(parsed: ParsedFile, folder: str, lang: str,
                  resolver: MediaResolver) -> tuple[Section | None, list[Problem]]:
    """Section settings from ``FOLDER/_section.yaml`` (exhibits are added by the loader)."""
    problems: list[Problem] = []
    if not parsed.readable:
        return None, problems
    data = parsed.data if isinstance(parsed.data, LineDict) else LineDict()
    if parsed.data is None:
        data.line = 1
    f = Fields(data, parsed.path, problems, lang=lang, resolver=resolver)
    f.unknown(SECTION_FIELDS)
    title = f.text("title", required=True)
    layout = f.choice("layout", LAYOUTS, required=True)
    section = Section(
        id=id_from_name(folder), title=title, layout=layout or "grid",
        subtitle=f.text("subtitle"), intro=f.text("intro"),
        cover=with_focus(f.media("cover", "image"), f.focus()), notes=f.text("notes"),
        schedule=f.schedule(), folder=folder, source=parsed.path)
    if not title or layout is None:
        return None, problems
    return section, problems


# --------------------------------------------------------------------------- tours


def build_tour(parsed: ParsedFile, lang: str) -> tuple[Tour | None, list[Problem]]:
    """A tour from ``tours/NAME.yaml``; references are checked later by :func:`check_tour`."""
    problems: list[Problem] = []
    if not parsed.readable:
        return None, problems
    data = parsed.data if isinstance(parsed.data, LineDict) else LineDict()
    if parsed.data is None:
        data.line = 1
    f = Fields(data, parsed.path, problems, lang=lang)
    f.unknown(TOUR_FIELDS)
    title = f.text("title", required=True)
    description = f.text("description")
    raw_steps = f.sequence("steps", required=True, non_empty=True)
    steps: list[TourStep] = []
    for i, item in enumerate(raw_steps or []):
        line = raw_steps.line_of(i) if hasattr(raw_steps, "line_of") else None
        step = _step(f, item, i, line)
        if step is not None:
            steps.append(step)
    if not title or not raw_steps:
        return None, problems
    stem = posixpath.basename(parsed.path).rsplit(".", 1)[0]
    tour = Tour(id=id_from_name(stem), title=title, steps=tuple(steps),
                description=description, source=parsed.path)
    return tour, problems


def _step(f: Fields, item: object, i: int, line: int | None) -> TourStep | None:
    where = (f"step {i + 1}: ", f"第 {i + 1} 步：")
    if isinstance(item, str):  # "section" or "section/exhibit" written directly
        item = {"exhibit": item} if "/" in item else {"section": item}
    if not isinstance(item, dict):
        f.error("steps", f"step {i + 1} should name a 'section:' and/or an 'exhibit:'",
                f"第 {i + 1} 步应写明 'section:' 和/或 'exhibit:'", line)
        return None
    sub = f.nested(item, f"steps[{i + 1}]", where, line=line)
    sub.unknown(STEP_FIELDS)
    section = sub.string("section").strip() or None
    exhibit = sub.string("exhibit").strip() or None
    if exhibit and "/" in exhibit:
        sec_part, exhibit = exhibit.split("/", 1)
        sec_part = id_from_name(sec_part)
        if section and id_from_name(section) != sec_part:
            sub.error("exhibit", f"'exhibit' is in section '{sec_part}' but 'section' says "
                                 f"'{section}'",
                      f"'exhibit' 属于栏目 '{sec_part}'，但 'section' 写的是 '{section}'")
            return None
        section = sec_part
    if not section:
        sub.error("section", "missing required field 'section' (or write 'exhibit: section/id')",
                  "缺少必填项 'section'（或写成 'exhibit: 栏目/展项'）", line)
        return None
    photo = sub.integer("photo", minimum=1)
    seconds = sub.number("seconds", positive=True)
    return TourStep(section=id_from_name(section),
                    exhibit=id_from_name(exhibit) if exhibit else None,
                    photo=photo - 1 if photo else None, title=sub.text("title"),
                    notes=sub.text("notes"), seconds=seconds, line=line)


def check_tour(tour: Tour, content: Content, broken=None) -> tuple[Tour, list[Problem]]:
    """Drop (and report) steps naming a section, exhibit or photo that does not exist.
    ``broken(section, exhibit=None)`` names the file with an error that keeps a section or
    exhibit from loading: such a step is a warning pointing at that file, not an error."""
    problems: list[Problem] = []
    good: list[TourStep] = []
    for n, step in enumerate(tour.steps, 1):

        def bad(en: str, zh: str, _line=step.line, _n=n) -> None:
            problems.append(problem(tour.source, _line, "error", en, zh, f"steps[{_n}]"))

        def follow_on(what_en: str, what_zh: str, cause: str, _line=step.line, _n=n) -> None:
            problems.append(problem(
                tour.source, _line, "warning",
                f"{what_en} is not shown because {cause} has an error; fix that file first",
                f"{what_zh}因 {cause} 有错误而没有显示；请先改正该文件", f"steps[{_n}]"))

        section = content.section(step.section)
        cause = broken(step.section) if broken and section is None else None
        if cause:
            follow_on(f"section '{step.section}'", f"栏目 '{step.section}' ", cause)
            continue
        cause = broken(step.section, step.exhibit) if broken and step.exhibit and section \
            and section.exhibit(step.exhibit) is None else None
        if cause:
            follow_on(f"exhibit '{step.exhibit}'", f"展项 '{step.exhibit}' ", cause)
            continue
        if section is None:
            ids = [s.id for s in content.sections]
            guess = did_you_mean(step.section, ids)
            bad(f"there is no section '{step.section}'"
                + (f" — did you mean '{guess}'?" if guess else f" (sections: {', '.join(ids)})"),
                f"没有栏目 '{step.section}'"
                + (f"，是不是想写 '{guess}'？" if guess else f"（现有栏目：{'、'.join(ids)}）"))
            continue
        if step.exhibit and section.exhibit(step.exhibit) is None:
            guess = did_you_mean(step.exhibit, [e.id for e in section.exhibits])
            bad(f"section '{section.id}' has no exhibit '{step.exhibit}'"
                + (f" — did you mean '{guess}'?" if guess else ""),
                f"栏目 '{section.id}' 里没有展项 '{step.exhibit}'"
                + (f"，是不是想写 '{guess}'？" if guess else ""))
            continue
        if step.photo is not None:
            if section.layout != "gallery":
                bad(f"'photo' only works in a gallery section; '{section.id}' is a "
                    f"{section.layout}",
                    f"'photo' 只能用于相册（gallery）栏目；'{section.id}' 是 {section.layout}")
                continue
            count = len(section.photos())
            if step.photo >= count:
                bad(f"photo {step.photo + 1} does not exist; section '{section.id}' has "
                    f"{count} photo{'' if count == 1 else 's'}",
                    f"第 {step.photo + 1} 张照片不存在；栏目 '{section.id}' 只有 {count} 张照片")
                continue
        good.append(step)
    if len(good) != len(tour.steps):
        tour = Tour(id=tour.id, title=tour.title, steps=tuple(good),
                    description=tour.description, source=tour.source)
    return tour, problems
