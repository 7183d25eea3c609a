"""The store's one error type: what the user is shown when a project cannot be used."""

from __future__ import annotations


class ProjectError(Exception):
    """A project file cannot be opened, created or written; ``str()`` is shown to the user."""
