"""A calendar published at a link, as Google, Outlook.com or a web host serves it: real HTTP on a
free loopback port, with ETag, Last-Modified, 304 and gzip, and every request recorded.

``routes`` maps a path to what it answers; ``Served`` is a file, ``Redirect`` a
redirect, and ``Drip``/``Endless`` are the misbehaving servers the limits are
there for (each test that uses one says so).
"""

from __future__ import annotations

import gzip
import hashlib
import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Served:
    """A file with validators: answers If-None-Match / If-Modified-Since with 304."""

    body: bytes
    content_type: str = "text/calendar; charset=utf-8"
    modified: float = 1_796_000_000.0
    status: int = 200
    gzip_when_asked: bool = True
    raw_etag: str | None = None
    """An ETag to send as given (a hostile one, say) instead of the body's digest."""

    @property
    def etag(self) -> str:
        if self.raw_etag is not None:
            return self.raw_etag
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'

    def change(self, body: bytes) -> None:
        self.body = body
        self.modified += 60


@dataclass
class Redirect:
    location: str
    status: int = 302


@dataclass
class Drip:
    """A server that sends its answer one byte every ``every`` seconds (a fault on purpose)."""

    body: bytes
    every: float = 0.5
    in_headers: bool = False


@dataclass
class Endless:
    """A body far bigger than any calendar, sent without end until the client hangs up."""

    declared: int | None = None
    """The Content-Length to claim (None: chunk-free, close-delimited)."""


@dataclass
class Bomb:
    """A small gzip stream that unpacks to ``size`` bytes of zeros."""

    size: int

    def packed(self) -> bytes:
        squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = bytes(2**20)
        parts = [squeeze.compress(block) for _ in range(self.size // len(block))]
        parts.append(squeeze.flush())
        return b"".join(parts)


Route = Served | Redirect | Drip | Endless | Bomb


@dataclass
class Seen:
    """One request, recorded as it arrives (before it is answered, so a test that has
    its answer sees it); ``status`` is filled in once answered."""

    path: str
    headers: dict[str, str]
    status: int = 0


@dataclass
class LinkServer:
    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    base: str = ""

    def requests(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]


def _handler(server: LinkServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            route = server.routes.get(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            self._seen = Seen(self.path, headers)
            server.seen.append(self._seen)
            self._seen.status = self._answer(route, headers)

        def send_response(self, code: int, message: str | None = None) -> None:
            # Noted before a byte goes out: a client that has the answer sees its status.
            if getattr(self, "_seen", None) is not None:
                self._seen.status = code
            super().send_response(code, message)

        def do_PROPFIND(self) -> None:
            # A plain web host: no WebDAV here.
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self._seen = Seen(self.path, {"method": self.command}, 405)
            server.seen.append(self._seen)
            self._plain(405, b"method not allowed")

        do_REPORT = do_PROPFIND

        def _plain(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _answer(self, route: Route | None, headers: dict[str, str]) -> int:
            if route is None:
                self._plain(404, b"not found")
                return 404
            if isinstance(route, Redirect):
                self.send_response(route.status)
                self.send_header("Location", route.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return route.status
            if isinstance(route, Drip):
                return self._drip(route)
            if isinstance(route, Endless):
                return self._endless(route)
            if isinstance(route, Bomb):
                packed = route.packed()
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar")
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(packed)))
                self.end_headers()
                self.wfile.write(packed)
                return 200
            if route.status != 200:
                self._plain(route.status, b"unavailable")
                return route.status
            modified = formatdate(route.modified, usegmt=True)
            if headers.get("if-none-match") == route.etag or (
                "if-none-match" not in headers and headers.get("if-modified-since") == modified
            ):
                self.send_response(304)
                self.send_header("ETag", route.etag)
                self.end_headers()
                return 304
            body = route.body
            zipped = route.gzip_when_asked and "gzip" in headers.get("accept-encoding", "")
            if zipped:
                body = gzip.compress(body, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", route.content_type)
            self.send_header("ETag", route.etag)
            self.send_header("Last-Modified", modified)
            if zipped:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return 200

        def _drip(self, route: Drip) -> int:
            self._seen.status = 200
            head = (
                f"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\n"
                f"Content-Length: {len(route.body)}\r\n\r\n"
            ).encode()
            slow = head + route.body if route.in_headers else route.body
            if not route.in_headers:
                self.wfile.write(head)
            try:
                for i in range(len(slow)):
                    self.wfile.write(slow[i : i + 1])
                    self.wfile.flush()
                    time.sleep(route.every)
            except OSError:
                pass  # the client gave up, as it should
            self.close_connection = True
            return 200

        def _endless(self, route: Endless) -> int:
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            if route.declared is not None:
                self.send_header("Content-Length", str(route.declared))
            self.end_headers()
            block = b"BEGIN:VCALENDAR\r\n" + bytes(65536)
            try:
                while True:
                    self.wfile.write(block)
            except OSError:
                pass  # the client hung up
            self.close_connection = True
            return 200

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up on an endless answer is what the tests want


@contextmanager
def link_server(
    host: str = "127.0.0.1", tls: tuple[Path, Path] | None = None
) -> Iterator[LinkServer]:
    """A server on a free port of ``host`` (loopback unless a test needs another of this
    machine's addresses); the test puts what it serves in ``routes``. With ``tls`` (a
    certificate and its key) it speaks https://."""
    state = LinkServer()
    httpd = _QuietServer((host, 0), _handler(state))
    httpd.daemon_threads = True
    scheme = "http"
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        scheme = "https"
    state.base = f"{scheme}://{host}:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
