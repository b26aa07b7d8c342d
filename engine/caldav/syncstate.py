"""What sync keeps between runs, on disk, written atomically.

Two kinds of files, with different stakes:

- The target state (user state folder, ``sync/<hash>.json``): the follow-ups
  followup put in a calendar and the ones the user deleted. Losing it is
  safe: the next run re-creates the follow-ups the user had deleted, and
  adopts everything else it finds by UID. Nothing is ever lost.
- The calendar copies (user cache folder, ``calendars/<hash>.json``): each
  calendar's objects, ETags and sync token, so that a run with nothing to
  do asks the server one question per calendar. Losing one costs a full
  read of that calendar, nothing more.

A file that cannot be read is treated as missing, for the same reasons; a damaged
one (not JSON, or values of the wrong type) is also set aside with a warning on
standard error, rather than failing every run until it is deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from followup.engine.atomic import LockTimeout, locked
from followup.engine.errors import Busy, WriteError
from followup.engine.folders import cache_dir, read_json_object, read_own, state_dir, write_own

if TYPE_CHECKING:
    from followup.engine.caldav.syncplan import TargetState

VERSION = 1
MirrorMode = Literal["sync", "listing"]

log = logging.getLogger("followup.sync")


def _key(*parts: str | None) -> str:
    return hashlib.sha256("\x00".join(p or "" for p in parts).encode()).hexdigest()[:24]


def _read_json(path: Path) -> dict[str, Any] | None:
    data = read_json_object(path, on_damage=lambda: _damaged(path))
    if data is None or data.get("version") != VERSION:
        return None  # another version's file: not damaged, just not ours to read
    return data


def _damaged(path: Path, what: str = "it is not what followup wrote") -> None:
    """Set a damaged file aside: warn, and carry on as if it were missing."""
    log.warning("warning: ignoring %s (%s); it will be written again", path, what)


def _texts(value: object) -> dict[str, str] | None:
    """A JSON object of text to text, or None."""
    if not isinstance(value, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return None
    return value


def _facts(value: object) -> dict[str, Any] | None:
    """What sync read from an object (see ``syncplan.remote_facts``), if well formed.

    ``{}`` is an object that is not followup's; None (also for anything
    malformed) makes the object be read again.
    """
    if not isinstance(value, dict):
        return None
    if not value:
        return value
    texts = ("uid", "fingerprint", "title")
    optional = ("stamped", "interview_start")
    if not all(isinstance(value.get(k), str) for k in texts):
        return None
    if not all(value.get(k) is None or isinstance(value.get(k), str) for k in optional):
        return None
    return value


def _write_json(path: Path, data: dict[str, Any]) -> None:
    write_own(path, json.dumps({"version": VERSION, **data}, sort_keys=True).encode())


# -- the target state -----------------------------------------------------------------------


def target_state_path(calendar_url: str, username: str | None) -> Path:
    return state_dir() / "sync" / f"{_key(calendar_url, username)}.json"


def load_target_state(calendar_url: str, username: str | None) -> TargetState:
    from followup.engine.caldav.syncplan import TargetState  # the planning side: loaded when used

    data = _read_json(target_state_path(calendar_url, username))
    if data is None or data.get("calendar") != calendar_url:
        return TargetState()
    known, dismissed = _texts(data.get("known")), _texts(data.get("dismissed"))
    adopted = _texts(data.get("adopted", {}))  # none in a state from before adopting
    if known is None or dismissed is None or adopted is None:
        _damaged(target_state_path(calendar_url, username), "its lists are damaged")
        return TargetState()
    return TargetState(
        known={str(k): str(v) for k, v in known.items()},
        dismissed={str(k): str(v) for k, v in dismissed.items()},
        keyed=data.get("keyed") is True,
        adopted={str(k): str(v) for k, v in adopted.items()},
    )


def save_target_state(calendar_url: str, username: str | None, state: TargetState) -> None:
    _write_json(
        target_state_path(calendar_url, username),
        {
            "calendar": calendar_url,
            "known": dict(state.known),
            "dismissed": dict(state.dismissed),
            "keyed": state.keyed,
            "adopted": dict(state.adopted),
        },
    )


# -- the key of the fingerprints ----------------------------------------------------------------

KEY_FILE = "fingerprint-key"


def fingerprint_key() -> bytes:
    """The secret that keys followup's stamps (``engine.caldav.fingerprint``), made on first
    use and kept in the state folder, readable by its owner only.

    Lost, followup no longer recognises its own follow-ups as unchanged, and leaves them
    as they are (as it does with ones you edited); it never overwrites them.
    """
    path = state_dir() / KEY_FILE
    raw = read_own(path, limit=4096)  # a key planted by someone else is never used
    try:
        key = bytes.fromhex((raw or b"").decode("ascii").strip())
    except (ValueError, UnicodeDecodeError):
        key = b""
    if len(key) >= 32:
        return key
    key = secrets.token_bytes(32)
    write_own(path, (key.hex() + "\n").encode())
    return key


# -- notes about servers -----------------------------------------------------------------


def notes_path() -> Path:
    return cache_dir() / "servers.json"


def recalled(*about: str | None) -> str | None:
    """A note about a server kept from an earlier run: where a named calendar is, which
    authentication scheme it took. Only ever a hint: a wrong note costs a request."""
    data = _read_json(notes_path()) or {}
    notes = data.get("notes")
    value = notes.get(_key(*about)) if isinstance(notes, dict) else None
    return value if isinstance(value, str) else None


def note(value: str | None, *about: str | None) -> None:
    """Keep (or, with None, forget) a note about a server."""
    data = _read_json(notes_path()) or {}
    notes = data.get("notes")
    notes = dict(notes) if isinstance(notes, dict) else {}
    key = _key(*about)
    if notes.get(key) == value:
        return
    if value is None:
        notes.pop(key, None)
    else:
        notes[key] = value
    _write_json(notes_path(), {"notes": notes})


# -- the calendar copies --------------------------------------------------------------------


@dataclass(slots=True)
class Stored:
    """One object as last seen: its ETag and, when it was fetched, its data.

    ``facts``: what sync read from the data (is it followup's, its
    fingerprint...), kept so that an unchanged object is not parsed again.
    """

    etag: str | None
    data: bytes | None
    facts: dict[str, Any] | None = None


@dataclass(slots=True)
class Mirror:
    """A local copy of (part of) one calendar, kept current with its sync token.

    ``covered``: the time range whose events were fetched (for a source);
    ``ours``: whether followup's own objects were fetched (for a target).
    Objects that changed since are always fetched, whatever they are.
    ``continuous`` is not stored: it says whether this run's copy follows on
    from the last run's without a gap (see ``engine.caldav.syncplan``).
    """

    url: str
    username: str | None
    token: str | None = None
    mode: MirrorMode = "sync"
    covered: tuple[datetime, datetime] | None = None
    ours: bool = False
    items: dict[str, Stored] = field(default_factory=dict)
    continuous: bool = False

    def objects(self) -> list[tuple[str, bytes]]:
        return [(href, s.data) for href, s in sorted(self.items.items()) if s.data is not None]


def mirror_path(url: str, username: str | None) -> Path:
    return cache_dir() / "calendars" / f"{_key(url, username)}.json"


def load_mirror(url: str, username: str | None) -> Mirror | None:
    data = _read_json(mirror_path(url, username))
    if data is None or data.get("url") != url:
        return None
    try:
        return _mirror(data, url, username)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        _damaged(mirror_path(url, username))
        return None


def _mirror(data: dict[str, Any], url: str, username: str | None) -> Mirror:
    """A calendar copy from its JSON, every value checked for its type (TypeError if not)."""
    covered = data.get("covered")
    span: tuple[datetime, datetime] | None = None
    if covered:
        start, end = (datetime.fromisoformat(covered[0]), datetime.fromisoformat(covered[1]))
        if start.tzinfo is None or end.tzinfo is None:
            raise TypeError("covered without a timezone")
        span = (start, end)
    token = data.get("token")
    if token is not None and not isinstance(token, str):
        raise TypeError("token")
    items: dict[str, Stored] = {}
    for href, entry in data["items"].items():
        if not isinstance(entry, list) or len(entry) < 2:
            raise TypeError("item")
        etag, text = entry[0], entry[1]
        if not (etag is None or isinstance(etag, str)) or not (
            text is None or isinstance(text, str)
        ):
            raise TypeError("item")
        facts = _facts(entry[2]) if len(entry) > 2 else None
        items[str(href)] = Stored(etag, text.encode("utf-8") if text is not None else None, facts)
    return Mirror(
        url=url,
        username=username,
        token=token,
        mode="listing" if data.get("mode") == "listing" else "sync",
        covered=span,
        ours=bool(data.get("ours")),
        items=items,
    )


def drop_mirror(url: str, username: str | None) -> None:
    path = mirror_path(url, username)
    try:
        path.unlink(missing_ok=True)
    except OSError as err:
        raise WriteError(f"cannot remove {path}: {(err.strerror or str(err)).lower()}") from None


def save_mirror(mirror: Mirror) -> None:
    _write_json(
        mirror_path(mirror.url, mirror.username),
        {
            "url": mirror.url,
            "token": mirror.token,
            "mode": mirror.mode,
            "covered": [t.isoformat() for t in mirror.covered] if mirror.covered else None,
            "ours": mirror.ours,
            "items": {
                href: [
                    s.etag,
                    s.data.decode("utf-8", "replace") if s.data is not None else None,
                    s.facts,
                ]
                for href, s in mirror.items.items()
            },
        },
    )


# -- fingerprints of what the plan wants --------------------------------------------------------


def fingerprints_path(calendar_url: str, username: str | None) -> Path:
    return cache_dir() / "fingerprints" / f"{_key(calendar_url, username)}.json"


def load_fingerprints(calendar_url: str, username: str | None, version: str) -> dict[str, str]:
    """Follow-up (as a value) -> the fingerprint of its rendering, from the last run.

    Only valid for the same renderer (``version``); a run that changed
    nothing then renders nothing.
    """
    data = _read_json(fingerprints_path(calendar_url, username))
    if data is None or data.get("renderer") != version:
        return {}
    items = _texts(data.get("items"))
    return dict(items) if items is not None else {}


def save_fingerprints(
    calendar_url: str, username: str | None, version: str, items: dict[str, str]
) -> None:
    _write_json(fingerprints_path(calendar_url, username), {"renderer": version, "items": items})


# -- one run per target at a time -------------------------------------------------------------

LOCK_WAIT = 120.0
"""Seconds a run waits for another run writing to the same calendar to finish: longer than
a first sync of a few hundred follow-ups takes; after that, it says so and stops."""


class TargetBusy(Busy):
    """Another run is writing to the same calendar."""


@contextmanager
def target_lock(label: str, *about: str | None, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the lock for one target calendar (``about`` names it) for the whole run.

    Two runs at once would both read the calendar, both decide to create the same
    follow-ups and both report them created; the second run instead waits for the first
    and then finds nothing to do. An advisory lock (``flock``) on a file in the state
    folder: released by the system when the process ends, however it ends.
    """
    path = state_dir() / "sync" / f"{_key(*about)}.lock"
    held = ExitStack()
    try:
        held.enter_context(locked(path, wait=wait, what=f"the follow-ups in {label}"))
    except LockTimeout:
        raise TargetBusy(
            f"another followup sync is writing to {label}; waited {wait:g} s for it to finish",
            hint="run followup sync again once it is done",
        ) from None
    with held:
        yield
