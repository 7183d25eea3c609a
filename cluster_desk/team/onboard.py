"""How a project becomes a working copy: clone a cluster, publish a project as a new cluster,
or join an existing cluster with an existing project. Network parts are separate functions so
the UI can run them off the GUI thread.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from cluster_desk.core.model import ClusterSettings, Link, Member
from cluster_desk.store.project import Project, ProjectError
from cluster_desk.team import exchange as ex
from cluster_desk.team.pull import apply_pull
from cluster_desk.team.records import settings_values, values_of
from cluster_desk.team.server import (
    NotAllowed,
    PasswordSource,
    TeamError,
    check_schema,
    connect,
    public_dsn,
    translate,
)
from cluster_desk.team.sync import SyncReport, sync
from cluster_desk.team.workcopy import TEAM_KEY, TeamLink, now_utc, require_link, save_link, team_link


def clone(dsn: str, cluster: str, out: str | os.PathLike[str], password: PasswordSource | None = None) -> int:
    """A new project at ``out`` holding the cluster's records, as a working copy; returns members."""
    from cluster_desk.atomic import atomic_path

    dest = Path(out)
    if dest.exists():
        raise ProjectError.of("exists", path=dest)
    try:
        conn = connect(dsn, password=password)
    except Exception as e:
        raise translate(e) from e
    try:
        check_schema(conn)
        data = ex.pull(conn, cluster, None)
    except Exception as e:
        raise translate(e) from e
    finally:
        conn.close()
    with atomic_path(dest) as tmp, Project.create(tmp, name=data.cluster_name) as project:
        project.set_settings(replace(project.settings(), name=data.cluster_name))
        link = TeamLink(public_dsn(dsn), cluster)
        save_link(project, link)
        apply_pull(project, data)
        link = require_link(project)
        link.pushed_seq, link.pulled = project.last_seq(), []
        save_link(project, link)
    return len(data.rows.get("member", []))


def publish(project: Project, dsn: str, cluster: str, password: PasswordSource | None = None) -> int:
    """Make the project a new cluster on the server and this file its working copy; returns members."""
    existing = team_link(project)
    if existing is not None:
        raise ProjectError.of("already_working_copy", path=project.path, cluster=existing.cluster)
    members: list[Member] = project.members()
    upto = project.last_seq()
    cursor = publish_records(dsn, cluster, members, project.links(), password, project.settings())
    adopt_published(project, dsn, cluster, cursor, upto)
    return len(members)


def publish_records(
    dsn: str, cluster: str, members: list[Member], links: list[Link], password: PasswordSource | None = None,
    settings: ClusterSettings | None = None,
) -> str:
    """Network only: create the cluster with these records; returns the pull cursor to start from."""
    if not cluster.strip() or len(cluster) > 200:
        raise TeamError.of("cluster_name_length")
    try:
        conn = connect(dsn, password=password)
    except Exception as e:
        raise translate(e) from e
    try:
        check_schema(conn)
        ex.publish_rows(conn, cluster, [{"id": m.id, **values_of(m)} for m in members],
                        [{"id": lk.id, **values_of(lk)} for lk in links],
                        settings_values(settings) if settings is not None else None)
        return ex.snapshot_cursor(conn)
    except Exception as e:
        raise translate(e) from e
    finally:
        conn.close()


def adopt_published(project: Project, dsn: str, cluster: str, cursor: str, upto_seq: int) -> None:
    """The project becomes the working copy of the cluster it was published as.

    Edits logged after ``upto_seq`` (made while publishing) are not in the published records:
    they stay pending and go with the next sync.
    """
    link = TeamLink(public_dsn(dsn), cluster, cursor=cursor, pushed_seq=upto_seq, last_sync=now_utc())
    save_link(project, link)


def check_cluster(dsn: str, cluster: str, password: PasswordSource | None = None) -> bool:
    """Network only: the cluster exists and this user may see it (NotAllowed if not); True if
    the user may also edit it."""
    try:
        conn = connect(dsn, password=password)
    except Exception as e:
        raise translate(e) from e
    try:
        check_schema(conn)
        visible, writable = ex.cluster_access(conn, cluster)
    except Exception as e:
        raise translate(e) from e
    finally:
        conn.close()
    if not visible:
        raise NotAllowed.of("cluster_not_visible", cluster=cluster)
    return writable


def adopt_existing(project: Project, dsn: str, cluster: str) -> None:
    """The project becomes a working copy of an existing cluster; its next sync sends its whole
    change log (records the server holds with other values become conflicts, the server's value
    stays) and receives every record of the cluster."""
    existing = team_link(project)
    if existing is not None:
        raise ProjectError.of("already_working_copy", path=project.path, cluster=existing.cluster)
    save_link(project, TeamLink(public_dsn(dsn), cluster))


def join(project: Project, dsn: str, cluster: str, password: PasswordSource | None = None) -> SyncReport:
    """``adopt_existing`` and the first sync; if that sync fails the project is left as it was."""
    check_cluster(dsn, cluster, password)
    adopt_existing(project, dsn, cluster)
    try:
        return sync(project, password)
    except TeamError:
        project.set_meta({TEAM_KEY: ""})  # not a working copy after all
        raise
