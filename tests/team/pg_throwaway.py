"""A throwaway PostgreSQL server (tests and bench/bench_team.py): initdb + pg_ctl, socket only.

initdb and pg_ctl refuse to run as root, so as root (CI) they run as the ``postgres`` user, in a
temporary directory that user owns. fsync is off: nothing here needs to survive a crash.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def find_bindir() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """``tls=True``: also listens on 127.0.0.1 with a self-signed certificate for "localhost"
    (``self.ca`` is that certificate, ``self.port`` the TCP port)."""

    def __init__(self, bindir: Path, tls: bool = False) -> None:
        self.bindir = bindir
        self.tls = tls
        self.port = _free_port() if tls else 5432
        self.base = Path(tempfile.mkdtemp(prefix="cdesk-pg-"))
        self.data = self.base / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
        self.base.chmod(0o755)
        # TCP logins (tls=True) need a password; the socket trusts (the tests' admin connection).
        self._run("initdb", "-D", str(self.data), "--auth-local=trust", "--auth-host=scram-sha-256",
                  "--no-sync", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")
        if tls:
            self.ca = self.base / "server.crt"
            subprocess.run(["openssl", "req", "-new", "-x509", "-days", "2", "-nodes",
                            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                            "-keyout", str(self.base / "server.key"), "-out", str(self.ca)],
                           check=True, capture_output=True)
            (self.base / "server.key").chmod(0o600)
            if self.as_root:
                for name in ("server.key", "server.crt"):
                    shutil.chown(self.base / name, "postgres", "postgres")
        self.start()

    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bindir / tool), *args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.base)

    def start(self) -> None:
        options = (f"-k {self.base} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   f"-c full_page_writes=off -c max_connections=60 -p {self.port}")
        if self.tls:
            options += (f" -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file={self.base}/server.crt "
                        f"-c ssl_key_file={self.base}/server.key")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.base / "log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def dsn(self, db: str = "postgres", user: str = "postgres") -> str:
        return f"host={self.base} port={self.port} dbname={db} user={user}"

    def close(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)
