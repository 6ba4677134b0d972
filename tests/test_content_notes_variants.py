"""Content fields for staff and for pictures: ``notes`` (never shown), per-language
picture variants (``cover.en.jpg`` beside ``cover.jpg``) and a picture's ``focus``."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

from kiosk.content import load_content
from kiosk.content.loader import ContentLoader


def picture(path: Path, color=(200, 30, 30), size=(64, 48)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path)


def hall(tmp_path: Path, front: str, extra: dict[str, str] | None = None) -> Path:
    root = tmp_path / "content"
    (root / "01-centers").mkdir(parents=True)
    (root / "site.yaml").write_text("title: 展厅\nlanguages: [zh, en]\n", encoding="utf-8")
    (root / "01-centers" / "_section.yaml").write_text(
        "title: 中心\nlayout: grid\ncover: images/cover.jpg\nfocus: 0.2, 0.8\n"
        "notes: 栏目封面待换成实拍\n", encoding="utf-8")
    (root / "01-centers" / "service.md").write_text(
        f"---\ntitle: 企业服务中心\n{front}---\n\n正文。\n", encoding="utf-8")
    for name, text in (extra or {}).items():
        (root / "01-centers" / name).write_text(text, encoding="utf-8")
    picture(root / "01-centers" / "images" / "cover.jpg")
    return root


def test_notes_are_kept_for_staff_in_every_kind_of_file(tmp_path):
    root = hall(tmp_path, "notes: 日期待核实\n", {
        "service.en.md": "---\ntitle: Enterprise service\nnotes: date to be checked\n---\n\nBody.\n",
        "awards.yaml": "type: honors\ntitle: 荣誉\nitems:\n  - title: 三等奖\n"
                       "    notes: {zh: 年份据正文推断, en: year inferred}\n"})
    content = load_content(root)
    assert content.problems == ()
    section = content.section("centers")
    assert section.notes.get("zh") == "栏目封面待换成实拍"
    page = section.exhibit("service")
    assert page.notes.get("zh") == "日期待核实" and page.notes.get("en") == "date to be checked"
    assert "日期待核实" not in page.body.get("zh")
    honor = section.exhibit("awards").honors[0]
    assert honor.notes.get("en") == "year inferred"


def test_a_picture_for_english_beside_the_picture_is_its_variant(tmp_path):
    root = hall(tmp_path, "cover: images/cover.jpg\nimages:\n  - images/cover.jpg\n"
                          "  - src: images/plain.jpg\n")
    picture(root / "01-centers" / "images" / "cover.en.jpg", (30, 30, 200))
    picture(root / "01-centers" / "images" / "plain.jpg")
    content = load_content(root)
    assert content.problems == ()
    page = content.exhibit("centers", "service")
    assert page.cover.variants == (("en", "01-centers/images/cover.en.jpg",
                                    root / "01-centers" / "images" / "cover.en.jpg"),)
    assert page.cover.for_language("en").path.name == "cover.en.jpg"
    assert page.cover.for_language("zh").path.name == "cover.jpg"
    assert page.images[0].for_language("en").src == "01-centers/images/cover.en.jpg"
    assert page.images[1].variants == () and page.images[1].for_language("en") is page.images[1]
    assert content.section("centers").cover.for_language("en").path.name == "cover.en.jpg"


def test_a_variant_added_later_is_picked_up_on_reload(tmp_path):
    root = hall(tmp_path, "cover: images/cover.jpg\n")
    loader = ContentLoader(root)
    first = loader.load()
    assert first.exhibit("centers", "service").cover.variants == ()
    added = root / "01-centers" / "images" / "cover.en.jpg"
    picture(added, (30, 30, 200))
    again = loader.load([added])
    assert again.exhibit("centers", "service").cover.for_language("en").path == added
    added.unlink()
    gone = loader.load([added])
    assert gone.exhibit("centers", "service").cover.variants == ()


def test_focus_of_a_cover_and_of_each_picture(tmp_path):
    root = hall(tmp_path, "cover: images/cover.jpg\nfocus: 0.5,0.3\nimages:\n"
                          "  - src: images/cover.jpg\n    focus: [0.9, 0.1]\n"
                          "  - images/cover.jpg\n")
    content = load_content(root)
    assert content.problems == ()
    page = content.exhibit("centers", "service")
    assert page.cover.focus == (0.5, 0.3)
    assert [m.focus for m in page.images] == [(0.9, 0.1), None]
    assert content.section("centers").cover.focus == (0.2, 0.8)
    assert page.cover.for_language("en").focus == (0.5, 0.3)


def test_a_wrong_focus_is_an_error_at_its_line(tmp_path):
    root = hall(tmp_path, "cover: images/cover.jpg\nfocus: 50%,30%\n")
    content = load_content(root)
    (problem,) = content.problems
    assert (problem.path, problem.line, problem.severity) == ("01-centers/service.md", 4, "error")
    assert "0.5,0.3" in problem.message and "0.5,0.3" in problem.message_zh
    assert content.exhibit("centers", "service").cover.focus is None  # the page still shows


def test_the_demo_keeps_its_research_notes_off_the_page(demo_content):
    content = load_content(demo_content)
    history = content.section("history")
    noted = [ex for ex in history.exhibits if ex.notes]
    assert len(noted) >= 5
    for ex in noted:
        for lang in ("zh", "en"):
            assert ex.notes.get(lang)[:8] not in ex.body.get(lang)
    for ex in history.exhibits:
        for lang in ("zh", "en"):
            assert "资料" not in ex.body.get(lang) and "the source" not in ex.body.get(lang)


def _placeholders_tool():
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "tools" / "make_placeholders.py"
    spec = importlib.util.spec_from_file_location("make_placeholders", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_placeholders", module)  # its dataclasses look themselves up
    spec.loader.exec_module(sys.modules["make_placeholders"])
    return sys.modules["make_placeholders"]


def test_the_demo_placeholders_have_english_versions_that_the_loader_finds(demo_content):
    tool = _placeholders_tool()
    content = load_content(demo_content)
    shown = {m.src: m for s in content.sections for m in
             ([s.cover] + [ex.cover for ex in s.exhibits] + [im for ex in s.exhibits for im in ex.images]
              + [h.image for ex in s.exhibits for h in ex.honors]
              + [ex.video.poster for ex in s.exhibits if ex.video])
             if m is not None}
    for pic in tool.PICTURES:
        english = demo_content / tool.variant_path(pic.path, "en")
        assert english.is_file(), english
        if pic.path in shown:
            assert shown[pic.path].for_language("en").path == english
    assert len([p for p in tool.PICTURES if p.path in shown]) >= 40


def test_the_placeholder_tool_draws_english_first_for_english_readers(tmp_path):
    tool = _placeholders_tool()
    assert tool.variant_path("05-gallery/images/a.jpg", "en") == "05-gallery/images/a.en.jpg"
    pic = tool.Picture("x.jpg", "photo", "红色引擎", "Red engine")
    assert pic.words("zh")[:2] == ("红色引擎", "Red engine")
    assert pic.words("en")[:2] == ("Red engine", "红色引擎")
    assert tool.main(["--content", str(tmp_path), "--only", "07-party-history", "--no-video"]) == 0
    made = sorted(p.name for p in (tmp_path / "07-party-history" / "images").iterdir())
    assert made == ["cover.en.jpg", "cover.jpg", "sample.en.jpg", "sample.jpg"]


def test_the_placeholder_tool_writes_the_demo_clip_captions_within_the_clip(tmp_path, demo_content):
    from kiosk.a11y.webvtt import parse_webvtt

    tool = _placeholders_tool()
    written = tool.captions(tmp_path / "intro.mp4")
    assert [p.name for p in written] == ["intro.zh.vtt", "intro.en.vtt"]
    for path in written:
        text = path.read_text("utf-8")
        assert text == (demo_content / "01-history" / "media" / path.name).read_text("utf-8")
        track = parse_webvtt(text)
        assert track.ok and track.cues
        assert all(0 <= c.start < c.end <= tool.CLIP_SECONDS for c in track.cues)
    assert tool.vtt_time(62.5) == "01:02.500"


def test_the_demo_section_covers_keep_their_number_and_title_in_view(demo_content):
    content = load_content(demo_content)
    for section in content.sections:
        assert section.cover.focus == (0.3, 0.35), section.id
