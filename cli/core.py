"""The core commands: plan, ics, check, schema. Parse options, call the engine, format."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from followup.cli.options import (
    Job,
    config_option,
    configured_inputs,
    job_options,
    json_option,
    make_job,
    parse_until,
    text_value,
    verbose_option,
)
from followup.cli.terminal import echo, warn

if TYPE_CHECKING:
    from followup.engine.model import Plan


def build_plan(job: Job) -> Plan:
    return build_plans(job)[0]


def build_plans(job: Job) -> tuple[Plan, Plan | None]:
    """The plan with the user's marks, and the plan without them (None when there are none)."""
    from followup.cli.verbose import log_plan
    from followup.engine.marks import apply_marks, load_marks
    from followup.engine.pipeline import interviews_from, make_plan

    reading = interviews_from(
        job.require_source(), rules=job.rules, now=job.now, window=job.window, marks=False
    )
    now = job.planning_now(reading)
    marks = load_marks()
    if not marks:
        result = make_plan(job.rules, reading, now)
        log_plan(result)
        return result, None
    marked = make_plan(job.rules, apply_marks(reading, marks), now)
    log_plan(marked)
    return marked, make_plan(job.rules, reading, now)


@click.command()
@job_options
@click.option(
    "--until",
    "until_text",
    metavar="DATE|AGE",
    help="Show the whole timeline up to this date (2027-01-31, today, tomorrow) or for this "
    "long ('6 weeks'), grouped by interview, as if no answer ever comes.",
)
@json_option
def plan(
    source: str | None,
    rules_path: Path | None,
    now_text: str | None,
    since_text: str | None,
    until_text: str | None,
    as_json: bool,
) -> None:
    """Show the follow-ups planned for your interviews.

    \b
    Examples:
      followup plan --from example --now 2026-12-01T08:00
      followup plan --from calendar.ics --until 2027-01-31
      followup plan --from calendar.ics --json | jq '.followups[].title'
    """
    from followup.engine.write.outputs import View, render

    job = make_job(source, rules_path, now_text, since_text)
    result = build_plan(job)
    items = result.followups
    if until_text:
        until = parse_until(until_text, result.now)
        items = tuple(f for f in items if f.start <= until)
    if as_json:
        click.echo(render(result, "json", View(items)).decode(), nl=False)
    else:
        width = max(shutil.get_terminal_size((80, 24)).columns, 60)
        shown = render(result, "timeline" if until_text else "table", View(items, width=width))
        echo(shown.decode(), nl=False)
    warn(result.warnings)  # events skipped or read with a guess


@click.command()
@job_options
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the calendar to this file (atomically). Default: standard output.",
)
@click.option(
    "--as",
    "force_kind",
    type=click.Choice(["events", "todos"]),
    help="Make every follow-up an event or a todo, whatever the rules say. "
    "Google Calendar ignores todos in .ics files: use --as events for it.",
)
@click.option("--no-alarms", is_flag=True, help="Leave out reminders.")
@click.option(
    "--name",
    "calendar_name",
    metavar="TEXT",
    help="A calendar name for importers.",
    callback=text_value,
)
def ics(
    source: str | None,
    rules_path: Path | None,
    now_text: str | None,
    since_text: str | None,
    output: Path | None,
    force_kind: str | None,
    no_alarms: bool,
    calendar_name: str | None,
) -> None:
    """Write your follow-ups as an .ics calendar to import anywhere.

    The same inputs and --now give the same bytes, and every follow-up keeps
    its UID between runs, so importing a newer file updates the follow-ups
    instead of duplicating them. Steps that `followup mark` stopped stay in
    the file as cancelled until their time has passed, so the import removes
    or strikes them.

    \b
    Examples:
      followup ics --from example -o followups.ics
      followup ics --from - < calendar.ics > followups.ics
    """
    from followup.engine.plan.stopped import stopped_steps
    from followup.engine.write.outputs import View, render
    from followup.engine.write.render import RenderOptions

    job = make_job(source, rules_path, now_text, since_text)
    result, unmarked = build_plans(job)
    stopped = () if unmarked is None else stopped_steps(unmarked, result)
    warn(result.warnings)  # events skipped or read with a guess
    kind = {"events": "event", "todos": "todo"}.get(force_kind or "")
    options = RenderOptions(
        force_kind=kind,  # type: ignore[arg-type]
        alarms=not no_alarms,
        calendar_name=calendar_name,
    )
    data = render(result, "ics", View(options=options, stopped=tuple(stopped)))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from followup.engine.atomic import write_atomic
    from followup.engine.write.text import interviews_count

    write_atomic(output, data, make_folders=False)
    cancelled = f" (and {len(stopped)} stopped, as cancelled)" if stopped else ""
    count = interviews_count(result)
    click.echo(
        f"Wrote {len(result.followups)} follow-ups{cancelled} for "
        f"{count}{',' * (',' in count)} to {output}.",
        err=True,
    )


