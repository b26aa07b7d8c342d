"""``followup sync``: keep a CalDAV calendar of follow-ups in step with your interviews."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from followup.cli.options import (
    DEFAULT_RULES_NAME,
    job_options,
    json_option,
    make_job,
    parse_now,
)
from followup.cli.terminal import echo, warn
from followup.engine.errors import ServerError, SyncIncomplete
from followup.engine.folders import chosen_config
from followup.rules.zones import local_zone_name

if TYPE_CHECKING:
    from followup.engine.caldav.apply import Outcome, SyncReport
    from followup.engine.caldav.syncplan import Action

QUIET_ENVIRONMENT = (
    "TZ", "LANG", "LC_ALL", "HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
    "XDG_DATA_HOME", "FOLLOWUP_CONFIG_DIR", "FOLLOWUP_CACHE_DIR", "FOLLOWUP_STATE_DIR",
    "FOLLOWUP_DATA_DIR", "FOLLOWUP_RULES_CACHE",
)  # fmt: skip
"""What else decides a sync's answer besides its options, the folder and the files it reads."""

SHOWN_PER_KIND = 10
PROGRESS_FROM = 20
"""Show a progress bar when a run has at least this many writes (a first sync)."""

KEPT_WORDS = {
    "edited": "you changed it",
    "completed": "you completed it",
    "dismissed": "you cancelled it",
    "deleted": "you deleted it",
}


def _found_nothing_to_do(report: SyncReport) -> bool:
    """A complete run that wrote nothing and kept nothing of the user's."""
    return report.stopped is None and not report.outcomes and not report.kept


def _kind(action: Action) -> str:
    return {"Create": "created", "Update": "updated", "Delete": "removed"}.get(
        type(action).__name__, "kept"
    )


def report_text(report: SyncReport) -> str:
    """The run as people read it: what changed, item by item (the first few), and the totals."""
    lines = [
        f"{report.calendar}: {report.followups} follow-ups for {report.interviews} interviews."
    ]
    done = sorted((_kind(o.action), o.action.title) for o in report.outcomes if o.ok)
    rows = [(kind, title) for kind, title in done if kind != "kept"]
    rows += sorted(("kept", f"{k.title} ({KEPT_WORDS[k.reason]})") for k in report.kept)
    rows += sorted(("failed", f"{o.action.title}: {o.error}") for o in report.failed)
    counts: dict[str, int] = {}
    for kind, text in rows:
        counts[kind] = counts.get(kind, 0) + 1
        if counts[kind] <= SHOWN_PER_KIND:
            lines.append(f"  {kind:<8} {text}")
        elif counts[kind] == SHOWN_PER_KIND + 1:
            lines.append(f"  {kind:<8} ...")
    verb = "would be " if report.dry_run else ""
    lines.append(
        f"{len(report.created)} {verb}created, {len(report.updated)} {verb}updated, "
        f"{len(report.removed)} {verb}removed, {len(report.kept)} kept because of your changes, "
        f"{len(report.failed)} failed; {report.unchanged} unchanged."
        + (" Dry run: nothing was written." if report.dry_run else "")
    )
    return "\n".join(lines) + "\n"  # the warnings went to standard error before (cli.terminal.warn)


def _action_json(action: Action) -> dict[str, Any]:
    return {"uid": action.uid, "title": action.title, "href": action.href}


def _failure_json(outcome: Outcome) -> dict[str, Any]:
    return {**_action_json(outcome.action), "action": _kind(outcome.action), "error": outcome.error}


def report_json(report: SyncReport) -> str:
    """The run for scripts: a stable JSON object."""
    from followup.engine.write.text import json_text

    return json_text(
        {
            "calendar": report.calendar,
            "dry_run": report.dry_run,
            "complete": not report.failed and report.stopped is None,
            "interviews": report.interviews,
            "followups": report.followups,
            "created": [_action_json(a) for a in report.created],
            "updated": [_action_json(a) for a in report.updated],
            "removed": [_action_json(a) for a in report.removed],
            "kept": [{**_action_json(k), "reason": k.reason} for k in report.kept],
            "failed": [_failure_json(o) for o in report.failed],
            "unchanged": report.unchanged,
            "warnings": list(report.warnings),
        }
    )


