"""The team-server commands of ``cluster-desk`` (issue 16); cli.py registers them.

    cluster-desk server init DSN                          create or upgrade the server schema and roles
    cluster-desk server publish PROJECT DSN [--cluster NAME]   a local project becomes a new cluster
    cluster-desk server join PROJECT DSN CLUSTER          a local project joins an existing cluster
    cluster-desk clone DSN CLUSTER OUT.cdesk              a new working copy of a cluster
    cluster-desk sync PROJECT                             push this copy's edits, then pull

``sync`` exit codes: 0 synced; 4 conflicts recorded (listed; the server's value stays until
resolved in the app); 5 server unreachable or refused (edits kept locally); 1 other error.
psycopg is imported only when one of these commands runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_ERROR, EXIT_CONFLICTS, EXIT_SERVER = 0, 1, 4, 5
COMMANDS = ("server", "clone", "sync")
WHAT_SYNCS = "members, links and cluster settings sync; year-end snapshots stay local"


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("server", help="team server: create its schema, publish a project as a cluster")
    server = p.add_subparsers(dest="server_command", metavar="ACTION", required=True,
                              parser_class=type(p))
    q = server.add_parser("init", help="create or upgrade the server schema and roles "
                          "(as the database owner)")
    q.add_argument("dsn", help="PostgreSQL connection string, e.g. 'postgresql://admin@db.example/agency' "
                   "or 'host=/run/postgresql dbname=agency'")
    q = server.add_parser("publish", help="make a local project a new cluster on the server "
                          "(the file becomes its working copy)")
    q.add_argument("project", type=Path)
    q.add_argument("dsn")
    q.add_argument("--cluster", metavar="NAME", help="the cluster's name on the server "
                   "(default: the project's name)")

    q = server.add_parser("join", help="make a local project a working copy of an existing cluster "
                          "(its edits are sent; values that differ become conflicts)")
    q.add_argument("project", type=Path)
    q.add_argument("dsn")
    q.add_argument("cluster")

    p = sub.add_parser("clone", help="write a new working copy of a team cluster")
    p.add_argument("dsn")
    p.add_argument("cluster", help="the cluster's name on the server")
    p.add_argument("out", type=Path, help="the project file to write (*.cdesk)")

    p = sub.add_parser("sync", help="send this working copy's edits to the team server, then receive "
                       "colleagues' edits (exit 4: conflicts recorded; 5: server unreachable or refused)")
    p.add_argument("project", type=Path)


def run(args: argparse.Namespace) -> int:
    """Dispatch a team command; TeamError becomes one line and exit 5 (or 1)."""
    from cluster_desk.team.server import Refused, TeamError, Unreachable

    try:
        if args.command == "server" and args.server_command == "init":
            return _init(args)
        if args.command == "server" and args.server_command == "join":
            return _join(args)
        if args.command == "server":
            return _publish(args)
        if args.command == "clone":
            return _clone(args)
        return _sync(args)
    except (Unreachable, Refused) as e:
        print(f"cluster-desk: {_line(e, args)}", file=sys.stderr)
        return EXIT_SERVER
    except TeamError as e:
        print(f"cluster-desk: {_line(e, args)}", file=sys.stderr)
        return EXIT_ERROR


def _line(e: BaseException, args: argparse.Namespace) -> str:
    """The error in the command's --lang (else the locale's language)."""
    from cluster_desk.text import system_language, text_for
    from cluster_desk.text.team_text import team_message

    return team_message(e, text_for(getattr(args, "lang", None) or system_language()))


def _password(dsn: str) -> str | None:
    from cluster_desk.team.credentials import terminal_password

    return terminal_password(dsn)


def _init(args: argparse.Namespace) -> int:
    from cluster_desk.team.server import connect, init_schema, translate

    try:
        conn = connect(args.dsn, password=_password)
    except Exception as e:
        raise translate(e) from e
    try:
        before, after = init_schema(conn)
    except Exception as e:
        raise translate(e) from e
    finally:
        conn.close()
    if before == after:
        print(f"The server schema is up to date (version {after}).")
    else:
        print(f"The server schema is at version {after} (was {before or 'none'}). Give users a role: "
              "GRANT cdesk_manager | cdesk_officer | cdesk_analyst TO login; managers assign clusters.")
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    from cluster_desk.store.project import Project
    from cluster_desk.team.onboard import publish

    if not args.project.exists():
        print(f"cluster-desk: {args.project}: no such project file", file=sys.stderr)
        return EXIT_ERROR
    with Project.open(args.project) as project:
        name = args.cluster or project.settings().name or args.project.stem
        count = publish(project, args.dsn, name, password=_password)
    print(f"Published {args.project} as cluster «{name}» ({count} members); the file is now its "
          f"working copy ({WHAT_SYNCS}).")
    return EXIT_OK


def _join(args: argparse.Namespace) -> int:
    from cluster_desk.store.project import Project
    from cluster_desk.team.onboard import join
    from cluster_desk.team.workcopy import conflict_line

    if not args.project.exists():
        print(f"cluster-desk: {args.project}: no such project file", file=sys.stderr)
        return EXIT_ERROR
    with Project.open(args.project) as project:
        report = join(project, args.dsn, args.cluster, password=_password)
    print(f"{args.project} is now a working copy of cluster «{args.cluster}» ({WHAT_SYNCS}).")
    print(report.summary())
    for c in report.new_conflicts:
        print(f"  {conflict_line(c)}", file=sys.stderr)
    return EXIT_CONFLICTS if report.new_conflicts else EXIT_OK


def _clone(args: argparse.Namespace) -> int:
    from cluster_desk.team.onboard import clone

    count = clone(args.dsn, args.cluster, args.out, password=_password)
    print(f"Wrote {args.out}: a working copy of cluster «{args.cluster}» with {count} members "
          f"({WHAT_SYNCS}).")
    return EXIT_OK


def _sync(args: argparse.Namespace) -> int:
    from cluster_desk.store.project import Project
    from cluster_desk.team.server import Refused, Unreachable
    from cluster_desk.team.sync import pending_count, sync
    from cluster_desk.team.workcopy import conflict_line

    if not args.project.exists():
        print(f"cluster-desk: {args.project}: no such project file", file=sys.stderr)
        return EXIT_ERROR
    with Project.open(args.project) as project:
        try:
            report = sync(project, password=_password)
        except (Unreachable, Refused) as e:
            waiting = pending_count(project)
            print(f"cluster-desk: {e}; {waiting} edited records wait to sync", file=sys.stderr)
            return EXIT_SERVER
    print(report.summary())
    for line in report.applied.skipped:
        print(f"! not received: {line}", file=sys.stderr)
    if report.new_conflicts:
        print(f"{len(report.new_conflicts)} conflicts (both changed; the server's value stays, yours is "
              "kept in the conflict list: resolve them in the app):", file=sys.stderr)
        for c in report.new_conflicts:
            print(f"  {conflict_line(c)}", file=sys.stderr)
        return EXIT_CONFLICTS
    return EXIT_OK
