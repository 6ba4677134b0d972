"""Freed memory goes back to the system a moment after the visitor's last screen change,
and every few seconds while they keep swiping."""

from __future__ import annotations

import pytest
from kivy.core.window import Window

from kiosk.ui.memory import BUSY, QUIET

pytestmark = pytest.mark.whole_settles  # the settle itself is tested: as in the kiosk


def test_memory_is_returned_when_quiet_and_regularly_while_busy(kiosk, demo_content):
    app = kiosk.start(demo_content)
    trim = app.memory_trim
    assert trim.available  # glibc here
    kiosk.advance(BUSY + 1)
    before = trim.trims
    app.go("section/gallery")
    kiosk.advance(QUIET * 0.5)
    assert trim.trims == before  # not while things are still moving
    kiosk.advance(QUIET * 2)  # (its pictures arriving count as activity too)
    assert trim.trims == before + 1
    # a visitor swiping on and on: a trim at least every BUSY seconds all the same
    before = trim.trims
    for n in range(12):
        app.go(f"photo/gallery/{n % 10 + 1}", push=False)
        kiosk.advance(QUIET * 0.5)
    assert trim.trims >= before + int(12 * QUIET * 0.5 // BUSY)
    assert trim.trims >= before + 1
    Window.unbind(size=app._update_metrics)


FRAGMENTS = """
import os, sys
from kiosk.ui.memory import release_large_blocks

def rss_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576

if sys.argv[1] == "released":
    assert release_large_blocks()
first = b"\\1" * (16 << 20)  # a first big picture, freed
del first
base = rss_mb()
pictures, small = [], []
for n in range(20):  # twenty screen-sized pictures, small objects made in between
    pictures.append(b"\\1" * (6 << 20))
    small.append(bytes(5000 + n))
del pictures
print(round(rss_mb() - base))
"""


def _held_after_freeing(mode: str) -> int:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", FRAGMENTS, mode], capture_output=True, text=True,
                         check=True, timeout=60)
    return int(out.stdout.strip())


def test_big_picture_buffers_go_back_to_the_system_as_soon_as_they_are_freed():
    import pytest

    from kiosk.ui import memory

    if memory._libc_function("mallopt", []) is None:
        pytest.skip("not glibc")
    # glibc alone keeps 120 MB of freed picture buffers here ...
    assert _held_after_freeing("default") > 60
    # ... and hands them back with the kiosk's setting, which the app makes at start
    assert _held_after_freeing("released") < 10
    assert memory._large_blocks_released


class _Knot:
    """An object in a reference cycle: only the cyclic collector can free it."""

    def __init__(self):
        self.me = self


def test_the_content_on_screen_is_left_out_of_the_collectors_full_passes(kiosk, demo_content):
    import gc
    import weakref

    app = kiosk.start(demo_content)
    trim = app.memory_trim
    knot = _Knot()
    gone = weakref.ref(knot)
    kiosk.advance(QUIET * 2)
    # settled in the first quiet moment: the exhibits (and all else alive) are frozen
    assert trim.settles >= 1 and not trim.unsettled
    section = app.content.sections[0]
    assert gc.get_freeze_count() > 1000
    assert not any(o is section for o in gc.get_objects())
    del knot  # garbage now, but frozen: a collection leaves it
    gc.collect()
    assert gone() is not None
    # new content comes: its snapshot is frozen in turn, and what was frozen before is
    # looked at again, so the garbage among it goes
    settles = trim.settles
    app.apply_content(app.loader.load())
    assert trim.unsettled
    kiosk.advance(QUIET * 2)
    assert trim.settles == settles + 1
    assert gone() is None
    fresh = app.content
    assert gc.is_tracked(fresh) and not any(o is fresh for o in gc.get_objects())
    app.stop()
    assert gc.get_freeze_count() == 0
    Window.unbind(size=app._update_metrics)


def test_full_collections_wait_for_a_quiet_moment_and_free_what_was_dropped(kiosk, demo_content):
    """Python's own full collections came every ten middle ones, about one exhibit tap in six
    waited 50-70 ms for one: the kiosk starts them, a moment after the visitor's last tap."""
    import gc
    import weakref

    from kiosk.ui.memory import FULL_PASSES_EVERY, QUIET_PASS

    app = kiosk.start(demo_content)
    trim = app.memory_trim
    kiosk.advance(QUIET * 2)  # settled
    full = []

    def seen(phase, info):
        if phase == "start" and info["generation"] == 2:
            full.append(info)

    knot = _Knot()
    gone = weakref.ref(knot)
    gc.collect()  # (the knot grows old)
    gc.callbacks.append(seen)
    try:
        del knot  # garbage now, which only a full collection frees
        for route in ("section/history", "exhibit/history/2015-first-center", "section/centers",
                      "section/history") * 2:  # a visitor tapping on without a pause
            app.go(route)
            kiosk.advance(QUIET * 0.5)
            junk = [[n] for n in range(30_000)]  # (young collections, as building screens makes)
            del junk
        assert gc.get_count()[2] >= QUIET_PASS  # Python would have started one by now
        assert full == [] and gone() is not None
        kiosk.advance(QUIET * 2)  # the visitor reads
        assert len(full) == 1 and gone() is None
        assert trim.full_collections >= 1
        # and one who never pauses gets them all the same, now and then: in the photo viewer
        # at each regular trim once a few photos were shown (their garbage holds pictures),
        # never more than one a trim
        full.clear()
        for n in range(30):
            app.go(f"photo/gallery/{n % 10 + 1}", push=False)
            junk = [[n] for n in range(FULL_PASSES_EVERY * 7_000 // 20)]
            del junk
            kiosk.advance(QUIET * 0.5)
        trims = 30 * QUIET * 0.5 / BUSY  # 15 s of swiping
        assert trims - 1 <= len(full) <= trims + 1
    finally:
        gc.callbacks.remove(seen)
    threshold = gc.get_threshold()
    app.stop()
    assert gc.get_threshold()[2] < threshold[2]  # Python's own again
    Window.unbind(size=app._update_metrics)


def test_what_a_quiet_pass_froze_and_was_dropped_later_is_freed_by_the_next_settle(kiosk,
                                                                                 demo_content):
    import gc
    import weakref

    from kiosk.ui.memory import QUIET_PASS, SETTLE_GROWTH

    app = kiosk.start(demo_content)
    trim = app.memory_trim
    kiosk.advance(QUIET * 2)  # settled
    settles = trim.settles
    knot = _Knot()  # (as a screen built during a visit)
    gone = weakref.ref(knot)
    for route in ("section/history", "section/centers") * QUIET_PASS * 2:
        app.go(route)
        junk = [[n] for n in range(30_000)]
        del junk
        kiosk.advance(QUIET * 0.5)
    kiosk.advance(QUIET * 2)  # a quiet pass: the knot survives it and is frozen
    assert trim.settles == settles and gone() is not None
    assert not any(o is knot for o in gc.get_objects())
    del knot  # the screen is dropped: frozen garbage
    kept = [[n] for n in range(int(gc.get_freeze_count() * SETTLE_GROWTH) + 1000)]  # growth
    app.go("section/history")
    kiosk.advance(QUIET * 2)  # frozen with the next quiet pass ...
    app.go("section/centers")
    kiosk.advance(QUIET * 2)  # ... and the next quiet moment looks at everything again
    assert trim.settles == settles + 1 and gone() is None
    del kept
    app.stop()
    Window.unbind(size=app._update_metrics)
