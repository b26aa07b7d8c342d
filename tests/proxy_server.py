"""A web proxy as offices run them: real HTTP on a free loopback port, CONNECT tunnels for
https:// and forwarding for http://, with every request recorded.

``password`` makes it ask for Proxy-Authorization (Basic) and answer 407 without it.
"""

from __future__ import annotations

import base64
import http.client
import select
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Asked:
    """One request the proxy was given: its method, its target, and its headers."""

    method: str
    target: str
    headers: dict[str, str]
    status: int = 0


@dataclass
class ProxyServer:
    url: str = ""
    asked: list[Asked] = field(default_factory=list)
    password: tuple[str, str] | None = None

    def authorised(self, header: str | None) -> bool:
        if self.password is None:
            return True
        expected = base64.b64encode(":".join(self.password).encode()).decode()
        return header == f"Basic {expected}"


def _handler(state: ProxyServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _note(self) -> Asked | None:
            asked = Asked(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
            state.asked.append(asked)
            if state.authorised(self.headers.get("Proxy-Authorization")):
                return asked
            asked.status = 407
            self.send_response(407)
            self.send_header("Proxy-Authenticate", 'Basic realm="office"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None

        def do_CONNECT(self) -> None:
            asked = self._note()
            if asked is None:
                return
            host, _, port = self.path.rpartition(":")
            try:
                upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
            except OSError:
                asked.status = 502
                self.send_error(502)
                return
            asked.status = 200
            self.send_response(200, "Connection established")
            self.end_headers()
            self._relay(self.connection, upstream)
            self.close_connection = True

        def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
            with upstream:
                ends = [client, upstream]
                while True:
                    ready, _, broken = select.select(ends, [], ends, 10)
                    if broken or not ready:
                        return
                    for end in ready:
                        data = end.recv(65536)
                        if not data:
                            return
                        (upstream if end is client else client).sendall(data)

        def _forward(self) -> None:
            asked = self._note()
            if asked is None:
                return
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() not in ("proxy-authorization", "proxy-connection", "connection")
            }
            upstream = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
            try:
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                upstream.request(self.command, path or "/", body=body, headers=headers)
                answer = upstream.getresponse()
                content = answer.read()
                asked.status = answer.status
                self.send_response(answer.status, answer.reason)
                for name, value in answer.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            finally:
                upstream.close()

        do_GET = do_HEAD = do_PUT = do_DELETE = do_OPTIONS = _forward
        do_PROPFIND = do_REPORT = do_MKCALENDAR = _forward

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client hanging up mid-tunnel is no failure of the proxy


@contextmanager
def proxy_server(password: tuple[str, str] | None = None) -> Iterator[ProxyServer]:
    """A proxy on a free loopback port; ``url`` is what HTTPS_PROXY and HTTP_PROXY take."""
    state = ProxyServer(password=password)
    httpd = _QuietServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
