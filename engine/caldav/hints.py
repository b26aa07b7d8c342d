"""Notes about servers kept from an earlier run: where a named calendar is, which
authentication scheme a server took, what the last quiet run found.

Only ever hints, in the user cache folder: a wrong or lost note costs a request.
"""

from __future__ import annotations

from pathlib import Path

from followup.engine.caldav.kept import key, read_json, write_json
from followup.engine.folders import cache_dir


def notes_path() -> Path:
    return cache_dir() / "servers.json"


def recalled(*about: str | None) -> str | None:
    """A note about a server kept from an earlier run: where a named calendar is, which
    authentication scheme it took. Only ever a hint: a wrong note costs a request."""
    data = read_json(notes_path()) or {}
    notes = data.get("notes")
    value = notes.get(key(*about)) if isinstance(notes, dict) else None
    return value if isinstance(value, str) else None


def note(value: str | None, *about: str | None) -> None:
    """Keep (or, with None, forget) a note about a server."""
    data = read_json(notes_path()) or {}
    notes = data.get("notes")
    notes = dict(notes) if isinstance(notes, dict) else {}
    name = key(*about)
    if notes.get(name) == value:
        return
    if value is None:
        notes.pop(name, None)
    else:
        notes[name] = value
    write_json(notes_path(), {"notes": notes})
