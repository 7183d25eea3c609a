"""A big file's passing integrity check, remembered until the file changes (issue 17).

``quick_check`` reads every page of the members' and links' tables and their indexes: at a
million members and three million links ~2.2 s of CPU alone, 4-5 s of a core beside the
reads of an open or a ``check`` on two cores (the command's wall time waits for it; a window
gets its first assessment later). A file that has not changed since a check passed would pass
it again, so the verdict is kept in the user's cache, beside the columns snapshot, under what
any write to the file changes:

* its ``stat``: device, inode, size, modification and status-change times in nanoseconds
  (a commit by any program, a copy or a restore over it, a sync or a ``touch``);
* its first 100 bytes, SQLite's header, whose file change counter every commit bumps in the
  project's rollback-journal mode.

The next open of the very same file (window or command) skips the check; anything else about
the file runs it as before. The verdict is written only when the file's state was the same
before and after the check (no commit slipped in before the check's read began). What it
cannot see: a disk that changes bytes under an unchanged ``stat``; SQLite still refuses a page
it cannot parse when it reads one. Files under ``MIN_BYTES`` are always checked (well under a
second), and ``Project.check()`` (the full check a user asks for) never consults it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from cluster_desk.atomic import atomic_open

#: Files from this size on may skip the check of an unchanged file (the open's partial check:
#: fileguard.FULL_CHECK_MAX_BYTES).
MIN_BYTES = 64 * 1024 * 1024
#: How many verdicts the cache keeps (the most recently written; a few hundred bytes each).
KEEP = 16
_SUFFIX = ".checked"


def state(path: Path) -> dict[str, Any] | None:
    """What any write to ``path`` changes (see the module's text); None when it cannot be read."""
    try:
        with open(path, "rb") as f:
            header = f.read(100)
            st = os.fstat(f.fileno())
    except OSError:
        return None
    return {"path": str(Path(path).resolve()), "dev": st.st_dev, "ino": st.st_ino, "size": st.st_size,
            "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns, "header": header.hex()}


def memo_file(path: Path) -> Path:
    """Where the verdict of ``path`` is kept (the columns snapshot's folder and name)."""
    from cluster_desk.store.snapshot import cache_file

    return cache_file(path).with_suffix(_SUFFIX)


def passed_before(now: dict[str, Any] | None) -> bool:
    """A check passed on the file in the state ``now`` (``state()`` read just before)."""
    if now is None or now["size"] < MIN_BYTES:
        return False
    try:
        return bool(json.loads(memo_file(Path(now["path"])).read_text("utf-8")) == now)
    except (OSError, ValueError):
        return False


def remember(path: Path, before: dict[str, Any] | None) -> bool:
    """Keep the verdict of a check that passed on ``path``, read in the state ``before``; only
    when the file is still in it (else a commit may have come between). False when not kept."""
    if before is None or before["size"] < MIN_BYTES or state(path) != before:
        return False
    target = memo_file(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_open(target, "w", encoding="utf-8") as f:
            json.dump(before, f)
        kept = sorted(target.parent.glob(f"*{_SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:  # a cache: the next open checks the file again
        return False
    return True
