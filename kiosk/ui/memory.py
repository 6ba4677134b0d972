"""Giving freed memory back to the system while the kiosk runs all day.

Decoding photos (on worker threads) and building screens frees a lot of
memory in small pieces. The C library keeps those pieces for reuse instead of
returning them, so the process's resident size stays at its high-water mark
(about 60 MB more than needed after a walk through a few hundred photos).
A second after the visitor's last screen change or the last picture shown,
:class:`MemoryTrim` asks the C library to return what is free
(``malloc_trim``, glibc only; elsewhere it does nothing), and every few
seconds while a visitor keeps swiping. A trim takes about a millisecond.

Large blocks are another matter. glibc hands out blocks from 128 KiB up as
their own mappings, returned to the system the moment they are freed, but
each time such a block is freed it raises that threshold to the block's size
(up to 32 MB). After the first photo buffer (a screen-sized picture is 6-8 MB)
every later one came from the heap, where a small allocation made meanwhile
pins it: the resident size rose about 100 MB above what was in use while a
visitor swiped through photos. :func:`release_large_blocks` fixes the
threshold (``mallopt``), so photo buffers go back as soon as they are freed.

Python's own collector of reference cycles is the third. Every so often it
walks all objects that have lived long, and with 2,000 exhibits loaded that
walk took 70-130 ms, landing on whatever tap happened to cause it (one
exhibit page in six opened that much later). The content snapshot never
forms garbage while it is in use, so in the first quiet moment after the
content is put on screen, :meth:`MemoryTrim.settle` collects once and
freezes what is alive (``gc.freeze``): later passes skip it. The next
content swap unfreezes it again, so an old snapshot is still collected.

What was left in the full passes, the screens built during a visit (about
100,000 widget objects after a few sections), still cost 50-70 ms a pass, and
Python started one after every ten collections of the middle generation, which
a tap or two of a list makes: one exhibit tap in six waited for one. Full
passes are now the kiosk's to start. In a quiet moment, once a few middle
collections went by, it collects what was made since the last quiet moment and
freezes what survives, so each pass looks only at the objects of the last
screen or two (a few milliseconds). Screens dropped later are frozen garbage
until a full settle (as after a content swap) looks at everything again: one
comes in a quiet moment once the frozen objects have grown by
:data:`SETTLE_GROWTH` since the last. For a visitor who never pauses, a full
settle comes at a regular trim after :data:`FULL_PASSES_EVERY` middle collections,
and in the photo viewer once :data:`PHOTOS_PER_SETTLE` photos were shown: with passes
of new objects only, a visitor swiping on piled up frozen and unfrozen garbage, about
1 MB a photo, and the pictures that garbage held.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging

log = logging.getLogger("kiosk")

QUIET = 1.0  # seconds after the last screen change or picture before trimming
BUSY = 3.0  # while they keep coming (a visitor swiping on), trim at least this often
# Full collections: Python's own start after every 10 collections of the middle generation
# (about every tap or two of a list); the kiosk's in a quiet moment once QUIET_PASS of those
# went by, and at a regular trim whatever the moment once FULL_PASSES_EVERY did.
QUIET_PASS = 3
FULL_PASSES_EVERY = 50
SETTLE_GROWTH = 0.1  # frozen objects grown by this share: look at all of them again
# a visitor who never pauses in the photo viewer: a regular trim settles once this many photos
# were shown since the last settle (each leaves its garbage holding pictures)
PHOTOS_PER_SETTLE = 3


LARGE_BLOCK = 128 * 1024  # blocks from this size up are mapped on their own (glibc's default)
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)


def _libc_function(name: str, argtypes):
    try:
        found = ctypes.util.find_library("c")
        libc = ctypes.CDLL(found) if found else None
        function = getattr(libc, name, None)
    except OSError:
        return None
    if function is None:
        return None
    function.argtypes = argtypes
    function.restype = ctypes.c_int
    return function


def _trim_function():
    return _libc_function("malloc_trim", [ctypes.c_size_t])


_large_blocks_released = False


def release_large_blocks() -> bool:
    """Have every block of :data:`LARGE_BLOCK` or more returned to the system when freed,
    for the rest of the process (glibc only). True if the setting is in force."""
    global _large_blocks_released
    if not _large_blocks_released:
        mallopt = _libc_function("mallopt", [ctypes.c_int, ctypes.c_int])
        try:
            _large_blocks_released = bool(mallopt and mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK))
        except Exception:  # never let housekeeping take the kiosk down
            log.exception("setting the allocator's threshold failed")
    return _large_blocks_released


class MemoryTrim:
    def __init__(self, quiet: float = QUIET, busy: float = BUSY):
        from kivy.clock import Clock

        self._trim = None  # the C library's malloc_trim, found by start()
        self._event = Clock.create_trigger(self._quiet, quiet)  # restarted by each event
        self._busy = Clock.create_trigger(self._busy_trim, busy)  # not restarted: a ceiling
        self.trims = 0
        self.unsettled = True  # content shown that settle() has not frozen yet
        self.settles = 0
        self.full_collections = 0  # full passes this trimmer started
        self.passes_held = False  # the caller collects (hold_passes)
        self._settled_count = 0  # objects frozen by the last full settle
        self._photos = 0  # photos shown since the last settle
        self._thresholds = gc.get_threshold()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, FULL_PASSES_EVERY * 10)  # Python's own: rarely

    def start(self) -> MemoryTrim:
        """Find the C library's functions (after the first frame: that takes a moment)."""
        if self._trim is None:
            self._trim = _trim_function()
        release_large_blocks()
        return self

    @property
    def available(self) -> bool:
        return self._trim is not None

    def soon(self, *_, photo: bool = False):
        """Something freed memory: trim once things have been quiet for a moment. ``photo``:
        a photo was shown (see :meth:`_busy_trim`)."""
        self._photos += 1 if photo else 0
        self._event.cancel()
        self._event()
        if self._trim is not None:
            self._busy()

    def content_changed(self):
        """A new content snapshot is on screen: settle it at the next quiet moment."""
        self.unsettled = True
        self.soon()

    def hold_passes(self) -> None:
        """The caller collects from now on (``kiosk render``, after each picture): this trim
        neither collects nor freezes, and only hands freed memory back."""
        self.passes_held = True

    def _quiet(self, *_):
        if self.passes_held:
            self.trim_now()
            return
        if self.unsettled or self._grown():
            self.settle()
        else:
            self.collect_full(QUIET_PASS)
        self.trim_now()

    def collect_full(self, after: int = 0) -> bool:
        """If at least ``after`` collections of the middle generation went by since the
        last full one: collect all that is not frozen and freeze what survives."""
        if gc.get_count()[2] < after:
            return False
        try:
            gc.collect()
            gc.freeze()
        except Exception:  # never let housekeeping take the kiosk down
            log.exception("collecting garbage failed")
            return False
        self.full_collections += 1
        return True

    def settle(self) -> int:
        """Collect cyclic garbage once and leave what is alive out of later full collections
        (until the next content swap). Returns how many objects are frozen."""
        self.unsettled = False
        try:
            gc.unfreeze()  # the last snapshot's objects may be garbage by now
            gc.collect()
            gc.freeze()
        except Exception:  # never let housekeeping take the kiosk down
            log.exception("settling long-lived objects failed")
            return 0
        self.settles += 1
        self._photos = 0
        self._settled_count = gc.get_freeze_count()
        return self._settled_count

    def _busy_trim(self, *_):
        """A visitor who keeps going: trim without waiting for a pause (which still gets
        its own trim, and its full collection), and collect everything now and then. Each
        photo swiped leaves about 5,000 objects of garbage that only a full pass frees (about
        1 MB with their text textures), and what a pass of new objects froze is dropped as the
        visitor moves on: frozen garbage. So for a visitor who never pauses, every
        :data:`FULL_PASSES_EVERY` middle collections (about a dozen photos) the pass is a
        settle, frozen objects included: memory stays flat (it rose by about 100 MB over 100
        photos swiped), for one collection of 50-130 ms every dozen photos or so. In the
        photo viewer sooner, once :data:`PHOTOS_PER_SETTLE` photos were shown since the last
        settle: their garbage holds their pictures (without this, 100 MB more at the peak of
        500 camera photos visited one after the other). Exhibit taps are not counted."""
        if not self.passes_held and (self._grown() or gc.get_count()[2] >= FULL_PASSES_EVERY
                                     or self._photos >= PHOTOS_PER_SETTLE):
            self.settle()
        self._release()

    def _grown(self) -> bool:
        return gc.get_freeze_count() > self._settled_count * (1 + SETTLE_GROWTH)

    def trim_now(self, *_):
        self._event.cancel()
        self._busy.cancel()
        return self._release()

    def _release(self) -> bool:
        if self._trim is None:
            return False
        try:
            self._trim(0)
        except Exception:  # never let housekeeping take the kiosk down
            log.exception("returning free memory failed")
            return False
        self.trims += 1
        return True

    def stop(self):
        self._event.cancel()
        self._busy.cancel()
        gc.unfreeze()  # what this app froze is the collector's again
        gc.set_threshold(*self._thresholds)  # and its full passes Python's to start
