"""Loading only what changed: ``ContentLoader.load(changed=paths)``.

Hot reload hands the loader the paths the watcher saw change. The loader then
lists the root folder and the folders of those paths only, reads the changed
files and looks again only at media files below a changed path. Invariants:

1. after any sequence of real file operations (exhibits, translations,
   pictures, section folders, site, tours, broken YAML and its fix, renames,
   editor temporaries, atomic saves), the snapshot and its problems equal a
   fresh full load of the tree;
2. folders that hold none of the changed paths are not listed, and their
   files and pictures are not looked at;
3. whenever the loader cannot be sure (first load, the root itself, symbolic
   links), it walks the whole tree.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.content import ContentLoader

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "content-good"
EXAMPLES = int(os.environ.get("KIOSK_FUZZ_EXAMPLES", "40"))

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f"
    "15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082")

SITE = ["title: 展厅\nlanguages: [zh, en]\nhome: [history, figures, photos]\nlogo: _shared/logo.png\n",
        "title: {zh: 展厅, en: Hall}\nlanguages: [zh]\nhome: [photos, history]\n",
        "title: 展厅\nlogo: _shared/q.png\nhome: [nope]\n",
        "title: [\n"]
SECTION = ["title: {zh: 历程, en: History}\nlayout: timeline\ncover: images/cover.jpg\n",
           "title: 图片\nlayout: gallery\ncover: images/new.png\n",
           "title: 甲\nlayout: grid\ncover: ../_shared/q.png\n",
           "title: X\nlayout: grd\n", "title: 'open\n"]
PAGE = ["---\ntitle: 展项\ndate: 2016\n---\n正文\n",
        "---\ntitle: 图\ncover: images/new.png\nimages: [images/opening.jpg, p1.jpg]\n---\n",
        "---\ntitle: 共用\ncover: ../_shared/q.png\n---\n![图](images/new.png)\n",
        "---\ntitle: 日期\ndate: 2016-13-45\n---\n",
        "---\ntitle: [\n---\n",
        "---\ntitle: 未完\n",
        "no front matter\n"]
TRANSLATION = ["---\ntitle: Exhibit\n---\nBody\n", "---\ntitle: [\n---\n",
               "---\ntitle: Pictured\ncover: images/new.png\n---\n"]
STRUCTURED = ["type: stats\ntitle: 数\nitems:\n  - value: 3\n    label: 个\n",
              "type: honors\ntitle: 奖\nitems:\n  - title: 奖一\n    year: 2016\n"
              "    image: images/new.png\n",
              "type: nope\n"]
TOUR = ["title: 路线\nsteps:\n  - section: history\n", "title: 路线\nsteps:\n  - exhibit: photos/x\n",
        "title: [\n"]
PICTURE = [PNG, b"", b"not a picture"]

SECTIONS = ["01-history", "02-figures", "03-photos", "04-new"]
IN_SECTION = {  # file name in a section -> what may be written there
    "_section.yaml": SECTION,
    "x.md": PAGE,
    "x.en.md": TRANSLATION,
    "2016.md": PAGE,
    "2015-center-opens.md": PAGE,
    "2015-center-opens.en.md": TRANSLATION,
    "s.yaml": STRUCTURED,
    "images/new.png": PICTURE,
    "images/opening.jpg": PICTURE,
    "p1.jpg": PICTURE,
    "notes.txt": ["notes\n"],
    ".x.md.swp": ["junk"],
    "x.md~": ["junk"],
}
FILES: dict[str, list] = {f"{s}/{name}": data for s in SECTIONS for name, data in IN_SECTION.items()}
FILES.update({
    "site.yaml": SITE,
    "_shared/q.png": PICTURE,
    "_shared/logo.png": PICTURE,
    "tours/01-leaders.yaml": TOUR,
    "tours/t2.yaml": TOUR,
    "tours/readme.txt": ["x"],
})
FOLDERS = [*SECTIONS, "_shared", "tours", *(f"{s}/images" for s in SECTIONS)]

paths = st.sampled_from(sorted(FILES))
write_op = paths.flatmap(lambda rel: st.sampled_from(FILES[rel]).map(lambda d: ("write", rel, d)))
save_op = paths.flatmap(lambda rel: st.sampled_from(FILES[rel]).map(lambda d: ("save", rel, d)))
delete_op = paths.map(lambda rel: ("delete", rel, None))
rename_op = st.tuples(paths, paths).map(lambda ab: ("rename", ab[0], ab[1]))
rmtree_op = st.sampled_from(FOLDERS).map(lambda rel: ("rmtree", rel, None))
mvdir_op = st.tuples(st.sampled_from(FOLDERS), st.sampled_from(FOLDERS)).map(
    lambda ab: ("mvdir", ab[0], ab[1]))
outside_op = st.just(("outside", "theme.yaml", b"colors: {}\n"))
operation = st.one_of(write_op, write_op, save_op, delete_op, rename_op, rmtree_op, mvdir_op,
                      outside_op)
# a burst: the operations the watcher reports together
bursts = st.lists(st.lists(operation, min_size=1, max_size=3), min_size=1, max_size=8)


def apply(root: Path, op) -> set[str]:
    """Do ``op`` on the tree; the absolute paths the watcher would report."""
    kind, rel, data = op
    path = root / rel
    changed: set[str] = set()

    def make_parents(p: Path) -> None:
        missing = []
        parent = p.parent
        while not parent.exists():
            missing.append(parent)
            parent = parent.parent
        p.parent.mkdir(parents=True, exist_ok=True)
        changed.update(str(m) for m in missing)

    def raw(value) -> bytes:
        return value if isinstance(value, bytes) else value.encode("utf-8")

    if kind == "write":
        make_parents(path)
        path.write_bytes(raw(data))
        changed.add(str(path))
    elif kind == "save":  # an editor's atomic save: a hidden temporary renamed into place
        make_parents(path)
        tmp = path.with_name(f".{path.name}.tmp123")
        tmp.write_bytes(raw(data))
        os.replace(tmp, path)
        changed.add(str(path))  # the watcher drops the ignored temporary
    elif kind == "delete":
        if path.is_file():
            path.unlink()
            changed.add(str(path))
    elif kind == "rename":
        dest = root / data
        if path.is_file() and path != dest and not dest.is_dir():
            make_parents(dest)
            os.replace(path, dest)
            changed.update({str(path), str(dest)})
    elif kind == "rmtree":
        if path.is_dir():
            shutil.rmtree(path)
            changed.add(str(path))  # only the folder: its files are gone with it
    elif kind == "mvdir":
        dest = root / data
        if path.is_dir() and not dest.exists() and dest.parent.is_dir() \
                and not dest.is_relative_to(path):
            os.rename(path, dest)
            changed.update({str(path), str(dest)})
    elif kind == "outside":  # the theme folder, beside the content folder
        theme = root.parent / "theme"
        theme.mkdir(exist_ok=True)
        (theme / rel).write_bytes(data)
        changed.add(str(theme / rel))
    return changed


def assert_same(incremental, fresh) -> None:
    assert [p.format() for p in incremental.problems] == [p.format() for p in fresh.problems]
    assert incremental == fresh


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(bursts)
def test_loading_changed_paths_equals_a_fresh_full_load(steps):
    with tempfile.TemporaryDirectory(prefix="kiosk-changed-") as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(GOOD, root)
        loader = ContentLoader(root)
        loader.load()
        for burst in steps:
            changed: set[str] = set()
            for op in burst:
                changed |= apply(root, op)
            incremental = loader.load(changed=frozenset(changed))
            assert not loader.last_full_walk, changed
            assert_same(incremental, ContentLoader(root).load())
        assert_same(loader.load(), ContentLoader(root).load())  # and a full walk agrees


# --------------------------------------------------------------- cases by hand


@pytest.fixture
def hall(tmp_path: Path) -> Path:
    return shutil.copytree(GOOD, tmp_path / "content")


def step(loader: ContentLoader, root: Path, *changed: str, full: bool = False):
    content = loader.load(changed=frozenset(str(root / rel) for rel in changed))
    assert loader.last_full_walk is full
    assert_same(content, ContentLoader(root).load())
    return content


def test_first_load_walks_everything_even_with_changed_paths(hall):
    loader = ContentLoader(hall)
    loader.load(changed=frozenset({str(hall / "site.yaml")}))
    assert loader.last_full_walk
    assert {".", "01-history", "02-figures", "03-photos", "tours"} <= set(loader.last_listed)


def test_a_changed_exhibit_lists_its_folder_and_reads_only_it(hall):
    loader = ContentLoader(hall)
    before = loader.load()
    page = hall / "01-history" / "2016.md"
    page.write_text("---\ntitle: 新标题\ndate: 2016\n---\n", encoding="utf-8")
    content = step(loader, hall, "01-history/2016.md")
    assert loader.last_listed == [".", "01-history"]
    assert loader.last_parsed == ["01-history/2016.md"]
    assert content.exhibit("history", "2016").title.get() == "新标题"
    # the other sections are the very same objects as before
    assert content.section("figures") is before.section("figures")
    assert content.section("photos") is before.section("photos")


def test_a_picture_deleted_and_put_back_revalidates_the_exhibits_naming_it(hall):
    loader = ContentLoader(hall)
    loader.load()
    ribbon = hall / "01-history" / "images" / "ribbon.png"
    data = ribbon.read_bytes()
    ribbon.unlink()
    content = step(loader, hall, "01-history/images/ribbon.png")
    assert any("ribbon.png" in p.message for p in content.errors)
    assert loader.last_parsed == []  # nothing read: only the picture is looked at again
    ribbon.write_bytes(b"")
    content = step(loader, hall, "01-history/images/ribbon.png")
    assert any("empty" in p.message for p in content.errors)
    ribbon.write_bytes(data)
    content = step(loader, hall, "01-history/images/ribbon.png")
    assert content.errors == ()


def test_a_shared_picture_revalidates_users_in_every_folder(hall):
    loader = ContentLoader(hall)
    loader.load()
    (hall / "_shared" / "logo.png").unlink()
    content = step(loader, hall, "_shared/logo.png")
    assert loader.last_listed == ["."]  # _shared is never listed
    assert sorted(p.path for p in content.errors) == ["02-figures/honors.yaml", "site.yaml"]
    (hall / "_shared" / "logo.png").write_bytes(PNG)  # in one burst with another folder's file
    page = hall / "03-photos" / "activities.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n更多。\n", encoding="utf-8")
    content = step(loader, hall, "_shared/logo.png", "03-photos/activities.md")
    assert loader.last_listed == [".", "03-photos"]
    assert content.errors == ()
    shutil.rmtree(hall / "01-history" / "images")
    content = step(loader, hall, "01-history/images")
    assert {p.path for p in content.errors} >= {"01-history/_section.yaml",
                                                "01-history/2015-center-opens.md"}


def test_section_folders_created_renamed_and_deleted(hall):
    loader = ContentLoader(hall)
    loader.load()
    os.rename(hall / "03-photos", hall / "04-photos")
    content = step(loader, hall, "03-photos", "04-photos")
    assert content.section("photos").folder == "04-photos"
    shutil.copytree(hall / "01-history", hall / "05-history")
    content = step(loader, hall, "05-history")
    assert any("already used" in p.message for p in content.errors)
    shutil.rmtree(hall / "05-history")
    content = step(loader, hall, "05-history")
    assert content.errors == ()
    shutil.rmtree(hall / "tours")
    content = step(loader, hall, "tours")
    assert content.tours == ()


def test_site_languages_change_rebuilds_every_section(hall):
    loader = ContentLoader(hall)
    loader.load()
    site = hall / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("[zh, en]", "[zh]"), encoding="utf-8")
    content = step(loader, hall, "site.yaml")
    assert content.site.languages == ("zh",)
    site.write_text("title: [\n", encoding="utf-8")  # broken, then fixed
    step(loader, hall, "site.yaml")
    shutil.copy(GOOD / "site.yaml", site)
    step(loader, hall, "site.yaml")


def test_paths_outside_the_content_folder_change_nothing(hall, tmp_path):
    loader = ContentLoader(hall)
    before = loader.load()
    theme = tmp_path / "theme" / "theme.yaml"
    theme.parent.mkdir()
    theme.write_text("x: 1\n", encoding="utf-8")
    assert loader.load(changed=frozenset({str(theme)})) is before
    assert not loader.last_full_walk and loader.last_listed == []
    assert loader.load(changed=frozenset()) is before


def test_the_root_itself_or_a_relative_path_means_a_full_walk(hall):
    loader = ContentLoader(hall)
    loader.load()
    step(loader, hall, "", full=True)
    loader.load(changed=frozenset({"01-history/2016.md"}))
    assert loader.last_full_walk


def test_a_missing_root_and_its_return(hall, tmp_path):
    loader = ContentLoader(hall)
    loader.load()
    shutil.move(hall, tmp_path / "away")
    content = loader.load(changed=frozenset({str(hall / "site.yaml")}))
    assert loader.last_full_walk
    assert [p.path for p in content.errors] == ["."]
    shutil.move(tmp_path / "away", hall)
    step(loader, hall, "site.yaml", full=True)  # no previous good walk: walks everything
    step(loader, hall, "site.yaml")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_symbolic_links_in_the_tree_mean_full_walks(hall):
    loader = ContentLoader(hall)
    loader.load()
    os.symlink("../_shared/logo.png", hall / "03-photos" / "logo.png")
    step(loader, hall, "03-photos/logo.png")  # the link's own path is reported: listed
    # from now on a change to the target (reported under _shared) must reach the link
    (hall / "_shared" / "logo.png").write_bytes(b"")
    step(loader, hall, "_shared/logo.png", full=True)
    (hall / "03-photos" / "logo.png").unlink()
    step(loader, hall, "03-photos/logo.png", full=True)  # no link left after this walk
    step(loader, hall, "03-photos/p1.jpg")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_picture_reached_through_a_linked_folder_means_full_walks(hall):
    loader = ContentLoader(hall)
    loader.load()
    os.symlink("../_shared", hall / "03-photos" / "shared")
    page = hall / "03-photos" / "linked.md"
    page.write_text("---\ntitle: 链接\ncover: shared/logo.png\n---\n", encoding="utf-8")
    step(loader, hall, "03-photos/shared", "03-photos/linked.md")
    (hall / "_shared" / "logo.png").unlink()
    content = step(loader, hall, "_shared/logo.png", full=True)
    assert any(p.path == "03-photos/linked.md" for p in content.errors)


# ------------------------------------------------------- cost: not the whole tree


def big_tree(root: Path, sections: int = 20, per_section: int = 100) -> None:
    (root / "site.yaml").write_text("title: 展厅\nlanguages: [zh, en]\n", encoding="utf-8")
    for s in range(sections):
        folder = root / f"{s + 1:02d}-s{s}"
        (folder / "images").mkdir(parents=True)
        (folder / "images" / "a.png").write_bytes(PNG)
        (folder / "_section.yaml").write_text(f"title: 栏目{s}\nlayout: grid\n", encoding="utf-8")
        for i in range(per_section):
            (folder / f"e{i}.md").write_text(
                f"---\ntitle: 展项{s}-{i}\ncover: images/a.png\n---\n正文\n", encoding="utf-8")


def test_with_changed_paths_other_folders_and_their_pictures_are_not_looked_at(
        tmp_path, monkeypatch):
    root = tmp_path / "content"
    root.mkdir()
    big_tree(root)
    loader = ContentLoader(root)
    loader.load()
    target = root / "07-s6" / "e42.md"
    target.write_text("---\ntitle: 改过\ncover: images/a.png\n---\n", encoding="utf-8")

    listed: list[str] = []
    looked_at: list[str] = []
    scandir, lstat, stat = os.scandir, os.lstat, os.stat

    def counting_scandir(path="."):
        listed.append(os.fspath(path))
        return scandir(path)

    def counting_lstat(path, *args, **kwargs):
        looked_at.append(os.fspath(path))
        return lstat(path, *args, **kwargs)

    def counting_stat(path, *args, **kwargs):
        looked_at.append(os.fspath(path))
        return stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", counting_scandir)
    monkeypatch.setattr(os, "lstat", counting_lstat)
    monkeypatch.setattr(os, "stat", counting_stat)
    content = loader.load(changed=frozenset({str(target)}))
    monkeypatch.undo()

    assert not loader.last_full_walk
    assert sorted(listed) == sorted([str(root), str(root / "07-s6")])
    assert loader.last_parsed == ["07-s6/e42.md"]
    inside = [p for p in looked_at if p.startswith(str(root))]
    assert all(p == str(root) or p.startswith(str(root / "07-s6")) for p in inside), inside
    assert len(inside) < 10, inside
    assert content.exhibit("s6", "e42").title.get() == "改过"
    assert_same(content, ContentLoader(root).load())

    # a picture used by a hundred exhibits of one section: only that section is rebuilt
    (root / "03-s2" / "images" / "a.png").unlink()
    content = loader.load(changed=frozenset({str(root / "03-s2" / "images" / "a.png")}))
    assert loader.last_listed == ["."] and loader.last_parsed == []
    assert len([p for p in content.errors if p.path.startswith("03-s2/")]) == 100
    assert_same(content, ContentLoader(root).load())


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_picture_turned_into_a_link_is_noticed_by_a_full_walk(hall):
    loader = ContentLoader(hall)
    loader.load()
    opening = hall / "01-history" / "images" / "opening.jpg"
    shutil.move(opening, hall / "_shared" / "opening.jpg")
    os.symlink("../../_shared/opening.jpg", opening)
    loader.load()  # a periodic full rescan: every picture still usable, nothing rebuilt
    (hall / "_shared" / "opening.jpg").write_bytes(b"")
    content = step(loader, hall, "_shared/opening.jpg", full=True)
    assert any("opening.jpg" in p.message for p in content.errors)
