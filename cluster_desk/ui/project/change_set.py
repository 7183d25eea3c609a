"""What one edit of the open project changed, as the session tells its views (``changed``)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChangeSet:
    """What one edit changed. ``reset`` means "reload everything" (open/close)."""

    upserted: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    settings: bool = False
    links: bool = False
    reset: bool = False
    #: Members whose position changed (the distance column needs them).
    moved: frozenset[str] = field(default=frozenset())
    #: Links added or edited / removed (``links`` is True with them); empty with ``links`` alone
    #: means "links changed, reread them" (member deletes and restores).
    link_upserted: frozenset[str] = field(default=frozenset())
    link_removed: frozenset[str] = field(default=frozenset())
    #: Who made the change: "" (a command, undo, redo, another process) or the view that did it
    #: ("map" for a marker drag), which then is not sent its own change back.
    origin: str = ""
    #: Members whose name changed (views showing names refresh them); None = not known, any
    #: upserted one may have been renamed. A marker drag says frozenset().
    renamed: frozenset[str] | None = None
