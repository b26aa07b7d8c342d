"""Calendars behind a link: Google's secret address, Outlook.com's published calendar, webcal://.

One GET per read, made conditional with the ETag and Last-Modified of the copy
kept in the user cache folder (``links/``): an unchanged calendar costs one
small request answered 304. The response is streamed under a size cap (gzip
is unpacked in bounded steps, so a gzip bomb is refused, not inflated), and
the whole exchange, redirects included, has a deadline: a server that sends
one byte every half second is cut off. Redirects are followed only to http(s),
and the password of a private link is sent only to the host it was configured
for. HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured (engine/proxies.py):
https:// in a CONNECT tunnel, and a link's password never through a proxy in
the clear.

The link is a secret (anyone who has it reads the calendar), so it is shown
only masked (``shown``): scheme, host and file name, never the path between.

The standard library's ``http.client`` does the HTTP: the cap, the deadline and
the bomb refusal need the socket and the decoder in hand, which a client's
convenience layer (automatic redirects, automatic decoding) takes away.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from followup.engine.errors import ServerError, SourceError, UsageMistake, WriteError
from followup.engine.proxies import ProxyProblem, route
from followup.engine.sources import Calendars, Source

if TYPE_CHECKING:
    from followup.engine.config import Config, WebAddress
    from followup.engine.model import Window

log = logging.getLogger("followup.http")

LINK_SCHEMES = ("webcal://", "webcals://")
WEB_SCHEMES = ("http://", "https://")
CALENDAR_SUFFIXES = (".ics", ".ical", ".ifb", ".zip")
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
FRESH_FOR = 30.0
"""Seconds a copy just checked with the server may count as current in this process, for
callers that ask for it: the feed looks at the version and then builds, and the build
should not ask again."""


@dataclass(frozen=True, slots=True)
class LinkAuth:
    """Basic auth for a private link; never shown (see ``__repr__``)."""

    username: str
    password: str
    origin: str
    """scheme://host:port the credentials belong to; never sent anywhere else."""

    def __repr__(self) -> str:
        return f"LinkAuth(username={self.username!r}, password=***, origin={self.origin!r})"


@dataclass(frozen=True, slots=True)
class Limits:
    timeout: float = 30.0
    """Seconds to wait for the server to connect or to send anything."""
    deadline: float = 120.0
    """Seconds the whole read may take, redirects included."""
    max_bytes: int = 50 * 2**20
    """The most followup reads, after unpacking gzip."""


@dataclass(frozen=True, slots=True)
class LinkCopy:
    """A calendar read from a link: its bytes, a version that changes with them, and the
    answer that gave it (200 new copy, 304 the kept copy, 0 the kept copy without asking)."""

    data: bytes
    version: str
    status: int
    content_type: str


