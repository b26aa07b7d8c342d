"""Options that read the same on every command, and the job they describe.

``--from``, ``--rules``, ``--now`` and ``--since`` become one typed ``Job``:
the rules loaded, the clock fixed, the planning window set.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar

import click

from engine.model import Window
from engine.pipeline import FUTURE, PAST
from rules.model import RuleSet
from rules.zones import resolve_zone

F = TypeVar("F", bound=Callable[..., Any])

# The years --now and --since may name: room on both sides for the planning window, series
# expansion and rule offsets, far from the ends of what a date can hold (years 1 and 9999).
EARLIEST = date(1900, 1, 1)
LATEST = date(9000, 1, 1)

FROM_HELP = (
    "Where your interviews are: an .ics file, '-' for standard input, a CalDAV calendar URL, "
    "or @NAME for a calendar in your config file. Default: $FOLLOWUP_FROM, else [sync] from "
    "in the config file (followup init writes it)."
)


def source_option(func: F) -> F:
    return click.option(
        "--from", "source", metavar="SOURCE", envvar="FOLLOWUP_FROM", help=FROM_HELP
    )(func)


def rules_option(func: F) -> F:
    return click.option(
        "--rules",
        "rules_path",
        metavar="FILE",
        envvar="FOLLOWUP_RULES",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Your rules file (YAML). Default: $FOLLOWUP_RULES, else [sync] rules in the config "
        "file, else the shipped rules/default.yaml.",
    )(func)


def now_option(func: F) -> F:
    return click.option(
        "--now",
        "now_text",
        metavar="ISO-DATETIME",
        help="Plan as if it were this moment, e.g. 2026-12-01T08:00 (in the rules' timezone) "
        "or 2026-12-01T08:00+01:00. Makes runs reproducible. Default: the current time.",
    )(func)


def since_option(func: F) -> F:
    return click.option(
        "--since",
        "since_text",
        metavar="DATE|AGE",
        help=f"Leave out interviews that started before this date (2026-10-01) or age "
        f"('90 days'). Default: {PAST.days} days ago. Recurring series are expanded "
        f"{FUTURE.days} days ahead.",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


def job_options(func: F) -> F:
    """--from, --rules, --now, --since, in that order in --help."""
    for option in (since_option, now_option, rules_option, source_option):
        func = option(func)
    return func


@dataclass(frozen=True)
class Job:
    """What a command works on: the rules, the source, the clock and the window."""

    rules: RuleSet
    rules_name: str
    source: str | None
    now: datetime
    window: Window

    def require_source(self) -> str:
        if not self.source:
            raise click.UsageError(
                "say where your interviews are: --from calendar.ics, --from - (standard input), "
                "or --from https://server/calendars/me/work/"
            )
        return self.source


def parse_now(text: str | None, zone_name: str) -> datetime:
    zone = resolve_zone(zone_name)
    if not text:
        return datetime.now(zone).replace(microsecond=0)
    value = text.strip().replace(" ", "T", 1)
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a date and time; write it like 2026-12-01T08:00 or "
            "2026-12-01T08:00+01:00",
            param_hint="--now",
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    if not EARLIEST.year <= parsed.year <= LATEST.year - 1:
        raise click.BadParameter(
            f"{text!r} is outside the years followup plans in "
            f"({EARLIEST.year} to {LATEST.year - 1})",
            param_hint="--now",
        )
    return parsed.astimezone(zone)


def parse_since(text: str | None, now: datetime) -> datetime:
    if not text:
        return now - PAST
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(f"{text!r} is not a date", param_hint="--since") from None
        if day.year < EARLIEST.year:
            raise click.BadParameter(
                f"{text!r} is before {EARLIEST.year}; give a later date", param_hint="--since"
            )
        return datetime.combine(day, time(0), tzinfo=now.tzinfo)
    from rules.model import parse_offset

    try:
        offset = parse_offset(value)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is neither a date (2026-10-01) nor an age ('90 days')", param_hint="--since"
        ) from None
    try:
        since = now - offset.as_timedelta()
    except (OverflowError, ValueError):  # more days than a date can hold
        since = datetime.min.replace(tzinfo=now.tzinfo)
    if since.year < EARLIEST.year:
        raise click.BadParameter(
            f"{text!r} reaches back before {EARLIEST.year}; give a date such as 2026-01-01",
            param_hint="--since",
        )
    return since


def make_job(
    source: str | None, rules_path: Path | None, now_text: str | None, since_text: str | None = None
) -> Job:
    from engine.pipeline import load_rules

    source = source or os.environ.get("FOLLOWUP_FROM") or None
    if source is None or rules_path is None:
        # What `followup init` wrote: [sync] from = ..., rules = ...
        from engine.config import load_config

        defaults = load_config().sync
        source = source or defaults.from_
        if rules_path is None and defaults.rules:
            rules_path = Path(defaults.rules).expanduser()
    rules = load_rules(rules_path)
    now = parse_now(now_text, rules.timezone)
    window = Window(since=parse_since(since_text, now), until=now + FUTURE)
    name = str(rules_path) if rules_path else "rules/default.yaml"
    return Job(rules, name, source, now, window)
