"""The main path as functions: rules, interviews, plan. No printing, no clock of its own."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from engine.model import Interview, Plan, Window
from engine.plan.planner import make_plan as _make_plan
from rules.zones import resolve_zone

if TYPE_CHECKING:
    from engine.read.reader import Matcher
    from rules.model import RuleSet

PAST = timedelta(days=60)
"""By default interviews from the last 60 days count: their status checks and
move-on steps are still ahead. Older interviews are left out."""

FUTURE = timedelta(days=366)
"""Recurring interview series are expanded up to a year ahead."""


def default_window(now: datetime) -> Window:
    return Window(since=now - PAST, until=now + FUTURE)


def load_rules(path: str | Path | None = None) -> RuleSet:
    """The rules in ``path``, or the shipped default policy."""
    from rules.loader import load_rules as _load

    return _load(path)


def matcher_for(rules: RuleSet) -> Matcher:
    from engine.read.reader import Matcher

    return Matcher(
        words=tuple(rules.interviews.words),
        categories=tuple(rules.interviews.categories),
        phrases=tuple(rules.interviews.phrases),
        exclusions=tuple(rules.interviews.exclusions),
    )


def read_ics(
    data: bytes,
    *,
    rules: RuleSet,
    now: datetime,
    window: Window | None = None,
    name: str = "<stdin>",
) -> list[Interview]:
    """The interviews in an .ics file's bytes."""
    from engine.read.reader import read_ics as _read

    return _read(
        data,
        matcher=matcher_for(rules),
        home=resolve_zone(rules.timezone),
        window=window or default_window(now),
        name=name,
    )


def read_objects(
    objects: Iterable[tuple[str, bytes]],
    *,
    rules: RuleSet,
    now: datetime,
    window: Window | None = None,
) -> list[Interview]:
    """The interviews in CalDAV objects: (href, one VCALENDAR) pairs."""
    from engine.read.reader import read_objects as _read

    return _read(
        objects,
        matcher=matcher_for(rules),
        home=resolve_zone(rules.timezone),
        window=window or default_window(now),
    )


def make_plan(rules: RuleSet, interviews: Sequence[Interview], now: datetime) -> Plan:
    """Plan the follow-ups (see engine.plan.planner)."""
    return _make_plan(rules, interviews, now)
