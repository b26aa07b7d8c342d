"""What sync keeps between runs: one format for all of it, a versioned JSON object.

The target state, the notes about servers, the calendar copies and the fingerprints
are each kept in such a file (``state``, ``hints``, ``copies``), named by a hash of what
it is about and written atomically, readable by its owner only. A file that cannot be
read is treated as missing; a damaged one (not JSON, or values of the wrong type) is
also set aside with a warning on standard error, rather than failing every run until
it is deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from followup.engine.folders import read_json_object, write_own

VERSION = 1

log = logging.getLogger("followup.sync")


def key(*parts: str | None) -> str:
    """The name of the file about ``parts`` (a calendar and a user, say)."""
    return hashlib.sha256("\x00".join(p or "" for p in parts).encode()).hexdigest()[:24]


def read_json(path: Path) -> dict[str, Any] | None:
    """The object in ``path``; None when it is missing, damaged or of another version."""
    data = read_json_object(path, on_damage=lambda: damaged(path))
    if data is None or data.get("version") != VERSION:
        return None  # another version's file: not damaged, just not ours to read
    return data


def write_json(path: Path, data: dict[str, Any]) -> None:
    write_own(path, json.dumps({"version": VERSION, **data}, sort_keys=True).encode())


def damaged(path: Path, what: str = "it is not what followup wrote") -> None:
    """Set a damaged file aside: warn, and carry on as if it were missing."""
    log.warning("warning: ignoring %s (%s); it will be written again", path, what)


def texts(value: object) -> dict[str, str] | None:
    """A JSON object of text to text, or None."""
    if not isinstance(value, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return None
    return value
