"""The feed over HTTP: a small WSGI app, served by waitress.

Three resources and nothing else: ``/calendar.ics`` (the feed), ``/board.csv``
(the applications, for a spreadsheet) and ``/`` (the page). When the server can
be reached from other machines, all live under
a secret token (``/<token>/calendar.ics``); a wrong or missing token gets
404, as any unknown path does, so a stranger learns nothing. No path reaches
the file system. Only GET and HEAD, and no request bodies.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import re
import secrets
import stat
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from followup.engine.atomic import write_atomic
from followup.engine.errors import WriteError
from followup.engine.feed.build import Feed, Profile
from followup.engine.feed.cache import FeedCache
from followup.engine.feed.page import CONTENT_SECURITY_POLICY, Links, PageView, Reach, render_page
from followup.engine.plan.board import board_csv

if TYPE_CHECKING:
    from collections.abc import Mapping

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
Environ = dict[str, Any]


@dataclass(frozen=True, slots=True)
class FeedSite:
    """What the app serves besides the feed itself."""

    calendar_name: str
    profile: Profile
    refresh: timedelta
    token: str | None = None
    """When set, every path starts with ``/<token>/``."""
    public_url: str | None = None
    """The address people reach the server at (behind a proxy); None: the request's own."""
    reach: Reach = "this-computer"
    """Who can open the address, for the note at the top of the page."""
    hosts: frozenset[str] | None = None
    """The names a request may give in its Host header (lower case, no port); None: any
    well-formed name. See ``accepted_hosts``."""


_ETAG = re.compile(r'(?:W/)?("[^"]*")|(\*)')
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,}$")
_HOST = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")

