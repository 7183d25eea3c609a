"""Fixtures shared by the store tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from cluster_desk.core.demo import demo_cluster
from cluster_desk.store.project import Project


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The demo cluster (members, links, settings) in a fresh project file."""
    members, links, settings = demo_cluster()
    path = tmp_path / "demo.cdesk"
    with Project.create(path, name="demo") as p:
        p.add_members(members)
        p.add_links(links)
        p.set_settings(settings)
    return path
