"""What sync wrote to a target calendar, and what it takes to write there again.

- The target state (user state folder, ``sync/<hash>.json``): the follow-ups
  followup put in a calendar and the ones the user deleted. Losing it is
  safe: the next run re-creates the follow-ups the user had deleted, and
  adopts everything else it finds by UID. Nothing is ever lost.
- The key of followup's stamps (state folder), and the fingerprints of what the
  plan wanted last run (cache folder), so that an unchanged follow-up is not
  rendered again.
- The lock that lets one run at a time write to a calendar.

A file that cannot be read is treated as missing (see ``engine.caldav.kept``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from followup.engine.atomic import LockTimeout, locked
from followup.engine.caldav.kept import damaged, key, read_json, texts, write_json
from followup.engine.errors import Busy
from followup.engine.folders import cache_dir, read_own, state_dir, write_own

if TYPE_CHECKING:
    from followup.engine.caldav.syncplan import TargetState


# -- the target state -----------------------------------------------------------------------


def target_state_path(calendar_url: str, username: str | None) -> Path:
    return state_dir() / "sync" / f"{key(calendar_url, username)}.json"


def load_target_state(calendar_url: str, username: str | None) -> TargetState:
    from followup.engine.caldav.syncplan import TargetState  # the planning side: loaded when used

    data = read_json(target_state_path(calendar_url, username))
    if data is None or data.get("calendar") != calendar_url:
        return TargetState()
    known, dismissed = texts(data.get("known")), texts(data.get("dismissed"))
    adopted = texts(data.get("adopted", {}))  # none in a state from before adopting
    if known is None or dismissed is None or adopted is None:
        damaged(target_state_path(calendar_url, username), "its lists are damaged")
        return TargetState()
    return TargetState(
        known={str(k): str(v) for k, v in known.items()},
        dismissed={str(k): str(v) for k, v in dismissed.items()},
        keyed=data.get("keyed") is True,
        adopted={str(k): str(v) for k, v in adopted.items()},
    )


def save_target_state(calendar_url: str, username: str | None, state: TargetState) -> None:
    write_json(
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
        secret = bytes.fromhex((raw or b"").decode("ascii").strip())
    except (ValueError, UnicodeDecodeError):
        secret = b""
    if len(secret) >= 32:
        return secret
    secret = secrets.token_bytes(32)
    write_own(path, (secret.hex() + "\n").encode())
    return secret


# -- fingerprints of what the plan wants --------------------------------------------------------


def fingerprints_path(calendar_url: str, username: str | None) -> Path:
    return cache_dir() / "fingerprints" / f"{key(calendar_url, username)}.json"


def load_fingerprints(calendar_url: str, username: str | None, version: str) -> dict[str, str]:
    """Follow-up (as a value) -> the fingerprint of its rendering, from the last run.

    Only valid for the same renderer (``version``); a run that changed
    nothing then renders nothing.
    """
    data = read_json(fingerprints_path(calendar_url, username))
    if data is None or data.get("renderer") != version:
        return {}
    items = texts(data.get("items"))
    return dict(items) if items is not None else {}


def save_fingerprints(
    calendar_url: str, username: str | None, version: str, items: dict[str, str]
) -> None:
    write_json(fingerprints_path(calendar_url, username), {"renderer": version, "items": items})


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
    path = state_dir() / "sync" / f"{key(*about)}.lock"
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