class NotACalendar(SourceError):
    """The link answered, but with something that is not a calendar (a web page, say)."""

    def __init__(self, message: str, *, found: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.found = found


# -- recognising and showing links ---------------------------------------------------------


def is_link_url(spec: str) -> bool:
    """A webcal:// address, or an http(s) address of a file (.ics, .zip) or an export."""
    lowered = spec.lower()
    if lowered.startswith(LINK_SCHEMES):
        return True
    if not lowered.startswith(WEB_SCHEMES):
        return False
    parts = urlsplit(lowered)
    return parts.path.endswith(CALENDAR_SUFFIXES) or "export" in parts.query.split("&")


def shown(url: str) -> str:
    """The link with its secret parts masked: scheme, host and file name only.

    ``https://calendar.google.com/calendar/ical/me%40gmail.com/private-1a2b/basic.ics``
    is shown as ``https://calendar.google.com/…/basic.ics``.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return "a link that is not a URL"
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
        host += ":?"
    if port:
        host += f":{port}"
    segments = [s for s in parts.path.split("/") if s]
    last = segments[-1] if segments else ""
    tail = last if last.lower().endswith(CALENDAR_SUFFIXES) and len(last) <= 40 else ""
    masked = "/…/" + tail if len(segments) > 1 or (segments and not tail) else "/" + tail
    return f"{parts.scheme}://{host}{masked}"


def host_problem(host: str) -> str | None:
    """Why ``host`` (a URL's host name, without brackets) cannot be asked, or None: a name
    IDNA cannot encode (a label over 63 letters, a name over 253), or characters no host
    name has. An IPv6 address is left to the system."""
    if ":" in host:
        return None
    try:
        encoded = host.encode("idna")
    except UnicodeError:
        return "the host name is not valid (a part over 63 letters, or letters IDNA cannot write)"
    if not encoded or len(encoded) > 253:
        return "the host name is empty or too long"
    if not all(
        c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_" for c in encoded
    ):
        return "the host name has characters no host name has"
    return None


def origin(url: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


# -- the cache folder ------------------------------------------------------------------------


def _cache_files(url: str) -> tuple[Path, Path]:
    from followup.engine.config import web_url

    return _kept_files(web_url(url))


def _kept_files(web: str) -> tuple[Path, Path]:
    """Where the copy of the link at ``web`` (an http(s) address) is kept."""
    from followup.engine.folders import cache_dir

    parts = urlsplit(web)
    plain = urlunsplit(
        (parts.scheme.lower(), parts.netloc.rsplit("@", 1)[-1].lower(), parts.path, parts.query, "")
    )
    key = hashlib.sha256(plain.encode()).hexdigest()[:24]
    folder = cache_dir() / "links"
    return folder / f"{key}.json", folder / f"{key}.data"


def _load_copy(url: str, auth: LinkAuth | None) -> tuple[dict[str, Any], bytes] | None:
    from followup.engine.folders import read_json_object, read_own

    meta_path, data_path = _cache_files(url)
    # Only a copy this user wrote: a link or another user's file planted in the cache
    # folder is ignored (with a warning) and the link is read in full again.
    meta = read_json_object(meta_path, limit=1_000_000)
    data = None if meta is None else read_own(data_path, limit=Limits().max_bytes)
    if meta is None or data is None:
        return None
    if not isinstance(meta, dict) or meta.get("sha256") != hashlib.sha256(data).hexdigest():
        return None  # damaged or half-replaced: read the link in full again
    if meta.get("user") != (auth.username if auth else None):
        return None  # another user's copy of the same address
    return meta, data


def _save_copy(url: str, meta: dict[str, Any], data: bytes) -> None:
    from followup.engine.folders import write_own

    meta_path, data_path = _cache_files(url)
    try:
        write_own(data_path, data)
        write_own(meta_path, json.dumps(meta, sort_keys=True).encode())
    except (OSError, WriteError):
        pass  # a cache that cannot be written costs a full read next time, nothing more


def known_link(address: WebAddress) -> bool:
    """Was this address read as a calendar file before (so it needs no guessing)?"""
    return _kept_files(address.web)[0].exists()


_checked: dict[tuple[str, str], float] = {}
_checked_lock = threading.Lock()


# -- reading ---------------------------------------------------------------------------------


def read_link(
    url: str,
    *,
    auth: LinkAuth | None = None,
    limits: Limits | None = None,
    fresh_for: float = 0,
) -> LinkCopy:
    """The calendar at ``url``: the kept copy when the server says it is unchanged (304).

    Raises ServerError when the server cannot be reached in time or refuses,
    SourceError when it answers with something followup will not read.
    """
    from followup.engine.config import (
        web_url,  # the config's models (pydantic) load only when asked
    )

    url = web_url(url)
    limits = limits or Limits()
    key = (url, auth.username if auth else "")
    kept = _load_copy(url, auth)
    if kept is not None:
        with _checked_lock:
            at = _checked.get(key)
        if at is not None and time.monotonic() - at < fresh_for:
            meta, data = kept
            return LinkCopy(data, meta["sha256"], 0, str(meta.get("content_type", "")))
    validators: dict[str, str] = {}
    if kept is not None:
        meta = kept[0]
        if isinstance(meta.get("etag"), str):
            validators["If-None-Match"] = meta["etag"]
        if isinstance(meta.get("last_modified"), str):
            validators["If-Modified-Since"] = meta["last_modified"]
    answer = _get(url, auth=auth, limits=limits, headers=validators)
    with _checked_lock:
        _checked[key] = time.monotonic()
    if answer.status == 304 and kept is not None:
        meta, data = kept
        return LinkCopy(data, meta["sha256"], 304, str(meta.get("content_type", "")))
    if answer.status == 304:  # a 304 to a request that was not conditional
        raise ServerError(f"{shown(url)} answered 304 Not Modified to a plain request")
    digest = hashlib.sha256(answer.body).hexdigest()
    _check_calendar(url, answer)
    meta = {
        "etag": _validator(answer.headers.get("etag")),
        "last_modified": _validator(answer.headers.get("last-modified")),
        "content_type": answer.content_type,
        "sha256": digest,
        "user": auth.username if auth else None,
    }
    _save_copy(url, meta, answer.body)
    return LinkCopy(answer.body, digest, 200, answer.content_type)


def _validator(value: str | None) -> str | None:
    """An ETag or date to send back, if it is one line of printable ASCII (a folded or
    binary header from a hostile server is dropped, not echoed into the next request)."""
    if value is None or len(value) > 1024 or not value.isascii() or not value.isprintable():
        return None
    return value


def looks_like_calendar(data: bytes) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    return head.startswith(b"BEGIN:VCALENDAR")


def looks_like_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _check_calendar(url: str, answer: _Answer) -> None:
    body = answer.body
    if looks_like_calendar(body) or looks_like_zip(body):
        return
    kind = answer.content_type or "no content type"
    what = "a web page" if "html" in kind or body[:64].lstrip().startswith(b"<") else kind
    raise NotACalendar(
        f"{shown(url)} is not a calendar: it answered with {what}",
        found=f"GET answered HTTP {answer.status} with {kind}",
        hint="copy the calendar's secret or public address in iCal format (ending in .ics)",
    )


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _get(url: str, *, auth: LinkAuth | None, limits: Limits, headers: dict[str, str]) -> _Answer:
    """One GET, following redirects; every hop within the one deadline."""
    started = time.monotonic()
    came_from: str | None = None
    floor: int | None = None  # the link's own reach: no redirect leads closer to this machine
    for _ in range(MAX_REDIRECTS + 1):
        parts = _address(url, came_from)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise SourceError(
                f"the link leads to {parts.scheme or 'a'}: address, not a web address",
                hint="followup follows links only to http:// and https://",
            )
        if parts.username or parts.password:
            raise SourceError(
                f"{shown(url)}: a user name or password in the address is not used",
                hint="put them in the config file's [links] table (see followup serve --help)",
            )
        send_auth = auth if auth is not None and origin(url) == auth.origin else None
        answer, reached = _exchange(url, send_auth, limits, headers, started, floor, came_from)
        floor = reached if floor is None else floor
        if answer.status in (301, 302, 303, 307, 308):
            location = answer.headers.get("location")
            if not location:
                raise ServerError(f"{shown(url)} redirected without saying where to")
            try:
                came_from, url = url, urljoin(url, location.strip())
            except ValueError:
                raise ServerError(
                    f"{shown(url)} redirected to an address that is not a URL",
                    hint="the server is misconfigured; tell whoever runs it",
                ) from None
            continue
        if answer.status in (200, 304):
            return answer
        raise _refusal(url, answer.status, auth is not None)
    raise ServerError(f"{shown(url)} redirected more than {MAX_REDIRECTS} times")


def _address(url: str, came_from: str | None) -> SplitResult:
    """The parts of an address to ask, or one message for one that cannot be asked (a bad
    port, an unclosed IPv6 bracket, a host name that is not one): a SourceError for the
    link as given, a ServerError for where a server redirected to."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  # raises ValueError for a port that is no port
        problem = host_problem(parts.hostname) if parts.hostname else None  # none: see _get
    except ValueError as err:
        problem = (
            "the port is not a number from 1 to 65535" if "port" in str(err).lower() else str(err)
        )
    if problem is None:
        return parts
    if came_from is None:
        raise SourceError(f"cannot read {shown(url)}: {problem}", hint="check the address")
    raise ServerError(
        f"{shown(came_from)} redirected to an address followup cannot ask: {problem}",
        hint="the server is misconfigured; tell whoever runs it",
    )


def _refusal(url: str, status: int, had_auth: bool) -> ServerError:
    if status in (401, 403):
        return ServerError(
            f"{shown(url)} refused to give the calendar (HTTP {status})",
            hint=(
                "check the user name and password of this link in the config file"
                if had_auth
                else "a private link needs a user name and password: add a [links] table to "
                "the config file (see followup serve --help)"
            ),
        )
    if status in (404, 410):
        return ServerError(
            f"there is no calendar at {shown(url)} (HTTP {status})",
            hint="the link may have been reset; copy the current secret address again",
        )
    if status == 407:
        return ServerError(
            f"the proxy refused to ask {shown(url)} for followup (HTTP 407: it wants a password)",
            hint="put the proxy's user name and password in the variable: "
            "HTTP_PROXY=http://user:password@proxy.example:3128",
        )
    return ServerError(f"{shown(url)} answered HTTP {status}", hint="try again later")


LOOPBACK, LOCAL, PUBLIC = 0, 1, 2
"""How far an address is from this machine: itself, its networks (private, link-local,
shared, reserved ranges), the internet."""


def name_reach(host: str) -> int:
    """How far the host a URL names is, when a proxy connects to it: an IP address as it is,
    localhost as this machine, any other name as the internet (the proxy looks names up,
    and its own rules decide where they lead)."""
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return LOOPBACK
    try:
        return reach(host)
    except ValueError:
        return PUBLIC


def reach(address: str) -> int:
    """LOOPBACK, LOCAL or PUBLIC for an IP address as the socket gives it."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback or ip.is_unspecified:
        return LOOPBACK
    return PUBLIC if ip.is_global else LOCAL


def _exchange(
    url: str,
    auth: LinkAuth | None,
    limits: Limits,
    headers: dict[str, str],
    started: float,
    floor: int | None = None,
    came_from: str | None = None,
) -> tuple[_Answer, int]:
    """One request, and how far the address it reached is (``reach``). With a ``floor``
    (a redirect's hop), an address closer to this machine than the link's own is refused
    once connected, before anything is sent: a public calendar server cannot make followup
    ask a service on the user's machine or network."""
    parts = urlsplit(url)
    remaining = limits.deadline - (time.monotonic() - started)
    if remaining <= 0:
        raise _too_slow(url, limits)
    host = parts.hostname or ""
    if ":" not in host:
        host = host.encode("idna").decode("ascii")  # checked by _address: bücher.example
    timeout = min(limits.timeout, remaining)
    https = parts.scheme.lower() == "https"
    try:
        way = route(
            parts, host, timeout=timeout, context=ssl.create_default_context() if https else None
        )
    except ProxyProblem as err:
        raise UsageMistake(
            f"cannot read {shown(url)}: {err}",
            hint="set HTTPS_PROXY and HTTP_PROXY to http://proxy.example:3128, or unset them",
        ) from None
    if way.proxy is not None and not https and auth is not None:
        raise SourceError(
            f"{shown(url)}: the password of this link is not sent through the proxy "
            f"{way.proxy.shown} over plain http",
            hint="use the link's https:// address, or name its host in NO_PROXY",
        )
    connection = way.connection
    sent = {
        "Host": (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port else ""),
        "User-Agent": "followup",
        "Accept": "text/calendar, application/zip;q=0.9, */*;q=0.5",
        "Accept-Encoding": "gzip",
        **headers,
        **way.headers,
    }
    if auth is not None:
        token = base64.b64encode(f"{auth.username}:{auth.password}".encode()).decode()
        sent["Authorization"] = f"Basic {token}"
    with deadline(connection, remaining) as expired:
        try:
            connection.connect()
            # Through a proxy the socket reaches the proxy, and the proxy the server: the
            # address the link names is judged instead (see name_reach).
            reached = (
                reach(connection.sock.getpeername()[0])
                if way.proxy is None
                else name_reach(parts.hostname or "")
            )
            if floor is not None and reached < floor:
                where = "this machine" if reached == LOOPBACK else "your own network"
                raise ServerError(
                    f"{shown(came_from or url)} redirected to {shown(url)}, an address on "
                    f"{where}; followup follows a link's redirects only as far as the link",
                    hint="a public calendar link never needs this; if yours does, use the "
                    "address it redirects to",
                )
            connection.request("GET", way.target, headers=sent)
            response = connection.getresponse()
            log.info("http: GET %s -> %s", shown(url), response.status)
            got = {k.lower(): v for k, v in response.getheaders()}
            if response.status != 200:
                # A redirect or a refusal: its body is of no use, and may be endless.
                return _Answer(response.status, got, b""), reached
            body = _read_body(url, response, got, limits, expired)
            return _Answer(response.status, got, body), reached
        except (OSError, http.client.HTTPException) as err:
            if expired.is_set():
                raise _too_slow(url, limits) from None
            if way.proxy is not None:
                raise ServerError(
                    f"cannot read {shown(url)} through the proxy {way.proxy.shown}: "
                    f"{_proxy_reason(err)}",
                    hint="check the proxy variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)",
                ) from None
            raise ServerError(
                f"cannot read {shown(url)}: {_reason(err)}",
                hint="check the address and your connection",
            ) from None


@contextlib.contextmanager
def deadline(connection: http.client.HTTPConnection, seconds: float) -> Iterator[threading.Event]:
    """A deadline for a whole exchange, headers included: a server that sends one byte at
    a time never trips the per-read timeout, so once ``seconds`` have passed the socket is
    shut from a timer and the read in progress ends. The event says it was; the connection
    is closed on the way out."""
    expired = threading.Event()

    def cut_off() -> None:
        expired.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(seconds, cut_off)
    timer.daemon = True
    timer.start()
    try:
        yield expired
    finally:
        timer.cancel()
        connection.close()


def _read_body(
    url: str,
    response: http.client.HTTPResponse,
    headers: dict[str, str],
    limits: Limits,
    expired: threading.Event,
) -> bytes:
    cap = limits.max_bytes
    encoding = headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", ""):
        raise SourceError(f"{shown(url)} sent the calendar packed as {encoding!r}, not gzip")
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap and encoding in ("identity", ""):
        raise _too_big(url, cap)
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding in ("gzip", "x-gzip") else None
    out = bytearray()
    raw = 0
    while True:
        chunk = response.read1(CHUNK)
        if expired.is_set():
            raise OSError("deadline")
        if not chunk:
            break
        raw += len(chunk)
        if raw > cap:
            raise _too_big(url, cap)
        if inflate is None:
            out += chunk
        else:
            # At most one byte past the cap per step: a bomb is found out, never inflated.
            out += inflate.decompress(chunk, cap + 1 - len(out))
            if inflate.unconsumed_tail:
                raise _too_big(url, cap, packed=True)
        if len(out) > cap:
            raise _too_big(url, cap, packed=inflate is not None)
    if inflate is not None:
        try:
            out += inflate.flush()
        except zlib.error:
            raise SourceError(f"{shown(url)} sent a damaged gzip stream") from None
        if len(out) > cap:
            raise _too_big(url, cap, packed=True)
    return bytes(out)


def _too_big(url: str, cap: int, *, packed: bool = False) -> SourceError:
    unpacked = " once unpacked" if packed else ""
    return SourceError(
        f"{shown(url)} is more than the {cap // 2**20} MB followup reads{unpacked}",
        hint="is this the right link? a calendar export is rarely that big",
    )


def _too_slow(url: str, limits: Limits) -> ServerError:
    return ServerError(
        f"{shown(url)} did not send the calendar within {limits.deadline:g} s",
        hint="the server is too slow or stuck; followup keeps what it read last time",
    )


def _proxy_reason(err: BaseException) -> str:
    """Why a request through a proxy failed: its answer to CONNECT, or the connection's."""
    text = str(err)
    if text.startswith("Tunnel connection failed: "):
        return "it answered " + text.removeprefix("Tunnel connection failed: ")
    return _reason(err)


def _reason(err: BaseException) -> str:
    if isinstance(err, TimeoutError | socket.timeout):
        return "no answer within the timeout"
    if isinstance(err, ssl.SSLError):
        return f"TLS failed ({err.reason or 'certificate'})"
    if isinstance(err, socket.gaierror):
        return "unknown host"
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    if isinstance(err, http.client.HTTPException):
        return "the server's answer is not valid HTTP"
    return "the connection failed"


# -- the source ------------------------------------------------------------------------------


class Link(Source):
    """A link to an .ics file (or a ZIP), with the user name and password its [links] entry
    names; read by a conditional GET."""

    kind = "link"

    @property
    def shown(self) -> str:
        return self.spec if self.spec.startswith("@") else shown(self.spec)

    def read(self, window: Window, *, fresh_for: float = 0) -> Calendars:
        return Calendars(files=((self.shown, self.fetch(fresh_for=fresh_for).data),))

    def version(self) -> str | None:
        """A digest of the calendar's bytes: asks every time (this is the poll)."""
        return "link:" + self.fetch(fresh_for=0).version

    def fetch(self, *, fresh_for: float = 0) -> LinkCopy:
        """The calendar behind the link. ``fresh_for``: seconds a copy checked by this
        process counts as current without asking again (0: always ask)."""
        from followup.engine.config import resolve_link
        from followup.engine.read.reader import MAX_BYTES

        ref = resolve_link(self.spec, self.settings())
        auth = None
        if ref.username is not None:
            auth = LinkAuth(ref.username, ref.password or "", origin(ref.url))
        return read_link(
            ref.url, auth=auth, limits=Limits(max_bytes=MAX_BYTES), fresh_for=fresh_for
        )


def read_as_link(
    spec: str, err: ServerError, *, fresh_for: float = 0, config: Config | None = None
) -> LinkCopy:
    """An address that did not answer as CalDAV (``err``), read as a calendar file if a GET
    gives one (and remembered as a link); else one message with both answers."""
    from followup.engine.dav.transport import CalendarMissing

    found = getattr(err, "found", "no DAV answer")
    try:
        return Link(spec, config).fetch(fresh_for=fresh_for)
    except ServerError:
        if isinstance(err, CalendarMissing):  # nothing there either way (the address may be secret)
            raise ServerError(
                f"there is no calendar at {shown(spec)} (HTTP 404)",
                hint="check the address: a CalDAV calendar's URL as your calendar app shows it, "
                "or the calendar's current secret address",
            ) from None
        raise
    except NotACalendar as plain:
        raise SourceError(
            f"{shown(spec)} is neither a calendar file nor a CalDAV calendar: "
            f"{found}, and {plain.found}",
            hint="give the calendar's .ics address (its secret or public address) or the "
            "URL of a CalDAV calendar, as your calendar app shows it",
        ) from None
