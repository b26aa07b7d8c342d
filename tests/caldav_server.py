"""Real CalDAV servers for the sync tests: Radicale and Xandikos on a free loopback port.

Each server is the project's own WSGI application served by wsgiref in a
thread, with a fresh storage folder. ``stop()`` closes the listening socket
(the server is gone, as if it crashed); ``start()`` again serves the same
storage on the same port, so a client sees the same URLs come back.
"""

from __future__ import annotations

import contextlib
import io
import re
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any, Literal
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

Kind = Literal["radicale", "xandikos"]
Fault = Callable[[str, str], "int | tuple[int, bytes] | None"]
"""Given a request's method and path: None to let the server answer, else the status (and
the body) to answer instead."""
Answer = tuple[str, list[tuple[str, str]], Iterable[bytes]]

USER = "alice"
PASSWORD = "correct horse"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def radicale_app(storage: Path) -> Any:
    import radicale
    import radicale.config

    storage.parent.mkdir(parents=True, exist_ok=True)
    htpasswd = storage.parent / "htpasswd"
    htpasswd.write_text(f"{USER}:{PASSWORD}\n")
    configuration = radicale.config.load()
    configuration.update(
        {
            # Radicale forgets sync tokens older than 30 days by the wall clock and the
            # token files' times; a test run under a fake clock must not expire them all.
            "storage": {
                "filesystem_folder": str(storage),
                "max_sync_token_age": str(100 * 365 * 86400),
            },
            "auth": {
                "type": "htpasswd",
                "htpasswd_filename": str(htpasswd),
                "htpasswd_encryption": "plain",
                "delay": "0",
            },
            "rights": {"type": "owner_only"},
            "logging": {"level": "warning"},
        },
        "test",
        privileged=True,
    )
    return radicale.Application(configuration)


def xandikos_app(storage: Path) -> Any:
    from xandikos.web import SingleUserFilesystemBackend, XandikosApp

    backend = SingleUserFilesystemBackend(str(storage))
    principal = f"/{USER}/"
    backend._mark_as_principal(principal)
    storage.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        backend.create_principal(principal, create_defaults=True)
    return XandikosApp(backend, current_user_principal=principal, strict=True)


