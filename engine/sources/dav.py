"""Interviews from a CalDAV calendar: one time-range query over the planning window.

Used by ``--from`` on every command that reads interviews (``plan``, ``ics``,
``serve``). The objects come back as stored, one VCALENDAR each, recurring
series unexpanded: the reader expands them, the same way as for a file.
``followup sync`` keeps a local copy instead (``engine.caldav.mirror``), so
that it asks only for what changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from followup.engine.caldav.hints import note, recalled
from followup.engine.config import Config, Endpoint, WebAddress, load_config, resolve_calendar
from followup.engine.dav.session import CalDAVSession
from followup.engine.errors import ServerError
from followup.engine.sources import Calendars, Source

if TYPE_CHECKING:
    from followup.engine.model import Window
    from followup.engine.sources.link import Link

OWN_MARK = b"X-FOLLOWUP-RULE"


@contextmanager
def remembering_auth(endpoint: Endpoint) -> Iterator[CalDAVSession]:
    """A session that offers the authentication scheme this server took last time, and
    notes the one it took: a feed that reads the calendar at every request then pays no
    401 round trip for it, as sync does not (see ``engine.caldav.apply.Sessions``)."""
    session = CalDAVSession(endpoint, auth_hint=recalled("auth", *endpoint.key))
    try:
        yield session
        scheme = session.auth_scheme()
        if scheme is not None and endpoint.auth == "auto":
            note(scheme, "auth", *endpoint.key)
    finally:
        session.close()


@dataclass(frozen=True, slots=True)
class CalDAVOptions:
    """How to reach the server: a user name and timeout over the config file's, the config."""

    username: str | None = None
    timeout: float | None = None
    config: Config | None = None


def is_own_object(data: bytes) -> bool:
    """Is this one of followup's own follow-ups (which are never read as interviews)?"""
    return OWN_MARK in data


def fetch_objects(
    spec: str | WebAddress,
    *,
    since: datetime,
    until: datetime,
    options: CalDAVOptions | None = None,
) -> list[tuple[str, bytes]]:
    """The objects of the calendar ``spec`` (a URL, its ``WebAddress``, or @name) with events
    in [since, until)."""
    options = options or CalDAVOptions()
    config = options.config if options.config is not None else load_config()
    ref = resolve_calendar(spec, config, username=options.username, timeout=options.timeout)
    with remembering_auth(ref.endpoint) as session:
        path = session.locate(ref)
        if path is None:
            raise ServerError(f"there is no calendar named {ref.name!r} at {ref.endpoint.url}")
        fetched = session.query_range(path, since, until)
    return [(f.href, f.data) for f in fetched if not is_own_object(f.data)]


class CalDAV(Source):
    """A CalDAV calendar, by URL or ``@name``: one time-range query over the window. An
    address (not a name) that does not answer as DAV is read as a link if a GET gives a
    calendar file (see ``engine.sources.link.read_as_link``); once that is remembered, this
    source reads it as the link it is, without asking DAV again."""

    kind = "caldav"

    link: Link | None = None
    """The link this address turned out to be, once read as one and remembered."""

    kept: Calendars | None = None
    """The calendar's objects as ``followup sync`` keeps them, just caught up with its sync
    token (see ``engine.caldav.mirror``): read from there, without asking again."""

    @property
    def named(self) -> str | WebAddress:
        """The calendar as ``parse`` read it: its address, split once, or ``@name``."""
        return self.address or self.spec

    def read(self, window: Window, *, fresh_for: float = 0) -> Calendars:
        from followup.engine.dav.transport import NotCalDAV

        if self.link is not None:
            return self.link.read(window, fresh_for=fresh_for)
        if self.kept is not None:
            return self.kept
        options = CalDAVOptions(config=self._config())
        try:
            objects = fetch_objects(
                self.named, since=window.since, until=window.until, options=options
            )
        except NotCalDAV as err:
            if self.spec.startswith("@"):  # a calendar named in the config file is CalDAV
                raise
            from followup.engine.sources.link import read_as_link, shown

            copy = read_as_link(self.spec, err, fresh_for=fresh_for, config=self.config)
            self.learn()
            return Calendars(files=((shown(self.spec), copy.data),))
        return Calendars(objects=tuple(objects))

    def version(self) -> str | None:
        """Its sync token, one PROPFIND (None when the server keeps none, or has no calendar
        by that name); a link's version when it answers as one."""
        from followup.engine.dav.transport import NotCalDAV

        if self.link is not None:
            return self.link.version()
        try:
            return self._token()
        except NotCalDAV as err:
            if self.spec.startswith("@"):
                raise
            from followup.engine.sources.link import read_as_link

            version = "link:" + read_as_link(self.spec, err, fresh_for=0).version
            self.learn()
            return version

    def learn(self) -> Link | None:
        """The link this address was just read as, when that is remembered (as ``parse``
        would now find it); None while it is not."""
        from followup.engine.sources.link import Link, known_link

        if self.link is None and self.address is not None and known_link(self.address):
            self.link = Link(self.spec, self.config)
            self.link.address = self.address
        return self.link

    def _config(self) -> Config:
        # ``parse`` read the config to tell a link from a calendar: used as it is.
        return self.config if self.config is not None else self.settings()

    def _token(self) -> str | None:
        ref = resolve_calendar(self.named, self._config())
        with remembering_auth(ref.endpoint) as session:
            path = session.locate(ref)
            info = session.collection_info(path) if path is not None else None
        return info.token if info is not None else None
