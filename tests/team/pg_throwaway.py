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
    """``tls=True``: also listens on 127.0.0.1 (``self.port``) with TLS: a certificate for
    "localhost" signed by a throwaway CA (``self.ca``), and a client certificate for the login
    "dora" (``self.client_cert``, ``self.client_key``; pg_hba: dora and erin log in by certificate)."""

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
            self._make_certificates()
        self.start()

    def _make_certificates(self) -> None:
        """A throwaway certificate authority; the server's certificate (for "localhost") and a
        client certificate for the login "dora", both signed by it. The TLS settings go in
        postgresql.conf (not the command line), so a test may turn ssl off with ALTER SYSTEM."""
        base = self.base

        def openssl(*args: str) -> None:
            subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=base)

        openssl("req", "-new", "-x509", "-days", "2", "-nodes", "-subj", "/CN=Cluster Desk test CA",
                "-keyout", "ca.key", "-out", "ca.crt")
        for name, subject, extra in (("server", "/CN=localhost", "subjectAltName=DNS:localhost"),
                                     ("client", "/CN=dora", "")):
            openssl("req", "-new", "-nodes", "-subj", subject, "-keyout", f"{name}.key",
                    "-out", f"{name}.csr")
            ext = base / f"{name}.ext"
            ext.write_text(extra + "\n" if extra else "basicConstraints=CA:FALSE\n")
            openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-days", "2", "-extfile", ext.name, "-out", f"{name}.crt")
            (base / f"{name}.key").chmod(0o600)
        self.ca = base / "ca.crt"
        self.client_cert, self.client_key = base / "client.crt", base / "client.key"
        if self.as_root:
            for name in ("server.key", "server.crt", "ca.crt"):
                shutil.chown(base / name, "postgres", "postgres")
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"ssl = on\nssl_cert_file = '{base}/server.crt'\nssl_key_file = '{base}/server.key'\n"
                       f"ssl_ca_file = '{base}/ca.crt'\n")
        hba = self.data / "pg_hba.conf"
        hba.write_text("hostssl all dora,erin 127.0.0.1/32 cert\n" + hba.read_text(encoding="utf-8"),
                       encoding="utf-8")


    def _run(self, tool: str, *args: str) -> None:
        cmd = [str(self.bindir / tool), *args]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.base)

    def start(self) -> None:
        options = (f"-k {self.base} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   f"-c full_page_writes=off -c max_connections=60 -p {self.port}")
        if self.tls:
            options += " -c listen_addresses=127.0.0.1"
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