@dataclass
class CalDAVServer:
    """One running server. ``url`` is the user's home; ``calendar_url(name)`` a calendar in it."""

    kind: Kind
    storage: Path
    port: int = field(default_factory=free_port)
    _server: _ThreadingServer | None = None
    _thread: threading.Thread | None = None
    _app: Any = None
    _recorded: Any = None
    log: list[Exchange] = field(default_factory=list)
    _one_at_a_time: threading.Lock = field(default_factory=threading.Lock)
    without_sync_tokens: bool = False
    """Answer as a server without RFC 6578 does: no sync token, no sync-collection REPORT
    (Radicale and Xandikos both have them; servers in the wild may not)."""
    fault: Fault | None = None
    """A failure a real server cannot be made to produce on demand (a 500 on one PUT):
    given the method and path, the status to answer instead of the server's."""
    answer: Callable[[str, str], Answer | None] | None = None
    """A whole answer put in place of the server's (a hostile server: a huge body, a gzip
    bomb, bad XML, a body sent one byte at a time), given the method and path."""

    ipv6: bool = False
    """Listen on ::1 instead of 127.0.0.1 (URLs with an IPv6 literal: http://[::1]:port)."""

    @property
    def base(self) -> str:
        return f"http://[::1]:{self.port}" if self.ipv6 else f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        if self.kind == "xandikos":
            return f"{self.base}/{USER}/calendars/"
        return f"{self.base}/{USER}/"

    def calendar_url(self, name: str) -> str:
        return f"{self.url}{name}/"

    def start(self) -> None:
        if self._app is None:
            self._app = (
                radicale_app(self.storage)
                if self.kind == "radicale"
                else xandikos_app(self.storage)
            )
        server_class = _ThreadingServer6 if self.ipv6 else _ThreadingServer
        server = server_class(("::1" if self.ipv6 else "127.0.0.1", self.port), _QuietHandler)
        self._recorded = _recorded(self._faulty, self.log)
        server.set_app(self._answering)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def _answering(self, environ: dict[str, Any], start_response: Any) -> Any:
        """An injected answer goes out as it is produced (not recorded, not buffered)."""
        if self.answer is not None:
            injected = self.answer(environ["REQUEST_METHOD"], environ["PATH_INFO"])
            if injected is not None:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                environ["wsgi.input"].read(length)
                status, headers, body = injected
                start_response(status, list(headers))  # wsgiref adds to the list it gets
                return body
        return self._recorded(environ, start_response)

    def _faulty(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.without_sync_tokens:
            return self._no_sync_tokens(environ, start_response)
        return self._served(environ, start_response)

    def _no_sync_tokens(self, environ: dict[str, Any], start_response: Any) -> Any:
        body = environ["wsgi.input"].read()
        environ["wsgi.input"] = io.BytesIO(body)
        method = environ["REQUEST_METHOD"]
        if method == "REPORT" and b"sync-collection" in body:
            error = b'<error xmlns="DAV:"><supported-report/></error>'
            start_response("403 Forbidden", [("Content-Type", "text/xml")])
            return [error]
        if method != "PROPFIND":
            return self._served(environ, start_response)
        environ.pop("HTTP_ACCEPT_ENCODING", None)  # a body to edit, not a gzip stream
        answer: list[Any] = []

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer.append((status, headers))
            return lambda data: None

        text = b"".join(self._served(environ, keep))
        text = re.sub(rb"<sync-token>[^<]*</sync-token>", b"", text)
        status, headers = answer[0]
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(status, [*headers, ("Content-Length", str(len(text)))])
        return [text]

    def _served(self, environ: dict[str, Any], start_response: Any) -> Any:
        status = self.fault(environ["REQUEST_METHOD"], environ["PATH_INFO"]) if self.fault else None
        if status is None and self.kind == "xandikos":
            # Xandikos serves from one event loop: one request at a time, as deployed.
            with self._one_at_a_time:
                return list(self._app(environ, start_response))
        if status is None:
            return self._app(environ, start_response)
        status, body = status if isinstance(status, tuple) else (status, b"injected failure")
        kind = "text/xml" if body.startswith(b"<") else "text/plain"
        start_response(f"{status} Injected", [("Content-Type", kind)])
        return [body]

    def stop(self) -> None:
        """Stop listening and drop every open connection, as a crashed server would."""
        if self._server is not None:
            self._server.shutdown()
            self._server.drop_connections()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None


@dataclass(frozen=True)
class Exchange:
    """One request as the server saw it: method, path, status, and the bytes each way."""

    method: str
    path: str
    status: int
    sent: int
    received: int


def _recorded(app: Any, log: list[Exchange]) -> Any:
    """Hand the application exactly Content-Length bytes of body, and log every exchange.

    wsgiref passes the raw socket, and Xandikos reads its body to the end;
    PEP 3333 servers give an application no more than Content-Length.
    Bytes are counted the same way for every client: request body plus
    request headers in, response body plus response headers out.
    """

    def recorded(environ: dict[str, Any], start_response: Any) -> Any:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        head_in = sum(len(k) + len(str(v)) + 4 for k, v in environ.items() if k.startswith("HTTP_"))
        status_line: list[str] = []
        head_out: list[int] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status_line.append(status)
            head_out.append(sum(len(k) + len(v) + 4 for k, v in headers) + len(status) + 11)
            return start_response(status, headers, exc_info)

        chunks = list(app(environ, start))
        out = sum(len(c) for c in chunks)
        log.append(
            Exchange(
                environ["REQUEST_METHOD"],
                environ.get("PATH_INFO", ""),
                int(status_line[0].split()[0]) if status_line else 0,
                sent=len(body) + head_in + len(environ.get("PATH_INFO", "")) + 20,
                received=out + (head_out[0] if head_out else 0),
            )
        )
        return chunks

    return recorded


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[WSGIRequestHandler]) -> None:
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        with self._lock:
            for sock in list(self._open):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


class _ThreadingServer6(_ThreadingServer):
    address_family = socket.AF_INET6


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Any WSGI application on a free loopback port (a web page that is not CalDAV, say)."""
    server = _ThreadingServer(("127.0.0.1", free_port()), _QuietHandler)
    server.set_app(app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.drop_connections()
        server.server_close()
        thread.join()


@contextmanager
def silent_port() -> Iterator[str]:
    """A port that accepts connections and never answers: a server hung in the middle."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


@contextmanager
def trickling_port(head: bytes, pause: float = 0.2) -> Iterator[str]:
    """A server that answers every connection one byte at a time, ``pause`` seconds apart,
    and never finishes: the answer ``head`` and then spaces, for as long as the client
    listens. No read timeout ever fires against it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.1)
    done = threading.Event()

    def trickle(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(0.1)
            with contextlib.suppress(OSError):
                conn.recv(65536)
            data = iter(head)
            while not done.wait(pause):
                try:
                    conn.sendall(bytes([next(data, 32)]))
                except OSError:
                    return

    def accept() -> None:
        while not done.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            threading.Thread(target=trickle, args=(conn,), daemon=True).start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        done.set()
        acceptor.join()
        sock.close()
