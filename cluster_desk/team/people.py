"""Who works on a cluster: assignments of logins (PostgreSQL roles) to a cluster, by a manager.

A login may be assigned when it is in one of the group roles (cdesk_manager / cdesk_officer /
cdesk_analyst: the database administrator grants those). The server's row-level security lets
only a manager of the cluster change its assignments; a refused change (0 rows) is "not allowed".
Network only (psycopg), for the UI's worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cluster_desk.team.server import NotAllowed, PasswordSource, TeamError, check_schema, connect, translate

ROLES = ("manager", "officer", "analyst")
#: The cluster roles a login's group role allows (RLS gives an analyst login no writes anyway).
ALLOWED: dict[str, tuple[str, ...]] = {"manager": ROLES, "officer": ("officer", "analyst"),
                                       "analyst": ("analyst",)}


@dataclass
class Roster:
    """The cluster's assignments (login -> role), the logins that could be assigned (login ->
    group role), and whether the logged-in user manages the cluster."""

    assigned: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    manages: bool = False


def _with(dsn: str, password: PasswordSource | None, work: Any) -> Any:
    try:
        conn = connect(dsn, password=password)
    except Exception as e:
        raise translate(e) from e
    try:
        check_schema(conn)
        return work(conn)
    except TeamError:
        raise
    except Exception as e:
        raise translate(e) from e
    finally:
        conn.close()


def load(dsn: str, cluster: str, password: PasswordSource | None = None) -> Roster:
    def work(conn: Any) -> Roster:
        roster = Roster()
        row = conn.execute("SELECT cdesk.manages(%s, current_user)", (cluster,)).fetchone()
        roster.manages = bool(row and row[0])
        for login, role in conn.execute(
                "SELECT login, role FROM cdesk.assignments WHERE cluster_id = %s ORDER BY login", (cluster,)):
            roster.assigned[login] = role
        for login, group in conn.execute("SELECT login, role FROM cdesk.people ORDER BY login"):
            roster.people[login] = group.removeprefix("cdesk_")
        return roster

    return _with(dsn, password, work)


def assign(dsn: str, cluster: str, login: str, role: str | None,
           password: PasswordSource | None = None) -> None:
    """Give ``login`` ``role`` on the cluster (None: take it off the cluster)."""
    if role is not None and role not in ROLES:
        raise TeamError.of("unknown_role", role=role)

    def work(conn: Any) -> None:
        with conn.transaction():
            if role is not None:
                row = conn.execute("SELECT role FROM cdesk.people WHERE login = %s", (login,)).fetchone()
                group = str(row[0]).removeprefix("cdesk_") if row else ""
                if role not in ALLOWED.get(group, ()):
                    raise TeamError.of("role_not_granted", login=login, role=role, group=group or "none")
            if role is None:
                cur = conn.execute("DELETE FROM cdesk.assignments WHERE cluster_id = %s AND login = %s",
                                   (cluster, login))
            else:
                cur = conn.execute(
                    "INSERT INTO cdesk.assignments (cluster_id, login, role) VALUES (%s, %s, %s) "
                    "ON CONFLICT (cluster_id, login) DO UPDATE SET role = excluded.role",
                    (cluster, login, role))
            if cur.rowcount == 0 and role is None:
                row = conn.execute("SELECT cdesk.manages(%s, current_user)", (cluster,)).fetchone()
                if not (row and row[0]):
                    raise NotAllowed.of("only_manager_assigns", cluster=cluster)

    _with(dsn, password, work)
