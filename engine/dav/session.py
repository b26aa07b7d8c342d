"""The CalDAV edge: one HTTP session to one server, the requests sync needs, nothing more.

Built on the caldav library's ``DAVClient`` (its niquests session, its
authentication, its error types) with the request bodies written here, so
that every request is one we chose: a sync-collection REPORT (RFC 6578) for
what changed, a calendar-multiget for the changed objects' data, conditional
PUT and DELETE for writes. Nothing here decides what to write; see
``engine.caldav.syncplan``.

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

from typing import TYPE_CHECKING

from followup.engine.dav.discovery import Discovery
from followup.engine.dav.reads import Reads
from followup.engine.dav.writes import Writes

if TYPE_CHECKING:
    pass


class CalDAVSession(Discovery, Reads, Writes):
    """One server: finding calendars, reading them and writing to them over one HTTP session."""
