"""Team mode (issue 16): a shared roster on a PostgreSQL server, with offline working copies.

Qt-free. psycopg is imported only by the modules that talk to the server (``server``, ``sync``,
``live``), and only when team mode is used: importing this package costs nothing.

What syncs: members and links (every field of project format 3) and cluster settings (one record
per setting). Year-end snapshots (kept in the project's meta) do not sync.
"""

#: What a working copy exchanges with the server (shown by the UI and the command line).
SYNCED = ("members", "links", "settings")
NOT_SYNCED = ("snapshots",)
