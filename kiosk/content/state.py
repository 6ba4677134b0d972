"""The loader's memory kept between runs, so a restart reads only what changed.

Loading a big exhibition means parsing every file (about 0.8 s for 2,000
exhibits here). The :class:`~kiosk.content.loader.ContentLoader` already
remembers what it parsed and built, keyed by each file's size, times and
inode, and re-reads only files whose key moved. Saving that memory to the
kiosk's state folder (never to the content folder) and restoring it at the
next start makes a restart cost one walk of the tree plus the files that
changed meanwhile.

The saved state is used only by the same code that wrote it, for the same
content folder: a different version of the loader, another folder, an
unreadable or damaged file all mean a normal full load. Nothing here imports
Kivy.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

from .loader import ContentLoader

log = logging.getLogger("kiosk.content")

STATE_FILE = "content-state.pickle"


def code_version() -> str:
    """A fingerprint of the content code: a saved state from other code is not used."""
    digest = hashlib.sha1()
    here = Path(__file__).resolve().parent
    for path in sorted(here.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def restore_loader(state_file: str | os.PathLike, root: str | os.PathLike) -> ContentLoader | None:
    """The loader saved for ``root``, or None when there is none that can be trusted."""
    path = Path(state_file)
    try:
        with open(path, "rb") as fh:
            saved = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # damaged, truncated, from another Python: start afresh
        log.info("the saved content state %s is not used (%s)", path, exc)
        return None
    if not isinstance(saved, dict) or saved.get("code") != code_version():
        return None
    loader = saved.get("loader")
    if not isinstance(loader, ContentLoader) or loader.root != os.path.abspath(os.fspath(root)):
        return None
    return loader


def save_loader(loader: ContentLoader, state_file: str | os.PathLike) -> bool:
    """Write the loader's memory (atomically). False, logged, when it cannot be written."""
    path = Path(state_file)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps({"code": code_version(), "loader": loader},
                            protocol=pickle.HIGHEST_PROTOCOL)
        fd, tmp = tempfile.mkstemp(prefix=".content-state-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except Exception as exc:  # a full disk or a read-only state folder: only slower starts
        log.warning("the content state cannot be saved to %s (%s)", path, exc)
        return False
    return True


def load_with_state(root: str | os.PathLike, state_file: str | os.PathLike | None):
    """``(loader, snapshot)`` for ``root``: through the saved state when there is one,
    saving it again when the load had to read files."""
    loader = restore_loader(state_file, root) if state_file else None
    if loader is None:
        loader = ContentLoader(root)
    snapshot = loader.load()
    if state_file and loader.last_parsed:
        save_loader(loader, state_file)
    return loader, snapshot
