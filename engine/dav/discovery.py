"""Finding calendars: is there one at a path, the user's calendars, making a new one."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from followup.engine.dav.protocol import (
    CALDAV,
    DAV,
    NS,
    PROPFIND_INFO,
    XML_HEAD,
    CollectionInfo,
    escape,
)
from followup.engine.dav.transport import Transport, not_caldav
from followup.engine.errors import ServerError

if TYPE_CHECKING:
    from followup.engine.config import CalendarRef


class Discovery(Transport):
    """The requests that find, describe and create calendars."""

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
        raise not_caldav(self.url(path), int(response.status), "a PROPFIND")

    def calendars(self) -> list[tuple[str, str | None]]:
        """The user's calendars: (path, display name), found from the server's principal."""
        from caldav.lib import error

        def found() -> list[tuple[str, str | None]]:
            principal = self.client.principal()  # type: ignore[no-untyped-call]
            return [(self.path(str(c.url)), c.get_display_name()) for c in principal.calendars()]

        try:
            return self.guarded(found)
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
