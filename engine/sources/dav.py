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

from engine.caldav.session import CalDAVSession
from engine.caldav.syncstate import note, recalled
from engine.config import Config, Endpoint, load_config, resolve_calendar
from engine.errors import ServerError

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
    spec: str,
    *,
    since: datetime,
    until: datetime,
    options: CalDAVOptions | None = None,
) -> list[tuple[str, bytes]]:
    """The objects of the calendar ``spec`` (a URL or @name) with events in [since, until)."""
    options = options or CalDAVOptions()
    config = options.config if options.config is not None else load_config()
    ref = resolve_calendar(spec, config, username=options.username, timeout=options.timeout)
    with remembering_auth(ref.endpoint) as session:
        path = session.locate(ref)
        if path is None:
            raise ServerError(f"there is no calendar named {ref.name!r} at {ref.endpoint.url}")
        fetched = session.query_range(path, since, until)
    return [(f.href, f.data) for f in fetched if not is_own_object(f.data)]
