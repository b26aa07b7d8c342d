"""CalDAV on the wire, without the wire: request bodies and the parsing of answers.

Pure functions and values (no HTTP), so they are tested without a server.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, unquote, urlsplit
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

DAV = "{DAV:}"
CALDAV = "{urn:ietf:params:xml:ns:caldav}"
XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
NS = 'xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"'
ICAL_HEADERS = {"Content-Type": "text/calendar; charset=utf-8"}
MULTIGET_BATCH = 200
"""Objects asked for in one calendar-multiget: large enough to be few requests, small
enough that one slow response does not run into the timeout."""


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


def escape(text: str) -> str:
    """Text as XML character data: &, < and > escaped (what xml.sax.saxutils.escape does,
    without importing urllib.request with it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
    """An href as a plain path: no scheme or host, percent-decoding undone, ``.`` and ``..``
    resolved (a trailing slash kept), so that two spellings of one place compare equal."""
    path = unquote(urlsplit(href.strip()).path)
    resolved = posixpath.normpath("/" + path.lstrip("/"))
    if path.endswith("/") and resolved != "/":
        resolved += "/"
    return resolved


def inside(href: str, collection: str) -> bool:
    """Is ``href`` the collection itself or an object in it (both normalised)?"""
    base = collection.rstrip("/")
    return href.rstrip("/") == base or href.startswith(base + "/")


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


def error_href(body: bytes, tag: str) -> str | None:
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


def batches(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def fetched_object(entry: Entry) -> Fetched | None:
    data = entry.text(CALDAV + "calendar-data")
    if entry.status == 404 or data is None:
        return None
    return Fetched(entry.href, entry.text(DAV + "getetag"), data.encode("utf-8"))
