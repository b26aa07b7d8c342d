"""Options that read the same on every command, and the job they describe.

``--from``, ``--rules``, ``--now`` and ``--since`` become one typed ``Job``:
the rules loaded, the clock fixed, the planning window set.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from followup.engine.model import Window
from followup.engine.pipeline import FUTURE, PAST
from followup.rules.zones import resolve_zone

if TYPE_CHECKING:
    from followup.engine.config import Config
    from followup.engine.model import Reading
    from followup.rules.model import RuleSet

F = TypeVar("F", bound=Callable[..., Any])

# The years --now and --since may name: room on both sides for the planning window, series
# expansion and rule offsets, far from the ends of what a date can hold (years 1 and 9999).
DEFAULT_RULES_NAME = "rules/default.yaml"
"""How the shipped policy is named when no rules file is given."""

EARLIEST = date(1900, 1, 1)
LATEST = date(9000, 1, 1)

EXAMPLE = "example"
"""The --from word that names the calendar shipped with followup (a file named so is ./example)."""
EXAMPLE_NOW = "2026-11-30T08:00"
"""The moment the example is planned at unless --now is given: its interviews stay current."""

FROM_HELP = (
    "Where your interviews are: 'example' for the calendar followup ships with, an .ics file "
    "or a ZIP of them (Google's export), '-' for "
    "standard input, a calendar's secret or public address (https://.../basic.ics, "
    "webcal://...), a CalDAV calendar URL, or @NAME for a calendar or link in your config "
    "file. Default: $FOLLOWUP_FROM, else [sync] from in the config file (followup init "
    "writes it)."
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
        multiple=True,
        callback=_one_rules_file,
        help="Your rules file (YAML). Default: $FOLLOWUP_RULES, else [sync] rules in the config "
        "file, else the shipped rules/default.yaml. One file a run.",
    )(func)


def _one_rules_file(
    ctx: click.Context, param: click.Parameter, value: tuple[Path, ...]
) -> Path | None:
    """One policy a run: two --rules would otherwise mean the last one, silently."""
    if len(value) > 1:
        raise click.BadParameter(
            f"one rules file a run, got {len(value)} ({', '.join(map(str, value))}); "
            "put the rules into one file, or run once per file with its own --from"
        )
    return value[0] if value else None


def now_option(func: F) -> F:
    return click.option(
        "--now",
        "now_text",
        metavar="ISO-DATETIME",
        help="Plan as if it were this moment, e.g. 2026-12-01T08:00 (a time of day in the zone "
        "of the plan: the rules' timezone, or with timezone: local on a computer set to UTC, "
        "your interviews' zone) or 2026-12-01T08:00+01:00. Makes runs reproducible. "
        "Default: the current time.",
    )(func)


def since_option(func: F) -> F:
    return click.option(
        "--since",
        "since_text",
        metavar="DATE|AGE",
        help=f"Leave out interviews that started before this date (2026-10-01, today, "
        f"yesterday) or age ('90 days'). Default: {PAST.days} days ago. Recurring series are expanded "
        f"{FUTURE.days} days ahead.",
    )(func)


CONFIG_HELP = (
    "The config file. Default: $FOLLOWUP_CONFIG, else config.toml in your config folder. "
    "The same before the command (followup --config FILE plan) or after it."
)


def use_config(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    """--config, before or after the command: the config file every part of the run reads."""
    if value is not None:
        from followup.engine.folders import choose_config

        choose_config(value)


def config_option(func: F) -> F:
    return click.option(
        "--config",
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE",
        expose_value=False,
        is_eager=True,
        callback=use_config,
        help=CONFIG_HELP,
    )(func)


def verbose_option(func: F) -> F:
    return click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_be_verbose,
        help="Say on standard error what is done: the HTTP requests (method and address, "
        "never a password or token), the files read, and why each event counts or not "
        "and each step is planned or not.",
    )(func)


def _be_verbose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        from followup.cli.verbose import turn_off, turn_on

        turn_on()
        ctx.call_on_close(turn_off)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(func)


def job_options(func: F) -> F:
    """--from, --rules, --now, --since, --config, -v, in that order in --help."""
    for option in (
        verbose_option,
        config_option,
        since_option,
        now_option,
        rules_option,
        source_option,
    ):
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
    wall_now: bool = False
    """--now was given without an offset: a time of day in the zone of the plan."""

    def planning_now(self, reading: Reading) -> datetime:
        """``now`` for planning ``reading``: a --now without an offset read in the zone
        the plan is made in, which is the interviews' zone when the rules say
        ``timezone: local`` on a computer set to UTC (not UTC's 08:00). A --now with an
        offset is that moment, shown in the zone of the plan."""
        from followup.engine.pipeline import in_zone_of_plan
        from followup.engine.plan.planner import zone_of_plan

        zone = zone_of_plan(self.rules.timezone, reading.interviews)
        return in_zone_of_plan(self.now, zone, wall=self.wall_now)

    def require_source(self) -> str:
        if not self.source:
            raise click.UsageError(
                "say where your interviews are: --from calendar.ics, --from - (standard input), "
                "or --from https://server/calendars/me/work/"
            )
        if self.source == "-" and sys.stdin.isatty():
            click.echo(
                "Reading a calendar from standard input: paste it and press Ctrl-D, or stop "
                "with Ctrl-C and give --from FILE.",
                err=True,
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
    """--since: a date, 'today', 'yesterday' or an age ('90 days'): the start of that day."""
    if not text:
        return now - PAST
    return _day_or_age(text, now, before=True, option="--since")


def parse_until(text: str, now: datetime) -> datetime:
    """--until: a date, 'today', 'tomorrow' or a span ('6 weeks'): the end of that day."""
    return _day_or_age(text, now, before=False, option="--until")


DAY_WORDS = {"today": 0, "tomorrow": 1, "yesterday": -1}


def _day_or_age(text: str, now: datetime, *, before: bool, option: str) -> datetime:
    value = text.strip().casefold()
    day: date | None = None
    if value in DAY_WORDS:
        day = now.date() + timedelta(days=DAY_WORDS[value])
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
    if day is not None:
        clock = time(0) if before else time(23, 59, 59)
        return _in_years(datetime.combine(day, clock, tzinfo=now.tzinfo), text, option)
    from followup.rules.model import parse_offset

    example = "'90 days'" if before else "'6 weeks'"
    try:
        span = parse_offset(value).as_timedelta()
        moment = now - span if before else now + span
    except OverflowError:  # more days than a date can hold
        moment = (datetime.min if before else datetime.max).replace(tzinfo=now.tzinfo)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is neither a date (2026-10-01), today, "
            f"{'yesterday' if before else 'tomorrow'}, nor {'an age' if before else 'a span'} "
            f"({example})",
            param_hint=option,
        ) from None
    return _in_years(moment, text, option)


def _in_years(moment: datetime, text: str, option: str) -> datetime:
    """``moment`` if it lies in the years followup plans in, else one message."""
    if not EARLIEST.year <= moment.year <= LATEST.year - 1:
        raise click.BadParameter(
            f"{text!r} is outside the years followup plans in "
            f"({EARLIEST.year} to {LATEST.year - 1})",
            param_hint=option,
        )
    return moment


@dataclass(frozen=True)
class Inputs:
    """Where the interviews and the rules come from, the same way for every command:
    the option (or its environment variable), else the config file's [sync] section."""

    source: str | None
    rules_path: Path | None
    example: bool = False
    """Whether the source is the shipped example (planned at EXAMPLE_NOW unless --now)."""
    config: Config | None = None
    """The config file's settings, when they were read to complete the options."""


def example_path() -> Path:
    """The example calendar installed with followup (package data, read from any folder)."""
    from importlib.resources import files

    return Path(str(files("followup.engine") / "data" / "interviews.ics"))


def configured_inputs(
    source: str | None,
    rules_path: Path | None,
    config_file: Path | None = None,
    config: Config | None = None,
) -> Inputs:
    """The options given, completed from the config file that `followup init` writes
    (``config``: its settings, when the command has read them already).

    A path in the config file is relative to the config file's folder; one that does
    not exist is an error naming the file and the key.
    """
    from followup.engine.folders import chosen_config, config_path

    named = config_file or chosen_config()
    if named is not None and not named.is_file():
        from followup.engine.config import missing_config

        raise missing_config(named)
    source = source or os.environ.get("FOLLOWUP_FROM") or None
    if source == EXAMPLE:
        return Inputs(str(example_path()), rules_path, example=True)
    if source is not None and rules_path is not None:
        return Inputs(source, rules_path)
    where = config_file or config_path()
    try:
        where.stat()
    except FileNotFoundError:  # no config file (load_config would read it as empty)
        return Inputs(source, rules_path)
    from followup.engine.config import ConfigError, load_config

    config = config if config is not None else load_config(config_file)
    defaults = config.sync
    folder = where.parent

    def configured_file(value: str, key: str) -> Path:
        path = (folder / Path(value).expanduser()).resolve()
        if not path.is_file():
            raise ConfigError(
                f"{where}: [sync] {key} = {value!r}: there is no such file",
                hint=f"fix {key} in the config file, or give --{key} on the command line",
            )
        return path

    if source is None and defaults.from_:
        from followup.engine.sources import reach

        source = defaults.from_
        if reach(source) == "file":
            source = str(configured_file(source, "from"))
    if rules_path is None and defaults.rules:
        rules_path = configured_file(defaults.rules, "rules")
    return Inputs(source, rules_path, config=config)


def example_now() -> str:
    """The example's moment, said once on standard error so the dates make sense."""
    click.echo(
        f"Planning the example calendar as of {EXAMPLE_NOW.replace('T', ' ')}; "
        "give --now to plan it at another moment.",
        err=True,
    )
    return EXAMPLE_NOW


def make_job(
    source: str | None,
    rules_path: Path | None,
    now_text: str | None,
    since_text: str | None = None,
    config_file: Path | None = None,
    config: Config | None = None,
) -> Job:
    from followup.engine.pipeline import load_rules

    inputs = configured_inputs(source, rules_path, config_file, config)
    rules = load_rules(inputs.rules_path)
    logging.getLogger("followup.files").info("rules file: %s", inputs.rules_path or "shipped")
    if inputs.example and not now_text:
        now_text = example_now()
    now = parse_now(now_text, rules.timezone)
    window = Window(since=parse_since(since_text, now), until=now + FUTURE)
    name = str(inputs.rules_path) if inputs.rules_path else DEFAULT_RULES_NAME
    return Job(rules, name, inputs.source, now, window, wall_now=without_offset(now_text))


def without_offset(now_text: str | None) -> bool:
    """Whether --now was given as a time of day alone (2026-12-01T08:00), no offset or Z."""
    if not now_text:
        return False
    value = now_text.strip().replace(" ", "T", 1)
    return not value.endswith("Z") and datetime.fromisoformat(value).tzinfo is None


def text_value(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A value followup keeps or writes as text (a UID, a note, a name): bytes the command
    line could not read as UTF-8 are one message, not a failure when the file is written."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise click.BadParameter(
                f"{shown!r} is not UTF-8 text; type it again in a UTF-8 terminal"
            ) from None
    return value
