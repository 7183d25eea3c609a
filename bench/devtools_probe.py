"""Watch a running app's map page from outside, over Qt WebEngine's remote debugging port.

Used by bench_start.py to time launch -> demo painted for the source tree and the frozen build
alike, without code inside the app: the app is started with ``QTWEBENGINE_REMOTE_DEBUGGING=
127.0.0.1:PORT``; the probe finds the page's DevTools target (``/json``) and polls a JavaScript
expression with ``Runtime.evaluate`` until it is true. A bare RFC 6455 client (text frames,
small messages) keeps the bench free of a websocket dependency.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time
import urllib.request
from typing import Any
from urllib.parse import urlparse


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Socket:
    """One DevTools websocket (client side: frames masked, as RFC 6455 requires)."""

    def __init__(self, url: str, timeout: float = 10) -> None:
        u = urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
        self.buffer = head.split(b"\r\n\r\n", 1)[1]
        self.next_id = 0

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def send(self, text: str) -> None:
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else
                                bytes([0x80 | 127]) + struct.pack(">Q", n))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def receive(self) -> str:
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            if b0 & 0x0F == 0x8:
                raise ConnectionError("DevTools closed the websocket")
            if b0 & 0x0F in (0x1, 0x0):
                message += payload
                if b0 & 0x80:
                    return message.decode()

    def evaluate(self, expression: str) -> Any:
        self.next_id += 1
        self.send(json.dumps({"id": self.next_id, "method": "Runtime.evaluate",
                              "params": {"expression": expression, "returnByValue": True}}))
        while True:
            reply = json.loads(self.receive())
            if reply.get("id") == self.next_id:
                return reply.get("result", {}).get("result", {}).get("value")

    def close(self) -> None:
        self.sock.close()


def page_socket(port: int, deadline: float) -> Socket | None:
    """The first page target's websocket once the app's DevTools server lists one."""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2) as r:
                targets = json.load(r)
        except OSError:
            time.sleep(0.01)
            continue
        for t in targets:
            if t.get("type") == "page" and t.get("webSocketDebuggerUrl"):
                return Socket(t["webSocketDebuggerUrl"])
        time.sleep(0.01)
    return None


def wait_true(port: int, expression: str, timeout: float = 120) -> bool:
    """Poll ``expression`` in the app's page until it is true (False at the timeout)."""
    deadline = time.monotonic() + timeout
    ws = page_socket(port, deadline)
    if ws is None:
        return False
    try:
        while time.monotonic() < deadline:
            if ws.evaluate(expression):
                return True
            time.sleep(0.005)
    finally:
        ws.close()
    return False
