"""The project file (SQLite), no Qt: see project.Project."""

from cluster_desk.store.changes import Change
from cluster_desk.store.errors import Notice, ProjectBusy, ProjectError, RecordGone
from cluster_desk.store.project import Project

__all__ = ["Change", "Notice", "Project", "ProjectBusy", "ProjectError", "RecordGone"]
