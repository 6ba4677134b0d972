"""Last good, per file: whatever is wrong in a file (YAML, a value, a picture it names),
its last good version stays; a folder caught half gone is not content (no window)."""

from __future__ import annotations

import shutil

import pytest
from badpictures import page, truncated
from conftest import FIXTURES

from kiosk.content.lastgood import keep_last_good
from kiosk.content.loader import ContentLoader

GOOD = FIXTURES / "content-good"


@pytest.fixture
def tree(tmp_path):
    root = shutil.copytree(GOOD, tmp_path / "content")
    loader = ContentLoader(root)
    first = loader.load()
    assert not first.errors
    return root, loader, first


def merged(loader, previous):
    new = loader.load()
    return keep_last_good(previous, new, tours=loader.last_tours)


def notes(content, path):
    return [p.message for p in content.warnings if p.path == path]


def test_a_wrong_date_keeps_the_whole_exhibit_and_its_place(tree):
    root, loader, first = tree
    target = root / "01-history" / "2016.md"
    target.write_text(target.read_text(encoding="utf-8").replace("date: 2016", "date: 2015-13")
                      .replace("首批企业入驻", "改过的标题"), encoding="utf-8")
    shown = merged(loader, first)
    assert shown.exhibit("history", "2016") == first.exhibit("history", "2016")
    assert [e.id for e in shown.section("history").exhibits] == \
        [e.id for e in first.section("history").exhibits]
    assert [p.message for p in shown.errors] == ["'date' has an invalid month: 2015-13"]
    assert notes(shown, "01-history/2016.md") == [
        "this file has an error; the last version that worked is still shown"]


def test_a_broken_picture_keeps_the_exhibit_that_names_it(tree):
    root, loader, first = tree
    before = first.exhibit("history", "2015-center-opens")
    truncated(root / "01-history" / "images" / "opening.jpg")
    shown = merged(loader, first)
    assert shown.exhibit("history", "2015-center-opens") == before
    assert any("images/opening.jpg': the picture is incomplete" in p.message
               for p in shown.errors)


def test_a_new_file_with_an_error_is_not_shown(tree):
    root, loader, first = tree
    page(root / "01-history" / "2020.md", "新展项", "date: 2020-00\n")
    shown = merged(loader, first)
    assert shown.exhibit("history", "2020") is None
    assert notes(shown, "01-history/2020.md") == [
        "this file has an error; it is not shown until the error is fixed"]
    (root / "01-history" / "2020.md").write_text("---\ntitle: 新展项\ndate: 2020\n---\n",
                                                 encoding="utf-8")
    fixed = merged(loader, shown)
    assert fixed.exhibit("history", "2020") is not None and not fixed.errors


def test_a_section_file_with_a_wrong_value_keeps_its_settings(tree):
    root, loader, first = tree
    settings = root / "02-figures" / "_section.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("layout:", "layout: x #"),
                        encoding="utf-8")
    shown = merged(loader, first)
    assert shown.section("figures") == first.section("figures")


def test_a_tour_naming_an_exhibit_kept_from_its_last_version_has_no_error(tree):
    root, loader, first = tree
    (root / "01-history" / "2015-center-opens.md").write_text("---\ntitle: [坏\n---\n",
                                                              encoding="utf-8")
    new = loader.load()
    # the loader alone: the tour's stop points at the broken file (a warning, not an error)
    assert any(p.path == "tours/01-leaders.yaml" and "2015-center-opens.md has an error"
               in p.message for p in new.problems)
    shown = keep_last_good(first, new, tours=loader.last_tours)
    assert [p.path for p in shown.errors] == ["01-history/2015-center-opens.md"]
    assert shown.tours == first.tours


def test_a_tour_with_its_own_error_keeps_its_last_version(tree):
    root, loader, first = tree
    tour = root / "tours" / "01-leaders.yaml"
    tour.write_text(tour.read_text(encoding="utf-8").replace("photo: 2", "photo: 9"),
                    encoding="utf-8")
    shown = merged(loader, first)
    assert shown.tours == first.tours
    assert [p.path for p in shown.errors] == ["tours/01-leaders.yaml"]


@pytest.mark.parametrize("gone", ["site.yaml", "sections", "exhibits"])
def test_a_content_folder_half_gone_is_not_content(tree, gone):
    root, loader, first = tree
    if gone == "site.yaml":
        (root / "site.yaml").unlink()
    elif gone == "sections":
        shutil.rmtree(root / "01-history")
        shutil.rmtree(root / "02-figures")
    else:
        for md in [*(root / "01-history").glob("*.md"), *(root / "02-figures").glob("f*")]:
            md.unlink()
    shown = merged(loader, first)
    assert shown.sections == first.sections and shown.site == first.site
    assert [p.message for p in shown.errors][0].startswith(
        "the content folder is missing or incomplete")
    assert shown.errors[0].message_zh.startswith("内容文件夹缺失或不完整")


def test_deleting_one_section_still_removes_it(tree):
    root, loader, first = tree
    shutil.rmtree(root / "03-photos")
    shown = merged(loader, first)
    assert [s.id for s in shown.sections] == ["history", "figures"]


def test_home_naming_a_section_kept_from_its_last_version_has_no_error(tree):
    root, loader, first = tree
    (root / "02-figures" / "_section.yaml").write_text("title: [\n", encoding="utf-8")
    new = loader.load()
    assert any(p.path == "site.yaml" and p.key == "home" and "02-figures/_section.yaml has an "
               "error" in p.message for p in new.problems)  # the loader: a follow-on warning
    shown = merged(loader, first)
    assert [p.path for p in shown.errors] == ["02-figures/_section.yaml"]
    assert shown.section("figures") == first.section("figures")
