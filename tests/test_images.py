"""The image pipeline without Kivy: odd files from cameras and phones, sizes, the disk cache."""

from __future__ import annotations

import os
import struct
import zlib

import pytest
from PIL import Image

from kiosk.images import ImageError, Pipeline, bucket, decode, fitted_size, target_box
from kiosk.images.pipeline import DiskCache


def jpeg(path, size=(64, 32), colour=(200, 30, 30), **save):
    Image.new("RGB", size, colour).save(path, "JPEG", quality=90, **save)
    return path


def bomb_png(path, side=30000):
    """A tiny PNG whose header claims ``side`` x ``side`` pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) \
        + chunk(b"IEND", b"")
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------ sizes


def test_fitted_size_contains_or_covers_and_never_enlarges():
    assert fitted_size(6000, 4000, (1200, 1200), "contain") == (1200, 800)
    assert fitted_size(6000, 4000, (300, 300), "cover") == (450, 300)
    assert fitted_size(100, 50, (1200, 1200), "contain") == (100, 50)
    assert fitted_size(100, 50, (1200, 1200), "cover") == (100, 50)


def test_target_box_rounds_up_and_is_capped_by_the_screen():
    assert bucket(300) == 384 and bucket(384) == 384 and bucket(99999) == 3840
    assert target_box(330, 290) == (384, 384)
    assert target_box(4320, 7680, limit=(1080, 1920)) == (1280, 1920)


# ------------------------------------------------------------- good pictures


def test_a_big_photo_is_scaled_down_to_the_box(tmp_path):
    src = jpeg(tmp_path / "big.jpg", (4000, 3000))
    out = decode(str(src), (1024, 1024), "contain")
    assert (out.width, out.height, out.mode) == (1024, 768, "RGB")
    assert out.nbytes == 1024 * 768 * 3


def test_exif_rotation_is_applied(tmp_path):
    im = Image.new("RGB", (40, 20), (0, 0, 255))
    im.paste((255, 0, 0), (0, 0, 20, 20))  # left half red in the file
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned 90 degrees clockwise
    im.save(tmp_path / "rot.jpg", "JPEG", exif=exif, quality=95)
    out = decode(str(tmp_path / "rot.jpg"), (100, 100))
    assert (out.width, out.height) == (20, 40)
    top = Image.frombytes(out.mode, (out.width, out.height), out.data).getpixel((10, 5))
    assert top[0] > 200 and top[2] < 60  # the red half is now on top


PEAK = """
import sys
from kiosk.images import decode

def kb(field):
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(field))

