"""What visitors see of pictures and staff fields: the English picture after switching
language, the focal point kept in a cropped picture, staff notes never on screen, and the
Qishan party-history board ready for staff."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from kivy.uix.label import Label

from kiosk.check import run_check
from kiosk.content import load_content

ROOT = Path(__file__).resolve().parent.parent


def squeeze(text: str) -> str:
    return "".join(text.split())  # line breaks placed by the layout do not count


def shown_text(kiosk) -> str:
    return "|".join(squeeze(w.text) for w in kiosk.widgets(Label, kiosk.app.root)
                    if w.text and w.opacity > 0)


def test_a_visitor_switching_to_english_sees_the_english_picture(kiosk, demo_content):
    from kiosk.ui.widgets.common import Picture

    app = kiosk.start(demo_content)
    kiosk.settle()

    def centers_cover():
        (found,) = [p for p in kiosk.widgets(Picture, kiosk.screen)
                    if getattr(p.media, "src", "") == "02-centers/images/cover.jpg"]
        return found

    assert Path(centers_cover().source).name == "cover.jpg"
    kiosk.tap(kiosk.find_text(app.ui("language")))
    kiosk.settle()
    assert app.lang == "en"
    assert Path(centers_cover().source).name == "cover.en.jpg"
    kiosk.tap(kiosk.find_text(app.ui("language")))
    kiosk.settle()
    assert Path(centers_cover().source).name == "cover.jpg"


def test_a_cropped_picture_keeps_its_focal_point_in_view():
    from kivy.graphics.texture import Texture

    from kiosk.ui.widgets.common import fitted

    texture = Texture.create(size=(200, 400))  # a tall picture in a square box
    texture.flip_vertical()  # as pictures from the pipeline are
    centre = fitted((0, 0), (100, 100), texture, "cover")[2]
    assert centre == pytest.approx([0, 0.75, 1, 0.75, 1, 0.25, 0, 0.25])  # the middle half
    near_top = fitted((0, 0), (100, 100), texture, "cover", (0.5, 0.1))[2]
    assert near_top == pytest.approx([0, 0.5, 1, 0.5, 1, 0, 0, 0])  # the top half
    low = fitted((0, 0), (100, 100), texture, "cover", (0.5, 0.7))[2]
    assert low == pytest.approx([0, 0.95, 1, 0.95, 1, 0.45, 0, 0.45])  # 0.45..0.95 from the top
    wide = Texture.create(size=(400, 200))
    wide.flip_vertical()
    right = fitted((0, 0), (100, 100), wide, "cover", (0.9, 0.5))[2]
    assert right == pytest.approx([0.5, 1, 1, 1, 1, 0, 0.5, 0])  # the right half, at the edge


def test_the_focus_written_in_content_reaches_the_picture(kiosk, tmp_path):
    from PIL import Image

    from kiosk.ui.widgets.common import Picture

    root = tmp_path / "content"
    (root / "01-hall" / "images").mkdir(parents=True)
    Image.new("RGB", (400, 100), (160, 20, 20)).save(root / "01-hall" / "images" / "wide.jpg")
    (root / "site.yaml").write_text("title: 展厅\n", encoding="utf-8")
    (root / "01-hall" / "_section.yaml").write_text(
        "title: 大厅\nlayout: grid\ncover: images/wide.jpg\nfocus: 0.1,0.5\n", encoding="utf-8")
    (root / "01-hall" / "a.md").write_text("---\ntitle: 一\ncover: images/wide.jpg\n---\n",
                                           encoding="utf-8")
    kiosk.start(root)
    kiosk.settle()
    (cover,) = [p for p in kiosk.widgets(Picture, kiosk.screen) if p.media is not None]
    assert cover.focus == (0.1, 0.5)
    assert cover.texture is not None and cover.fit_mode == "cover"
    u0, u1 = cover.draw_uv[0], cover.draw_uv[2]
    assert u0 == pytest.approx(0.0) and u1 < 1  # the left part stays, the right is cut


HISTORY = ["2015-07-upgrade", "2015-onsite-meetings", "2016-02-innovation-award",
           "2016-05-caijiapo-hall", "2015-first-center"]


def test_staff_notes_never_reach_the_screen(kiosk, demo_content):
    content = load_content(demo_content)
    app = kiosk.start(demo_content)
    for lang in ("zh", "en"):
        app.set_language(lang)
        for exhibit_id in HISTORY:
            exhibit = content.exhibit("history", exhibit_id)
            assert exhibit.notes.get(lang)
            assert app.go(f"exhibit/history/{exhibit_id}")
            kiosk.settle()
            shown = shown_text(kiosk)
            assert squeeze(app.t(exhibit.title)) in shown  # the page is there
            assert squeeze(exhibit.notes.get(lang))[:12] not in shown
            for word in ("资料原文", "资料只写", "thesourcesays", "Thesource"):
                assert word not in shown
        awards = content.exhibit("honors", "awards")
        assert app.go("exhibit/honors/awards")
        kiosk.settle()
        shown = shown_text(kiosk)
        assert squeeze(awards.honors[1].notes.get(lang))[:10] not in shown


def test_the_party_history_board_is_ready_for_staff(kiosk, demo_content):
    out = io.StringIO()
    assert run_check(str(demo_content), out=out, lang="en") == 0
    assert " error" not in out.getvalue()
    content = load_content(demo_content)
    section = content.section("party-history")
    assert section is not None and section.layout == "timeline"
    assert [p for p in content.problems if p.path.startswith("07-party-history/")] == []
    assert "party-history" in [s.id for s in content.home_sections()]
    entries = section.visible_exhibits()
    assert len(entries) == 4  # one per period
    for ex in entries:  # each is clearly a sample, in both languages, and says how to fill it
        assert ex.title.get("zh").startswith("示例条目") and "示例条目" in ex.body.get("zh")
        assert ex.title.get("en").startswith("Sample entry") and "Sample entry" in ex.body.get("en")
        assert "不是史实" in ex.notes.get("zh")
    app = kiosk.start(demo_content)
    assert app.go("section/party-history")
    kiosk.settle()
    kiosk.find_text("岐山党史")


def test_a_picture_inside_the_text_follows_the_language_too(kiosk, demo_content):
    from kiosk.ui.markdown.widgets import MdPicture

    app = kiosk.start(demo_content)
    for lang, name in (("zh", "red-engine.jpg"), ("en", "red-engine.en.jpg")):
        app.set_language(lang)
        assert app.go("exhibit/lessons/red-engine")
        kiosk.settle()
        (picture,) = kiosk.widgets(MdPicture, kiosk.screen)
        assert Path(picture.source).name == name
