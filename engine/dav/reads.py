"""Reading a calendar: what changed since a sync token, ETag listings, object data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from followup.engine.dav.protocol import (
    DAV,
    MULTIGET_BATCH,
    PROPFIND_ETAGS,
    Changes,
    Fetched,
    batches,
    fetched_object,
    multiget_body,
    range_query_body,
    sync_collection_body,
    uid_query_body,
)
from followup.engine.dav.transport import Transport, response_body
from followup.engine.dav.writes import WriteFailed


class TokenRejected(Exception):
    """The server no longer knows our sync token (RFC 6578 section 3.2)."""


class Reads(Transport):
    """The REPORTs, PROPFINDs and GETs that read a calendar's objects."""

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
                status == 400
                and "valid-sync-token" in response_body(response).decode("utf-8", "replace")
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
        return [fetched for e in entries if (fetched := fetched_object(e)) is not None]

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
        for batch in batches(sorted(hrefs), MULTIGET_BATCH):
            response = self.request(
                "REPORT", path, multiget_body(batch), {"Content-Type": "text/xml"}
            )
            entries, _ = self._multistatus(response, "a calendar-multiget REPORT", path)
            result += [fetched for e in entries if (fetched := fetched_object(e)) is not None]
        return result

    def get(self, href: str) -> Fetched | None:
        """One object, or None if there is none at ``href``."""
        response = self.request("GET", href, "", {"Accept": "text/calendar"})
        status = int(response.status)
        if status == 404 or status == 410:
            return None
        if status != 200:
            raise WriteFailed(href, status, f"reading it failed with HTTP {status}")
        return Fetched(href, response.headers.get("ETag"), response_body(response))