@click.command()
@job_options
@click.option(
    "--to",
    "target",
    metavar="CALENDAR",
    envvar="FOLLOWUP_TO",
    help="The calendar for the follow-ups: a CalDAV URL or @NAME from the config file; it may "
    "be the interviews' own calendar. Default: a calendar of its own on the interviews' "
    "server, created when missing.",
)
@click.option(
    "--name",
    "target_name",
    metavar="TEXT",
    help="The display name of that calendar when followup creates it. Default: 'Job follow-ups'.",
)
@click.option(
    "--as",
    "force_kind",
    type=click.Choice(["events", "todos"]),
    help="Make every follow-up an event or a todo, whatever the rules say.",
)
@click.option("--no-alarms", is_flag=True, help="Leave out reminders.")
@click.option(
    "--user",
    "username",
    metavar="NAME",
    help="Your user name on the server (or put it in the "
    "URL, https://NAME@server/..., or the config file). The password is never an option: see "
    "docs/sync.md.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    metavar="SECONDS",
    help="How long to wait for each answer from the server. Default: 30.",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--force", is_flag=True, help="Remove every follow-up from the calendar if the plan says so."
)
@json_option
def sync(
    source: str | None,
    rules_path: Path | None,
    now_text: str | None,
    since_text: str | None,
    target: str | None,
    target_name: str | None,
    force_kind: str | None,
    no_alarms: bool,
    username: str | None,
    timeout: float | None,
    dry_run: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Keep a calendar of follow-ups on your CalDAV server in step with your interviews.

    Creates, moves and removes followup's own items only. What you change in
    your calendar app wins: an item you edited, completed or deleted is left
    as you have it. Run it as often as you like; with nothing to do it costs
    one request per calendar.

    The interviews may also come from a calendar's secret address (Google
    Calendar, Outlook.com, iCloud: see followup serve --help), read whole on
    every run (one request answered "not modified" when nothing changed);
    then say where the follow-ups go with --to.

    \b
    Examples:
      followup sync --from https://dav.example.com/alice/calendar/
      followup sync --from @work --to @followups --dry-run
      followup sync --from @google --to https://dav.example.com/alice/followups/
      followup sync                       (with sync.from and sync.to in the config)
    """
    invocation = [
        "sync", source, str(rules_path), now_text, since_text, target, target_name, force_kind,
        str(no_alarms), username, str(timeout), str(chosen_config()), os.getcwd(), local_zone_name(),
        *(os.environ.get(name) for name in QUIET_ENVIRONMENT),
    ]  # fmt: skip
    if not (dry_run or force):
        from followup.engine.caldav import quiet

        said = quiet.answer(invocation, lambda zone: parse_now(now_text, zone).date().isoformat())
        if said is not None:  # nothing changed since the last run that found nothing to do
            if as_json:
                click.echo(said.json, nl=False)
            else:
                echo(said.text, nl=False)
            return

    from followup.engine.caldav.apply import SyncReport, SyncRequest, apply, open_sessions, prepare
    from followup.engine.config import config_path, load_config
    from followup.engine.sources import parse
    from followup.engine.write.render import RenderOptions

    config = load_config()
    job = make_job(source, rules_path, now_text, since_text, config=config)
    origin = parse(job.require_source(), config)  # once: every step below takes this Source
    from followup.cli.mail import check_first

    check_first(job, origin, config, dry_run=dry_run)
    kind = {"events": "event", "todos": "todo"}.get(force_kind or "")
    request = SyncRequest(
        source=origin,
        target=target,
        rules=job.rules,
        now=job.now,
        window=job.window,
        wall_now=job.wall_now,
        config=config,
        target_name=target_name,
        render=RenderOptions(force_kind=kind, alarms=not no_alarms),  # type: ignore[arg-type]
        force=force,
        dry_run=dry_run,
        timeout=timeout,
        username=username,
    )
    with open_sessions() as sessions:
        prepared = prepare(request, sessions)
        # Events skipped or read with a guess, then what the connection itself warns of.
        warn((*prepared.plan.warnings, *prepared.warnings))
        writes = sum(1 for a in prepared.actions if type(a).__name__ != "Keep")
        if dry_run or as_json or writes < PROGRESS_FROM:
            report = apply(prepared)
        else:
            with click.progressbar(
                length=writes, label="Writing follow-ups", file=sys.stderr
            ) as bar:
                report = apply(prepared, lambda done, total: bar.update(1))
    if as_json:
        click.echo(report_json(report), nl=False)
    else:
        echo(report_text(report), nl=False)
    if not (dry_run or force):
        from followup.engine.answers import answers_path
        from followup.engine.caldav import quiet
        from followup.engine.marks import marks_path

        mail_first = config.mail is not None and config.mail.check
        if prepared.stamp is None or mail_first or not _found_nothing_to_do(report):
            quiet.forget_note(invocation)
        else:
            read = [config_path(), marks_path(), answers_path()]
            read += [Path(job.rules_name)] if job.rules_name != DEFAULT_RULES_NAME else []
            if prepared.source is None:  # a file: a stamp is never kept for a link or stdin
                read.append(Path(origin.spec))
            quiet_report = SyncReport(report.calendar, report.interviews, report.followups,
                                      report.followups, [], [])  # fmt: skip
            said = quiet.Answer(report_text(quiet_report), report_json(quiet_report))
            quiet.remember(invocation, prepared, said, read)
    if report.stopped is not None:
        raise ServerError(
            f"{report.stopped}; {report.writes} of {len(report.outcomes)} changes were made",
            hint="run followup sync again once the server is back: it finishes the job",
        )
    if report.failed:
        raise SyncIncomplete(
            f"{len(report.failed)} of {len(report.outcomes)} changes failed",
            hint="run followup sync again; what went through is not redone",
        )
