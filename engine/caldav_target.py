"""The CalDAV edge: one HTTP session to one server, the requests sync needs, nothing more.

Built on the caldav library's ``DAVClient`` (its niquests session, its
authentication, its error types) with the request bodies written here, so
that every request is one we chose: a sync-collection REPORT (RFC 6578) for
what changed, a calendar-multiget for the changed objects' data, conditional
PUT and DELETE for writes. Nothing here decides what to write; see
``engine.syncplan``.

Pitfalls handled here, as the installed caldav 3.x behaves:
- ``DAVClient`` has no timeout unless given one: one is always passed.
- Writes are raw bytes through ``DAVClient.put``: no SEQUENCE bump, no
  re-serialisation, no search before a create. Creates carry
  ``If-None-Match: *``; updates and deletes ``If-Match`` with the ETag read.
- A 412 or 409 is read for its DAV:error body: an ETag mismatch, an object
  already at the URL, the UID already used at another URL, or data the
  server refuses are four different answers (``Conflict.kind``).
- A sync token the server no longer accepts raises ``TokenRejected``; the
  caller starts over from a full listing, never reading absence as deletion.
- Objects are PUT to their own URL, never to the collection.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, unquote, urlsplit, urlunsplit
from xml.etree import ElementTree
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

from engine.errors import ServerError

if TYPE_CHECKING:
    from engine.config import CalendarRef, Endpoint

DAV = "{DAV:}"
CALDAV = "{urn:ietf:params:xml:ns:caldav}"
XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"'
ICAL_HEADERS = {"Content-Type": "text/calendar; charset=utf-8"}
MULTIGET_BATCH = 200
"""Objects asked for in one calendar-multiget: large enough to be few requests, small
enough that one slow response does not run into the timeout."""

ConflictKind = Literal["changed", "exists", "uid", "gone", "rejected"]


@dataclass(frozen=True, slots=True)
class Fetched:
    """A calendar object as read from the server; ``href`` is its unquoted path."""

    href: str
    etag: str | None
    data: bytes


@dataclass(frozen=True, slots=True)
class Changes:
    """A sync-collection answer: what changed (href -> ETag), what went, and the new token."""

    changed: dict[str, str | None]
    removed: frozenset[str]
    token: str | None


@dataclass(frozen=True, slots=True)
class CollectionInfo:
    """What a PROPFIND on a calendar tells: is it one, its name, its current sync token."""

    is_calendar: bool
    display_name: str | None
    token: str | None


class TokenRejected(Exception):
    """The server no longer knows our sync token (RFC 6578 section 3.2)."""


class Conflict(Exception):
    """A conditional write the server refused; ``kind`` says why.

    changed: the object changed since we read it (If-Match failed).
    exists: there already is an object at this URL (If-None-Match failed).
    uid: the UID is already used by another object (``existing`` names it if the server said).
    gone: the object is no longer there.
    rejected: the server refused the data (invalid, too large, not allowed).
    """

    def __init__(
        self, kind: ConflictKind, href: str, detail: str, *, existing: str | None = None
    ) -> None:
        super().__init__(f"{href}: {detail}")
        self.kind = kind
        self.href = href
        self.detail = detail
        self.existing = existing


class WriteFailed(Exception):
    """A write the server answered with an error that is not a conflict (a 5xx, a 403...)."""

    def __init__(self, href: str, status: int, detail: str) -> None:
        super().__init__(f"{href}: {detail}")
        self.href = href
        self.status = status
        self.detail = detail


class ConnectionLost(ServerError):
    """The server stopped answering: unreachable, timed out, or the connection dropped."""


# -- XML ----------------------------------------------------------------------------------


def _parse_xml(body: bytes) -> Element | None:
    """Parse a server's XML. Python's expat refuses entity expansion attacks and never
    fetches external entities."""
    try:
        return ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return None


def _status_code(text: str | None) -> int:
    parts = (text or "").split()
    return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else 200


def normalise_href(href: str) -> str:
    """An href as a plain path: no scheme or host, percent-decoding undone."""
    return unquote(urlsplit(href.strip()).path)


@dataclass(frozen=True, slots=True)
class Entry:
    """One ``<response>`` of a multistatus: its href, status and the properties found (200)."""

    href: str
    status: int
    props: dict[str, Element]

    def text(self, tag: str) -> str | None:
        element = self.props.get(tag)
        return element.text if element is not None else None


def parse_multistatus(body: bytes) -> tuple[list[Entry], str | None]:
    """The entries of a 207 Multi-Status body and its sync-token, if any."""
    root = _parse_xml(body)
    if root is None or root.tag != DAV + "multistatus":
        raise ValueError("not a WebDAV multistatus")
    entries: list[Entry] = []
    for response in root.iter(DAV + "response"):
        href_el = response.find(DAV + "href")
        if href_el is None or not href_el.text:
            continue
        props: dict[str, Element] = {}
        status = _status_code(response.findtext(DAV + "status"))
        for propstat in response.iter(DAV + "propstat"):
            code = _status_code(propstat.findtext(DAV + "status"))
            prop = propstat.find(DAV + "prop")
            if code == 200 and prop is not None:
                props.update({child.tag: child for child in prop if isinstance(child.tag, str)})
        entries.append(Entry(normalise_href(href_el.text), status, props))
    token = root.findtext(DAV + "sync-token")
    return entries, (token.strip() if token else None)


def preconditions(body: bytes) -> list[str]:
    """The precondition elements of a DAV:error body (RFC 4918 section 16), Clark-notation."""
    root = _parse_xml(body) if body.strip() else None
    if root is None or root.tag != DAV + "error":
        return []
    return [child.tag for child in root]


def _error_href(body: bytes, tag: str) -> str | None:
    root = _parse_xml(body)
    if root is None:
        return None
    for element in root.iter(tag):
        href = element.findtext(DAV + "href")
        if href:
            return normalise_href(href)
    return None


def _ical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def sync_collection_body(token: str | None) -> str:
    return (
        f"{XML_HEAD}<D:sync-collection {NS}>"
        f"<D:sync-token>{escape(token or '')}</D:sync-token><D:sync-level>1</D:sync-level>"
        "<D:prop><D:getetag/></D:prop></D:sync-collection>"
    )


def range_query_body(since: datetime, until: datetime) -> str:
    return (
        f"{XML_HEAD}<C:calendar-query {NS}><D:prop><D:getetag/><C:calendar-data/></D:prop>"
        '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">'
        f'<C:time-range start="{_ical_time(since)}" end="{_ical_time(until)}"/>'
        "</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"
    )


def uid_query_body(component: str, text: str) -> str:
    return (
        f"{XML_HEAD}<C:calendar-query {NS}><D:prop><D:getetag/><C:calendar-data/></D:prop>"
        f'<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="{component}">'
        '<C:prop-filter name="UID"><C:text-match collation="i;octet">'
        f"{escape(text)}</C:text-match></C:prop-filter>"
        "</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>"
    )


def multiget_body(hrefs: Iterable[str]) -> str:
    refs = "".join(f"<D:href>{escape(quote_path(h))}</D:href>" for h in hrefs)
    return (
        f"{XML_HEAD}<C:calendar-multiget {NS}><D:prop><D:getetag/><C:calendar-data/></D:prop>"
        f"{refs}</C:calendar-multiget>"
    )


PROPFIND_INFO = (
    f"{XML_HEAD}<D:propfind {NS}><D:prop><D:resourcetype/><D:displayname/><D:sync-token/>"
    "</D:prop></D:propfind>"
)
PROPFIND_ETAGS = (
    f"{XML_HEAD}<D:propfind {NS}><D:prop><D:resourcetype/><D:getetag/></D:prop></D:propfind>"
)


def quote_path(path: str) -> str:
    return quote(path, safe="/@:!$&'()*+,;=~-._")


def _batches(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- the session --------------------------------------------------------------------------


class CalDAVSession:
    """One server, one ``DAVClient`` (one niquests session), a timeout on every request."""

    def __init__(self, endpoint: Endpoint, *, auth_hint: str | None = None) -> None:
        """``auth_hint``: the scheme this server took last time, to skip asking it again."""
        from caldav.davclient import DAVClient

        self.endpoint = endpoint
        scheme: str | None = endpoint.auth if endpoint.auth != "auto" else None
        self._hinted = scheme is None and auth_hint is not None and endpoint.password is not None
        if self._hinted:
            scheme = auth_hint
        parts = urlsplit(endpoint.url)
        self.origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        self.host = parts.hostname or endpoint.url
        self.client = DAVClient(
            url=endpoint.url,
            username=endpoint.username,
            password=endpoint.password,
            auth_type=scheme,
            timeout=endpoint.timeout,  # type: ignore[arg-type]  # niquests takes a float
            ssl_verify_cert=endpoint.verify,
            enable_rfc6764=False,
            headers={"User-Agent": "followup"},
        )

    def close(self) -> None:
        self.client.close()

    def auth_scheme(self) -> str | None:
        """The scheme the client ended up using (basic, digest, bearer), if any."""
        auth = self.client.auth
        if auth is None:
            return None
        name = type(auth).__name__.lower()
        return next((s for s in ("basic", "digest", "bearer") if s in name), None)

    def __enter__(self) -> CalDAVSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        return self.origin + quote_path(path)

    def path(self, url: str) -> str:
        return normalise_href(url)

    # -- the one place requests go out ---------------------------------------------------

    def request(
        self, method: str, path: str, body: str | bytes = "", headers: dict[str, str] | None = None
    ) -> Any:
        """Send one request; connection problems and refusals become ServerError."""
        from caldav.lib import error

        try:
            return self.client.request(self.url(path), method, body, headers or {})  # type: ignore[arg-type]
        except error.AuthorizationError as err:
            if err.status == 401 and self._hinted:  # the server changed its scheme: ask it
                self._hinted = False
                self.client.auth = None
                self.client.auth_type = None
                return self.request(method, path, body, headers)
            if err.status == 401 or err.status is None:
                raise ServerError(
                    f"{self.host} refused the user name or password"
                    + (f" for {self.endpoint.username}" if self.endpoint.username else ""),
                    hint="check the user name, and the password in FOLLOWUP_PASSWORD, your "
                    "password command or your keyring (see docs/sync.md)",
                ) from None
            return _Refused(err.status, err.body if isinstance(err.body, bytes) else b"")
        except error.RateLimitError:
            raise ServerError(
                f"{self.host} asks to slow down (rate limited)", hint="run followup sync later"
            ) from None
        except NotImplementedError as err:  # no authentication scheme caldav knows
            raise ServerError(f"{self.host}: {err}") from None
        except Exception as err:
            if _is_connection_error(err):
                raise ConnectionLost(
                    f"cannot reach {self.host}: {_connection_reason(err)}",
                    hint="check the URL and your connection; a re-run picks up where this "
                    "one stopped",
                ) from None
            raise

    def _multistatus(self, response: Any, what: str, path: str) -> tuple[list[Entry], str | None]:
        status = int(response.status)
        body = _body(response)
        if status == 207:
            try:
                return parse_multistatus(body)
            except ValueError:
                pass
        raise _not_caldav(self.url(path), status, what)

    # -- reading ---------------------------------------------------------------------------

    def collection_info(self, path: str) -> CollectionInfo | None:
        """Is there a calendar at ``path`` (None: nothing there)? Its name and sync token."""
        response = self.request(
            "PROPFIND", path, PROPFIND_INFO, {"Depth": "0", "Content-Type": "text/xml"}
        )
        if int(response.status) == 404:
            return None
        entries, _ = self._multistatus(response, "a PROPFIND", path)
        for entry in entries:
            kinds = entry.props.get(DAV + "resourcetype")
            is_calendar = kinds is not None and kinds.find(CALDAV + "calendar") is not None
            token = entry.text(DAV + "sync-token")
            return CollectionInfo(is_calendar, entry.text(DAV + "displayname"), token or None)
        raise _not_caldav(self.url(path), int(response.status), "a PROPFIND")

    def changes(self, path: str, token: str) -> Changes:
        """What changed in the calendar since ``token`` (one sync-collection REPORT).

        A truncated answer (RFC 6578 section 3.6) is followed with the new token.
        """
        changed: dict[str, str | None] = {}
        removed: set[str] = set()
        for _page in range(100):
            response = self.request(
                "REPORT",
                path,
                sync_collection_body(token),
                {"Depth": "0", "Content-Type": "text/xml"},
            )
            status = int(response.status)
            if status in (403, 409, 412) or (
                status == 400 and "valid-sync-token" in _body(response).decode("utf-8", "replace")
            ):
                raise TokenRejected(token)
            entries, new_token = self._multistatus(response, "a sync-collection REPORT", path)
            truncated = False
            for entry in entries:
                if entry.href.rstrip("/") == path.rstrip("/"):
                    truncated = truncated or entry.status == 507
                    continue
                if entry.status == 404 and not entry.props:
                    removed.add(entry.href)
                    changed.pop(entry.href, None)
                else:
                    changed[entry.href] = entry.text(DAV + "getetag")
                    removed.discard(entry.href)
            if not new_token:
                raise TokenRejected(token)
            if not truncated or new_token == token:
                return Changes(changed, frozenset(removed), new_token)
            token = new_token
        return Changes(changed, frozenset(removed), token)

    def etags(self, path: str) -> dict[str, str | None]:
        """Every object in the calendar and its ETag (a Depth 1 PROPFIND), for servers without
        sync-collection."""
        response = self.request(
            "PROPFIND", path, PROPFIND_ETAGS, {"Depth": "1", "Content-Type": "text/xml"}
        )
        entries, _ = self._multistatus(response, "a PROPFIND", path)
        return {
            e.href: e.text(DAV + "getetag")
            for e in entries
            if e.href.rstrip("/") != path.rstrip("/") and e.status != 404
        }

    def _query(self, path: str, body: str) -> list[Fetched]:
        response = self.request("REPORT", path, body, {"Depth": "1", "Content-Type": "text/xml"})
        entries, _ = self._multistatus(response, "a calendar REPORT", path)
        return [fetched for e in entries if (fetched := _fetched(e)) is not None]

    def query_range(self, path: str, since: datetime, until: datetime) -> list[Fetched]:
        """The events overlapping [since, until), as stored (recurring series not expanded)."""
        return self._query(path, range_query_body(since, until))

    def query_ours(self, path: str, marker: str) -> list[Fetched]:
        """The events and todos whose UID contains ``marker``."""
        return [
            o for c in ("VEVENT", "VTODO") for o in self._query(path, uid_query_body(c, marker))
        ]

    def multiget(self, path: str, hrefs: Sequence[str]) -> list[Fetched]:
        """The data of the given objects; those gone in the meantime are left out."""
        result: list[Fetched] = []
        for batch in _batches(sorted(hrefs), MULTIGET_BATCH):
            response = self.request(
                "REPORT", path, multiget_body(batch), {"Content-Type": "text/xml"}
            )
            entries, _ = self._multistatus(response, "a calendar-multiget REPORT", path)
            result += [fetched for e in entries if (fetched := _fetched(e)) is not None]
        return result

    def get(self, href: str) -> Fetched | None:
        """One object, or None if there is none at ``href``."""
        response = self.request("GET", href, "", {"Accept": "text/calendar"})
        status = int(response.status)
        if status == 404 or status == 410:
            return None
        if status != 200:
            raise WriteFailed(href, status, f"reading it failed with HTTP {status}")
        return Fetched(href, response.headers.get("ETag"), _body(response))

    # -- calendars -------------------------------------------------------------------------

    def calendars(self) -> list[tuple[str, str | None]]:
        """The user's calendars: (path, display name), found from the server's principal."""
        from caldav.lib import error

        try:
            principal = self.client.principal()  # type: ignore[no-untyped-call]
            found = principal.calendars()
            return [(self.path(str(c.url)), c.get_display_name()) for c in found]
        except error.AuthorizationError:
            raise ServerError(f"{self.host} refused the user name or password") from None
        except (error.DAVError, KeyError, AttributeError, ValueError) as err:
            raise ServerError(
                f"{self.endpoint.url} does not look like a CalDAV server ({err.__class__.__name__})",
                hint="give the URL of a calendar, or of your CalDAV account on the server",
            ) from None

    def locate(self, ref: CalendarRef) -> str | None:
        """The path of a calendar given by URL or by display name (None: no such name)."""
        if ref.url is not None:
            return self.path(ref.url)
        return next((p for p, name in self.calendars() if name == ref.name), None)

    def make_calendar(self, path: str, display_name: str) -> None:
        """MKCALENDAR at ``path``, with the display name the user chose, for events and todos."""
        body = (
            f"{XML_HEAD}<C:mkcalendar {NS}><D:set><D:prop>"
            f"<D:displayname>{escape(display_name)}</D:displayname>"
            '<C:supported-calendar-component-set><C:comp name="VEVENT"/><C:comp name="VTODO"/>'
            "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"
        )
        response = self.request("MKCALENDAR", path, body, {"Content-Type": "text/xml"})
        status = int(response.status)
        if status not in (200, 201):
            raise ServerError(
                f"cannot create the calendar {display_name!r} at {self.url(path)} (HTTP {status})",
                hint="create it in your calendar app and pass its URL with --to",
            )

    def home_path(self) -> str:
        """Where new calendars go: the parent of the user's first calendar, or the URL given."""
        found = self.calendars()
        if found:
            return posixpath.dirname(found[0][0].rstrip("/")) + "/"
        return self.path(self.endpoint.url).rstrip("/") + "/"

    # -- writing ---------------------------------------------------------------------------

    def create(self, href: str, data: bytes) -> str | None:
        """PUT a new object with If-None-Match: *; returns the ETag the server gave, if any."""
        return self._put(href, data, {"If-None-Match": "*"})

    def update(self, href: str, data: bytes, etag: str | None) -> str | None:
        """PUT over the version we read (If-Match its ETag)."""
        return self._put(href, data, {"If-Match": etag or "*"})

    def delete(self, href: str, etag: str | None) -> None:
        """DELETE the version we read (If-Match its ETag)."""
        response = self.request("DELETE", href, "", {"If-Match": etag or "*"})
        status = int(response.status)
        if status in (200, 202, 204):
            return
        if status in (404, 410):
            raise Conflict("gone", href, "it is no longer there")
        self._refusal(href, status, _body(response), write="DELETE")

    def _put(self, href: str, data: bytes, headers: dict[str, str]) -> str | None:
        from caldav.lib.python_utilities import WireBytes

        if href.endswith("/") or b"\nMETHOD:" in data:
            raise ValueError(f"{href}: not a calendar object (RFC 4791 section 4.1)")

        response = self.request("PUT", href, WireBytes(data), headers | ICAL_HEADERS)
        status = int(response.status)
        if status in (200, 201, 204):
            etag = response.headers.get("ETag")
            # A weak ETag cannot be used in If-Match; read it again from a listing.
            return etag if etag and not etag.startswith("W/") else None
        self._refusal(href, status, _body(response), write="PUT", conditional=headers)
        return None  # not reached

    def _refusal(
        self,
        href: str,
        status: int,
        body: bytes,
        *,
        write: str,
        conditional: dict[str, str] | None = None,
    ) -> None:
        conditions = preconditions(body)
        names = {c.split("}")[-1] for c in conditions}
        if "no-uid-conflict" in names:
            existing = _error_href(body, CALDAV + "no-uid-conflict")
            raise Conflict("uid", href, "another object already has this UID", existing=existing)
        if status in (412, 409) and not names:
            if conditional and "If-None-Match" in conditional:
                raise Conflict("exists", href, "there already is an object at this address")
            if status == 412:
                raise Conflict("changed", href, "it was changed by someone else")
        if status in (403, 409, 412, 413, 415, 507) or names:
            reason = ", ".join(sorted(names)) or f"HTTP {status}"
            raise Conflict("rejected", href, f"the server refused the {write} ({reason})")
        raise WriteFailed(href, status, f"the server answered the {write} with HTTP {status}")


