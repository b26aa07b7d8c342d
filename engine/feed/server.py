"""The feed over HTTP: a small WSGI app, served by waitress.

Two resources and nothing else: ``/calendar.ics`` (the feed) and ``/`` (its
page). When the server can be reached from other machines, both live under
a secret token (``/<token>/calendar.ics``); a wrong or missing token gets
404, as any unknown path does, so a stranger learns nothing. No path reaches
the file system. Only GET and HEAD, and no request bodies.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.feed.build import Feed, Profile
from engine.feed.cache import FeedCache
from engine.feed.page import CONTENT_SECURITY_POLICY, Links, PageView, Reach, render_page
from engine.write.atomic import write_atomic

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
        return self._page(environ, start_response, head=head)

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


class FeedServer:
    """A waitress server for the app, bound and ready; ``run()`` serves until ``close()``."""

    def __init__(self, app: FeedApp, *, host: str, port: int, threads: int = 4) -> None:
        import waitress  # the HTTP stack loads only when a server is started

        self._server = waitress.create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            ident="followup",
            # Any body at all is refused before it reaches the app.
            max_request_body_size=1,
            max_request_header_size=16 * 1024,
            channel_timeout=30,
            expose_tracebacks=False,
            clear_untrusted_proxy_headers=True,
            # poll() has no FD_SETSIZE limit and measured faster here than select().
            asyncore_use_poll=True,
        )
        self.host: str = str(self._server.effective_host)
        self.port: int = int(self._server.effective_port)
        self._running = False

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def run(self) -> None:
        self._running = True
        try:
            self._server.run()
        finally:
            self._running = False

    def close(self) -> None:
        """Stop serving: the worker threads, open connections and the socket; safe to call
        from another thread."""
        if self._running:
            # Done inside the server's own loop, which the trigger wakes at once.
            self._server.trigger.pull_trigger(self._stop)
        else:
            self._stop()

    def _stop(self) -> None:
        from waitress import wasyncore

        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._server._map)


TOKEN_BYTES = 24


def load_or_create_token(path: Path) -> tuple[str, bool]:
    """The secret for the feed's path, made on first use; True when it was just made.

    The file is written atomically and readable by its owner only.
    """
    try:
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        token = ""
    if _TOKEN.match(token):
        return token, False
    token = secrets.token_urlsafe(TOKEN_BYTES)
    write_atomic(path, (token + "\n").encode(), mode=0o600)
    return token, True