@click.command()
@click.argument("rules_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@json_option
@config_option
@verbose_option
def check(rules_file: Path | None, as_json: bool) -> None:
    """Check a rules file and say what it does.

    Default: the rules your config file names ([sync] rules), else the shipped policy.

    Errors name the file, line and column, and what was expected.
    """
    from followup.engine.pipeline import load_rules
    from followup.engine.write.text import json_text
    from followup.rules.errors import RulesError

    if rules_file is None:
        rules_file = configured_inputs("-", None).rules_path  # the rules the config names
    name = str(rules_file) if rules_file else "rules/default.yaml"
    try:
        rules = load_rules(rules_file, fresh=True)  # every check in full, templates rendered
    except RulesError as err:
        if not as_json:
            raise
        problem = {"line": err.line, "column": err.column, "message": err.detail}
        click.echo(json_text({"file": name, "ok": False, "error": problem}), nl=False)
        raise click.exceptions.Exit(err.exit_code) from None
    from followup.rules.analysis import fallback_notes, never_planned

    fallbacks = rules.fallback_ids()
    notes = fallback_notes(rules)
    dead = never_planned(rules)
    if as_json:
        click.echo(
            json_text(
                {
                    "file": name,
                    "ok": True,
                    "timezone": rules.timezone,
                    "rules": [
                        {
                            "id": r.id,
                            "kind": r.kind or rules.defaults.kind,
                            "fallback_only": r.id in fallbacks,
                            "never_planned": dead.get(r.id),
                        }
                        for r in rules.rules
                    ],
                    "notes": notes,
                }
            ),
            nl=False,
        )
        return
    from followup.rules.zones import resolve_zone

    zone = resolve_zone(rules.timezone).key
    where = zone if rules.timezone == zone else f"{rules.timezone} ({zone})"
    echo(f"{name}: OK, {len(rules.rules)} rules, times of day in {where}.")
    for rule in rules.rules:
        anchor = rule.when.from_
        extra = " (fallback)" if rule.id in fallbacks else ""
        extra += " (never planned)" if rule.id in dead else ""
        echo(
            f"  {rule.id:<22} {rule.kind or rules.defaults.kind:<5} from {anchor} {rule.when.offset}{extra}"
        )
    for note in notes:
        echo(f"note: {note}")
    for rule_id, reason in dead.items():
        echo(f"warning: {rule_id} can never plan a step: {reason}")


@click.command()
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file."
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of rules files, for your editor.

    \b
    `followup init` writes it beside your rules. For a file of your own, with
    VS Code's YAML extension (or any editor using yaml-language-server), put
    this first in your rules file:
      # yaml-language-server: $schema=./followup-rules.schema.json
    """
    from followup.rules.model import json_schema

    text = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        from followup.engine.atomic import write_atomic

        write_atomic(output, text.encode(), make_folders=False)
        click.echo(f"Wrote the rules schema to {output}.", err=True)
