"""Last good content wins: what fails to load now keeps its previous version (no window)."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES

from kiosk.content.loader import ContentLoader
from kiosk.ui.reload import forget_images, keep_last_good

GOOD = FIXTURES / "content-good"


@pytest.fixture
def tree(tmp_path):
    root = shutil.copytree(GOOD, tmp_path / "content")
    loader = ContentLoader(root)
    first = loader.load()
    assert not first.errors
    return root, loader, first


def ids(section):
    return [ex.id for ex in section.exhibits]


def test_a_broken_exhibit_keeps_its_place_and_last_version(tree):
    root, loader, first = tree
    (root / "01-history" / "2016.md").write_text("---\ntitle: [坏了\n---\n", encoding="utf-8")
    new = loader.load()
    assert "2016" not in ids(new.section("history"))  # the loader leaves it out
    merged = keep_last_good(first, new)
    assert ids(merged.section("history")) == ids(first.section("history"))
    assert merged.exhibit("history", "2016") is first.exhibit("history", "2016")
    assert [p.path for p in merged.errors] == ["01-history/2016.md"]
    notes = [p for p in merged.warnings if p.path == "01-history/2016.md"]
    assert notes and "last version that worked" in notes[0].message and notes[0].message_zh
    order = [p for p in merged.problems if p.path == "01-history/2016.md"]
    assert order[-1] == notes[0]  # the note follows the error it explains


def test_other_changes_in_the_same_load_still_show(tree):
    root, loader, first = tree
    (root / "01-history" / "2016.md").write_text("no front matter at all\n", encoding="utf-8")
    text = (root / "01-history" / "2018-expansion.md").read_text(encoding="utf-8")
    (root / "01-history" / "2018-expansion.md").write_text(
        text.replace("title:", "title: 改过 #", 1), encoding="utf-8")
    merged = keep_last_good(first, loader.load())
    assert merged.exhibit("history", "2016") == first.exhibit("history", "2016")
    assert merged.exhibit("history", "2018-expansion") != first.exhibit("history", "2018-expansion")


def test_a_deleted_exhibit_goes_away(tree):
    root, loader, first = tree
    (root / "01-history" / "2016.md").unlink()
    merged = keep_last_good(first, loader.load())
    assert merged.exhibit("history", "2016") is None


def test_a_fixed_file_replaces_the_kept_version(tree):
    root, loader, first = tree
    target = root / "01-history" / "2016.md"
    good = target.read_text(encoding="utf-8")
    target.write_text("---\ntitle: [\n---\n", encoding="utf-8")
    kept = keep_last_good(first, loader.load())
    target.write_text(good.replace("title:", "title: 新 #", 1), encoding="utf-8")
    fixed = keep_last_good(kept, loader.load())
    assert not fixed.errors
    assert fixed.exhibit("history", "2016") != first.exhibit("history", "2016")
    assert not [p for p in fixed.problems if "last version" in p.message]


def test_a_broken_section_file_keeps_the_section(tree):
    root, loader, first = tree
    (root / "02-figures" / "_section.yaml").write_text("title: [\n", encoding="utf-8")
    new = loader.load()
    assert new.section("figures") is None
    merged = keep_last_good(first, new)
    assert [s.id for s in merged.sections] == [s.id for s in first.sections]
    assert merged.section("figures") == first.section("figures")


def test_a_broken_tour_is_kept(tree):
    root, loader, first = tree
    (root / "tours" / "01-leaders.yaml").write_text("title: x\nsteps: [\n", encoding="utf-8")
    new = loader.load()
    assert new.tours == ()
    merged = keep_last_good(first, new)
    assert [t.id for t in merged.tours] == [t.id for t in first.tours]


def test_an_unreadable_site_file_keeps_the_exhibition_title(tree):
    root, loader, first = tree
    (root / "site.yaml").write_text("title: {zh: 坏\n", encoding="utf-8")
    new = loader.load()
    assert new.site.title != first.site.title
    merged = keep_last_good(first, new)
    assert merged.site == first.site
    assert any(p.path == "site.yaml" and p.is_error for p in merged.problems)


def test_a_site_field_error_does_not_freeze_the_site(tree):
    root, loader, first = tree
    text = (root / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(
        text.replace("home: [history, figures, photos]", "home: [history, nosuch]")
            .replace("footer: 中共岐山县委组织部", "footer: 新页脚"), encoding="utf-8")
    merged = keep_last_good(first, loader.load())
    assert merged.site.footer.get("zh") == "新页脚"  # the readable file's settings apply
    assert any(p.key == "home" and p.is_error for p in merged.problems)


def test_a_misspelt_site_title_keeps_the_last_good_site(tree):
    """'titel:' instead of 'title:' must not put the folder's name up as the title."""
    root, loader, first = tree
    text = (root / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(text.replace("title:", "titel:", 1), encoding="utf-8")
    new = loader.load()
    assert new.site.title != first.site.title
    merged = keep_last_good(first, new)
    assert merged.site == first.site
    assert any(p.path == "site.yaml" and "still shown" in p.message for p in merged.problems)
    assert any(p.path == "site.yaml" and p.is_error and "title" in p.message
               for p in merged.problems)


def test_a_missing_content_folder_keeps_everything(tree):
    root, loader, first = tree
    shutil.rmtree(root)
    new = loader.load()
    merged = keep_last_good(first, new, root_exists=False)
    assert merged.sections == first.sections and merged.site == first.site
    assert len(merged.errors) == 1 and merged.errors[0].path == "."


def test_no_previous_content_means_the_new_one(tree):
    root, loader, first = tree
    assert keep_last_good(None, first) is first


def test_forget_images_drops_every_cached_copy_of_a_file(tmp_path):
    from kivy.cache import Cache

    photo = str(tmp_path / "a" / "p.png")
    other = str(tmp_path / "b.png")
    for category in ("kv.image", "kv.texture"):
        Cache.register(category)
        Cache.append(category, f"{photo}|0|0", object())
        Cache.append(category, f"{other}|0|0", object())
    assert forget_images([str(tmp_path / "a")]) == 2
    assert Cache.get("kv.texture", f"{photo}|0|0") is None
    assert Cache.get("kv.texture", f"{other}|0|0") is not None
    assert forget_images([other]) == 2
