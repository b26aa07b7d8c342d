"""Conditional writes: creates with If-None-Match: *, updates and deletes with If-Match.

A 412 or 409 is read for its DAV:error body: an ETag mismatch, an object
already at the URL, the UID already used at another URL, or data the server
refuses are different answers (``Conflict.kind``). Objects are PUT to their
own URL, never to the collection.
"""

from __future__ import annotations

import posixpath
from typing import Literal

from followup.engine.dav.protocol import CALDAV, ICAL_HEADERS, error_href, inside, preconditions
from followup.engine.dav.transport import Transport, response_body

ConflictKind = Literal["changed", "exists", "uid", "gone", "rejected"]


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


class Writes(Transport):
    """PUT and DELETE, always conditional."""

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
        self._refusal(href, status, response_body(response), write="DELETE")

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
        self._refusal(href, status, response_body(response), write="PUT", conditional=headers)
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
            existing = error_href(body, CALDAV + "no-uid-conflict")
            if existing is not None and not inside(existing, posixpath.dirname(href)):
                existing = None  # another calendar's object is not ours to touch
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