with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")  # the high-water mark starts again from here
before = kb("VmRSS:")
decoded = decode(sys.argv[1], (1280, 1920), "contain")
print((kb("VmHWM:") - before) // 1024, decoded.width, decoded.height)
"""


def test_a_big_picture_is_held_in_full_only_once_while_it_is_scaled(tmp_path):
    """Two of them decoding at once must not cost a kiosk 300 MB: the upright copy of the
    full picture is made in place, and the full picture goes before the small one is copied."""
    import subprocess
    import sys

    if not os.path.exists("/proc/self/clear_refs"):
        pytest.skip("needs Linux's memory counters")
    path = tmp_path / "scan.png"  # a PNG: decoded in full (JPEGs are decoded smaller)
    Image.new("RGB", (6000, 4000), (120, 40, 40)).save(path, compress_level=1)
    full_mb = 6000 * 4000 * 4 // 1048576  # Pillow keeps RGB pixels in 4 bytes: 91 MB
    out = subprocess.run([sys.executable, "-c", PEAK, str(path)], capture_output=True, text=True,
                         check=True, timeout=120).stdout.split()
    assert out[1:] == ["1280", "853"]
    assert int(out[0]) < full_mb * 1.6  # (it was 2.4 times: a copy made upright, then scaled)


def test_cmyk_and_progressive_jpegs_become_rgb(tmp_path):
    Image.new("CMYK", (30, 20), (0, 255, 255, 0)).save(tmp_path / "cmyk.jpg", "JPEG")
    out = decode(str(tmp_path / "cmyk.jpg"), (64, 64))
    assert out.mode == "RGB" and (out.width, out.height) == (30, 20)
    r, g, b = Image.frombytes("RGB", (30, 20), out.data).getpixel((15, 10))
    assert r > 200 and g < 60 and b < 60
    jpeg(tmp_path / "prog.jpg", (800, 600), progressive=True)
    out = decode(str(tmp_path / "prog.jpg"), (400, 400))
    assert (out.width, out.height, out.mode) == (400, 300, "RGB")


def test_sixteen_bit_png_is_scaled_to_eight_bits_not_clipped(tmp_path):
    grey = Image.new("I;16", (10, 10), 32768)  # mid grey in 16 bits
    grey.save(tmp_path / "g16.png")
    out = decode(str(tmp_path / "g16.png"), (64, 64))
    assert out.mode == "RGB"
    assert 120 <= out.data[0] <= 135


def test_transparency_is_kept(tmp_path):
    Image.new("RGBA", (8, 8), (10, 20, 30, 100)).save(tmp_path / "a.png")
    out = decode(str(tmp_path / "a.png"), (64, 64))
    assert out.mode == "RGBA" and out.data[:4] == bytes((10, 20, 30, 100))


# -------------------------------------------------------------- bad files


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_text("这不是图片 not a picture", encoding="utf-8"), "not a picture"),
    (lambda p: p.write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 200), "HEIC"),
    (lambda p: bomb_png(p), "too large"),
])
def test_unusable_files_give_a_clear_error(tmp_path, make, words):
    bad = tmp_path / "bad.jpg"
    make(bad)
    with pytest.raises(ImageError) as caught:
        decode(str(bad), (512, 512))
    assert words in caught.value.message
    assert caught.value.message_zh  # Chinese for staff too


def test_a_truncated_jpeg_is_reported_as_incomplete(tmp_path):
    src = tmp_path / "cut.jpg"
    im = Image.effect_noise((400, 300), 60).convert("RGB")
    im.save(src, "JPEG", quality=90)
    src.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    with pytest.raises(ImageError) as caught:
        decode(str(src), (512, 512))
    assert "incomplete" in caught.value.message and "截断" in caught.value.message_zh


# -------------------------------------------------------------- the cache


def test_pipeline_decodes_once_and_reuses_the_disk_cache(tmp_path):
    src = jpeg(tmp_path / "p.jpg", (3000, 2000))
    pipe = Pipeline(tmp_path / "cache")
    first = pipe.load(str(src), (512, 512), "contain")
    assert (first.width, first.height) == (512, 341) and pipe.decodes == 1
    again = pipe.load(str(src), (512, 512), "contain")
    assert (again.width, again.height) == (512, 341)
    thumb = pipe.load(str(src), (128, 128), "cover")  # made from the master
    assert (thumb.width, thumb.height) == (192, 128)
    assert pipe.decodes == 1
    fresh = Pipeline(tmp_path / "cache")  # a restart: the disk cache answers
    fresh.load(str(src), (512, 512), "contain")
    assert fresh.decodes == 0


def test_a_file_replaced_at_the_same_path_is_decoded_again(tmp_path):
    src = jpeg(tmp_path / "p.jpg", colour=(255, 0, 0))
    pipe = Pipeline(tmp_path / "cache")
    assert pipe.load(str(src), (64, 64)).data[:3][0] > 200
    jpeg(src, colour=(0, 0, 255))
    os.utime(src, ns=(1, 1))  # even with an old modification time
    got = pipe.load(str(src), (64, 64)).data[:3]
    assert got[2] > 200 and got[0] < 60


def test_same_bytes_elsewhere_share_the_cache(tmp_path):
    a = jpeg(tmp_path / "a.jpg", (900, 600))
    b = tmp_path / "copy.jpg"
    b.write_bytes(a.read_bytes())
    pipe = Pipeline(tmp_path / "cache")
    pipe.load(str(a), (256, 256))
    pipe.load(str(b), (256, 256))
    assert pipe.decodes == 1


def test_disk_cache_stays_under_its_cap_removing_the_oldest(tmp_path):
    cache = DiskCache(tmp_path / "c", cap_mb=0.1)  # 104,857 bytes
    names = [f"{n:02d}entry" for n in range(8)]
    for n, name in enumerate(names):
        path = cache.reserve(name)
        path.write_bytes(b"x" * 20_000)
        os.utime(path, (1000 + n, 1000 + n))
        cache.added(path)
    assert cache.usage() <= cache.cap
    left = sorted(p.name for _, _, p in cache.entries())
    assert names[-1] in left and names[0] not in left


def test_a_damaged_cache_file_is_made_again(tmp_path):
    src = jpeg(tmp_path / "p.jpg", (300, 200))
    pipe = Pipeline(tmp_path / "cache")
    pipe.load(str(src), (128, 128))
    for _, _, path in pipe.disk.entries():
        path.write_bytes(b"garbage")
    out = Pipeline(tmp_path / "cache").load(str(src), (128, 128))
    assert (out.width, out.height) == (128, 85)


def test_cache_warm_fills_the_cache_and_lists_bad_pictures(tmp_path, capsys):
    from kiosk.cli import main

    content = tmp_path / "content"
    (content / "01-a" / "images").mkdir(parents=True)
    jpeg(content / "01-a" / "images" / "one.jpg", (3000, 2000))
    jpeg(content / "01-a" / "images" / "two.jpg", (800, 600), colour=(1, 2, 3))
    (content / "01-a" / "images" / "bad.jpg").write_text("hello", encoding="utf-8")
    (content / "01-a" / "images" / "~$temp.jpg").write_text("office lock file", encoding="utf-8")
    code = main(["cache", "warm", str(content), "--cache-dir", str(tmp_path / "cache"),
                 "--jobs", "2"])
    out = capsys.readouterr()
    assert code == 1
    assert "3 pictures, 2 decoded now" in out.out
    assert "01-a/images/bad.jpg: error:" in out.out and "not a picture" in out.out
    assert "[####" in out.err and "3/3" in out.err  # the progress bar
    assert len(DiskCache(tmp_path / "cache").entries()) == 2
    pipe = Pipeline(tmp_path / "cache")
    pipe.load(str(content / "01-a" / "images" / "one.jpg"), (512, 512))
    assert pipe.decodes == 0  # the app finds the work done
