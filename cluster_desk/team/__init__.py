"""Team mode (issue 16): a shared roster on a PostgreSQL server, with offline working copies.

Qt-free. psycopg is imported only by the modules that talk to the server (``server``, ``sync``,
``live``), and only when team mode is used: importing this package costs nothing.

What syncs: members and links. Cluster settings and attachments do not sync yet.
"""

#: What a working copy exchanges with the server (shown by the UI and the command line).
SYNCED = ("members", "links")
NOT_SYNCED = ("settings",)
