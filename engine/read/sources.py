"""Where interviews come from: an .ics file, standard input, or a CalDAV calendar.

``--from`` takes a path, ``-`` for standard input, an ``http(s)://`` URL of a
CalDAV calendar, or ``@name`` for a calendar named in the config file. The
CalDAV stack is imported only for the last two.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from engine.errors import SourceError
from engine.model import Interview, Window
from engine.pipeline import default_window, read_ics, read_objects

if TYPE_CHECKING:
    from rules.model import RuleSet


def is_remote(spec: str) -> bool:
    return spec.startswith(("http://", "https://", "@"))


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
    spec: str, *, rules: RuleSet, now: datetime, window: Window | None = None
) -> list[Interview]:
    """The interviews from ``spec`` within ``window`` (default: see engine.pipeline)."""
    window = window or default_window(now)
    if is_remote(spec):
        from engine.read.caldav_source import fetch_objects

        objects = fetch_objects(spec, since=window.since, until=window.until)
        return read_objects(objects, rules=rules, now=now, window=window)
    data, name = read_bytes(spec)
    return read_ics(data, rules=rules, now=now, window=window, name=name)


def source_version(spec: str) -> str | None:
    """A cheap token that changes when the source changes; None when there is none.

    A file: its inode, size and modification time. A CalDAV calendar: its sync
    token, one PROPFIND (None when the server keeps none, or has no calendar by
    that name); raises ServerError when the server cannot be reached.
    Standard input has none.
    """
    if spec == "-":
        return None
    if is_remote(spec):
        return _calendar_token(spec)
    try:
        st = os.stat(Path(spec).expanduser())
    except OSError:
        return None
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


def _calendar_token(spec: str) -> str | None:
    from engine.caldav.session import remembering_auth
    from engine.config import load_config, resolve_calendar

    ref = resolve_calendar(spec, load_config())
    with remembering_auth(ref.endpoint) as session:
        path = session.locate(ref)
        info = session.collection_info(path) if path is not None else None
    return info.token if info is not None else None
