"""Setting up followup in one step: the answers to a few questions become two files.

``rules.yaml`` is a commented copy of a shipped policy with the user's
timezone, working days, holidays and kind of item filled in; ``config.toml``
says where the interviews are and which rules to use. Pure apart from
the locale lookup: the command line asks the questions and writes the files
(to ``engine.config.config_dir()``, where ``followup sync`` reads them).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from followup.engine.marks import toml_string
from followup.rules.model import WEEKDAYS

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
    sender_name: str | None = None
    signature: str | None = None
    mail_host: str | None = None
    """The IMAP server where recruiters' replies arrive (``followup mail``)."""
    mail_user: str | None = None


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
    from followup.rules.zones import holiday_calendar

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
    from followup.rules.loader import parse_rules, shipped_rules

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
    if setup.sender_name or setup.signature:
        text = re.sub(
            r"^rules:",
            lambda _: sender_text(setup) + "\nrules:",
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
    wanted = (setup.timezone, setup.workdays, setup.country, setup.kind, setup.sender_name)
    got = (
        ruleset.timezone,
        tuple(ruleset.workdays),
        ruleset.holidays.country if ruleset.holidays else None,
        ruleset.defaults.kind,
        ruleset.sender.name,
    )
    if got != wanted:  # the shipped file changed shape; better to fail than to lie
        raise RuntimeError(f"could not fill in {name}: wanted {wanted}, got {got}")
    return result


def sender_text(setup: Setup) -> str:
    """The ``sender:`` block: who signs the drafts (YAML double quotes are JSON's)."""
    lines = ["# Who signs your drafted emails.", "sender:"]
    if setup.sender_name:
        lines.append(f"  name: {json.dumps(setup.sender_name, ensure_ascii=False)}")
    if setup.signature:
        lines.append(f"  signature: {json.dumps(setup.signature, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def policy_file(policy: str, language: str) -> str:
    """The shipped file for a policy in a language: default.de.yaml for German."""
    from followup.rules.loader import shipped_policies

    name = f"{policy}.yaml" if language == "en" else f"{policy}.{language}.yaml"
    if name not in shipped_policies():
        raise ValueError(f"there is no {language} version of the {policy} policy; try 'default'")
    return name


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
        "# Where your interviews are: an .ics file, a calendar's secret .ics address (a\n"
        "# secret: keep this file to yourself), or the URL of a CalDAV calendar.\n"
        f"{source}\n"
        "# Your rules: when each follow-up happens and what it says.\n"
        f"rules = {toml_string(str(rules_path.resolve()))}\n"
        "# Where `followup sync` puts the follow-ups: a CalDAV calendar.\n"
        '# to = "https://dav.example.com/calendars/me/followups/"\n' + mail_text(setup)
    )


def mail_text(setup: Setup) -> str:
    """The [mail] table: where replies arrive (docs/mail.md); commented out when not given."""
    mark = "" if setup.mail_host else "# "
    host = toml_string(setup.mail_host or "imap.example.org")
    user = toml_string(setup.mail_user or "you@example.org")
    return (
        "\n"
        "# Where recruiters' replies arrive: `followup mail` stops a chain when they write\n"
        "# back (read-only; see docs/mail.md for Gmail, Outlook.com and Fastmail).\n"
        f"{mark}[mail]\n"
        f"{mark}host = {host}\n"
        f"{mark}username = {user}\n"
        "# The password is never written here: name a command that prints it, or\n"
        '# password_env = "MAIL_PASSWORD", or keyring = true.\n'
        f'{mark}password_command = "pass show mail"\n'
        "# Look for replies before every sync and while serving the feed.\n"
        f"{mark}check = true\n"
    )


def setup_files(
    setup: Setup, directory: Path, config_name: str = CONFIG_FILE
) -> list[tuple[Path, str]]:
    """The files ``followup init`` writes, with their text, in the order it writes them: in
    ``directory``, the config file named ``config_name`` (--config names another)."""
    rules_path = directory / RULES_FILE
    return [
        (rules_path, rules_text(setup, rules_path)),
        (directory / SCHEMA_FILE, schema_text()),
        (directory / config_name, config_text(setup, rules_path)),
    ]


def schema_text() -> str:
    """The rules' JSON Schema, as `followup schema` prints it (for the editor line in rules.yaml)."""
    import json

    from followup.rules.model import json_schema

    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
