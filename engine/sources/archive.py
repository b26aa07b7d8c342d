"""Calendars in a ZIP: Google Calendar's "Export" gives one .ics per calendar in one archive.

The archive is read in memory, never unpacked to disk, and bounded: at most
``MAX_MEMBERS`` entries, at most ``max_bytes`` unpacked in all (counted as
read, not as the archive claims, so a zip bomb is refused after reading one
byte past the cap), no encrypted members, and no member whose name tries to
leave the archive (``../``, an absolute path), which no calendar export has.
Members that are not .ics files are left out: an export holds nothing else.

The bounds hold before the standard zipfile reads the archive's directory: it
makes an object for every entry there is (980,000 entries cost 13 s and 500 MB)
and reads each entry's extra field in quadratic time (750 entries with 64 KB of
extra fields cost half a minute). ``check_directory`` reads the end record and
walks the central directory itself, at most ``MAX_MEMBERS`` + 1 entries, and
refuses a directory with more entries, more than ``MAX_DIRECTORY`` bytes, or an
extra field over ``MAX_EXTRA`` bytes.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import PurePosixPath

from followup.engine.errors import SourceError

MAX_MEMBERS = 1000
MAX_EXTRA = 1024
"""Bytes of one entry's extra field: a real one holds a few timestamps (under 100 bytes)."""
MAX_DIRECTORY = 4 * 2**20
"""Bytes of the central directory: 1,000 entries with long names and comments fit."""
CALENDAR_SUFFIXES = (".ics", ".ical", ".ifb")


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def calendars_in_zip(data: bytes, name: str, *, max_bytes: int) -> list[tuple[str, bytes]]:
    """The .ics members of a ZIP archive as (``name:member``, bytes), in name order."""
    check_directory(data, name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SourceError(f"{name}: not a ZIP archive followup can read") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:  # checked before; kept as the last word
            raise _too_many(name, str(len(members)))
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


_END = b"PK\x05\x06"
_END64 = b"PK\x06\x06"
_LOCATOR64 = b"PK\x06\x07"
_ENTRY = b"PK\x01\x02"


def check_directory(data: bytes, name: str) -> None:
    """Refuse an archive whose central directory is over the bounds, before zipfile reads
    it; an archive whose end record cannot be found is left to zipfile to refuse."""
    end = len(data) - 22
    if not (end >= 0 and data[end : end + 4] == _END and data[-2:] == b"\x00\x00"):
        end = data.rfind(_END, max(0, len(data) - 22 - 65535))  # after a comment, as zipfile
    if end < 0 or end + 22 > len(data):
        return
    count, size = struct.unpack("<HI", data[end + 10 : end + 16])
    directory_end = end
    if data[end - 20 : end - 16] == _LOCATOR64 and end >= 20 + 56:
        record = end - 20 - 56  # where zipfile looks for the ZIP64 end record
        if data[record : record + 4] == _END64:
            count, size = struct.unpack("<QQ", data[record + 32 : record + 48])
            directory_end = record
    if count > MAX_MEMBERS:
        raise _too_many(name, str(count))
    if size > MAX_DIRECTORY:
        raise SourceError(
            f"{name}: the archive's list of files takes {size:,} bytes; followup reads at "
            f"most {MAX_DIRECTORY // 2**20} MB of it",
            hint="a calendar export has one file per calendar; is this the right archive?",
        )
    # zipfile reads the directory from where the end record says it ends, entry by
    # entry until ``size`` bytes are read, whatever the count says: walk it the same way.
    at, stop, seen = max(0, directory_end - size), directory_end, 0
    while at + 46 <= stop and data[at : at + 4] == _ENTRY:
        seen += 1
        if seen > MAX_MEMBERS:
            raise _too_many(name, f"more than {MAX_MEMBERS}")
        named, extra, comment = struct.unpack("<HHH", data[at + 28 : at + 34])
        if extra > MAX_EXTRA:
            raise SourceError(
                f"{name}: a file in the archive carries {extra:,} bytes of extra fields; "
                f"followup reads archives with at most {MAX_EXTRA:,}",
                hint="calendar exports carry a few timestamps there; this archive was made "
                "to slow a program down",
            )
        at += 46 + named + extra + comment


def _too_many(name: str, count: str) -> SourceError:
    return SourceError(
        f"{name}: {count} files in the archive; followup reads at most {MAX_MEMBERS}",
        hint="a calendar export has one file per calendar; is this the right archive?",
    )


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
