"""The project file (SQLite), no Qt: see project.Project.

Its names are loaded when first asked for (PEP 562): ``store.fileguard`` alone must not load
``store.project`` and numpy with it, so that ``check`` can start the file's integrity check on
its own thread before numpy's ~0.1 s import (issue 17)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cluster_desk.store.changes import Change
    from cluster_desk.store.errors import Notice, ProjectBusy, ProjectError, RecordGone
    from cluster_desk.store.project import Project

__all__ = ["Change", "Notice", "Project", "ProjectBusy", "ProjectError", "RecordGone"]

_HOME = {"Change": "changes", "Notice": "errors", "ProjectBusy": "errors", "ProjectError": "errors",
         "RecordGone": "errors", "Project": "project"}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
