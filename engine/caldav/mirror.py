"""Keep a local copy of a calendar current at the cost of one request when nothing changed.

The first run asks for what is needed: the events in the planning window
(a time-range query, for the interviews) and followup's own objects (a UID
query, for the follow-ups), and notes the calendar's sync token. Every later
run sends that token in one sync-collection REPORT (RFC 6578) and fetches
only the objects that changed, in calendar-multiget batches. A server
without sync tokens is listed with one PROPFIND of all ETags instead.

When the server rejects the token, the copy starts over, and it says so
(``continuous`` is False): an object missing from a fresh copy is not
evidence that anyone deleted it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from followup.engine.caldav.copies import Mirror, Stored
from followup.engine.dav.protocol import Changes, Fetched
from followup.engine.dav.reads import TokenRejected
from followup.engine.dav.session import CalDAVSession
from followup.engine.dav.transport import CalendarMissing
from followup.engine.errors import ServerError
from followup.engine.model import UID_DOMAIN, Window

MARGIN = timedelta(days=31)
"""Events are fetched this far beyond the window, so that the window moving on day by day
costs a time-range query once a month rather than every day."""

OURS_MARKER = "@" + UID_DOMAIN


@dataclass(frozen=True, slots=True)
class Needs:
    """What a run needs from a calendar: the events in a window, followup's own objects, or both."""

    window: Window | None = None
    ours: bool = False

    def __or__(self, other: Needs) -> Needs:
        windows = [w for w in (self.window, other.window) if w is not None]
        window = (
            Window(min(w.since for w in windows), max(w.until for w in windows))
            if windows
            else None
        )
        return Needs(window, self.ours or other.ours)


def refresh(session: CalDAVSession, mirror: Mirror | None, url: str, needs: Needs) -> Mirror:
    """The copy of the calendar at ``url``, brought up to date; ``mirror`` is last run's, if any."""
    path = session.path(url)
    if mirror is not None:
        try:
            _catch_up(session, path, mirror)
            mirror.continuous = True
        except TokenRejected:
            mirror = None
    if mirror is None:
        mirror = _start(session, path, url)
    _extend(session, path, mirror, needs)
    return mirror


def record_write(
    mirror: Mirror,
    href: str,
    etag: str | None,
    data: bytes | None,
    facts: dict[str, Any] | None = None,
) -> None:
    """Note what this run wrote, so catching up does not fetch it back (when the ETags agree)."""
    if data is None:
        mirror.items.pop(href, None)
    else:
        mirror.items[href] = Stored(etag, data, facts)


def _start(session: CalDAVSession, path: str, url: str) -> Mirror:
    info = session.collection_info(path)
    if info is None:
        raise CalendarMissing(url)
    if not info.is_calendar:
        raise ServerError(
            f"{url} is not a calendar",
            hint="give the URL of a calendar collection, as your calendar app shows it",
        )
    mirror = Mirror(url=url, username=session.endpoint.username, token=info.token)
    if info.token is None:
        mirror.mode = "listing"
        mirror.items = {href: Stored(etag, None) for href, etag in session.etags(path).items()}
    return mirror


def _merge(mirror: Mirror, fetched: Iterable[Fetched]) -> None:
    for item in fetched:
        mirror.items[item.href] = Stored(item.etag, item.data)


def _extend(session: CalDAVSession, path: str, mirror: Mirror, needs: Needs) -> None:
    """Fetch what the copy lacks: a part of the window not yet covered, followup's objects."""
    if needs.window is not None:
        since, until = needs.window.since, needs.window.until + MARGIN
        if mirror.covered is None:
            _merge(mirror, session.query_range(path, since, until))
            mirror.covered = (since, until)
        else:
            low, high = mirror.covered
            if needs.window.until > high:
                _merge(mirror, session.query_range(path, high, until))
                high = until
            if since < low:
                _merge(mirror, session.query_range(path, since, low))
                low = since
            mirror.covered = (low, high)
    if needs.ours and not mirror.ours:
        _merge(mirror, session.query_ours(path, OURS_MARKER))
        mirror.ours = True
        mirror.continuous = False


def _confirm_emptying(
    session: CalDAVSession, path: str, mirror: Mirror, changes: Changes
) -> tuple[set[str], dict[str, str | None]]:
    """A sync answer that says every object went is checked against a full listing first.

    A server that loses its change log (a restore, a bug) may answer so once; believed,
    the copy would stay empty for good, since later answers only tell what changes next.
    What the listing still shows stays, fetched again if its ETag moved.
    """
    listed = session.etags(path)
    removed = {href for href in changes.removed if href not in listed}
    changed = dict(changes.changed)
    for href in changes.removed - removed:
        known = mirror.items.get(href)
        if known is None or known.etag != listed[href]:
            changed[href] = listed[href]
    return removed, changed


def _catch_up(session: CalDAVSession, path: str, mirror: Mirror) -> None:
    """Apply what changed on the server since the last run: one request when nothing did."""
    if mirror.mode == "listing":
        etags = session.etags(path)
        removed: Iterable[str] = [h for h in mirror.items if h not in etags]
        changed = etags
    else:
        if mirror.token is None:
            raise TokenRejected(None)
        changes = session.changes(path, mirror.token)
        removed, changed = changes.removed, changes.changed
        mirror.token = changes.token
        if mirror.items and mirror.items.keys() <= changes.removed:
            removed, changed = _confirm_emptying(session, path, mirror, changes)
    for href in list(removed):
        mirror.items.pop(href, None)
    wanted = [
        href
        for href, etag in changed.items()
        if etag is None
        or (known := mirror.items.get(href)) is None
        or known.etag != etag
        or (known.data is None and mirror.mode == "sync")
    ]
    if not wanted:
        return
    fetched = session.multiget(path, wanted)
    got = {item.href for item in fetched}
    for href in wanted:
        if href not in got:
            mirror.items.pop(href, None)  # gone again since it was listed
    _merge(mirror, fetched)
