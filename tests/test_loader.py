"""The content loader builds the right model from a good tree, and reloads incrementally."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from kiosk.content import ContentLoader, load_content
from kiosk.content.model import PartialDate

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "content-good"

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f"
    "15c4890000000d49444154789c63f8cfc0f01f00050001ff89993d1d0000000049454e44ae426082")


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def bump_mtime(path: Path, seconds: int = 5) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + seconds * 1_000_000_000))


@pytest.fixture
def good_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(GOOD, root)
    return root


def test_good_tree_has_no_problems():
    content = load_content(GOOD)
    assert [p.format() for p in content.problems] == []


def test_site_settings():
    site = load_content(GOOD).site
    assert site.title.get("zh") == "岐山县“1+5+N”党群服务中心"
    assert site.title.get("en") == 'Qishan "1+5+N" Party and Masses Service Center'
    assert site.languages == ("zh", "en")
    assert site.home == ("history", "figures", "photos")
    assert site.attract.slide_seconds == 6.0
    assert site.attract.prompt.get("en") == "Touch to begin"
    assert site.logo is not None and site.logo.src == "_shared/logo.png"
    assert site.logo.path == GOOD.resolve() / "_shared" / "logo.png"
    assert site.footer.get() == "中共岐山县委组织部"


def test_sections_in_folder_order_with_prefix_stripped():
    content = load_content(GOOD)
    assert [(s.id, s.layout, s.folder) for s in content.sections] == [
        ("history", "timeline", "01-history"),
        ("figures", "stats", "02-figures"),
        ("photos", "gallery", "03-photos"),
    ]
    history = content.section("history")
    assert history.title.get("en") == "History"
    assert history.cover.src == "01-history/images/cover.jpg"
    assert history.intro.get().startswith("中心自 **2015 年**成立以来")
    assert history.source == "01-history/_section.yaml"


def test_timeline_sorted_by_date_and_ids_keep_years():
    history = load_content(GOOD).section("history")
    assert [(e.id, str(e.date)) for e in history.exhibits] == [
        ("2015-center-opens", "2015-07-01"),
        ("2016", "2016"),
        ("2018-expansion", "2018-05"),
    ]
    assert history.exhibits[2].date == PartialDate(2018, 5)


def test_markdown_exhibit_merged_with_translation():
    ex = load_content(GOOD).exhibit("history", "2015-center-opens")
    assert ex.kind == "page"
    assert ex.title.get("zh") == "服务中心揭牌成立"
    assert ex.title.get("en") == "The Center Opens"
    assert ex.summary.get("en") == "The service center was officially opened."
    assert ex.body.get("zh").startswith("# 揭牌成立\n\n2015 年 7 月 1 日")
    assert ex.body.get("en").startswith("# Opening")
    assert ex.body_line == 12
    assert ex.featured is True
    assert ex.date == PartialDate(2015, 7, 1)
    assert [m.src for m in ex.images] == ["01-history/images/opening.jpg",
                                          "01-history/images/ribbon.png"]
    assert ex.images[1].caption.get("en") == "Unveiling ceremony"
    assert ex.cover.src == "01-history/images/opening.jpg"
    assert ex.source == "01-history/2015-center-opens.md"
    assert ex.sources == ("01-history/2015-center-opens.md", "01-history/2015-center-opens.en.md")
    assert ex.route == "exhibit/history/2015-center-opens"


def test_stats_and_honors_exhibits():
    figures = load_content(GOOD).section("figures")
    # honors.yaml has order: 1, so it comes before figures.yaml (no order)
    assert [(e.id, e.kind) for e in figures.exhibits] == [("honors", "honors"), ("figures", "stats")]
    stats = figures.exhibit("figures").stats
    assert [(s.value, s.label.get("en"), s.unit.get(), s.suffix, s.decimals) for s in stats] == [
        (2600.0, "Approvals", "件", "+", 0),
        (98.5, "满意率", "%", "", 1),
    ]
    assert stats[1].note.get() == "2023 年统计"
    honors = figures.exhibit("honors").honors
    assert [(h.title.get(), h.year) for h in honors] == [
        ("全省党建示范点", "2019"), ("五星级党群服务中心", "2021")]
    assert honors[0].issuer.get() == "中共陕西省委组织部"
    assert honors[0].image.src == "_shared/logo.png"
    assert honors[1].title.get("en") == "Five-Star Center"


def test_gallery_photos_and_tour_steps():
    content = load_content(GOOD)
    photos = content.section("photos").photos()
    assert [m.src for _, m in photos] == ["03-photos/p1.jpg", "03-photos/p2.jpg"]
    tour = content.tour("leaders")
    assert tour.title.get("en") == "VIP tour"
    assert tour.source == "tours/01-leaders.yaml"
    assert [(s.route, s.line) for s in tour.steps] == [
        ("section/history", 4),
        ("exhibit/history/2015-center-opens", 8),
        ("photo/photos/2", 10),
        ("exhibit/figures/figures", 12),
    ]
    assert tour.steps[0].seconds == 30.0
    assert tour.steps[0].notes.get() == "各位领导，这里是**发展历程**。\n"
    assert tour.steps[1].title.get() == "揭牌"


def test_incremental_reload_parses_only_the_touched_file(good_copy: Path):
    loader = ContentLoader(good_copy)
    first = loader.load()
    assert len(loader.last_parsed) == 12
    again = loader.load()
    assert loader.last_parsed == []
    assert again.sections == first.sections
    bump_mtime(good_copy / "01-history" / "2016.md")
    loader.load()
    assert loader.last_parsed == ["01-history/2016.md"]


def test_edited_file_shows_new_text_and_others_are_reused(good_copy: Path):
    loader = ContentLoader(good_copy)
    first = loader.load()
    path = good_copy / "01-history" / "2018-expansion.md"
    path.write_text("---\ntitle: 中心二期扩建\ndate: 2018-05\n---\n", encoding="utf-8")
    bump_mtime(path)
    second = loader.load()
    assert loader.last_parsed == ["01-history/2018-expansion.md"]
    assert second.exhibit("history", "2018-expansion").title.get() == "中心二期扩建"
    # untouched exhibits are the very same objects
    assert second.exhibit("history", "2016") is first.exhibit("history", "2016")


def test_new_and_deleted_files_are_noticed(good_copy: Path):
    loader = ContentLoader(good_copy)
    loader.load()
    write(good_copy, {"01-history/2020-new.md": "---\ntitle: 新展项\ndate: 2020\n---\n"})
    content = loader.load()
    assert loader.last_parsed == ["01-history/2020-new.md"]
    assert content.exhibit("history", "2020-new") is not None
    (good_copy / "01-history" / "2016.md").unlink()
    content = loader.load()
    assert loader.last_parsed == []
    assert content.exhibit("history", "2016") is None


def test_media_is_rechecked_on_every_load(good_copy: Path):
    loader = ContentLoader(good_copy)
    assert loader.load().problems == ()
    photo = good_copy / "03-photos" / "p2.jpg"
    saved = photo.read_bytes()
    photo.unlink()
    content = loader.load()
    assert loader.last_parsed == []
    assert [p.format(lang="en") for p in content.problems] == [
        "03-photos/activities.md:3: error: image 2: file not found: p2.jpg",
        "tours/01-leaders.yaml:10: error: photo 2 does not exist; section 'photos' has 1 photo"]
    assert [m.src for m in content.exhibit("photos", "activities").images] == ["03-photos/p1.jpg"]
    photo.write_bytes(saved)
    content = loader.load()
    assert content.problems == ()
    assert len(content.exhibit("photos", "activities").images) == 2


def test_one_broken_file_leaves_the_rest_loaded(good_copy: Path):
    (good_copy / "01-history" / "2016.md").write_text(
        "---\ntitle: [未闭合\n---\n", encoding="utf-8")
    content = load_content(good_copy)
    assert [p.format(lang="en") for p in content.problems] == [
        "01-history/2016.md:2: error: YAML syntax error: a '[' list is not closed with ']'"]
    assert [e.id for e in content.section("history").exhibits] == [
        "2015-center-opens", "2018-expansion"]
    assert [s.id for s in content.sections] == ["history", "figures", "photos"]
    assert content.tour("leaders") is not None


def test_missing_site_yaml_gives_default_site_and_loads_the_rest(good_copy: Path):
    (good_copy / "site.yaml").unlink()
    content = load_content(good_copy)
    assert [p.format() for p in content.problems] == [
        "site.yaml: error: 缺少 site.yaml；展览标题暂用文件夹名称 / "
        "site.yaml is missing; the exhibition title is taken from the folder name"]
    assert content.site.title.get() == "content"
    assert len(content.sections) == 3


def test_missing_content_folder(tmp_path: Path):
    content = load_content(tmp_path / "nope")
    assert content.sections == ()
    assert content.errors[0].message.startswith("the content folder does not exist")


def test_order_field_then_file_name(tmp_path: Path):
    write(tmp_path, {
        "site.yaml": "title: 展厅\n",
        "01-work/_section.yaml": "title: 工作\nlayout: grid\n",
        "01-work/b.md": "---\ntitle: B\n---\n",
        "01-work/a.md": "---\ntitle: A\n---\n",
        "01-work/z.md": "---\ntitle: Z\norder: 1\n---\n",
        "01-work/y.md": "---\ntitle: Y\norder: 2\n---\n",
    })
    content = load_content(tmp_path)
    assert [e.id for e in content.section("work").exhibits] == ["z", "y", "a", "b"]


def test_schedule_and_video(tmp_path: Path):
    write(tmp_path, {
        "site.yaml": "title: 展厅\n",
        "01-work/_section.yaml": "title: 工作\nlayout: grid\ndraft: true\n",
        "01-work/clip.mp4": b"\x00\x00\x00\x18ftypmp42",
        "01-work/poster.png": PNG,
        "01-work/a.md": (
            "---\ntitle: A\npublish_from: 2024-07-01\npublish_until: \"2024-08-01 18:30\"\n"
            "video:\n  src: clip.mp4\n  poster: poster.png\n  caption: 宣传片\n---\n"),
    })
    content = load_content(tmp_path)
    assert content.problems == ()
    section = content.section("work")
    assert section.schedule.draft is True and not section.visible()
    ex = section.exhibit("a")
    assert ex.schedule.publish_from == dt.datetime(2024, 7, 1)
    assert ex.schedule.publish_until == dt.datetime(2024, 8, 1, 18, 30)
    assert ex.visible(dt.datetime(2024, 7, 15)) and not ex.visible(dt.datetime(2024, 8, 1, 18, 30))
    assert ex.video.kind == "video" and ex.video.src == "01-work/clip.mp4"
    assert ex.video.poster.src == "01-work/poster.png"
    assert ex.video.caption.get() == "宣传片"
    assert ex.thumbnail == ex.video.poster


def test_a_missing_picture_that_arrives_empty_is_reported_as_empty(tmp_path):
    """The reason a picture cannot be used is part of what the incremental loader remembers."""
    from kiosk.content.loader import ContentLoader

    (tmp_path / "site.yaml").write_text("title: 展厅\n", "utf-8")
    (tmp_path / "01-a").mkdir()
    (tmp_path / "01-a" / "_section.yaml").write_text("title: 甲\nlayout: grid\n", "utf-8")
    (tmp_path / "01-a" / "x.md").write_text("---\ntitle: 图\ncover: p.png\n---\n", "utf-8")
    loader = ContentLoader(tmp_path)
    first = [p.message for p in loader.load().problems]
    assert "'cover': file not found: p.png" in first
    (tmp_path / "01-a" / "p.png").write_bytes(b"")
    second = [p.message for p in loader.load().problems]
    assert "'cover': the file 'p.png' is empty (0 bytes); copy it again" in second
    assert "'cover': file not found: p.png" not in second