_COMMON_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
]


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding header admits gzip (q=0 refuses it)."""
    if not header:
        return False
    star: bool | None = None
    for part in header.split(","):
        coding, _, params = part.partition(";")
        coding = coding.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding in ("gzip", "x-gzip"):
            return quality > 0
        if coding == "*":
            star = quality > 0
    return bool(star)


def etag_matches(header: str, *tags: str) -> bool:
    """If-None-Match: does any listed tag equal one of ours (weak comparison, as RFC 9110 asks)?"""
    return any(m.group(2) or m.group(1) in tags for m in _ETAG.finditer(header))


def not_modified_since(header: str, last_modified: datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return last_modified <= since


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})


def accepted_hosts(host: str, token: str | None, public_url: str | None) -> frozenset[str] | None:
    """The Host names the server answers: without a token, only the loopback names it is
    bound to (and ``--public-url``'s), so that a web page that points a name of its own at
    127.0.0.1 (DNS rebinding) cannot read the agenda. With a token, the token guards the
    feed and any name is answered (people reach a server by names it cannot know)."""
    if token is not None:
        return None
    names = set(LOOPBACK_NAMES)
    names.add(f"[{host}]" if ":" in host else host.lower())
    if public_url is not None:
        names.add(host_name(urlsplit(public_url).netloc.rpartition("@")[2]))
    return frozenset(names)


def host_name(header: str) -> str:
    """The name in a Host header, lower case, without the port (an IPv6 literal keeps its
    brackets)."""
    name = header.strip().lower()
    if name.startswith("["):
        return name.partition("]")[0] + "]"
    return name.rsplit(":", 1)[0] if ":" in name else name


def needs_token(host: str) -> bool:
    """Anything but a loopback address can be reached by others, so it needs the token."""
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return True


class FeedApp:
    """The WSGI application."""

    def __init__(
        self,
        cache: FeedCache,
        site: FeedSite,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._cache = cache
        self._site = site
        self._clock = clock
        self._token = site.token.encode() if site.token else None

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        refused = self._refused_host(environ.get("HTTP_HOST"))
        if refused is not None:
            return _plain(start_response, refused, "This server does not answer to that name.\n")
        route = self._route(environ.get("PATH_INFO") or "/")
        if route is None:
            return _plain(start_response, "404 Not Found", "Not found.\n")
        if route == "add-slash":
            location = self._prefix() or "/"
            return _plain(start_response, "308 Permanent Redirect", "", [("Location", location)])
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return _plain(
                start_response,
                "405 Method Not Allowed",
                "Only GET and HEAD.\n",
                [("Allow", "GET, HEAD")],
            )
        if _has_body(environ):
            return _plain(start_response, "413 Content Too Large", "Requests carry no body.\n")
        head = method == "HEAD"
        if route == "feed":
            return self._feed(environ, start_response, head=head)
        if route == "board":
            return self._board(start_response, head=head)
        return self._page(environ, start_response, head=head)

    def _refused_host(self, header: str | None) -> str | None:
        """421 for a name this server does not answer to, 400 for a malformed Host."""
        if header is None:
            return None  # HTTP/1.0 without Host: not a browser, so not DNS rebinding
        if not _HOST.match(header):
            return "400 Bad Request"
        allowed = self._site.hosts
        if allowed is not None and host_name(header) not in allowed:
            return "421 Misdirected Request"
        return None

    def _route(self, path: str) -> str | None:
        if self._token is not None:
            _, _, rest = path.partition("/")
            given, slash, rest = rest.partition("/")
            # Always compare, in constant time, so timing tells nothing about the token.
            if not hmac.compare_digest(given.encode("latin-1", "replace"), self._token):
                return None
            if not slash:
                return "add-slash"
            path = "/" + rest
        if path == "/calendar.ics":
            return "feed"
        if path == "/board.csv":
            return "board"
        if path == "/":
            return "page"
        return None

    def _prefix(self) -> str:
        return f"/{self._site.token}/" if self._site.token else "/"

    def _feed(self, environ: Environ, start_response: StartResponse, *, head: bool) -> list[bytes]:
        feed = self._cache.current().feed
        if feed is None:
            return _plain(
                start_response,
                "503 Service Unavailable",
                "The calendar is not built yet; see the page for why.\n",
                [("Retry-After", "60")],
            )
        gzipped = accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING"))
        etag = feed.gzip_etag if gzipped else feed.etag
        headers = [
            ("ETag", etag),
            ("Last-Modified", http_date(feed.last_modified)),
            ("Cache-Control", "no-cache"),
            ("Vary", "Accept-Encoding"),
        ]
        if _not_modified(environ, feed):
            start_response("304 Not Modified", headers)
            return []
        body = feed.ics_gzip if gzipped else feed.ics
        headers += [
            ("Content-Type", "text/calendar; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Content-Disposition", 'inline; filename="followups.ics"'),
            *_COMMON_HEADERS,
        ]
        if gzipped:
            headers.append(("Content-Encoding", "gzip"))
        start_response("200 OK", headers)
        return [] if head else [body]

    def _board(self, start_response: StartResponse, *, head: bool) -> list[bytes]:
        """Every application, closed ones too, as CSV: a spreadsheet filters by stage."""
        feed = self._cache.current().feed
        if feed is None:
            return _plain(
                start_response,
                "503 Service Unavailable",
                "The board is not built yet; see the page for why.\n",
                [("Retry-After", "60")],
            )
        body = board_csv(feed.board, ZoneInfo(feed.timezone)).encode()
        start_response(
            "200 OK",
            [
                ("Content-Type", "text/csv; charset=utf-8; header=present"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
                ("Content-Disposition", 'attachment; filename="applications.csv"'),
                *_COMMON_HEADERS,
            ],
        )
        return [] if head else [body]

    def _page(self, environ: Environ, start_response: StartResponse, *, head: bool) -> list[bytes]:
        view = PageView(
            calendar_name=self._site.calendar_name,
            state=self._cache.current(),
            now=self._clock(),
            links=self.links(environ),
            profile=self._site.profile,
            refresh=self._site.refresh,
            reach=self._site.reach,
        )
        body = render_page(view).encode()
        start_response(
            "200 OK",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
                ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
                *_COMMON_HEADERS,
            ],
        )
        return [] if head else [body]

    def links(self, environ: Mapping[str, Any]) -> Links:
        """The subscription link, as the person reading the page reached the server."""
        base = self._site.public_url
        if base is None:
            scheme = environ.get("wsgi.url_scheme", "http")
            host = environ.get("HTTP_HOST", "")
            if not _HOST.match(host):
                host = (
                    f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
                )
            base = f"{scheme}://{host}"
        web = base.rstrip("/") + self._prefix() + "calendar.ics"
        return Links(web=web, webcal="webcal://" + web.split("://", 1)[1])


def _not_modified(environ: Environ, feed: Feed) -> bool:
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        # Either encoding's tag names the same content.
        return etag_matches(if_none_match, feed.etag, feed.gzip_etag)
    if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
    return if_modified_since is not None and not_modified_since(
        if_modified_since, feed.last_modified
    )


def _has_body(environ: Environ) -> bool:
    if environ.get("HTTP_TRANSFER_ENCODING"):
        return True
    length = environ.get("CONTENT_LENGTH") or "0"
    return not length.isdigit() or int(length) > 0


def _plain(
    start_response: StartResponse,
    status: str,
    text: str,
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    body = text.encode()
    start_response(
        status,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            *_COMMON_HEADERS,
            *(extra or []),
        ],
    )
    return [body]


HEADER_DEADLINE = 10.0
"""Seconds a connection has to send a request's headers (a feed request is one short line
and a few headers); a client that trickles them is hung up on."""
WAITING_CAP = 64
"""Connections waiting for their headers at once; the oldest is dropped for a new one, so
a crowd of slow clients cannot keep everyone else out."""
CONNECTION_LIMIT = 256
OUTBUF_OVERFLOW = 16 * 1024 * 1024
"""Bytes of a connection's pending answer kept in memory before waitress spools it to disk."""
"""All connections at once, idle keep-alive ones included (waitress stops accepting beyond)."""


