"""Which calendars a sync reads and writes: ``--from`` and ``--to`` resolved to servers.

Shared by the full sync (``engine.caldav.apply``) and the quiet check
(``engine.caldav.quiet``), so that both ask the same servers as the same user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup.engine.config import CalendarRef, Config, resolve_calendar
from followup.engine.errors import UsageMistake

if TYPE_CHECKING:
    from followup.engine.sources import Source


def source_calendar(
    source: Source, config: Config, *, username: str | None, timeout: float | None
) -> CalendarRef | None:
    """The interviews' calendar, or None for a file or a link (read whole, not synced)."""
    if source.kind != "caldav":
        return None
    named = source.address or source.spec  # its address as parse split it, or @name
    return resolve_calendar(named, config, username=username, timeout=timeout)


def target_calendar(
    spec: str | None,
    config: Config,
    source: CalendarRef | None,
    *,
    name: str | None,
    username: str | None,
    timeout: float | None,
) -> CalendarRef:
    """The follow-ups' calendar: ``--to`` (or sync.to), else one of its own on the
    interviews' server, found or created by its display name."""
    spec = spec or config.sync.to
    if spec:
        ref = resolve_calendar(spec, config, username=username, timeout=timeout)
        if name and ref.url is None:
            return CalendarRef(ref.endpoint, None, name)
        return ref
    if source is None:
        raise UsageMistake(
            "say which calendar the follow-ups go to: --to https://server/calendars/me/followups/",
            hint="or set sync.to in the config file (docs/sync.md)",
        )
    return CalendarRef(source.endpoint, None, name or config.sync.name)
