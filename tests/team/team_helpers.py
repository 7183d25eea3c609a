"""Shared steps of the team tests: a published cluster and working copies of it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import psycopg

from cluster_desk.core.model import Link, LinkKind, Member
from cluster_desk.store.project import Project
from cluster_desk.team.onboard import clone, publish

CLUSTER = "Kazan auto"


@dataclass
class TeamDb:
    server: Any
    name: str

    def dsn(self, user: str) -> str:
        return self.server.dsn(self.name, user)

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.dsn("postgres"), autocommit=True)

    def assign(self, cluster: str, login: str, role: str) -> None:
        with self.admin() as conn:
            conn.execute("INSERT INTO cdesk.assignments (cluster_id, login, role) VALUES (%s, %s, %s)",
                         (cluster, login, role))


def roster(n: int = 4) -> list[Member]:
    return [Member(f"Firm {i}", id=f"m{i}", employees=10 * (i + 1), lat=55.7 + i / 100, lon=49.1,
                   notes="") for i in range(n)]


def published(team_db, tmp_path: Path, n: int = 4, name: str = "manager.cdesk") -> Path:
    """Mary's project with ``n`` members and one link, published as CLUSTER; alice and bob assigned."""
    path = tmp_path / name
    with Project.create(path, name=CLUSTER) as project:
        project.add_members(roster(n))
        project.add_links([Link("m0", "m1", LinkKind.SUPPLY, id="l01")])
        publish(project, team_db.dsn("mary"), CLUSTER)
    team_db.assign(CLUSTER, "alice", "officer")
    team_db.assign(CLUSTER, "bob", "officer")
    team_db.assign(CLUSTER, "ann", "analyst")
    return path


def cloned(team_db, tmp_path: Path, user: str) -> Path:
    path = tmp_path / f"{user}.cdesk"
    clone(team_db.dsn(user), CLUSTER, path)
    return path


def edit(path: Path, member_id: str, **values) -> None:
    with Project.open(path) as project:
        project.update_member(replace(project.member(member_id), **values))


def members(path: Path) -> dict[str, Member]:
    with Project.open(path) as project:
        return {m.id: m for m in project.members()}


def server_members(team_db) -> dict[str, tuple]:
    """id -> (name, employees, notes, deleted) as the server holds them."""
    with team_db.admin() as conn:
        rows = conn.execute("SELECT id, name, employees, notes, deleted FROM cdesk.members "
                            "WHERE cluster_id = %s", (CLUSTER,)).fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}