@dataclass(frozen=True, slots=True)
class _Refused:
    """A 403 the client raised as an exception, turned back into a response to read."""

    status: int
    body: bytes
    headers: dict[str, str] | None = None


def _body(response: Any) -> bytes:
    if isinstance(response, _Refused):
        return response.body
    raw = getattr(response, "_raw_body", b"") or getattr(response, "_raw", b"")
    return raw if isinstance(raw, bytes) else str(raw).encode()


def _fetched(entry: Entry) -> Fetched | None:
    data = entry.text(CALDAV + "calendar-data")
    if entry.status == 404 or data is None:
        return None
    return Fetched(entry.href, entry.text(DAV + "getetag"), data.encode("utf-8"))


class CalendarMissing(ServerError):
    """There is no calendar at the URL (any more)."""

    def __init__(self, url: str) -> None:
        super().__init__(f"there is no calendar at {url}", hint="check the URL (HTTP 404)")
        self.url = url


def _not_caldav(url: str, status: int, what: str) -> ServerError:
    if status == 404:
        return CalendarMissing(url)
    return ServerError(
        f"{url} is not a CalDAV calendar: it answered {what} with HTTP {status}",
        hint="give the URL of a calendar collection, as your calendar app shows it",
    )


def _is_connection_error(err: BaseException) -> bool:
    names = {cls.__name__ for cls in type(err).__mro__}
    return bool(
        names & {"ConnectionError", "Timeout", "TimeoutError", "ReadTimeout", "ConnectTimeout"}
    ) or isinstance(err, OSError)


def _connection_reason(err: BaseException) -> str:
    names = {cls.__name__ for cls in type(err).__mro__}
    if names & {"Timeout", "TimeoutError", "ReadTimeout", "ConnectTimeout"}:
        return "no answer within the timeout"
    text = str(err)
    if "Name or service not known" in text or "getaddrinfo" in text or "NameResolution" in text:
        return "unknown host"
    if "refused" in text.lower():
        return "connection refused"
    return "the connection failed"
