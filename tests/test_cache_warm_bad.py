"""`kiosk cache warm` over a content folder with every kind of bad picture in it: it
never hangs or crashes, lists each bad picture with its reason and exits with 1."""

from __future__ import annotations

import os

from badpictures import fifo, heic, huge_text_chunk, photo, text_named_jpg, truncated

from kiosk.cli import main


def test_cache_warm_lists_bad_pictures_and_never_hangs(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no kiosk.yaml here
    content = tmp_path / "content"
    images = content / "01-a" / "images"
    photo(images / "good.jpg")
    heic(images / "phone.heic")
    truncated(images / "cut.jpg")
    text_named_jpg(images / "notes.jpg")
    huge_text_chunk(images / "chunk.png")
    fifo(images / "fifo.jpg")
    os.symlink("/dev/zero", images / "zero.jpg")
    os.symlink("/dev/urandom", images / "random.png")
    code = main(["cache", "warm", "--content", str(content), "--cache-dir",
                 str(tmp_path / "cache"), "--jobs", "2", "--time-limit", "20"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert "/ 5 pictures, 2 decoded now, " in out[0]  # the ordinary files; two are good
    assert out[1] == "6 张图片无法显示 / 6 pictures cannot be shown:"
    where = f"{content}/01-a/images"
    reasons = {line.split(": error: ")[0]: line.split(" / ", 1)[1] for line in out[2:]}
    assert set(reasons) == {f"{where}/{n}" for n in (
        "chunk.png", "cut.jpg", "fifo.jpg", "notes.jpg", "random.png", "zero.jpg")}
    assert reasons[f"{where}/cut.jpg"].startswith("the picture is incomplete")
    assert reasons[f"{where}/notes.jpg"].startswith("this file is not a picture")
    assert reasons[f"{where}/chunk.png"].startswith("the picture carries too much extra data")
    assert reasons[f"{where}/fifo.jpg"].startswith("this is not an ordinary file")
    assert reasons[f"{where}/zero.jpg"].startswith("this is a link to a place outside")
    assert reasons[f"{where}/random.png"].startswith("this is a link to a place outside")


def test_cache_warm_and_check_take_the_content_folder_the_same_way(tmp_path, capsys,
                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    content = tmp_path / "content"
    photo(content / "01-a" / "p.jpg")
    assert main(["cache", "warm", "--content", str(content), "--cache-dir",
                 str(tmp_path / "cache"), "--jobs", "1"]) == 0
    assert "1 pictures, 1 decoded now" in capsys.readouterr().out
    from kiosk.content.loader import ContentLoader
    from kiosk.images.verify import PictureChecks, checks_file

    pictures = PictureChecks(file=checks_file(tmp_path / "cache"))
    (content / "site.yaml").write_text("title: T\n", encoding="utf-8")
    (content / "01-a" / "_section.yaml").write_text("title: A\nlayout: grid\n", encoding="utf-8")
    (content / "01-a" / "x.md").write_text("---\ntitle: X\ncover: p.jpg\n---\n", encoding="utf-8")
    assert not ContentLoader(content, pictures=pictures).load().problems
    assert pictures.checked == 0  # proven by the warm-up already
    assert main(["check", "--content", str(tmp_path / "nope")]) == 1
    assert capsys.readouterr().out.startswith(f"{tmp_path}/nope: error:")


def test_a_picture_over_the_time_limit_is_listed_not_waited_for(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    content = tmp_path / "content"
    photo(content / "01-a" / "slow.jpg", (3000, 2000))
    code = main(["cache", "warm", "--content", str(content), "--cache-dir",
                 str(tmp_path / "cache"), "--jobs", "1", "--time-limit", "0.001"])
    out = capsys.readouterr().out
    assert code == 1
    assert f"{content}/01-a/slow.jpg: error: 图片解码超过 0.001 秒；请缩小后再用 / the picture " \
           f"took longer than 0.001 s to decode; make it smaller" in out
