"""One tiny XYZ tile server on 127.0.0.1 for every test that needs one (the downloader, the
online tile cache, the window's offline maps); ``tile_server_factory`` in conftest.py starts it
and checks, when the test ends, that nothing was asked of any other host.

Misbehaviour on request: ``drop_every`` (cut every n-th response off half-way),
``throttle_first`` (answer 429 with ``Retry-After``), ``missing`` (404 for these tiles),
``delay`` (hold every answer back, seconds). It serves at most ``max_requests`` and stops itself
after ``lifetime_s`` whatever the test does.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tilepack_helpers import colour_of, png

Colour = tuple[int, int, int]


def tile_colour(z: int, x: int, y: int) -> Colour:
    """``colour_of`` for any zoom (each channel in 0..255)."""
    return tuple(c % 256 for c in colour_of(z, x, y))  # type: ignore[return-value]


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer (a cancelled tile request, a test's page closed) is
        expected: no traceback for it on stderr, which may come after the test's output is taken."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class TileServer:
    def __init__(self, *, drop_every: int = 0, throttle_first: int = 0, retry_after: str = "1",
                 delay: float = 0.0, size: int = 16, colour: Callable[[int, int, int], Colour] = colour_of,
                 max_requests: int = 2_000, lifetime_s: float = 120.0) -> None:
        self.requests: list[tuple[str, str, str]] = []  # (path, user agent, host header)
        self.drop_every = drop_every
        self.throttle_first = throttle_first
        self.retry_after = retry_after
        self.delay = delay
        self.missing: set[tuple[int, int, int]] = set()
        self.active = self.peak = 0  # requests in flight now / at most
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_a: Any) -> None:
                pass

            def do_GET(self) -> None:
                with server.lock:
                    server.requests.append(
                        (self.path, self.headers.get("User-Agent", ""), self.headers.get("Host", "")))
                    n = len(server.requests)
                    server.active += 1
                    server.peak = max(server.peak, server.active)
                try:
                    self._answer(n)
                finally:
                    with server.lock:
                        server.active -= 1

            def _answer(self, n: int) -> None:
                if server.delay:
                    time.sleep(server.delay)  # the server is slow, not the test
                m = re.fullmatch(r"/(\d+)/(\d+)/(\d+)\.png", self.path)
                if n > max_requests or not m:
                    self.send_error(400 if not m else 500)
                    return
                z, x, y = (int(g) for g in m.groups())
                if n <= server.throttle_first:
                    self.send_response(429)
                    self.send_header("Retry-After", server.retry_after)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if (z, x, y) in server.missing:
                    self.send_error(404)
                    return
                body = png(colour(z, x, y), size)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.drop_every and n % server.drop_every == 0:
                    self.wfile.write(body[: len(body) // 2])  # then hang up mid-response
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        # shutdown() waits for serve_forever to look at its flag, which it does once a poll
        # interval (0.5 s by default): a short one lets each test that stops a server end at once.
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)
        self.thread.start()
        self._stopped = False
        self.timer = threading.Timer(lifetime_s, self.stop)
        self.timer.daemon = True
        self.timer.start()

    @property
    def paths(self) -> list[str]:
        with self.lock:
            return [p for p, _ua, _host in self.requests]

    @property
    def agents(self) -> set[str]:
        with self.lock:
            return {ua for _p, ua, _host in self.requests}

    @property
    def hits(self) -> int:
        with self.lock:
            return len(self.requests)

    @property
    def template(self) -> str:
        return f"http://127.0.0.1:{self.port}/{{z}}/{{x}}/{{y}}.png"

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self.timer.cancel()
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join(5)
