"""Team-server errors as sentences (team.server.TeamError and its kinds: ``code``, ``params``).

Every code of ``team.messages.MESSAGES`` has its sentence here; the English source says what the
English line says (tests/text/test_team_text.py renders every code in both languages). The
server's own words (``detail``) are passed through as they came.
"""

from __future__ import annotations

from typing import Any

from cluster_desk.text.speech import Speaker, Text


class TeamErrorText(Speaker):
    def say(self, code: str, p: dict[str, Any]) -> str:
        d = p.get("detail", "")
        if code == "bad_dsn":
            return self.tr("the server address is not a valid PostgreSQL connection string (%1)").arg(d)
        if code == "no_tls":
            return self.tr(
                "the server offers no TLS: a plain-text connection is refused (to allow one on a trusted "
                "network, add sslmode=disable to the server address) (%1)"
            ).arg(d)
        if code == "client_cert":
            return self.tr("the server refused the client certificate for this user (%1)").arg(d)
        if code == "bad_login":
            return self.tr("the server refused the login: wrong user name or password (%1)").arg(d)
        if code == "tls_identity":
            return self.tr("the server's identity could not be verified over TLS (%1)").arg(d)
        if code == "no_user":
            return self.tr("the server refused the login: no such user (%1)").arg(d)
        if code == "no_database":
            return self.tr("no such database on the server (%1)").arg(d)
        if code == "not_let_in":
            return self.tr("the server does not let this user in (%1)").arg(d)
        if code == "unreachable":
            return self.tr("server unreachable (%1)").arg(d)
        if code == "connection_broke":
            return self.tr("server unreachable (the connection broke: %1)").arg(d)
        if code == "not_allowed":
            return self.tr("not allowed: %1").arg(d)
        if code == "server_error":
            return self.tr("the server reported an error: %1").arg(d)
        if code == "no_schema":
            return self.tr("the server has no Cluster Desk schema; run `cluster-desk server init DSN` first")
        if code == "schema_newer":
            return self.tr(
                "the server's schema is newer (version %1; this Cluster Desk knows up to %2): "
                "please update Cluster Desk"
            ).arg(p["version"], p["known"])
        if code == "schema_older":
            return self.tr(
                "the server's schema is older (version %1; this Cluster Desk needs %2): "
                "ask the administrator to run `cluster-desk server init DSN`"
            ).arg(p["version"], p["known"])
        return self.people(code, p)

    def people(self, code: str, p: dict[str, Any]) -> str:
        cluster = p.get("cluster", "")
        if code == "cluster_name_length":
            return self.tr("the cluster name must be 1 to 200 characters")
        if code == "cluster_not_visible":
            return self.tr("not allowed: cluster '%1' does not exist or you may not see it").arg(cluster)
        if code == "unknown_role":
            return self.tr("unknown role '%1' (manager, officer or analyst)").arg(p["role"])
        if code == "role_not_granted":
            return self.tr(
                "%1 cannot be %2 here: their server role is %3 "
                "(the database administrator grants cdesk_manager, cdesk_officer or cdesk_analyst)"
            ).arg(p["login"], p["role"], p["group"])
        if code == "only_manager_assigns":
            return self.tr("not allowed: only a manager of cluster '%1' assigns people").arg(cluster)
        if code == "cluster_read_only":
            return self.tr("not allowed: you may not edit cluster '%1' (read only for you)").arg(cluster)
        if code == "changes_refused":
            return self.tr("not allowed: the server refused %1 of %2 changes to cluster '%3'").arg(
                p["refused"], p["total"], cluster)
        if code == "only_manager_publishes":
            return self.tr("not allowed: only a manager (role cdesk_manager) may publish a cluster")
        if code == "cluster_exists":
            line = self.tr("a cluster named '%1' already exists on the server; choose another name")
            return line.arg(cluster)
        raise KeyError(code)


def is_team_error(fact: object) -> bool:
    return getattr(fact, "domain", "") == "team" and bool(getattr(fact, "code", ""))


def team_message(fact: BaseException | str, text: Text) -> str:
    """The user's line for a TeamError in ``text``'s language; ``str()`` for anything without a code."""
    code = getattr(fact, "code", "")
    params = getattr(fact, "params", None)
    if not code or not isinstance(params, dict):
        return str(fact)
    try:
        return TeamErrorText(text).say(code, params)
    except KeyError:  # a code newer than this renderer: the English line is still right
        return str(fact)