def _guarded_channel(base: type[Any], deadline: float, cap: int) -> type[Any]:
    """waitress's HTTP channel with a deadline for the headers and a cap on waiting ones."""

    class GuardedChannel(base):  # type: ignore[valid-type,misc]
        def __init__(self, server: Any, *args: Any, **kwargs: Any) -> None:
            super().__init__(server, *args, **kwargs)
            self.waiting_since = time.monotonic()
            waiting = [
                c
                for c in list(server.active_channels.values())
                if c is not self and not c.requests and not c.will_close
            ]
            if len(waiting) >= cap:
                min(waiting, key=lambda c: c.waiting_since).will_close = True

        def readable(self) -> bool:
            if self.requests:  # a whole request came in: its answer is on the way
                self.waiting_since = time.monotonic()
            elif time.monotonic() - self.waiting_since > deadline:
                self.will_close = True  # closed by the loop, as waitress closes idle ones
                return False
            return bool(super().readable())

    return GuardedChannel


class FeedServer:
    """A waitress server for the app, bound and ready; ``run()`` serves until ``close()``."""

    def __init__(
        self,
        app: FeedApp,
        *,
        host: str,
        port: int,
        threads: int = 4,
        header_deadline: float = HEADER_DEADLINE,
        waiting_cap: int = WAITING_CAP,
    ) -> None:
        import waitress  # the HTTP stack loads only when a server is started
        from waitress.channel import HTTPChannel
        from waitress.server import BaseWSGIServer

        self._server = waitress.create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            ident="followup",
            # Any body at all is refused before it reaches the app.
            max_request_body_size=1,
            max_request_header_size=16 * 1024,
            # Idle keep-alive connections are closed after this, checked this often.
            channel_timeout=30,
            cleanup_interval=5,
            connection_limit=CONNECTION_LIMIT,
            expose_tracebacks=False,
            clear_untrusted_proxy_headers=True,
            # poll() has no FD_SETSIZE limit and measured faster here than select().
            asyncore_use_poll=True,
            # An answer up to this size is sent from memory: above waitress's 1 MiB
            # default, every full feed of 1,000 follow-ups (1.1 MB) went through a
            # temporary file on disk, at half the speed of a static server.
            outbuf_overflow=OUTBUF_OVERFLOW,
        )
        channel = _guarded_channel(HTTPChannel, header_deadline, waiting_cap)
        for listener in [self._server, *getattr(self._server, "map", {}).values()]:
            if isinstance(listener, BaseWSGIServer):
                listener.channel_class = channel
        self.host: str = str(self._server.effective_host)
        self.port: int = int(self._server.effective_port)
        self._lock = threading.Lock()
        self._running = False
        self._closed = False

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def run(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._running = True
        try:
            self._server.run()
        finally:
            with self._lock:
                self._running = False

    def close(self) -> None:
        """Stop serving: the worker threads, open connections and the socket; safe to call
        from another thread, and more than once."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            running = self._running
        if not running:
            self._stop()
            return
        # Done inside the server's own loop, which the trigger wakes at once. The trigger's
        # lock is held from adding the stop to waking the loop: the loop runs what was
        # added under that same lock, and the stop closes the trigger's pipe, so without
        # it the wake-up could be written to a pipe already closed (EBADF).
        trigger = self._server.trigger
        with trigger.lock:
            if trigger._closed:
                return
            trigger.thunks.append(self._stop)
            trigger._physical_pull()

    def _stop(self) -> None:
        from waitress import wasyncore

        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._server._map)


TOKEN_BYTES = 24


def protect_token_file(path: Path) -> str | None:
    """Make the token file readable by its owner only; what was done, or why it could not be.

    Anyone who can read the token can read the agenda."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None  # not there yet: it is made private
    if not mode & 0o077:
        return None
    try:
        os.chmod(path, 0o600)
    except OSError as err:
        return (
            f"{path} can be read by other users of this machine (mode {mode:o}) and could not "
            f"be made private ({err.strerror}); anyone who reads it can read your agenda"
        )
    return f"{path} could be read by other users of this machine; now only you can read it"


def load_or_create_token(path: Path) -> tuple[str, bool]:
    """The secret for the feed's path, made on first use; True when it was just made.

    The file is written atomically and readable by its owner only.
    """
    try:
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        token = ""
    except OSError as err:  # e.g. the config folder is a file, or unreadable
        raise WriteError(f"cannot read the feed token {path}: {err.strerror}") from None
    if _TOKEN.match(token):
        return token, False
    token = secrets.token_urlsafe(TOKEN_BYTES)
    write_atomic(path, (token + "\n").encode(), mode=0o600)
    return token, True
