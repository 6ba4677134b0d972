"""Giving freed memory back to the system while the kiosk runs all day.

Decoding photos (on worker threads) and building screens frees a lot of
memory in small pieces. The C library keeps those pieces for reuse instead of
returning them, so the process's resident size stays at its high-water mark
(about 60 MB more than needed after a walk through a few hundred photos).
A second after the visitor's last screen change or the last picture shown,
:class:`MemoryTrim` asks the C library to return what is free
(``malloc_trim``, glibc only; elsewhere it does nothing), and every few
seconds while a visitor keeps swiping. A trim takes about a millisecond.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger("kiosk")

QUIET = 1.0  # seconds after the last screen change or picture before trimming
BUSY = 3.0  # while they keep coming (a visitor swiping on), trim at least this often


def _trim_function():
    try:
        name = ctypes.util.find_library("c")
        libc = ctypes.CDLL(name) if name else None
        trim = getattr(libc, "malloc_trim", None)
    except OSError:
        return None
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


class MemoryTrim:
    def __init__(self, quiet: float = QUIET, busy: float = BUSY):
        from kivy.clock import Clock

        self._trim = _trim_function()
        self._event = Clock.create_trigger(self.trim_now, quiet)  # restarted by each event
        self._busy = Clock.create_trigger(self.trim_now, busy)  # not restarted: a ceiling
        self.trims = 0

    @property
    def available(self) -> bool:
        return self._trim is not None

    def soon(self, *_):
        """Something freed memory: trim once things have been quiet for a moment."""
        if self._trim is not None:
            self._event.cancel()
            self._event()
            self._busy()

    def trim_now(self, *_):
        self._event.cancel()
        self._busy.cancel()
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
