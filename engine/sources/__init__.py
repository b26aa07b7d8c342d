"""Where interviews come from: an .ics file, a ZIP of them, standard input, a link, or CalDAV.

``--from`` takes a path, ``-`` for standard input, a link to an .ics file
(``webcal://`` or ``https://``, Google's secret address, say), an ``http(s)://``
URL of a CalDAV calendar, or ``@name`` for a calendar or link named in the
config file. A ZIP (Google's "Export") is read as all the calendars in it.

Telling a link from a CalDAV calendar: ``webcal://``, an address ending in
.ics or .zip, an export address (``?export``), one listed under [links] in
the config file, or one read as a file before is a link. Any other http(s)
address is asked as CalDAV first, as before; if it does not answer as DAV,
one GET decides: a calendar file (text/calendar, or BEGIN:VCALENDAR) is read
as a link, anything else is one message naming what both answers were.
The CalDAV and HTTP stacks are imported only when a source needs them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from engine.errors import ServerError, SourceError
from engine.model import Interview, Window
from engine.pipeline import NO_ANSWERS, default_window, read_ics, read_objects

if TYPE_CHECKING:
    from engine.config import Config
    from engine.sources.link import LinkCopy
    from rules.model import RuleSet

SourceKind = Literal["stdin", "file", "link", "caldav"]


def is_remote(spec: str) -> bool:
    """Is the source reached over the network (a link or a CalDAV calendar)?"""
    return spec.lower().startswith(("http://", "https://", "webcal://", "webcals://", "@"))


def source_kind(spec: str, config: Config | None = None) -> SourceKind:
    """What ``spec`` names, without asking a server (see the module's docstring).

    ``config``: the config file's settings (default: the file in the config folder)."""
    if spec == "-":
        return "stdin"
    if not is_remote(spec):
        return "file"
    from engine.config import check_address, link_entry, load_config
    from engine.sources.link import is_link_url, known_link

    if not spec.startswith("@"):
        check_address(spec)  # an unclosed [ or a bad port: one message, before anything else

    if spec.startswith("@"):
        return (
            "link"
            if link_entry(spec, (config if config is not None else load_config())) is not None
            else "caldav"
        )
    if is_link_url(spec) or known_link(spec):
        return "link"
    if link_entry(spec, (config if config is not None else load_config())) is not None:
        return "link"
    return "caldav"


def is_caldav(spec: str, config: Config | None = None) -> bool:
    return source_kind(spec, config) == "caldav"


def shown_source(spec: str) -> str:
    """The source as it may be printed: a link is a secret, shown masked."""
    if source_kind(spec) == "link" and not spec.startswith("@"):
        from engine.sources.link import shown

        return shown(spec)
    return spec


def read_bytes(spec: str) -> tuple[bytes, str]:
    """The bytes of a file source (``-`` is standard input) and the name to show.

    Reads at most one byte past the reader's cap, which the reader then reports.
    """
    from engine.read.reader import MAX_BYTES

    if spec == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        name = "<stdin>"
    else:
        path = Path(spec).expanduser()
        name = str(spec)
        try:
            if path.is_dir():
                raise SourceError(f"{name}: is a folder; give an .ics file")
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except FileNotFoundError:
            raise SourceError(f"{name}: no such file") from None
        except PermissionError:
            raise SourceError(f"{name}: permission denied") from None
        except OSError as err:
            raise SourceError(f"{name}: cannot read it ({err.strerror})") from None
    return data, name


def read_source(
    spec: str,
    *,
    rules: RuleSet,
    now: datetime,
    window: Window | None = None,
    fresh_for: float = 0,
    config: Config | None = None,
    answers: Mapping[str, bool] = NO_ANSWERS,
) -> list[Interview]:
    """The interviews from ``spec`` within ``window`` (default: see engine.pipeline), with
    the user's ``answers`` (UID -> is an interview) applied.

    ``fresh_for``: for a link, seconds a copy this process just checked with
    the server is used without asking again (the feed looks, then builds).
    """
    window = window or default_window(now)
    kind = source_kind(spec, config)
    if kind == "caldav":
        from engine.caldav.transport import NotCalDAV
        from engine.sources.dav import fetch_objects

        try:
            objects = fetch_objects(spec, since=window.since, until=window.until)
        except NotCalDAV as err:
            if spec.startswith("@"):  # a calendar named in the config file is CalDAV
                raise
            copy = read_as_link(spec, err, fresh_for=fresh_for, config=config)
            return read_calendars(
                copy.data, _link_name(spec), rules=rules, now=now, window=window, answers=answers
            )
        return read_objects(objects, rules=rules, now=now, window=window, answers=answers)
    if kind == "link":
        copy = read_link_source(spec, fresh_for=fresh_for, config=config)
        return read_calendars(
            copy.data, _link_name(spec), rules=rules, now=now, window=window, answers=answers
        )
    data, name = read_bytes(spec)
    return read_calendars(data, name, rules=rules, now=now, window=window, answers=answers)


def read_calendars(
    data: bytes,
    name: str,
    *,
    rules: RuleSet,
    now: datetime,
    window: Window,
    answers: Mapping[str, bool] = NO_ANSWERS,
) -> list[Interview]:
    """The interviews in one .ics file, or in every calendar of a ZIP archive.

    An event that is in two calendars of the archive (an invitation on yours
    and on a shared one) is one interview, taken from the first by name.
    """
    from engine.read.reader import MAX_BYTES
    from engine.sources.archive import calendars_in_zip, is_zip

    if not is_zip(data):
        return read_ics(data, rules=rules, now=now, window=window, name=name, answers=answers)
    found: dict[tuple[str, str | None], Interview] = {}
    for member, content in calendars_in_zip(data, name, max_bytes=MAX_BYTES):
        members = read_ics(
            content, rules=rules, now=now, window=window, name=member, answers=answers
        )
        for interview in members:
            found.setdefault((interview.uid, interview.recurrence_id), interview)
    return sorted(found.values(), key=lambda i: (i.start, i.uid, i.recurrence_id or ""))


def read_link_source(spec: str, *, fresh_for: float = 0, config: Config | None = None) -> LinkCopy:
    """The calendar behind a link (a conditional GET, see engine.sources.link).

    ``fresh_for``: seconds a copy checked by this process counts as current
    without asking again (0: always ask).
    """
    from engine.config import load_config, resolve_link
    from engine.read.reader import MAX_BYTES
    from engine.sources.link import Limits, LinkAuth, origin, read_link

    ref = resolve_link(spec, (config if config is not None else load_config()))
    auth = None
    if ref.username is not None:
        auth = LinkAuth(ref.username, ref.password or "", origin(ref.url))
    return read_link(
        ref.url,
        auth=auth,
        limits=Limits(max_bytes=MAX_BYTES),
        fresh_for=fresh_for,
    )


def _link_name(spec: str) -> str:
    if spec.startswith("@"):
        return spec
    from engine.sources.link import shown

    return shown(spec)


def read_as_link(
    spec: str, err: ServerError, *, fresh_for: float = 0, config: Config | None = None
) -> LinkCopy:
    """An address that did not answer as CalDAV (``err``), read as a calendar file if a GET
    gives one (and remembered as a link); else one message with both answers."""
    from engine.caldav.transport import CalendarMissing
    from engine.sources.link import NotACalendar, shown

    found = getattr(err, "found", "no DAV answer")
    try:
        return read_link_source(spec, fresh_for=fresh_for, config=config)
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


def source_version(spec: str) -> str | None:
    """A cheap token that changes when the source changes; None when there is none.

    A file: its inode, size and modification time. A link: a digest of the
    calendar's bytes, after one conditional GET (304 when unchanged). A CalDAV
    calendar: its sync token, one PROPFIND (None when the server keeps none,
    or has no calendar by that name). Raises ServerError when the server
    cannot be reached. Standard input has none.
    """
    kind = source_kind(spec)
    if kind == "stdin":
        return None
    if kind == "link":  # asks every time: this is the poll
        return "link:" + read_link_source(spec, fresh_for=0).version
    if kind == "caldav":
        from engine.caldav.transport import NotCalDAV

        try:
            return _calendar_token(spec)
        except NotCalDAV as err:
            if spec.startswith("@"):
                raise
            return "link:" + read_as_link(spec, err, fresh_for=0).version
    try:
        st = os.stat(Path(spec).expanduser())
    except OSError:
        return None
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


def _calendar_token(spec: str) -> str | None:
    from engine.config import load_config, resolve_calendar
    from engine.sources.dav import remembering_auth

    ref = resolve_calendar(spec, load_config())
    with remembering_auth(ref.endpoint) as session:
        path = session.locate(ref)
        info = session.collection_info(path) if path is not None else None
    return info.token if info is not None else None
