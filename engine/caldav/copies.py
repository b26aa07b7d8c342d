"""The calendar copies on disk (user cache folder, ``calendars/<hash>.json``).

Each calendar's objects, ETags and sync token, so that a run with nothing to do asks
the server one question per calendar (``engine.caldav.mirror`` keeps them current).
Losing one costs a full read of that calendar, nothing more: a copy that cannot be
read is treated as missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from followup.engine.caldav.kept import damaged, key, read_json, write_json
from followup.engine.errors import WriteError
from followup.engine.folders import cache_dir

MirrorMode = Literal["sync", "listing"]


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
    return cache_dir() / "calendars" / f"{key(url, username)}.json"


def load_mirror(url: str, username: str | None) -> Mirror | None:
    data = read_json(mirror_path(url, username))
    if data is None or data.get("url") != url:
        return None
    try:
        return _mirror(data, url, username)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        damaged(mirror_path(url, username))
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


def drop_mirror(url: str, username: str | None) -> None:
    path = mirror_path(url, username)
    try:
        path.unlink(missing_ok=True)
    except OSError as err:
        raise WriteError(f"cannot remove {path}: {(err.strerror or str(err)).lower()}") from None


def save_mirror(mirror: Mirror) -> None:
    write_json(
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
