"""Calendars in a ZIP: Google Calendar's "Export" gives one .ics per calendar in one archive.

The archive is read in memory, never unpacked to disk, and bounded: at most
``MAX_MEMBERS`` entries, at most ``max_bytes`` unpacked in all (counted as
read, not as the archive claims, so a zip bomb is refused after reading one
byte past the cap), no encrypted members, and no member whose name tries to
leave the archive (``../``, an absolute path), which no calendar export has.
Members that are not .ics files are left out: an export holds nothing else.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from engine.errors import SourceError

MAX_MEMBERS = 1000
CALENDAR_SUFFIXES = (".ics", ".ical", ".ifb")


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def calendars_in_zip(data: bytes, name: str, *, max_bytes: int) -> list[tuple[str, bytes]]:
    """The .ics members of a ZIP archive as (``name:member``, bytes), in name order."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SourceError(f"{name}: not a ZIP archive followup can read") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise SourceError(
                f"{name}: {len(members)} files in the archive; followup reads at most "
                f"{MAX_MEMBERS}",
                hint="a calendar export has one file per calendar; is this the right archive?",
            )
        calendars = []
        others = []
        for member in members:
            if member.is_dir():
                continue
            _check_name(member.filename, name)
            if member.filename.lower().endswith(CALENDAR_SUFFIXES):
                calendars.append(member)
            else:
                others.append(member.filename)
        if not calendars:
            found = ", ".join(sorted(others)[:5]) + (", ..." if len(others) > 5 else "")
            raise SourceError(
                f"{name}: no calendars (.ics files) in the archive"
                + (f"; it holds {found}" if others else "; it is empty"),
                hint="give the ZIP that Google Calendar's Settings > Import & export > Export "
                "downloads, or one .ics file",
            )
        declared = sum(m.file_size for m in calendars)
        if declared > max_bytes:
            raise _too_big(name, max_bytes)
        result: list[tuple[str, bytes]] = []
        left = max_bytes
        for member in sorted(calendars, key=lambda m: m.filename):
            if member.flag_bits & 0x1:
                raise SourceError(f"{name}: {member.filename} is encrypted")
            try:
                with archive.open(member) as handle:
                    # The sizes an archive declares can lie; what is read cannot.
                    content = handle.read(left + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as err:
                raise SourceError(f"{name}: {member.filename} cannot be unpacked ({err})") from None
            if len(content) > left:
                raise _too_big(name, max_bytes)
            left -= len(content)
            result.append((f"{name}:{member.filename}", content))
    return result


def _check_name(member: str, name: str) -> None:
    path = PurePosixPath(member.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (member[1:2] == ":"):
        raise SourceError(
            f"{name}: the archive holds a file named {member!r}, outside the archive's folder",
            hint="calendar exports never do; this archive was made to trick a program",
        )


def _too_big(name: str, max_bytes: int) -> SourceError:
    return SourceError(
        f"{name}: more than {max_bytes // 2**20} MB of calendars once unpacked",
        hint="export a shorter period, or give the calendar with your interviews alone",
    )
