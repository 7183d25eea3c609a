"""The English line of every team-server error code (``TeamError.of(code, **params)``).

``str(error)`` stays this English line for logs and tests; the user sees it in their language
through cluster_desk/text/team_text.py, which has a sentence for every code here
(tests/text/test_team_text.py checks both). No psycopg here: the text layer reads this.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, str] = {
    "bad_dsn": "the server address is not a valid PostgreSQL connection string ({detail})",
    "no_tls": "the server offers no TLS: a plain-text connection is refused (to allow one on a trusted "
    "network, add sslmode=disable to the server address) ({detail})",
    "client_cert": "the server refused the client certificate for this user ({detail})",
    "bad_login": "the server refused the login: wrong user name or password ({detail})",
    "tls_identity": "the server's identity could not be verified over TLS ({detail})",
    "no_user": "the server refused the login: no such user ({detail})",
    "no_database": "no such database on the server ({detail})",
    "not_let_in": "the server does not let this user in ({detail})",
    "unreachable": "server unreachable ({detail})",
    "connection_broke": "server unreachable (the connection broke: {detail})",
    "not_allowed": "not allowed: {detail}",
    "server_error": "the server reported an error: {detail}",
    "no_schema": "the server has no Cluster Desk schema; run `cluster-desk server init DSN` first",
    "schema_newer": "the server's schema is newer (version {version}; this Cluster Desk knows up to "
    "{known}): please update Cluster Desk",
    "schema_older": "the server's schema is older (version {version}; this Cluster Desk needs {known}): "
    "ask the administrator to run `cluster-desk server init DSN`",
    "cluster_name_length": "the cluster name must be 1 to 200 characters",
    "cluster_not_visible": "not allowed: cluster {cluster!r} does not exist or you may not see it",
    "unknown_role": "unknown role {role!r} (manager, officer or analyst)",
    "role_not_granted": "{login} cannot be {role} here: their server role is {group} "
    "(the database administrator grants cdesk_manager, cdesk_officer or cdesk_analyst)",
    "only_manager_assigns": "not allowed: only a manager of cluster {cluster!r} assigns people",
    "cluster_read_only": "not allowed: you may not edit cluster {cluster!r} (read only for you)",
    "changes_refused": "not allowed: the server refused {refused} of {total} changes to cluster {cluster!r}",
    "only_manager_publishes": "not allowed: only a manager (role cdesk_manager) may publish a cluster",
    "cluster_exists": "a cluster named {cluster!r} already exists on the server; choose another name",
}


def english(code: str, params: dict[str, Any]) -> str:
    return MESSAGES[code].format(**params)
