"""A real HTTP server (http.server, threads) on 127.0.0.1 serving one fixture site, and the
pytest fixture that starts it. It logs every request with its server-side arrival time."""
from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.crawl_fixtures.sites import Route, Site, etag_of


@dataclass
class LoggedRequest:
    at: float          # time.monotonic() when the request arrived (kernel receive time when available)
    method: str
    path: str          # path + query
    user_agent: str
    headers: dict[str, str] = field(default_factory=dict)


SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux value; Python does not export it


def _arrival(conn: socket.socket) -> float | None:
    """time.monotonic() at which the kernel received the next request's first bytes (waits for
    them without consuming them); None if unknown."""
    try:
        data, ancillary, _, _ = conn.recvmsg(1, socket.CMSG_SPACE(16), socket.MSG_PEEK)
    except OSError:
        return None
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(payload) >= 16:
            sec, nsec = struct.unpack("qq", payload[:16])
            return time.monotonic() - (time.time() - (sec + nsec / 1e9))
    return None


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up (timeouts, kills) are part of the tests


class FixtureServer:
    """Serves ``site`` on a random free port of 127.0.0.1 until ``close()``."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.log: list[LoggedRequest] = []
        self.counts: dict[str, int] = {}
        self.in_flight = 0
        self.peak_in_flight = 0
        self.lock = threading.Lock()
        self.on_request: Callable[[LoggedRequest], None] | None = None
        handler = _make_handler(self)
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def requested(self, path: str) -> int:
        with self.lock:
            return sum(1 for r in self.log if r.path == path)

    def paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.log]

    def article_requests(self) -> list[str]:
        articles = set(self.site.articles)
        return [p for p in self.paths() if p in articles]

    def reset_log(self) -> None:
        with self.lock:
            self.log.clear()


def _make_handler(server: FixtureServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # headers and body go out in separate writes: without this, Nagle + delayed ACK add 40 ms
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.arrived: float | None = None
            try:  # the kernel stamps each received packet: arrival times immune to thread scheduling
                self.connection.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
                self.kernel_stamps = True
            except OSError:
                self.kernel_stamps = False

        def handle_one_request(self) -> None:
            self.arrived = _arrival(self.connection) if self.kernel_stamps else None
            super().handle_one_request()

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802
            entry = LoggedRequest(self.arrived or time.monotonic(), "GET", self.path, self.headers.get("User-Agent", ""),
                                  {k.lower(): v for k, v in self.headers.items()})
            with server.lock:
                server.log.append(entry)
                n = server.counts.get(self.path, 0)
                server.counts[self.path] = n + 1
                server.in_flight += 1
                server.peak_in_flight = max(server.peak_in_flight, server.in_flight)
            try:
                self._answer(entry, n)
            finally:
                with server.lock:
                    server.in_flight -= 1

        def _answer(self, entry: LoggedRequest, n: int) -> None:
            if server.on_request:
                server.on_request(entry)
            route = server.site.routes.get(self.path)
            if route is None:
                self._send(Route(b"<html><body>Not found</body></html>", status=404))
                return
            if route.handler is not None:
                route = route.handler(n, entry.headers)
            if route.sleep:
                time.sleep(route.sleep)
            self._send(route)

        def _send(self, route: Route) -> None:
            body = route.body
            tag = etag_of(body) if route.etag and route.status == 200 else None
            if tag and self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.send_header("ETag", tag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            try:
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if tag:
                    self.send_header("ETag", tag)
                for k, v in route.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                if route.truncate_to is not None:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                self.wfile.write(body if route.truncate_to is None else body[: route.truncate_to])
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler


@pytest.fixture
def serve() -> Iterator[Callable[[Site], FixtureServer]]:
    """``serve(site)`` starts a FixtureServer for ``site``; all are closed after the test."""
    servers: list[FixtureServer] = []

    def start(site: Site) -> FixtureServer:
        s = FixtureServer(site)
        servers.append(s)
        return s

    yield start
    for s in servers:
        s.close()
