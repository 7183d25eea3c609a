"""The project file (SQLite), no Qt: see project.Project."""

from cluster_desk.store.changes import Change
from cluster_desk.store.project import Project, ProjectError

__all__ = ["Change", "Project", "ProjectError"]
