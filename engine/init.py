"""Setting up followup in one step: the answers to a few questions become two files.

``rules.yaml`` is a commented copy of a shipped policy with the user's
timezone, working days, holidays and kind of item filled in; ``config.toml``
says where the interviews are and which rules to use. Pure apart from
the locale lookup: the command line asks the questions and writes the files
(to ``engine.config.config_dir()``, where ``followup sync`` reads them).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from engine.marks import toml_string
from rules.model import WEEKDAYS

RULES_FILE = "rules.yaml"
SCHEMA_FILE = "followup-rules.schema.json"
"""Written beside the rules by ``init``, named in their ``# yaml-language-server`` line."""
CONFIG_FILE = "config.toml"
"""The name engine.config reads in the config folder."""

ItemKind = Literal["event", "todo"]


@dataclass(frozen=True, slots=True)
class Setup:
    """The answers: how the user works and where their interviews are."""

    timezone: str
    workdays: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    country: str | None = None
    subdivision: str | None = None
    kind: ItemKind = "event"
    source: str | None = None
    policy: str = "default.yaml"


# ---------------------------------------------------------------- answers ----


def parse_workdays(text: str) -> tuple[str, ...]:
    """Working days from 'mon-fri', 'sun-thu' or 'mon,tue,thu'; ValueError says what is wrong."""
    days: list[str] = []
    for part in re.split(r"[\s,]+", text.strip().lower()):
        if not part:
            continue
        first, _, last = part.partition("-")
        for name in (first, last) if last else (first,):
            if name[:3] not in WEEKDAYS:
                raise ValueError(
                    f"{name!r} is not a day; write days like 'mon-fri' or 'mon,wed,fri'"
                )
        start = WEEKDAYS.index(first[:3])
        stop = WEEKDAYS.index(last[:3]) if last else start
        span = (stop - start) % 7
        days += [WEEKDAYS[(start + step) % 7] for step in range(span + 1)]
    if not days:
        raise ValueError("name at least one working day, e.g. 'mon-fri'")
    return tuple(day for day in WEEKDAYS if day in days)


def parse_holidays(text: str) -> tuple[str | None, str | None]:
    """(country, region) from 'DE', 'DE-BY', 'US CA' or 'none'; checked against known holidays."""
    value = text.strip()
    if value.lower() in ("", "none", "no", "-"):
        return None, None
    country, _, region = re.sub(r"[\s/_]+", "-", value).partition("-")
    from rules.zones import holiday_calendar

    holiday_calendar(country.upper(), region.upper() or None)  # ValueError names a bad code
    return country.upper(), region.upper() or None


def parse_kind(text: str) -> ItemKind:
    value = text.strip().lower().rstrip("s")
    if value == "event":
        return "event"
    if value == "todo":
        return "todo"
    raise ValueError("answer 'events' (in your calendar) or 'todos' (in your task list)")


def guess_country(environ: dict[str, str] | None = None) -> str | None:
    """The country of the user's locale (LC_ALL, LC_TIME, LANG), when holidays are known for it."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_TIME", "LANG"):
        match = re.match(r"^[a-z]{2,3}_([A-Z]{2})\b", env.get(var, ""))
        if match:
            try:
                return parse_holidays(match.group(1))[0]
            except ValueError:
                return None
    return None


# ------------------------------------------------------------------ files ----


def rules_text(setup: Setup, path: Path | None = None) -> str:
    """A commented copy of the chosen shipped policy, with the answers filled in."""
    from rules.loader import parse_rules, shipped_rules

    text, name = shipped_rules(setup.policy)
    # The shipped file's opening comment speaks to someone copying it; ours replaces it.
    text = re.sub(r"\A(?:#.*\n)+", "", text)
    days = ", ".join(setup.workdays)
    text = _set_key(text, "timezone", setup.timezone)
    text = _set_key(text, "workdays", f"[{days}]")
    if setup.country:
        region = f", subdivision: {setup.subdivision}" if setup.subdivision else ""
        holidays = f"{{ country: {setup.country}{region} }}"
        if re.search(r"^holidays:", text, re.MULTILINE):
            text = _set_key(text, "holidays", holidays)
        else:
            text = re.sub(
                r"^(workdays:.*\n)",
                rf"\1# Public holidays to skip, like weekends (business days, workdays_only).\n"
                rf"holidays: {holidays}\n",
                text,
                count=1,
                flags=re.MULTILINE,
            )
    else:
        text = re.sub(r"^holidays:.*\n", "", text, count=1, flags=re.MULTILINE)
    text = re.sub(
        r"^(defaults:\s*\n(?:[ \t]+.*\n|\s*\n)*?[ \t]+kind:[ \t]*)(event|todo)\b",
        rf"\g<1>{setup.kind}",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    header = (
        f"# yaml-language-server: $schema=./{SCHEMA_FILE}\n"
        f"# Your follow-up rules, written by `followup init` from {name}.\n"
        f"# After an edit, run `followup check {path or RULES_FILE}`; the reference is\n"
        f"# rules/README.md; {SCHEMA_FILE} beside it lets your editor check as you type.\n\n"
    )
    result = header + text
    ruleset = parse_rules(result, name)
    wanted = (setup.timezone, setup.workdays, setup.country, setup.kind)
    got = (
        ruleset.timezone,
        tuple(ruleset.workdays),
        ruleset.holidays.country if ruleset.holidays else None,
        ruleset.defaults.kind,
    )
    if got != wanted:  # the shipped file changed shape; better to fail than to lie
        raise RuntimeError(f"could not fill in {name}: wanted {wanted}, got {got}")
    return result


def _set_key(text: str, key: str, value: str) -> str:
    """Replace a top-level ``key: value`` line, keeping a trailing comment."""
    pattern = re.compile(rf"^{key}:[^#\n]*?(\s*#.*)?$", re.MULTILINE)
    if pattern.search(text):
        return pattern.sub(lambda m: f"{key}: {value}{m.group(1) or ''}", text, count=1)
    return re.sub(r"^rules:", f"{key}: {value}\n\nrules:", text, count=1, flags=re.MULTILINE)


def config_text(setup: Setup, rules_path: Path) -> str:
    """The config file: where the interviews are and which rules to use (the [sync] table)."""
    source = (
        f"from = {toml_string(setup.source)}"
        if setup.source
        else '# from = "~/calendars/job-search.ics"'
    )
    return (
        "# followup's settings, written by `followup init`. Edit freely.\n"
        "\n"
        "[sync]\n"
        "# Where your interviews are: an .ics file, or the URL of a CalDAV calendar.\n"
        f"{source}\n"
        "# Your rules: when each follow-up happens and what it says.\n"
        f"rules = {toml_string(str(rules_path))}\n"
        "# Where `followup sync` puts the follow-ups: a CalDAV calendar.\n"
        '# to = "https://dav.example.com/calendars/me/followups/"\n'
    )


def setup_files(setup: Setup, directory: Path) -> list[tuple[Path, str]]:
    """The files ``followup init`` writes, with their text, in the order it writes them."""
    rules_path = directory / RULES_FILE
    return [
        (rules_path, rules_text(setup, rules_path)),
        (directory / SCHEMA_FILE, schema_text()),
        (directory / CONFIG_FILE, config_text(setup, rules_path)),
    ]


def schema_text() -> str:
    """The rules' JSON Schema, as `followup schema` prints it (for the editor line in rules.yaml)."""
    import json

    from rules.model import json_schema

    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
